#pragma once
/// Typed specs for disruptions and responses (issue 4): blocs, shocks, the market's scarcity
/// pricing, stockpile release policies and resilience-metric settings. Plain data; each field's
/// comment gives its YAML key. scenarios/README.md is the user reference.

#include "models/spec_basics.hpp"

#include <optional>
#include <string>
#include <vector>

namespace chainshock::models {

/// `blocs[]`: a named set of countries, e.g. `{id: usmca, countries: [US, MX, CA]}`.
struct BlocSpec {
    std::string id;                     ///< `id` (must not equal a country code in use)
    std::vector<std::string> countries; ///< `countries` (non-empty)
    SourcePos where;
};

/// `shocks[].trigger`: start a shock when a metric crosses a threshold (a chained shock).
struct TriggerSpec {
    enum class Metric { Price, ShortfallFraction };
    Metric metric = Metric::Price; ///< `metric`: price | shortfall_fraction
    std::string commodity;         ///< `commodity` (price: whose price index)
    std::string country;           ///< `country` (shortfall_fraction: country or bloc;
                                   ///< empty = whole network)
    double above = 0.0;            ///< `above`: USD/t for price, fraction for shortfall
    SourcePos where;
};

/// `shocks[]`: one disruption or policy change.
struct ShockSpec {
    enum class Type { ExportBan, Outage, RouteClosure, LeadTime, Demand, Tariff, PriceFloor };
    /// What happens to cargo already under way: `continue` (export_ban default: it arrives),
    /// `held` (route_closure default: waits until the lane reopens), `rerouted` (takes the
    /// quickest open path), `lost` (destroyed; counted in mass balance).
    enum class InTransit { Continue, Held, Rerouted, Lost };

    Type type = Type::Outage; ///< `type`
    std::string id;           ///< `id` (optional; default `<type>_<index>`)
    SourcePos where;

    // When. Scripted: `start_day` (default 0) and `duration_days` (absent = to the horizon).
    double start_day = 0.0;
    std::optional<double> duration_days;
    /// Random (outage, route_closure): `random: {up_days: dist, down_days: dist}`, an alternating
    /// up/down process starting up; one independent process per matched node or lane.
    std::optional<DistributionSpec> up_days;
    std::optional<DistributionSpec> down_days;
    /// Chained: `trigger: {...}` instead of `start_day`; starts the first time it is met.
    std::optional<TriggerSpec> trigger;

    // export_ban
    std::string country;             ///< `country`: exporting country (also demand: node country)
    std::string commodity;           ///< `commodity` (export_ban, tariff, price_floor)
    std::vector<std::string> exempt; ///< `exempt`: destination countries/blocs not banned;
                                     ///< price_floor: origin countries/blocs exempt
    std::vector<std::string> destinations; ///< `to`: destination countries/blocs (empty = all)
    std::optional<double> quota_tpd;       ///< `quota_tpd`: allowed exports per day instead of none
    InTransit in_transit = InTransit::Continue; ///< `in_transit`

    // outage / demand: targets. `nodes: [ids]`, or `select: {country: X, kind: mine}`.
    std::vector<std::string> nodes;      ///< `nodes`
    std::string select_country;          ///< `select.country`
    std::optional<NodeKind> select_kind; ///< `select.kind`
    double capacity_factor = 0.0;        ///< outage: `capacity_factor` in [0, 1] (0 = full stop)
    double destroyed_share = 0.0;        ///< outage: `destroyed_share` of stock destroyed at start

    // route_closure / lead_time: one lane (`route: {from, to}`), a port (`port`), or a `mode`.
    std::string route_from; ///< `route.from`
    std::string route_to;   ///< `route.to`
    std::string port;       ///< `port`: closes every lane into and out of it
    std::string mode;       ///< `mode`: every lane of this mode
    double factor = 1.0;    ///< lead_time, demand: `factor` (> 0)

    // tariff / price_floor
    std::string importer;         ///< `importer`: country or bloc
    std::string origin;           ///< tariff: `origin` country or bloc (empty = all others)
    double rate = 0.0;            ///< tariff: `rate`, ad valorem share of price (0.25 = 25%)
    double floor_usd_per_t = 0.0; ///< price_floor: `floor_usd_per_t`
};

/// `market`: scarcity pricing. The price index of a commodity is
///   price(t) = base x min(max_multiple, 1 + elasticity x unmet share)
/// where `unmet share` is the manufacturers' unmet demand for products using the commodity over
/// the last `window_days`, as a share of their demand then. Updated each day at the day start.
struct MarketSpec {
    double elasticity = 0.0;   ///< `elasticity` (0 = prices fixed)
    int window_days = 7;       ///< `window_days`
    double max_multiple = 5.0; ///< `max_multiple`
};

/// `stockpile_policies[]`: how strategic stockpiles release stock.
struct StockpilePolicySpec {
    enum class Mode { None, Independent, Coordinated };
    enum class Trigger { DaysOfCover, ShortfallFraction, Price, Scheduled };
    std::string id;                      ///< `id`
    Mode mode = Mode::Independent;       ///< `mode`: none | independent | coordinated
    std::string commodity;               ///< `commodity`
    std::vector<std::string> stockpiles; ///< `stockpiles`: stockpile node ids (one per member)
    Trigger trigger =
        Trigger::DaysOfCover; ///< `trigger: {days_of_cover_below | shortfall_fraction_above |
                              ///< price_above_usd_per_t | start_day: x}`
    double trigger_value = 0.0;
    double release_tpd = 0.0;      ///< `release_tpd`: most released per day (the bloc's
                                   ///< total when coordinated; each stockpile's when independent)
    std::optional<double> total_t; ///< `total_t`: most released per activation
    std::optional<double> duration_days; ///< `duration_days`: stop after this long
    std::optional<double>
        stop_days_of_cover;  ///< `stop_days_of_cover_above`: stop when cover is back
    double refill_tpd = 0.0; ///< `refill.rate_tpd` (0 = no refill)
    std::optional<double> refill_price_ceiling; ///< `refill.price_ceiling_usd_per_t`
    std::string refill_supplier;                ///< `refill.supplier`: node it buys back from
    SourcePos where;
};

/// `resilience`: how time-to-survive and time-to-recover are measured.
struct ResilienceSpec {
    std::optional<double> shock_start_day; ///< `shock_start_day` (default: the first shock's start)
    double service_threshold = 0.99; ///< `service_threshold`: daily fill rate counted as served
    int recovery_days = 7;           ///< `recovery_days`: served days in a row to recover
};

} // namespace chainshock::models
