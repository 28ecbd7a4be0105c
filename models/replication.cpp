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

} // namespace

Replication::Replication(const Model& model, std::uint64_t seed, std::uint64_t replication,
                         bool keep_series, engine::WindowOptions windows)
    : model_(model), commodity_count_(model.commodity_count()), keep_series_(keep_series),
      warmup_(engine::days(model.network().spec().warmup_days)),
      horizon_(engine::days(model.network().spec().horizon_days)),
      series_every_(model.network().spec().output.timeseries_every_days),
      end_of_day_costs_(model.network().spec().cost_accounting ==
                        ScenarioSpec::CostAccounting::EndOfDay),
      scheduler_(static_cast<engine::EntityId>(model.nodes().size())), nodes_(model.nodes().size()),
      on_hand_(model.initial()), consumed_(model.initial().size(), 0),
      route_free_(model.routes().size(), engine::Ticks{0}), destroyed_(model.initial().size(), 0),
      windows_(windows), seed_(seed), replication_(replication) {
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        NodeState& s = nodes_[n];
        s.demand_rng = engine::Rng::stream(seed, replication, n, kDemandStream);
        s.supply_rng = engine::Rng::stream(seed, replication, n, kSupplyStream);
        s.process_rng = engine::Rng::stream(seed, replication, n, kProcessStream);
        s.lead_rng = engine::Rng::stream(seed, replication, n, kLeadTimeStream);
        s.purchases.resize(model.nodes()[n].purchases.size());
        if (model.nodes()[n].demand) {
            const auto days = static_cast<std::size_t>(model.network().spec().horizon_days);
            s.daily_demand.assign(days, 0);
            s.daily_shortfall.assign(days, 0);
        }
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
    init_world();
    ReplicationResult result;
    result.events = scheduler_.run_until(*this, horizon_, windows_);
    result.parallel_events = scheduler_.stats().parallel_events;
    result.peak_queued_events = scheduler_.stats().peak_queued;
    result.windows = scheduler_.stats().windows;
    for (NodeIndex n = 0; n < nodes_.size(); ++n) touch_levels(n, horizon_);
    if (model_.network().spec().cost_accounting == ScenarioSpec::CostAccounting::TimeWeighted) {
        charge_time_weighted_costs();
    }
    check_mass_balance();
    engine::Fingerprint fp = scheduler_.fingerprint();
    for (Kg kg : on_hand_) fp.add(std::int64_t{kg});
    for (Kg kg : consumed_) fp.add(std::int64_t{kg});
    for (Kg kg : destroyed_) fp.add(std::int64_t{kg});
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
    if (n == scheduler_.global_entity()) {
        on_global(p, out);
        return;
    }
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
        const engine::Ticks next = out.now() + ticks_of(gap);
        if (next < horizon_) out.emit(n, next, phase::kDemand, Payload{EventType::DemandArrival});
        break;
    }
    case EventType::MineBatch: {
        const NodePlan& plan = model_.nodes()[n];
        produce(n, std::llround(double(plan.batch_output) * world_.capacity_factor[n]), out);
        const double gap = nodes_[n].supply_rng.exponential(1.0 / plan.batch_rate_per_day);
        const engine::Ticks next = out.now() + ticks_of(gap);
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
        if (world_.is_cancelled(event.key.origin, event.key.seq)) break; // lost or rerouted
        on_shipment(n, p, out);
        break;
    case EventType::Reroute: {
        Payload again = p;
        again.type = EventType::ShipmentArrive;
        if (path_plan(p.path).routes.empty()) {
            receive(n, again, out);
        } else {
            send_leg(n, again, out.now(), out);
        }
        break;
    }
    case EventType::Destroy:
        on_destroy(n, p, out);
        break;
    case EventType::Release:
        on_release(n, p, out);
        break;
    case EventType::ShockStart:
    case EventType::ShockEnd:
    case EventType::DailyGlobal:
        break;
    case EventType::LineDone:
        on_line_done(n, p, out);
        break;
    }
}

} // namespace chainshock::models
