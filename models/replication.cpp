#include "models/replication.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace chainshock::models {

namespace {

// Purposes of the random streams of a node: (seed, replication, node, purpose).
constexpr std::uint64_t kDemandStream = 1;
constexpr std::uint64_t kSupplyStream = 2;
constexpr std::uint64_t kProcessStream = 3;
constexpr std::uint64_t kLeadTimeStream = 4;

Kg scale(Kg qty, double factor) { return std::llround(double(qty) * factor); }

} // namespace

Replication::Replication(const Model& model, std::uint64_t seed, std::uint64_t replication,
                         bool keep_series)
    : model_(model), commodity_count_(model.commodity_count()), keep_series_(keep_series),
      warmup_(engine::days(model.network().spec().warmup_days)),
      horizon_(engine::days(model.network().spec().horizon_days)),
      series_every_(model.network().spec().output.timeseries_every_days),
      scheduler_(static_cast<engine::EntityId>(model.nodes().size())), nodes_(model.nodes().size()),
      on_hand_(model.initial()), consumed_(model.initial().size(), 0),
      route_free_(model.routes().size(), engine::Ticks{0}) {
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        NodeState& s = nodes_[n];
        s.demand_rng = engine::Rng::stream(seed, replication, n, kDemandStream);
        s.supply_rng = engine::Rng::stream(seed, replication, n, kSupplyStream);
        s.process_rng = engine::Rng::stream(seed, replication, n, kProcessStream);
        s.lead_rng = engine::Rng::stream(seed, replication, n, kLeadTimeStream);
        s.purchases.resize(model.nodes()[n].purchases.size());
        touch_levels(n, engine::Ticks{0});
    }
}

ReplicationResult Replication::run() {
    const auto& plans = model_.nodes();
    for (NodeIndex n = 0; n < plans.size(); ++n) {
        scheduler_.schedule(n, n, engine::Ticks{0}, phase::kProduction,
                            Payload{EventType::DayStart});
        const NodePlan& plan = plans[n];
        if (plan.demand && plan.demand->process == DemandSpec::Process::PoissonProcess) {
            const double gap = nodes_[n].demand_rng.exponential(1.0 / plan.demand->rate_per_day);
            scheduler_.schedule(n, n, engine::days_to_ticks(gap), phase::kDemand,
                                Payload{EventType::DemandArrival});
        }
        if (plan.kind == NodeKind::Mine && plan.batch_rate_per_day > 0.0) {
            const double gap = nodes_[n].supply_rng.exponential(1.0 / plan.batch_rate_per_day);
            scheduler_.schedule(n, n, engine::days_to_ticks(gap), phase::kProduction,
                                Payload{EventType::MineBatch});
        }
    }
    ReplicationResult result;
    result.events = scheduler_.run_until(*this, horizon_);
    for (NodeIndex n = 0; n < nodes_.size(); ++n) touch_levels(n, horizon_);
    if (model_.network().spec().cost_accounting == ScenarioSpec::CostAccounting::TimeWeighted) {
        charge_time_weighted_costs();
    }
    check_mass_balance();
    auto& fp = scheduler_.fingerprint();
    for (Kg kg : on_hand_) fp.add(std::int64_t{kg});
    for (Kg kg : consumed_) fp.add(std::int64_t{kg});
    for (const auto& s : nodes_) fp.add(std::int64_t{s.backorders});
    result.fingerprint = fp.hex();
    result.kpis = kpis();
    if (keep_series_) result.series = merged_series();
    return result;
}

void Replication::charge_time_weighted_costs() {
    // Continuous-review accounting: holding and backorder costs on the time-averaged levels
    // (t x days) rather than on end-of-day levels.
    const double per_day = double(engine::kTicksPerDay);
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        NodeStats& st = nodes_[n].stats;
        const CostSpec& costs = model_.nodes()[n].costs;
        double held = st.on_hand_area.area(horizon_.value);
        if (costs.pipeline_holding) {
            for (const auto& ps : nodes_[n].purchases)
                held += ps.on_order_area.area(horizon_.value);
        }
        st.cost_holding = costs.holding_usd_per_t_day * held / per_day;
        st.cost_backorder =
            costs.backorder_usd_per_t_day * st.backorder_area.area(horizon_.value) / per_day;
    }
}

