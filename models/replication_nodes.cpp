// The day cycle and what each kind of node does with its own stock: mines produce, refineries
// run batches on their lines, manufacturers meet demand.
#include "models/replication.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace chainshock::models {

Kg Replication::on_hand_total(NodeIndex n) const {
    Kg total = 0;
    for (CommodityIndex c = 0; c < commodity_count_; ++c) total += on_hand(n, c);
    return total;
}

void Replication::touch_levels(NodeIndex n, engine::Ticks now) {
    NodeStats& st = nodes_[n].stats;
    const NodeState& s = nodes_[n];
    const NodePlan& plan = model_.nodes()[n];
    st.on_hand_area.set(now.value, to_tonnes(on_hand_total(n)));
    // Levels that stay 0 on this node need no updates: the integral of 0 is 0 either way.
    // Only manufacturers with backorders have backorders; only refineries have lines.
    if (plan.backorders) st.backorder_area.set(now.value, to_tonnes(s.backorders));
    if (plan.kind == NodeKind::Refinery) {
        st.busy_area.set(now.value, double(s.lines_busy));
        st.queue_area.set(now.value, double(s.ready_count));
        st.system_area.set(now.value, double(s.ready_count + s.lines_busy));
    }
}

void Replication::on_day_start(NodeIndex n, Outbox& out) {
    catch_up(n, out);
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    const engine::Ticks now = out.now();
    const std::int64_t day = engine::day_index(now);
    begin_day(n, day, out);
    if (plan.kind == NodeKind::Stockpile) refill(n, out);
    if (plan.kind == NodeKind::Refinery) refinery_check(n, out);
    for (std::size_t i = 0; i < plan.purchases.size(); ++i) {
        const PolicySpec& policy = plan.purchases[i].policy;
        if (policy.review == PolicySpec::Review::Periodic && day % policy.period_days == 0) {
            review(n, i, out);
        }
    }
    if (plan.lazy_demand) {
        s.demand_due = day; // met by catch_up
        s.catch_up_at = std::min(s.catch_up_at, now + kNoon);
    } else if (plan.demand && plan.demand->process != DemandSpec::Process::PoissonProcess) {
        out.emit(n, now + kNoon, phase::kDemand, Payload{EventType::Demand});
    }
    // The end of the last day closes every day still open (see catch_up). A node with a day
    // start every day schedules it on its last day; a mine with lazy_output, which may have no
    // day start after the first, on its first.
    if (plan.lazy_output ? day == 0 : now + engine::kOneDay >= horizon_) {
        out.emit(n, horizon_ - engine::kOneTick, phase::kEndOfDay, Payload{EventType::EndOfDay});
    }
    if (plan.lazy_output) {
        s.day_event_due = false;
        schedule_day_start(n, out);
    } else if (now + engine::kOneDay < horizon_) {
        out.emit(n, now + engine::kOneDay, phase::kProduction, Payload{EventType::DayStart});
    }
}

void Replication::begin_day(NodeIndex n, std::int64_t day, Outbox& out) {
    // What every node does first thing in a day; for a mine with lazy_output all it does.
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    const engine::Ticks start = engine::start_of_day(day);
    s.days_started = day + 1;
    if (start == warmup_ && warmup_.value > 0) {
        // Statistics start here: discard what the time integrals gathered during the warm-up.
        for (engine::TimeIntegral* area :
             {&s.stats.on_hand_area, &s.stats.backorder_area, &s.stats.busy_area,
              &s.stats.queue_area, &s.stats.system_area}) {
            area->reset(start.value);
        }
        for (auto& ps : s.purchases) ps.on_order_area.reset(start.value);
    }
    if (model_.shock_index().any_quota) {
        std::fill(s.quota_used.begin(), s.quota_used.end(), 0); // quotas are per day
    }
    if (plan.kind == NodeKind::Mine && plan.batch_rate_per_day <= 0.0) {
        Kg qty = scale(plan.daily_output, world_.capacity_factor[n]);
        if (plan.yield_factor) {
            qty = scale(qty, std::max(0.0, sample(*plan.yield_factor, s.supply_rng)));
        }
        produce_at(n, qty, start, out);
    }
}

