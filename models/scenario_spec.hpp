#pragma once
/// Typed scenario specs: what models/io produces from YAML and what the model consumes. Plain data,
/// no behaviour beyond small helpers. Units are in the names: tonnes (t), days, US dollars.
/// The YAML key for each field is given in its comment; scenarios/README.md is the user reference.

#include "models/shock_spec.hpp"
#include "models/spec_basics.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chainshock::models {

/// `commodities[]`
struct CommoditySpec {
    std::string id;               ///< `id`
    std::string unit = "t";       ///< `unit` (informational)
    double price_usd_per_t = 0.0; ///< `price_usd_per_t` (>= 0)
    SourcePos where;
};

/// `nodes[].demand`: exactly one of `tpd`, `per_day`, `poisson_rate_per_day`, `series_tpd`.
struct DemandSpec {
    enum class Process { Daily, PoissonProcess, Series };
    std::string commodity; ///< `commodity`: a product with a BOM, or consumed directly
    Process process = Process::Daily;
    DistributionSpec per_day;       ///< `tpd: 5` (fixed) or `per_day: {dist: ...}`; t/day
    double rate_per_day = 0.0;      ///< `poisson_rate_per_day`: arrivals per day
    double unit_t = 1.0;            ///< `unit_t`: tonnes per Poisson arrival (default 1)
    std::vector<double> series_tpd; ///< `series_tpd`: t on day i, repeated cyclically
    SourcePos where;

    /// Expected demand per day in tonnes.
    [[nodiscard]] double mean_tpd() const;
};

/// `replenish[].policy`
struct PolicySpec {
    enum class Type {
        BaseStock,
        MinMax,
        ReorderPointQuantity,
        DaysOfCover,
        OrderUpToMovingAverage
    };
    enum class Review { Periodic, Continuous };
    Type type =
        Type::BaseStock; ///< `type`: base_stock | s_S | r_Q | days_of_cover | order_up_to_ma
    Review review = Review::Periodic; ///< `review`: periodic (default) | continuous
    int period_days = 1;              ///< `period_days` (periodic review; >= 1)
    double level_t = 0.0;             ///< base_stock: `level_t` (order-up-to level S)
    double min_t = 0.0;               ///< s_S: `s_t`
    double max_t = 0.0;               ///< s_S: `S_t`
    double reorder_point_t = 0.0;     ///< r_Q: `r_t`
    double quantity_t = 0.0;          ///< r_Q: `q_t`
    double cover_days = 0.0;          ///< days_of_cover: `cover_days` (target = cover x usage/day)
    int k_periods = 0;      ///< order_up_to_ma: `k_periods` (level = k x forecast + safety)
    int window_periods = 0; ///< order_up_to_ma: `window_periods` (moving-average length)
    double safety_t = 0.0;  ///< order_up_to_ma: `safety_t`
    SourcePos where;
};

/// `replenish[].suppliers[]`: a node id (string) or `{node: X, share: 0.7}`.
struct SupplierRef {
    std::string node;
    double share = 0.0; ///< 0 = not given (equal shares)
    SourcePos where;
};

/// `nodes[].replenish[]`: how a node buys one commodity.
struct ReplenishSpec {
    enum class Sourcing { Shares, Priority, Cheapest };
    std::string commodity;                ///< `commodity`
    std::vector<SupplierRef> suppliers;   ///< `suppliers` (at least one)
    Sourcing sourcing = Sourcing::Shares; ///< `sourcing`: shares (default) | priority | cheapest
    PolicySpec policy;                    ///< `policy`
    SourcePos where;
};

/// `nodes[].push_to[]`: a node id or `{node: X, share: 0.5}`; output is shipped as produced.
using PushTarget = SupplierRef;

/// `nodes[].costs`
struct CostSpec {
    double holding_usd_per_t_day = 0.0;   ///< `holding_usd_per_t_day`
    double backorder_usd_per_t_day = 0.0; ///< `backorder_usd_per_t_day`
    double lost_sale_usd_per_t = 0.0;     ///< `lost_sale_usd_per_t`
    double order_cost_usd = 0.0;          ///< `order_cost_usd` (per order placed)
    bool pipeline_holding = false;        ///< `pipeline_holding`: also charge holding in transit
};

enum class Rationing { Fifo, ProRata };

