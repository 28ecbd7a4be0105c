#pragma once
/// One replication of a Model: the mutable state (plain vectors indexed by node, route and
/// commodity) and the event handlers. Each handler changes only the state of the node the event
/// targets; effects on other nodes (orders, shipments) are events at a strictly later time.
///
/// A day's timeline (tick offsets within the day; phases order events at one instant):
///   tick 0      arrivals (phase Arrival) < mine output and periodic reviews (DayStart, phase
///               Production then reviews) — "order before demand", so a periodic base-stock
///               policy over a lead time of L days protects L+1 days of demand;
///   tick 0+1    orders reach suppliers one tick after they are placed; a supplier allocates
///               its stock once all orders of that instant are in (phase Allocate), so
///               pro-rata rationing sees every order that arrived together;
///   tick 720    daily demand (noon); Poisson demand arrives at any tick;
///   tick 1439   end-of-day statistics, costs and the time series.
///
/// Some of this needs no event (Replication::catch_up): end-of-day statistics are recorded, and
/// a daily demand that nothing else reacts to at noon is met (NodePlan::lazy_demand), when the
/// node's next event begins, and so is the daily output of a mine that nobody waits for
/// (NodePlan::lazy_output). A node's state changes only in its own handlers, so it is still what
/// it was at those times. One EndOfDay event per node, at the end of the last day, does what is
/// left. A supplier that can (NodePlan::allocate_on_arrival) allocates each order as it arrives,
/// without an Allocate event.

#include "engine/statistics.hpp"
#include "engine/windowed_scheduler.hpp"
#include "models/daily_kg.hpp"
#include "models/model.hpp"
#include "models/world.hpp"

#include <deque>
#include <utility>
#include <vector>

