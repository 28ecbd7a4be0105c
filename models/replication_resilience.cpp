// Resilience metrics (Simchi-Levi et al. 2014, 2015) and the activity of each shock.
//   time to survive  = first day with unmet demand - shock start day;
//   time to recover  = shock start day -> first day after the first shortfall from which the
//                      daily fill rate stays >= service_threshold for recovery_days days.
// Censored at the horizon: survived / recovered say whether the event happened within it.
#include "models/replication.hpp"

#include <algorithm>

namespace chainshock::models {

namespace {

struct Resilience {
    double survive_days = 0.0;
    double recover_days = 0.0;
    bool survived = true;
    bool recovered = true;
};

Resilience measure(const std::vector<Kg>& demand, const std::vector<Kg>& unmet, std::int64_t start,
                   const ResilienceSpec& spec) {
    const auto days = static_cast<std::int64_t>(demand.size());
    const auto served = [&](std::int64_t d) {
        const auto i = static_cast<std::size_t>(d);
        return demand[i] <= 0 ||
               double(demand[i] - unmet[i]) / double(demand[i]) >= spec.service_threshold;
    };
    Resilience r;
    std::int64_t first_short = -1;
    for (std::int64_t d = std::max<std::int64_t>(0, start); d < days; ++d) {
        if (unmet[static_cast<std::size_t>(d)] > 0) {
            first_short = d;
            break;
        }
    }
    if (first_short < 0) {
        r.survive_days = double(days - start);
        return r;
    }
    r.survived = false;
    r.survive_days = double(first_short - start);
    r.recovered = false;
    r.recover_days = double(days - start);
    std::int64_t run = 0;
    for (std::int64_t d = first_short + 1; d < days; ++d) {
        run = served(d) ? run + 1 : 0;
        if (run == spec.recovery_days) {
            r.recovered = true;
            r.recover_days = double(d - spec.recovery_days + 1 - start);
            break;
        }
    }
    return r;
}

} // namespace

void Replication::resilience_kpis(std::vector<Kpi>& out) const {
    const Network& net = model_.network();
    const ScenarioSpec& spec = net.spec();
    // Shock activity: share of the measured time active, starts, and whether active at the end.
    const auto& shocks = model_.shocks();
    const double span = double((horizon_ - warmup_).value);
    for (std::size_t s = 0; s < shocks.size(); ++s) {
        const ShockPlan& plan = shocks[s];
        for (std::size_t i = 0; i < plan.instances(); ++i) {
            std::string entity = plan.id;
            if (plan.random) {
                entity += "/" + (plan.nodes.empty() ? net.route(plan.routes[i]).from + "->" +
                                                          net.route(plan.routes[i]).to
                                                    : net.node(plan.nodes[i]).id);
            }
            double time = 0.0;
            double starts = 0.0;
            for (const Interval& iv : world_.intervals[s][i]) {
                const std::int64_t a = std::max(iv.start, warmup_.value);
                const std::int64_t b = std::min(iv.end, horizon_.value);
                if (b > a) time += double(b - a);
                if (iv.start >= warmup_.value && iv.start < horizon_.value) starts += 1.0;
            }
            const auto& ivs = world_.intervals[s][i];
            const bool at_end = !ivs.empty() && ivs.back().end >= horizon_.value;
            out.push_back({entity, "active_fraction", span > 0.0 ? time / span : 0.0});
            out.push_back({entity, "starts", starts});
            out.push_back({entity, "active_at_end", at_end ? 1.0 : 0.0});
        }
    }
    if (shocks.empty() && !spec.resilience.shock_start_day) return;
    // The shock start: as configured, else the first shock of this replication, else day 0.
    const std::int64_t start =
        spec.resilience.shock_start_day
            ? std::int64_t(*spec.resilience.shock_start_day)
            : (world_.first_shock >= 0 ? engine::day_index(engine::Ticks{world_.first_shock}) : 0);
    const auto days = static_cast<std::size_t>(spec.horizon_days);
    const auto emit = [&](const std::string& entity, const std::vector<NodeIndex>& members) {
        std::vector<Kg> demand(days, 0), unmet(days, 0);
        for (NodeIndex n : members) {
            for (std::size_t d = 0; d < days; ++d) {
                demand[d] += nodes_[n].daily_demand[d];
                unmet[d] += nodes_[n].daily_shortfall[d];
            }
        }
        const Resilience r = measure(demand, unmet, start, spec.resilience);
        out.push_back({entity, "time_to_survive_days", r.survive_days});
        out.push_back({entity, "time_to_recover_days", r.recover_days});
        out.push_back({entity, "survived", r.survived ? 1.0 : 0.0});
        out.push_back({entity, "recovered", r.recovered ? 1.0 : 0.0});
    };
    std::vector<NodeIndex> all;
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        if (!nodes_[n].daily_demand.empty()) all.push_back(n);
    }
    emit("network", all);
    const auto members_of = [&](const CountrySet& set) {
        std::vector<NodeIndex> out_nodes;
        for (NodeIndex n : all) {
            if (set[net.country_of(n)]) out_nodes.push_back(n);
        }
        return out_nodes;
    };
    for (const auto& bloc : spec.blocs) {
        emit(bloc.id, members_of(resolve_countries(net, {bloc.id})));
    }
    for (std::size_t c = 0; c < net.countries().size(); ++c) {
        const auto members = members_of(resolve_countries(net, {net.countries()[c]}));
        if (!members.empty()) emit(net.countries()[c], members);
    }
    for (NodeIndex n : all) emit(net.node(n).id, {n});
}

} // namespace chainshock::models