void Replication::handle(const Event& event, Outbox& out) {
    const NodeIndex n = event.key.target;
    const Payload& p = event.payload;
    switch (p.type) {
    case EventType::DayStart:
        on_day_start(n, out);
        break;
    case EventType::EndOfDay:
        on_end_of_day(n, out);
        break;
    case EventType::Demand: {
        const NodePlan& plan = model_.nodes()[n];
        const std::int64_t day = engine::day_index(out.now());
        const double tonnes =
            plan.demand->process == DemandSpec::Process::Series
                ? plan.demand
                      ->series_tpd[static_cast<std::size_t>(day) % plan.demand->series_tpd.size()]
                : std::max(0.0, sample(plan.demand->per_day, nodes_[n].demand_rng));
        on_demand(n, to_kg(tonnes), out);
        break;
    }
    case EventType::DemandArrival: {
        const DemandSpec& demand = *model_.nodes()[n].demand;
        on_demand(n, to_kg(demand.unit_t), out);
        const double gap = nodes_[n].demand_rng.exponential(1.0 / demand.rate_per_day);
        const engine::Ticks next = out.now() + engine::days_to_ticks(gap);
        if (next < horizon_) out.emit(n, next, phase::kDemand, Payload{EventType::DemandArrival});
        break;
    }
    case EventType::MineBatch: {
        const NodePlan& plan = model_.nodes()[n];
        produce(n, plan.batch_output, out);
        const double gap = nodes_[n].supply_rng.exponential(1.0 / plan.batch_rate_per_day);
        const engine::Ticks next = out.now() + engine::days_to_ticks(gap);
        if (next < horizon_) out.emit(n, next, phase::kProduction, Payload{EventType::MineBatch});
        break;
    }
    case EventType::OrderArrive:
        on_order(n, p, out);
        break;
    case EventType::Allocate:
        on_allocate(n, out);
        break;
    case EventType::ShipmentArrive:
        on_shipment(n, p, out);
        break;
    case EventType::LineDone:
        on_line_done(n, p, out);
        break;
    }
}

Kg Replication::inventory_position(NodeIndex n, std::size_t purchase) const {
    const NodePlan& plan = model_.nodes()[n];
    const CommodityIndex c = plan.purchases[purchase].commodity;
    Kg ip = on_hand(n, c) + nodes_[n].purchases[purchase].on_order;
    if (plan.kind == NodeKind::Manufacturer) {
        ip -= scale(nodes_[n].backorders, plan.purchases[purchase].per_t_sold);
    } else if (plan.sells == c) {
        ip -= nodes_[n].backlog_total; // orders waiting here are this stage's backorders
    }
    return ip;
}

void Replication::review(NodeIndex n, std::size_t purchase, Outbox& out) {
    const Purchase& plan = model_.nodes()[n].purchases[purchase];
    PurchaseState& state = nodes_[n].purchases[purchase];
    const PolicySpec& policy = plan.policy;
    const Kg ip = inventory_position(n, purchase);
    Kg qty = 0;
    switch (policy.type) {
    case PolicySpec::Type::BaseStock:
        qty = to_kg(policy.level_t) - ip;
        break;
    case PolicySpec::Type::DaysOfCover:
        qty = to_kg(policy.cover_days * plan.usage_tpd) - ip;
        break;
    case PolicySpec::Type::MinMax:
        if (ip <= to_kg(policy.min_t)) qty = to_kg(policy.max_t) - ip;
        break;
    case PolicySpec::Type::ReorderPointQuantity: {
        const Kg r = to_kg(policy.reorder_point_t);
        const Kg q = to_kg(policy.quantity_t);
        if (ip <= r) qty = ((r - ip) / q + 1) * q;
        break;
    }
    case PolicySpec::Type::OrderUpToMovingAverage: {
        // Forecast from the last `window_periods` observed demands (Chen et al. 2000).
        if (policy.review == PolicySpec::Review::Periodic) {
            state.history.push_back(state.period_observed);
            state.period_observed = 0;
            while (state.history.size() > static_cast<std::size_t>(policy.window_periods)) {
                state.history.pop_front();
            }
        }
        if (state.history.empty()) break;
        double sum = 0.0;
        for (Kg h : state.history) sum += double(h);
        const double forecast = sum / double(state.history.size());
        const Kg level = std::llround(double(policy.k_periods) * forecast) + to_kg(policy.safety_t);
        qty = level - ip;
        if (qty < 0 && measuring(out.now())) ++nodes_[n].stats.truncated_orders;
        break;
    }
    }
    if (qty > 0) place_order(n, purchase, qty, out);
}