namespace chainshock::models {

enum class EventType : std::uint8_t {
    DayStart,
    EndOfDay,
    Demand,
    DemandArrival,
    MineBatch,
    OrderArrive,
    Allocate,
    ShipmentArrive,
    LineDone,
    ShockStart,  ///< global: a shock (instance) begins
    ShockEnd,    ///< global: it ends
    DailyGlobal, ///< global: prices, chained shocks, stockpile policies
    Destroy,     ///< node: an outage destroys a share of its stock
    Release,     ///< stockpile: ship released stock to a manufacturer
    Reroute      ///< node: cargo turned back by a closure leaves again over an open path
};

/// Payload flags.
inline constexpr std::uint8_t kUnordered = 1; ///< a push or a release: nobody has it on order
inline constexpr std::uint8_t kRefill = 2;    ///< a stockpile's refill purchase

/// Phases: the order of event classes at one instant.
namespace phase {
inline constexpr std::uint16_t kShock = 0;
inline constexpr std::uint16_t kPolicy = 1;
inline constexpr std::uint16_t kArrival = 2;
inline constexpr std::uint16_t kOrder = 3;
inline constexpr std::uint16_t kAllocate = 4;
inline constexpr std::uint16_t kProduction = 5;
inline constexpr std::uint16_t kDemand = 6;
inline constexpr std::uint16_t kEndOfDay = 7;
} // namespace phase

inline constexpr engine::Ticks kNoon{engine::kTicksPerDay / 2};
inline constexpr engine::Ticks kEndOfDayOffset{engine::kTicksPerDay - 1};

/// The event payload: small and plain.
struct Payload {
    EventType type = EventType::DayStart;
    std::uint8_t flags = 0; ///< kUnordered, kRefill
    std::uint16_t hop = 0;  ///< shipments: index of the route being travelled
    CommodityIndex commodity = 0;
    NodeIndex buyer = 0; ///< orders and shipments: the buying node
    PathIndex path = 0;  ///< orders and shipments: supplier -> buyer path
    Kg qty = 0;
    std::int64_t stamp = 0; ///< LineDone: tick the batch became ready; shipments: departure
                            ///< of the current leg; Destroy: share destroyed x 1e9
};

using Event = engine::Event<Payload>;
using Outbox = engine::Outbox<Payload>;

/// What a tonne bought from a supplier costs the buyer, USD/t: the price index, transport along
/// the path, any tariff, and the premium that lifts the sum to a price floor.
struct Landed {
    double price = 0.0;
    double transport = 0.0;
    double tariff = 0.0;
    double premium = 0.0;
    [[nodiscard]] double total() const { return price + transport + tariff + premium; }
};

struct PendingOrder {
    NodeIndex buyer = 0;
    PathIndex path = 0;
    Kg remaining = 0;
    std::uint8_t flags = 0;
};

/// Per purchased commodity.
struct PurchaseState {
    Kg on_order = 0;
    Kg period_observed = 0; ///< demand signal seen this period (forecasts)
    std::deque<Kg> history; ///< last observations (moving-average forecasts)
    engine::TimeIntegral on_order_area;
};

/// Statistics of one node after the warm-up.
struct NodeStats {
    Kg demand = 0, filled_on_time = 0, delivered = 0, lost = 0, backordered = 0;
    Kg received = 0, shipped = 0, produced = 0, throughput = 0;
    std::int64_t days = 0, ready_days = 0, shortfall_days = 0;
    double end_on_hand_t = 0.0, end_backorders_t = 0.0, end_on_order_t = 0.0;
    std::uint64_t orders_placed = 0, truncated_orders = 0, batches = 0;
    engine::RunningStats orders_per_period, observed_per_period, wait_days, sojourn_days;
    engine::TimeIntegral on_hand_area, backorder_area, busy_area, queue_area, system_area;
    double cost_holding = 0, cost_backorder = 0, cost_lost_sales = 0, cost_ordering = 0;
    double cost_procurement = 0, cost_transport = 0, cost_tariff = 0, cost_floor_premium = 0;
    Kg resourced = 0, released = 0, refilled = 0, destroyed = 0;
    // today's counters (time series and per-period order statistics)
    Kg day_demand = 0, day_shortfall = 0, day_produced = 0, day_throughput = 0, day_ordered = 0;
    Kg day_observed = 0;
};

struct NodeState {
    std::vector<PurchaseState> purchases;
    std::deque<PendingOrder> backlog; ///< orders waiting at this supplier
    bool allocation_pending = false;  ///< an Allocate event is scheduled for this instant
    Kg backlog_total = 0;
    Kg backorders = 0;  ///< manufacturer: demand waiting (t of product, as Kg)
    int lines_busy = 0; ///< refinery
    std::deque<std::pair<std::int64_t, std::int64_t>> ready; ///< (tick, batches) ready to start
    std::int64_t ready_count = 0;
    engine::Ticks port_next_free{0};
    std::int64_t days_closed = 0;  ///< days [0, days_closed) have their end-of-day statistics
    std::int64_t days_started = 0; ///< days [0, days_started) have begun (Replication::begin_day)
    bool day_event_due = false;    ///< lazy_output: a DayStart event is scheduled
    std::int64_t demand_due = -1;  ///< lazy demand: the day whose demand is still to meet, or -1
    engine::Ticks catch_up_at = engine::kOneDay; ///< catch_up has nothing to do before this
    Kg produced_total = 0;                       ///< whole run (mass balance)
    Kg refill_on_order = 0;                      ///< stockpile: refill bought, not yet received
    std::vector<Kg> quota_used;                  ///< per shock: exports today under a quota
    DailyKg daily_demand, daily_shortfall;       ///< manufacturers: per day (resilience)
    engine::Rng demand_rng, supply_rng, process_rng, lead_rng;
    NodeStats stats;
    std::vector<SeriesPoint> series;
};

class Replication {
public:
    /// `windows` says whether the replication's windows may run in parallel (on the calling
    /// thread's TBB arena); results never depend on it.
    Replication(const Model& model, std::uint64_t seed, std::uint64_t replication, bool keep_series,
                engine::WindowOptions windows = {});
    ReplicationResult run();
    /// The engine's entry point.
    void handle(const Event& event, Outbox& out);
    /// The least delay from an event to its effect on another node (Model::plan_lookahead), for
    /// the windowed engine's windows. Global events act on nodes a tick later.
    [[nodiscard]] engine::Ticks lookahead(const Event& event) const {
        if (event.key.target >= nodes_.size()) return engine::kOneTick;
        const NodeLookahead& la = model_.lookahead(event.key.target);
        switch (event.payload.type) {
        case EventType::DayStart:
            return la.day_start;
        case EventType::Reroute:
            return engine::kOneTick;
        default:
            return la.other;
        }
    }

private:
    // day cycle and demand (replication_nodes.cpp)
    void on_day_start(NodeIndex n, Outbox& out);
    void on_end_of_day(NodeIndex n, Outbox& out);
    /// Brings node n up to the event being handled: does the work of the events it goes without
    /// (a lazy day start or demand, end-of-day statistics) that come before it. Every handler of a
    /// node event calls it before it changes the node's state.
    void catch_up(NodeIndex n, Outbox& out) {
        if (out.now() >= nodes_[n].catch_up_at) catch_up(n, out.now(), out.current().phase, out);
    }
    /// The same, up to (but not including) the instant `now` and phase `phase`.
    void catch_up(NodeIndex n, engine::Ticks now, std::uint16_t phase, Outbox& out);
    void begin_day(NodeIndex n, std::int64_t day, Outbox& out);
    void schedule_day_start(NodeIndex n, Outbox& out);
    void end_of_day(NodeIndex n, std::int64_t day);
    void meet_daily_demand(NodeIndex n, std::int64_t day);
    void meet_demand(NodeIndex n, Kg base_qty, engine::Ticks now);
    void on_demand(NodeIndex n, Kg qty, Outbox& out);
    /// Adds demand seen by node n (t of its product, as Kg) to the forecast signal of the inputs
    /// whose policy forecasts (NodePlan::forecasts says whether there is one).
    void observe_demand(NodeIndex n, Kg qty);
    void serve_backorders(NodeIndex n);
    void produce(NodeIndex n, Kg qty, Outbox& out);
    void produce_at(NodeIndex n, Kg qty, engine::Ticks now, Outbox& out);
    void refinery_check(NodeIndex n, Outbox& out);
    void on_line_done(NodeIndex n, const Payload& p, Outbox& out);
    void record_series(NodeIndex n, std::int64_t day);
    // trade (replication.cpp)
    void review(NodeIndex n, std::size_t purchase, Outbox& out);
    void review_continuous(NodeIndex n, Outbox& out);
    void place_order(NodeIndex n, std::size_t purchase, Kg qty, Outbox& out);
    void on_order(NodeIndex n, const Payload& p, Outbox& out);
    void on_allocate(NodeIndex n, Outbox& out);
    void allocate(NodeIndex n, Outbox& out);
    void fill_backlog(NodeIndex n, Outbox& out);
    void dispatch_output(NodeIndex n, Outbox& out);
    void ship(NodeIndex n, PathIndex path, NodeIndex buyer, CommodityIndex c, Kg qty,
              std::uint8_t flags, Outbox& out);
    void send_leg(NodeIndex n, const Payload& p, engine::Ticks depart, Outbox& out);
    void on_shipment(NodeIndex n, const Payload& p, Outbox& out);
    void receive(NodeIndex n, const Payload& p, Outbox& out);
    [[nodiscard]] Kg inventory_position(NodeIndex n, std::size_t purchase) const;
    // disruptions (replication_shocks.cpp, replication_policies.cpp)
    void init_world();
    void on_global(const Payload& p, Outbox& out);
    void on_shock_start(std::uint32_t shock, std::uint32_t instance, Outbox& out);
    void on_shock_end(std::uint32_t shock, std::uint32_t instance, Outbox& out);
    void set_active(std::uint32_t shock, std::uint32_t instance, bool on);
    void recompute_world();
    void take_off_lanes(std::uint32_t shock, Outbox& out);
    void on_daily_global(Outbox& out);
    void update_prices(std::int64_t day);
    void check_triggers(std::int64_t day, Outbox& out);
    void run_policies(std::int64_t day, Outbox& out);
    void on_destroy(NodeIndex n, const Payload& p, Outbox& out);
    void on_release(NodeIndex n, const Payload& p, Outbox& out);
    void refill(NodeIndex n, Outbox& out);
    // path_plan, effective_path and active are read several times per shipment: inline.
    [[nodiscard]] const PathPlan& path_plan(PathIndex p) const {
        const std::size_t fixed = model_.paths().size();
        return p < fixed ? model_.paths()[p] : world_.dynamic_paths[p - fixed];
    }
    /// The path cargo booked on path p takes now: p itself, its detour, or none while closed.
    [[nodiscard]] std::optional<PathIndex> effective_path(PathIndex p) const {
        if (p >= model_.paths().size()) return p;
        const std::int32_t o = world_.path_override[p];
        if (o == -1) return p;
        if (o == -2) return std::nullopt;
        return static_cast<PathIndex>(model_.paths().size() + static_cast<std::size_t>(o));
    }
    /// Kg node n may ship of commodity c over path p now (a very large number when unlimited).
    [[nodiscard]] Kg ship_allowance(NodeIndex n, PathIndex p, CommodityIndex c) const;
    /// The same where export bans of c exist, for the open path `path` that p now takes.
    [[nodiscard]] Kg ban_allowance(NodeIndex n, PathIndex path, CommodityIndex c) const;
    [[nodiscard]] bool supplier_available(const Partner& sup, CommodityIndex c) const;
    [[nodiscard]] engine::Ticks reopen_time(RouteIndex r, engine::Ticks now) const;
    [[nodiscard]] engine::Ticks node_up_time(NodeIndex n, engine::Ticks now) const;
    [[nodiscard]] bool active(std::size_t shock) const {
        return world_.active_instances[shock] > 0;
    }
    [[nodiscard]] Landed landed(NodeIndex buyer, PathIndex path, CommodityIndex c) const;
    // results (replication_report.cpp, replication_resilience.cpp)
    void resilience_kpis(std::vector<Kpi>& out) const;
    void check_mass_balance() const;
    void charge_time_weighted_costs();
    [[nodiscard]] std::vector<Kpi> kpis() const;
    [[nodiscard]] std::vector<SeriesPoint> merged_series() const;

