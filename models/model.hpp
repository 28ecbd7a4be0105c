#pragma once
/// The compiled model: what every replication of a scenario shares, derived once from the Network
/// (indices instead of ids, tonnes converted to Kg, distributions ready to sample, paths numbered).

#include "engine/random.hpp"
#include "engine/time.hpp"
#include "models/disruption_plan.hpp"
#include "models/distribution.hpp"
#include "models/network.hpp"
#include "models/quantity.hpp"
#include "models/run_result.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace chainshock::models {

using PathIndex = std::uint32_t;

/// std::llround(x) without the library call (it is on every demand, order and shipment): the
/// nearest integer, halves away from zero. The same result as llround for every double; values
/// outside the range of Kg, and NaN, are left to llround itself.
inline Kg round_half_away(double x) {
    if (!(std::fabs(x) < 9.2e18)) return std::llround(x); // one test; NaN fails it too
    const auto whole = static_cast<Kg>(x);                // truncates; x - whole is then exact
    const double rest = x - static_cast<double>(whole);
    // Without branches: for a random quantity each would be a coin toss the processor guesses
    // wrong half the time.
    return whole + Kg{rest >= 0.5} - Kg{rest <= -0.5};
}

/// Whether a mass converts to double exactly (|qty| <= 2^53), so that a factor of 1 gives it back.
inline bool exact_in_double(Kg qty) {
    constexpr Kg kLimit = Kg{1} << 53;
    return qty <= kLimit && qty >= -kLimit;
}

/// A mass times a factor, rounded to the nearest unit (Kg). A factor of exactly 1 (no shock, a
/// one-for-one recipe: the common case on the per-event path) returns the mass without the
/// floating-point round trip, which gives the same result.
inline Kg scale(Kg qty, double factor) {
    if (factor == 1.0 && exact_in_double(qty)) return qty;
    return round_half_away(double(qty) * factor);
}

/// How many whole units of output `qty` of an input allows at `per` input per unit:
/// floor(qty / per), with the same shortcut for per = 1.
inline Kg whole_units(Kg qty, double per) {
    if (per == 1.0 && exact_in_double(qty)) return qty;
    return static_cast<Kg>(std::floor(double(qty) / per));
}

/// to_kg (quantity.hpp) on the per-event path: the same result.
inline Kg kg_of(double tonnes) { return round_half_away(tonnes * kKgPerTonne); }

/// engine::days_to_ticks on the per-event path (it rounds with llround): the same result.
inline engine::Ticks ticks_of(double days) {
    return engine::Ticks{round_half_away(days * double(engine::kTicksPerDay))};
}

/// A commodity and a per-tonne coefficient (recipe input, BOM line).
struct Coefficient {
    CommodityIndex commodity = 0;
    double per_t = 0.0;
};

/// A trading partner reached over a numbered path.
struct Partner {
    NodeIndex node = 0;
    double share = 0.0; ///< normalised: shares of a list sum to 1
    PathIndex path = 0; ///< supplier -> buyer for purchases, self -> target for pushes
};

/// How a node buys one commodity.
struct Purchase {
    CommodityIndex commodity = 0;
    std::vector<Partner> suppliers;
    ReplenishSpec::Sourcing sourcing = ReplenishSpec::Sourcing::Shares;
    PolicySpec policy;
    double usage_tpd = 0.0;  ///< expected use per day (days-of-cover targets, first forecasts)
    double per_t_sold = 0.0; ///< t of this input per t of the node's sales (forecast signal)
    /// Whether the policy forecasts from observed demand (only then is the signal gathered).
    [[nodiscard]] bool forecasts() const {
        return policy.type == PolicySpec::Type::OrderUpToMovingAverage;
    }
};

struct NodePlan {
    NodeKind kind = NodeKind::Mine;
    std::optional<CommodityIndex> sells; ///< what buyers may order from it
    std::vector<Purchase> purchases;
    bool forecasts = false; ///< one of the purchases forecasts (Purchase::forecasts)
    std::vector<Partner> push;
    Rationing rationing = Rationing::Fifo;
    CostSpec costs;
    std::optional<Kg> storage_capacity;

    // mine
    Kg daily_output = 0;
    std::optional<DistributionSpec> yield_factor;
    double batch_rate_per_day = 0.0;
    Kg batch_output = 0;
    // refinery
    std::vector<Coefficient> recipe;
    Kg refinery_batch = 0; ///< output per batch
    int lines = 1;
    DistributionSpec processing_days;
    std::optional<Kg> output_target;
    // port
    engine::Ticks dwell{0};
    double throughput_kg_per_tick = 0.0; ///< 0 = unlimited
    // manufacturer
    std::optional<DemandSpec> demand;
    std::vector<Coefficient> bom;
    bool backorders = false;