void Replication::schedule_day_start(NodeIndex n, Outbox& out) {
    // A mine with lazy_output produces without an event while nobody waits for its stock. With
    // orders waiting, its next output is due to ship at once, so it gets its DayStart event.
    NodeState& s = nodes_[n];
    if (s.backlog.empty() || s.day_event_due) return;
    const engine::Ticks start = engine::start_of_day(s.days_started);
    if (start >= horizon_) return;
    out.emit(n, start, phase::kProduction, Payload{EventType::DayStart});
    s.day_event_due = true;
}

void Replication::on_end_of_day(NodeIndex n, Outbox& out) {
    catch_up(n, out.now() + engine::kOneTick, 0, out);
}

void Replication::catch_up(NodeIndex n, engine::Ticks now, std::uint16_t phase, Outbox& out) {
    // Work that needs no event of its own is done when the node's next event begins, in the
    // order the events would have had: the start of a day (a mine with lazy_output), a daily
    // demand whose noon has passed (lazy_demand), the end-of-day statistics of a day that ended
    // (and, at the node's one EndOfDay event at the end of the last day, whatever is left).
    // Only the node's own handlers change its state, so it is still what it was at those times;
    // days are taken in order, so every sum is taken in the same order as with events.
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    const auto before_now = [&](engine::Ticks at, std::uint16_t at_phase) {
        return at < now || (at == now && at_phase < phase);
    };
    const std::int64_t today = engine::day_index(now);
    for (;;) {
        if (plan.lazy_output && s.days_started == s.days_closed) {
            const engine::Ticks start = engine::start_of_day(s.days_started);
            if (!before_now(start, phase::kProduction) || start >= horizon_) break;
            if (!s.backlog.empty()) {
                throw std::logic_error("chainshock: a day started without its event while orders "
                                       "were waiting");
            }
            begin_day(n, s.days_started, out);
            continue;
        }
        if (s.demand_due == s.days_closed &&
            before_now(engine::start_of_day(s.demand_due) + kNoon, phase::kDemand)) {
            meet_daily_demand(n, s.demand_due);
            s.demand_due = -1;
        }
        if (s.days_closed >= today) break;
        end_of_day(n, s.days_closed++);
    }
    s.catch_up_at = engine::start_of_day(s.days_closed + 1);
    if (plan.lazy_output)
        s.catch_up_at = std::min(s.catch_up_at, engine::start_of_day(s.days_started));
    if (s.demand_due >= 0) {
        s.catch_up_at = std::min(s.catch_up_at, engine::start_of_day(s.demand_due) + kNoon);
    }
}

void Replication::end_of_day(NodeIndex n, std::int64_t day) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    NodeStats& st = s.stats;
    if (measuring(engine::start_of_day(day) + kEndOfDayOffset)) {
        const double on_hand_t = to_tonnes(on_hand_total(n));
        const double backorders_t = to_tonnes(s.backorders);
        double on_order_t = 0.0;
        for (const auto& ps : s.purchases) on_order_t += to_tonnes(ps.on_order);
        ++st.days;
        st.end_on_hand_t += on_hand_t;
        st.end_backorders_t += backorders_t;
        st.end_on_order_t += on_order_t;
        // Ready: the day ends with no demand waiting and none lost today.
        if (s.backorders == 0 && (plan.backorders || st.day_shortfall == 0)) ++st.ready_days;
        if (st.day_shortfall > 0) ++st.shortfall_days;
        st.orders_per_period.add(to_tonnes(st.day_ordered));
        st.observed_per_period.add(to_tonnes(plan.demand ? st.day_demand : st.day_observed));
        if (end_of_day_costs_) {
            const CostSpec& costs = plan.costs;
            st.cost_holding += costs.holding_usd_per_t_day *
                               (on_hand_t + (costs.pipeline_holding ? on_order_t : 0.0));
            st.cost_backorder += costs.backorder_usd_per_t_day * backorders_t;
        }
    }
    if (keep_series_ && day % series_every_ == 0) record_series(n, day);
    st.day_demand = st.day_shortfall = st.day_produced = st.day_throughput = 0;
    st.day_ordered = st.day_observed = 0;
}