void Replication::review_continuous(NodeIndex n, Outbox& out) {
    const auto& purchases = model_.nodes()[n].purchases;
    for (std::size_t i = 0; i < purchases.size(); ++i) {
        if (purchases[i].policy.review == PolicySpec::Review::Continuous) review(n, i, out);
    }
}

void Replication::place_order(NodeIndex n, std::size_t purchase, Kg qty, Outbox& out) {
    const Purchase& plan = model_.nodes()[n].purchases[purchase];
    NodeState& s = nodes_[n];
    const auto send = [&](const Partner& supplier, Kg part) {
        if (part <= 0) return;
        Payload p{EventType::OrderArrive};
        p.commodity = plan.commodity;
        p.buyer = n;
        p.path = supplier.path;
        p.qty = part;
        out.emit(supplier.node, out.now() + engine::kOneTick, phase::kOrder, p);
    };
    if (plan.sourcing == ReplenishSpec::Sourcing::Shares) {
        // Split by shares; rounding remainders go to the first supplier.
        Kg rest = qty;
        for (std::size_t i = 1; i < plan.suppliers.size(); ++i) {
            const Kg part = scale(qty, plan.suppliers[i].share);
            send(plan.suppliers[i], part);
            rest -= part;
        }
        send(plan.suppliers.front(), rest);
    } else if (plan.sourcing == ReplenishSpec::Sourcing::Cheapest) {
        const auto landed = [&](const Partner& sup) {
            return model_.price(plan.commodity) + model_.paths()[sup.path].cost_usd_per_t;
        };
        const Partner* best = &plan.suppliers.front();
        for (const Partner& sup : plan.suppliers) {
            if (landed(sup) < landed(*best)) best = &sup;
        }
        send(*best, qty);
    } else {
        send(plan.suppliers.front(), qty);
    }
    PurchaseState& ps = s.purchases[purchase];
    ps.on_order += qty;
    ps.on_order_area.set(out.now().value, to_tonnes(ps.on_order));
    if (measuring(out.now())) {
        ++s.stats.orders_placed;
        s.stats.day_ordered += qty;
        s.stats.cost_ordering += model_.nodes()[n].costs.order_cost_usd;
    }
}

void Replication::on_order(NodeIndex n, const Payload& p, Outbox& out) {
    NodeState& s = nodes_[n];
    s.backlog.push_back(PendingOrder{p.buyer, p.path, p.qty});
    s.backlog_total += p.qty;
    // Forecast signal of upstream buyers: orders received, converted to each input.
    for (std::size_t i = 0; i < s.purchases.size(); ++i) {
        s.purchases[i].period_observed += scale(p.qty, model_.nodes()[n].purchases[i].per_t_sold);
    }
    if (measuring(out.now())) s.stats.day_observed += p.qty;
    if (!s.allocation_pending) {
        s.allocation_pending = true;
        out.emit(n, out.now(), phase::kAllocate, Payload{EventType::Allocate});
    }
}

void Replication::on_allocate(NodeIndex n, Outbox& out) {
    nodes_[n].allocation_pending = false;
    fill_backlog(n, out);
    if (model_.nodes()[n].output_target) refinery_check(n, out);
}

void Replication::fill_backlog(NodeIndex n, Outbox& out) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    if (!plan.sells || s.backlog.empty()) return;
    const CommodityIndex c = *plan.sells;
    Kg available = on_hand(n, c);
    if (available <= 0) return;
    std::vector<Kg> give(s.backlog.size(), 0);
    if (plan.rationing == Rationing::ProRata && available < s.backlog_total) {
        // Proportional to what each order still needs; leftover kilograms go oldest first.
        Kg given = 0;
        for (std::size_t i = 0; i < s.backlog.size(); ++i) {
            const double fair =
                double(available) * double(s.backlog[i].remaining) / double(s.backlog_total);
            give[i] = std::min(s.backlog[i].remaining, static_cast<Kg>(std::floor(fair)));
            given += give[i];
        }
        for (std::size_t i = 0; i < s.backlog.size() && given < available; ++i) {
            const Kg extra = std::min(available - given, s.backlog[i].remaining - give[i]);
            give[i] += extra;
            given += extra;
        }
    } else {
        for (std::size_t i = 0; i < s.backlog.size() && available > 0; ++i) {
            give[i] = std::min(available, s.backlog[i].remaining);
            available -= give[i];
        }
    }
    for (std::size_t i = 0; i < s.backlog.size(); ++i) {
        if (give[i] <= 0) continue;
        s.backlog[i].remaining -= give[i];
        s.backlog_total -= give[i];
        ship(n, s.backlog[i].path, s.backlog[i].buyer, c, give[i], out);
    }
    std::erase_if(s.backlog, [](const PendingOrder& o) { return o.remaining == 0; });
}