/// `nodes[]`
struct NodeSpec {
    std::string id;                 ///< `id`
    NodeKind kind = NodeKind::Mine; ///< `kind`: mine | refinery | port | manufacturer | stockpile
    std::string country;            ///< `country` (ISO code or name; required)
    std::map<std::string, double> inventory_t; ///< `inventory`: {commodity: t} at day 0
    std::optional<double> storage_capacity_t;  ///< `storage_capacity_t`
    SourcePos where;

    // mine
    std::string commodity;     ///< mine, stockpile: `commodity`
    double capacity_tpd = 0.0; ///< mine: daily output; refinery: output capacity; `capacity_tpd`
    std::optional<DistributionSpec> yield_factor; ///< mine: `yield_factor` (x capacity, daily)
    double batch_rate_per_day =
        0.0;              ///< mine: `batch_rate_per_day` (Poisson batches instead of daily)
    double batch_t = 0.0; ///< mine: `batch_t` (tonnes per Poisson batch)

    // refinery
    std::string output;                   ///< refinery: `output` commodity
    std::map<std::string, double> recipe; ///< refinery: `recipe` {input: t per t output}
    DistributionSpec processing_days =
        DistributionSpec::fixed(1.0); ///< refinery: `processing_days`
    int lines = 1;                    ///< refinery: `lines` (parallel servers)
    /// refinery: `output_target_t` (make to stock: start a batch only while output on hand plus
    /// batches in process, less orders waiting, is below it; absent = run whenever inputs allow)
    std::optional<double> output_target_t;

    // port
    double dwell_days = 0.0;              ///< port: `dwell_days`
    std::optional<double> throughput_tpd; ///< port: `throughput_tpd` (FIFO queue when exceeded)

    // manufacturer
    std::optional<DemandSpec> demand;  ///< manufacturer: `demand`
    std::map<std::string, double> bom; ///< manufacturer: `bom` {input: t per t demanded}
    bool backorders = false;           ///< manufacturer: `backorders` (false = lost sales)

    // stockpile
    double capacity_t = 0.0; ///< stockpile: `capacity_t`

    // buying and selling
    std::vector<ReplenishSpec> replenish;  ///< `replenish`
    std::vector<PushTarget> push_to;       ///< mine, refinery: `push_to`
    Rationing rationing = Rationing::Fifo; ///< `rationing`: fifo | pro_rata (as a supplier)
    CostSpec costs;                        ///< `costs`
};

/// `routes[]` (directed)
struct RouteSpec {
    std::string from;                   ///< `from`
    std::string to;                     ///< `to`
    std::string mode = "sea";           ///< `mode`: sea | rail | road | air | pipeline (free text)
    DistributionSpec lead_time_days;    ///< `lead_time_days` (>= 0; number or distribution)
    std::optional<double> capacity_tpd; ///< `capacity_tpd`
    double cost_usd_per_t = 0.0;        ///< `cost_usd_per_t`
    SourcePos where;
};

/// `output`
struct OutputSpec {
    bool timeseries = true;        ///< `timeseries`
    int timeseries_every_days = 1; ///< `timeseries_every_days`
};

/// The whole scenario.
struct ScenarioSpec {
    int schema_version = 1;         ///< `schema_version` (required; 1)
    std::string name;               ///< `name` (required)
    std::string description;        ///< `description`
    std::int64_t horizon_days = 0;  ///< `horizon_days` (required, > 0)
    std::int64_t warmup_days = 0;   ///< `warmup_days` (statistics start after it)
    std::uint64_t seed = 1;         ///< `seed` (default; `--seed` overrides)
    std::uint64_t replications = 1; ///< `replications` (default; `--replications` overrides)
    enum class CostAccounting { EndOfDay, TimeWeighted };
    CostAccounting cost_accounting = CostAccounting::EndOfDay; ///< `cost_accounting`
    std::vector<CommoditySpec> commodities;
    std::vector<NodeSpec> nodes;
    std::vector<RouteSpec> routes;
    OutputSpec output;
    std::vector<BlocSpec> blocs;                         ///< `blocs`
    std::vector<ShockSpec> shocks;                       ///< `shocks`
    MarketSpec market;                                   ///< `market`
    std::vector<StockpilePolicySpec> stockpile_policies; ///< `stockpile_policies`
    ResilienceSpec resilience;                           ///< `resilience`

    std::string source_file; ///< the file it came from (for messages)
    std::string source_hash; ///< hash of the file's bytes (16 hex digits)
};

} // namespace chainshock::models