void Replication::record_series(NodeIndex n, std::int64_t day) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    const std::string& id = model_.network().node(n).id;
    const auto point = [&](const char* metric, double value) {
        s.series.push_back(SeriesPoint{day, id, metric, value});
    };
    point("on_hand_t", to_tonnes(on_hand_total(n)));
    switch (plan.kind) {
    case NodeKind::Manufacturer: {
        Kg on_order = 0;
        for (const auto& ps : s.purchases) on_order += ps.on_order;
        point("demand_t", to_tonnes(s.stats.day_demand));
        point("shortfall_t", to_tonnes(s.stats.day_shortfall));
        point("backorders_t", to_tonnes(s.backorders));
        point("on_order_t", to_tonnes(on_order));
        break;
    }
    case NodeKind::Mine:
    case NodeKind::Refinery:
        point("produced_t", to_tonnes(s.stats.day_produced));
        break;
    case NodeKind::Port:
        point("throughput_t", to_tonnes(s.stats.day_throughput));
        break;
    case NodeKind::Stockpile:
    case NodeKind::Warehouse:
        point("backlog_t", to_tonnes(s.backlog_total));
        break;
    }
}

void Replication::on_demand(NodeIndex n, Kg base_qty, Outbox& out) {
    catch_up(n, out);
    meet_demand(n, base_qty, out.now());
    review_continuous(n, out);
}

void Replication::meet_daily_demand(NodeIndex n, std::int64_t day) {
    // The day's demand as handle() draws it for a Demand event (same stream, same order).
    const DemandSpec& demand = *model_.nodes()[n].demand;
    const double tonnes =
        demand.process == DemandSpec::Process::Series
            ? demand.series_tpd[static_cast<std::size_t>(day) % demand.series_tpd.size()]
            : std::max(0.0, sample(demand.per_day, nodes_[n].demand_rng));
    meet_demand(n, kg_of(tonnes), engine::start_of_day(day) + kNoon);
}

void Replication::meet_demand(NodeIndex n, Kg base_qty, engine::Ticks now) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    const Kg qty = scale(base_qty, world_.demand_factor[n]);
    // What the scarcest input allows (t of product as Kg).
    Kg producible = qty;
    for (const Coefficient& line : plan.bom) {
        producible = std::min(producible, whole_units(on_hand(n, line.commodity), line.per_t));
    }
    const Kg filled = std::max<Kg>(0, producible);
    for (const Coefficient& line : plan.bom) {
        const Kg use = std::min(on_hand(n, line.commodity), scale(filled, line.per_t));
        on_hand(n, line.commodity) -= use;
        consumed_[n * commodity_count_ + line.commodity] += use;
    }
    if (plan.forecasts) observe_demand(n, qty);
    const Kg shortfall = qty - filled;
    if (plan.backorders) {
        s.backorders += shortfall;
    }
    const auto day = static_cast<std::size_t>(engine::day_index(now));
    s.daily_demand.add(day, qty);
    s.daily_shortfall.add(day, shortfall);
    if (measuring(now)) {
        NodeStats& st = s.stats;
        st.demand += qty;
        st.filled_on_time += filled;
        st.delivered += filled;
        st.day_demand += qty;
        st.day_shortfall += shortfall;
        if (plan.backorders) {
            st.backordered += shortfall;
        } else {
            st.lost += shortfall;
            st.cost_lost_sales += plan.costs.lost_sale_usd_per_t * to_tonnes(shortfall);
        }
    }
    touch_levels(n, now);
}

void Replication::observe_demand(NodeIndex n, Kg qty) {
    // Only a forecasting policy reads the signal (callers skip nodes without one).
    const auto& purchases = model_.nodes()[n].purchases;
    for (std::size_t i = 0; i < purchases.size(); ++i) {
        if (!purchases[i].forecasts()) continue;
        nodes_[n].purchases[i].period_observed += scale(qty, purchases[i].per_t_sold);
    }
}