    // Events a replication may leave out for this node, each only where the results are provably
    // the same (Model::plan_events says why).
    /// Manufacturer: its daily demand is met when its next event begins (Replication::catch_up)
    /// instead of at a noon event of its own.
    bool lazy_demand = false;
    /// Supplier: each order is allocated as it arrives instead of at one Allocate event after all
    /// orders of the instant are in.
    bool allocate_on_arrival = false;
    /// Mine: its daily output is produced when its next event begins, without a DayStart event,
    /// while no order waits for it.
    bool lazy_output = false;
};

/// The least delay from an event at a node (and whatever it causes at the node inside a window)
/// to any effect on another node, for the windowed engine (Replication::lookahead;
/// Model::plan_lookahead says why each holds). Kept apart from NodePlan: the engine reads it
/// for every event it takes from the queue, and 16 bytes a node stay in cache.
struct NodeLookahead {
    engine::Ticks other = engine::kOneTick;     ///< any event but a DayStart
    engine::Ticks day_start = engine::kOneTick; ///< a DayStart event
};

struct PathPlan {
    NodeIndex from = 0;
    NodeIndex to = 0;
    std::vector<RouteIndex> routes;
    double cost_usd_per_t = 0.0;
};

struct RoutePlan {
    // Every shipment reads `to`, the capacity and the lead time's parameters: first, together.
    NodeIndex from = 0;
    NodeIndex to = 0;
    double capacity_kg_per_tick = 0.0; ///< 0 = unlimited
    Distribution lead_time_days;       ///< drawn once per shipment and leg
};

class Model {
public:
    explicit Model(const Network& network);

    [[nodiscard]] const Network& network() const { return *network_; }
    [[nodiscard]] const std::vector<NodePlan>& nodes() const { return nodes_; }
    [[nodiscard]] const std::vector<PathPlan>& paths() const { return paths_; }
    [[nodiscard]] const std::vector<RoutePlan>& routes() const { return routes_; }
    [[nodiscard]] const NodeLookahead& lookahead(NodeIndex n) const { return lookahead_[n]; }
    /// Initial inventory, flat [node * commodity_count + commodity].
    [[nodiscard]] const std::vector<Kg>& initial() const { return initial_; }
    [[nodiscard]] std::size_t commodity_count() const { return commodity_count_; }
    [[nodiscard]] double price(CommodityIndex c) const;
    [[nodiscard]] const std::vector<ShockPlan>& shocks() const { return shocks_; }
    /// Which shocks can concern each lane and commodity (see ShockIndex).
    [[nodiscard]] const ShockIndex& shock_index() const { return shock_index_; }
    [[nodiscard]] const std::vector<PolicyPlan>& policies() const { return policies_; }
    /// The numbered path from `from` to `to` (it must be one the scenario uses).
    [[nodiscard]] PathIndex find_path(NodeIndex from, NodeIndex to) const;
    /// Manufacturers whose BOM uses commodity c.
    [[nodiscard]] const std::vector<NodeIndex>& users(CommodityIndex c) const { return users_[c]; }
    /// Expected use of commodity c by manufacturer n, t/day (BOM x mean demand).
    [[nodiscard]] double usage_tpd(NodeIndex n, CommodityIndex c) const;
    /// The stockpile policy (index, unit) a stockpile belongs to, if any.
    [[nodiscard]] std::optional<std::pair<std::size_t, std::size_t>> policy_of(NodeIndex n) const;

    /// Runs one replication of the model.
    [[nodiscard]] ReplicationResult run(std::uint64_t seed, std::uint64_t replication,
                                        bool keep_series) const;

private:
    PathIndex add_path(NodeIndex from, NodeIndex to);
    void compile_node(NodeIndex n);
    void plan_events();
    void plan_lookahead();
    std::vector<Partner> partners(const std::vector<SupplierRef>& refs, bool outbound,
                                  NodeIndex self);

    const Network* network_;
    std::size_t commodity_count_ = 0;
    std::vector<NodePlan> nodes_;
    std::vector<PathPlan> paths_;
    std::unordered_map<std::uint64_t, PathIndex> path_index_; ///< (from << 32 | to) -> path
    std::vector<RoutePlan> routes_;
    std::vector<NodeLookahead> lookahead_;
    std::vector<Kg> initial_;
    std::vector<ShockPlan> shocks_;
    ShockIndex shock_index_;
    std::vector<PolicyPlan> policies_;
    std::vector<std::vector<NodeIndex>> users_;
};

} // namespace chainshock::models