void Replication::dispatch_output(NodeIndex n, Outbox& out) {
    const NodePlan& plan = model_.nodes()[n];
    if (!plan.sells) return;
    if (plan.push.empty()) {
        fill_backlog(n, out);
        return;
    }
    const CommodityIndex c = *plan.sells;
    const Kg total = on_hand(n, c);
    if (total <= 0) return;
    Kg rest = total;
    for (std::size_t i = 1; i < plan.push.size(); ++i) {
        const Kg part = scale(total, plan.push[i].share);
        if (part > 0) ship(n, plan.push[i].path, plan.push[i].node, c, part, out);
        rest -= part;
    }
    if (rest > 0) ship(n, plan.push.front().path, plan.push.front().node, c, rest, out);
}

void Replication::ship(NodeIndex n, PathIndex path, NodeIndex buyer, CommodityIndex c, Kg qty,
                       Outbox& out) {
    on_hand(n, c) -= qty;
    touch_levels(n, out.now());
    NodeState& s = nodes_[n];
    if (measuring(out.now())) s.stats.shipped += qty;
    Payload p{EventType::ShipmentArrive};
    p.commodity = c;
    p.buyer = buyer;
    p.path = path;
    p.qty = qty;
    p.hop = 0;
    send_leg(n, p, out.now(), out);
}

void Replication::send_leg(NodeIndex n, Payload p, engine::Ticks depart, Outbox& out) {
    const RouteIndex r = model_.paths()[p.path].routes[p.hop];
    const RoutePlan& route = model_.routes()[r];
    if (route.capacity_kg_per_tick > 0.0) {
        // The lane carries capacity_tpd; cargo queues FIFO behind earlier departures.
        depart = std::max(depart, route_free_[r]);
        route_free_[r] = depart + engine::Ticks{static_cast<std::int64_t>(
                                      std::ceil(double(p.qty) / route.capacity_kg_per_tick))};
    }
    const double lead_days = std::max(0.0, sample(route.lead_time_days, nodes_[n].lead_rng));
    const engine::Ticks lead = std::max(engine::kOneTick, engine::days_to_ticks(lead_days));
    out.emit(route.to, depart + lead, phase::kArrival, p);
}

void Replication::on_shipment(NodeIndex n, const Payload& p, Outbox& out) {
    const PathPlan& path = model_.paths()[p.path];
    if (static_cast<std::size_t>(p.hop) + 1 == path.routes.size()) {
        receive(n, p, out);
        return;
    }
    // Passing through: a port holds cargo for its dwell time and, when it has a throughput
    // limit, releases it first-in first-out.
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    engine::Ticks depart = out.now() + plan.dwell;
    if (plan.throughput_kg_per_tick > 0.0) {
        depart = std::max(depart, s.port_next_free);
        s.port_next_free = depart + engine::Ticks{static_cast<std::int64_t>(
                                        std::ceil(double(p.qty) / plan.throughput_kg_per_tick))};
    }
    if (measuring(out.now())) {
        s.stats.throughput += p.qty;
        s.stats.day_throughput += p.qty;
        s.stats.wait_days.add(engine::to_days(depart - out.now()));
    }
    Payload next = p;
    ++next.hop;
    send_leg(n, next, depart, out);
}

void Replication::receive(NodeIndex n, const Payload& p, Outbox& out) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    on_hand(n, p.commodity) += p.qty;
    for (std::size_t i = 0; i < plan.purchases.size(); ++i) {
        if (plan.purchases[i].commodity != p.commodity) continue;
        PurchaseState& ps = s.purchases[i];
        ps.on_order -= p.qty;
        ps.on_order_area.set(out.now().value, to_tonnes(ps.on_order));
        break;
    }
    if (measuring(out.now())) {
        s.stats.received += p.qty;
        s.stats.cost_procurement += to_tonnes(p.qty) * model_.price(p.commodity);
        s.stats.cost_transport += to_tonnes(p.qty) * model_.paths()[p.path].cost_usd_per_t;
    }
    if (plan.kind == NodeKind::Manufacturer) serve_backorders(n);
    if (plan.kind == NodeKind::Refinery) refinery_check(n, out);
    if (plan.sells && *plan.sells == p.commodity) dispatch_output(n, out);
    touch_levels(n, out.now());
}

} // namespace chainshock::models