    Kg& on_hand(NodeIndex n, CommodityIndex c) { return on_hand_[n * commodity_count_ + c]; }
    [[nodiscard]] Kg on_hand(NodeIndex n, CommodityIndex c) const {
        return on_hand_[n * commodity_count_ + c];
    }
    [[nodiscard]] Kg on_hand_total(NodeIndex n) const;
    [[nodiscard]] bool measuring(engine::Ticks now) const { return now >= warmup_; }

    /// Scratch space reused by handlers, so that no event allocates: one per thread, because
    /// handlers of different nodes may run at once.
    struct Scratch {
        std::vector<Kg> cap, give;
        std::vector<const Partner*> open;
        // run_policies (a global event)
        std::vector<std::size_t> members;
        std::vector<double> weight, need;
        std::vector<Kg> stock_of, part;
    };
    static Scratch& scratch() {
        static thread_local Scratch s;
        return s;
    }
    void touch_levels(NodeIndex n, engine::Ticks now);

    const Model& model_;
    std::size_t commodity_count_;
    bool keep_series_;
    engine::Ticks warmup_;
    engine::Ticks horizon_;
    std::int64_t series_every_;
    bool end_of_day_costs_; ///< holding and backorder costs charged on end-of-day levels
    engine::WindowedScheduler<Payload> scheduler_;
    std::vector<NodeState> nodes_;
    std::vector<Kg> on_hand_;               ///< [node * C + commodity]
    std::vector<Kg> consumed_;              ///< [node * C + commodity], whole run
    std::vector<engine::Ticks> route_free_; ///< per route; owned by the route's origin node
    std::vector<Kg> destroyed_;             ///< [node * C + commodity], whole run
    World world_;                           ///< written by global events only
    engine::WindowOptions windows_;
    std::uint64_t seed_;
    std::uint64_t replication_;
};

} // namespace chainshock::models