void Replication::serve_backorders(NodeIndex n) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    if (s.backorders <= 0) return;
    Kg producible = s.backorders;
    for (const Coefficient& line : plan.bom) {
        producible = std::min(producible, whole_units(on_hand(n, line.commodity), line.per_t));
    }
    if (producible <= 0) return;
    for (const Coefficient& line : plan.bom) {
        const Kg use = std::min(on_hand(n, line.commodity), scale(producible, line.per_t));
        on_hand(n, line.commodity) -= use;
        consumed_[n * commodity_count_ + line.commodity] += use;
    }
    s.backorders -= producible;
    s.stats.delivered += producible;
}

void Replication::produce(NodeIndex n, Kg qty, Outbox& out) {
    catch_up(n, out);
    produce_at(n, qty, out.now(), out);
}

void Replication::produce_at(NodeIndex n, Kg qty, engine::Ticks now, Outbox& out) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    const CommodityIndex c = *plan.sells;
    if (plan.kind == NodeKind::Mine && plan.storage_capacity) {
        qty = std::min(qty, *plan.storage_capacity - on_hand(n, c)); // a full mine stops
    }
    if (qty <= 0) {
        dispatch_output(n, out); // a full store still ships what a lifted ban lets through
        return;
    }
    on_hand(n, c) += qty;
    s.produced_total += qty;
    if (measuring(now)) {
        s.stats.produced += qty;
        s.stats.day_produced += qty;
    }
    dispatch_output(n, out);
    touch_levels(n, now);
}

void Replication::refinery_check(NodeIndex n, Outbox& out) {
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    // Batches whose inputs are all in stock join the queue, stamped with the time they became
    // ready (the waiting time of a queueing model).
    std::int64_t sets = INT64_MAX;
    for (const Coefficient& line : plan.recipe) {
        const Kg need = std::max<Kg>(1, scale(plan.refinery_batch, line.per_t));
        sets = std::min(sets, on_hand(n, line.commodity) / need);
    }
    if (sets > s.ready_count) {
        s.ready.emplace_back(out.now().value, sets - s.ready_count);
        s.ready_count = sets;
    }
    // Make to stock: below the output target (counting batches in process, net of orders
    // waiting) a line may start; without a target the refinery runs whenever inputs allow.
    const auto below_target = [&] {
        if (!plan.output_target) return true;
        const Kg position =
            on_hand(n, *plan.sells) + Kg{s.lines_busy} * plan.refinery_batch - s.backlog_total;
        return position < *plan.output_target;
    };
    const double factor = world_.capacity_factor[n]; // outage: 0 stops new batches
    bool started = false;
    while (factor > 0.0 && s.lines_busy < plan.lines && s.ready_count > 0 && below_target()) {
        const std::int64_t ready_at = s.ready.front().first;
        if (--s.ready.front().second == 0) s.ready.pop_front();
        --s.ready_count;
        for (const Coefficient& line : plan.recipe) {
            const Kg need = std::max<Kg>(1, scale(plan.refinery_batch, line.per_t));
            on_hand(n, line.commodity) -= need;
            consumed_[n * commodity_count_ + line.commodity] += need;
        }
        ++s.lines_busy;
        started = true;
        if (measuring(out.now()))
            s.stats.wait_days.add(engine::to_days(out.now() - engine::Ticks{ready_at}));
        const double days = std::max(0.0, sample(plan.processing_days, s.process_rng)) / factor;
        const engine::Ticks duration = std::max(engine::kOneTick, ticks_of(days));
        Payload done{EventType::LineDone};
        done.stamp = ready_at;
        out.emit(n, out.now() + duration, phase::kProduction, done);
    }
    touch_levels(n, out.now());
    if (started) review_continuous(n, out);
}

void Replication::on_line_done(NodeIndex n, const Payload& p, Outbox& out) {
    catch_up(n, out);
    NodeState& s = nodes_[n];
    --s.lines_busy;
    if (measuring(out.now())) {
        ++s.stats.batches;
        s.stats.sojourn_days.add(engine::to_days(out.now() - engine::Ticks{p.stamp}));
    }
    produce(n, model_.nodes()[n].refinery_batch, out);
    refinery_check(n, out);
}

} // namespace chainshock::models
