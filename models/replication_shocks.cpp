// Global events: shocks start and end (scripted, random or chained), and what they do to the
// world that node handlers read: capacity and demand factors, lane closures and open paths,
// lead-time factors, cargo under way on a closed lane or across a closed border.
#include "models/replication.hpp"

#include <algorithm>
#include <cmath>

namespace chainshock::models {

namespace {
// Random streams of shock processes live above every node id: entity kShockEntity + shock.
constexpr std::uint64_t kShockEntity = std::uint64_t{1} << 32;

engine::Ticks draw_days(const DistributionSpec& d, engine::Rng& rng) {
    return std::max(engine::kOneTick, engine::days_to_ticks(std::max(0.0, sample(d, rng))));
}
} // namespace

void Replication::set_active(std::uint32_t shock, std::uint32_t instance, bool on) {
    char& flag = world_.active[shock][instance];
    if ((flag != 0) == on) return;
    flag = on ? 1 : 0;
    if (on) {
        ++world_.active_instances[shock];
    } else {
        --world_.active_instances[shock];
    }
}

void Replication::init_world() {
    const auto& shocks = model_.shocks();
    const std::size_t nodes = nodes_.size();
    world_.active.resize(shocks.size());
    world_.active_instances.assign(shocks.size(), 0);
    world_.intervals.resize(shocks.size());
    world_.rng.resize(shocks.size());
    world_.triggered.assign(shocks.size(), 0);
    for (std::size_t s = 0; s < shocks.size(); ++s) {
        world_.active[s].assign(shocks[s].instances(), 0);
        world_.intervals[s].resize(shocks[s].instances());
        for (std::uint64_t i = 0; i < shocks[s].instances(); ++i) {
            world_.rng[s].push_back(engine::Rng::stream(seed_, replication_, kShockEntity + s, i));
        }
    }
    world_.capacity_factor.assign(nodes, 1.0);
    world_.demand_factor.assign(nodes, 1.0);
    world_.lead_factor.assign(model_.routes().size(), 1.0);
    world_.closed.assign(model_.routes().size(), false);
    world_.path_override.assign(model_.paths().size(), -1);
    world_.lost_in_transit.assign(commodity_count_, 0);
    for (CommodityIndex c = 0; c < commodity_count_; ++c) world_.price.push_back(model_.price(c));
    world_.peak_price = world_.price;
    world_.price_sum.assign(commodity_count_, 0.0);
    for (const PolicyPlan& p : model_.policies()) {
        const bool bloc = p.mode == StockpilePolicySpec::Mode::Coordinated;
        world_.release.emplace_back(bloc ? 1 : p.stockpiles.size());
    }
    for (auto& s : nodes_) s.quota_used.assign(shocks.size(), 0);

    const engine::EntityId global = scheduler_.global_entity();
    for (std::size_t s = 0; s < shocks.size(); ++s) {
        const ShockPlan& plan = shocks[s];
        if (plan.trigger) continue; // starts when its condition is first met
        for (std::uint32_t i = 0; i < plan.instances(); ++i) {
            Payload start{EventType::ShockStart};
            start.buyer = static_cast<std::uint32_t>(s);
            start.path = i;
            engine::Ticks at = plan.start;
            if (plan.random) at = draw_days(*plan.up_days, world_.rng[s][i]); // starts up
            if (at < horizon_) scheduler_.schedule(global, global, at, phase::kShock, start);
        }
    }
    scheduler_.schedule(global, global, engine::Ticks{0}, phase::kPolicy,
                        Payload{EventType::DailyGlobal});
}

void Replication::on_global(const Payload& p, Outbox& out) {
    switch (p.type) {
    case EventType::ShockStart:
        on_shock_start(p.buyer, p.path, out);
        break;
    case EventType::ShockEnd:
        on_shock_end(p.buyer, p.path, out);
        break;
    case EventType::DailyGlobal:
        on_daily_global(out);
        break;
    default:
        break;
    }
}

void Replication::on_shock_start(std::uint32_t shock, std::uint32_t instance, Outbox& out) {
    const ShockPlan& plan = model_.shocks()[shock];
    const engine::Ticks now = out.now();
    set_active(shock, instance, true);
    world_.intervals[shock][instance].push_back(Interval{now.value, kOpenEnded});
    if (world_.first_shock < 0) world_.first_shock = now.value;
    Payload end{EventType::ShockEnd};
    end.buyer = shock;
    end.path = instance;
    std::optional<engine::Ticks> end_at;
    if (plan.random) {
        // The process's own stream: its draws never depend on anything else in the model.
        end_at = now + draw_days(*plan.down_days, world_.rng[shock][instance]);
    } else if (plan.duration) {
        end_at = now + *plan.duration;
    }
    if (end_at) {
        world_.intervals[shock][instance].back().end = end_at->value;
        out.emit(out.self(), std::max(*end_at, now), phase::kShock, end);
    }
    recompute_world();
    if (plan.type == ShockSpec::Type::Outage && plan.destroyed_share > 0.0) {
        const auto targets =
            plan.random ? std::vector<NodeIndex>{plan.nodes[instance]} : plan.nodes;
        for (NodeIndex n : targets) {
            Payload destroy{EventType::Destroy};
            destroy.stamp = std::llround(plan.destroyed_share * 1e9);
            out.emit(n, now + engine::kOneTick, phase::kShock, destroy);
        }
    }
    take_off_lanes(shock, out);
}

void Replication::on_shock_end(std::uint32_t shock, std::uint32_t instance, Outbox& out) {
    const ShockPlan& plan = model_.shocks()[shock];
    set_active(shock, instance, false);
    recompute_world();
    if (!plan.random) return;
    // Next failure of this up/down process.
    const engine::Ticks next = out.now() + draw_days(*plan.up_days, world_.rng[shock][instance]);
    if (next >= horizon_) return;
    Payload start{EventType::ShockStart};
    start.buyer = shock;
    start.path = instance;
    out.emit(out.self(), next, phase::kShock, start);
}

void Replication::recompute_world() {
    std::fill(world_.capacity_factor.begin(), world_.capacity_factor.end(), 1.0);
    std::fill(world_.demand_factor.begin(), world_.demand_factor.end(), 1.0);
    std::fill(world_.lead_factor.begin(), world_.lead_factor.end(), 1.0);
    std::vector<bool> closed(model_.routes().size(), false);
    const auto& shocks = model_.shocks();
    for (std::size_t s = 0; s < shocks.size(); ++s) {
        const ShockPlan& plan = shocks[s];
        for (std::size_t i = 0; i < plan.instances(); ++i) {
            if (!world_.active[s][i]) continue;
            const auto one = [&](const auto& all) {
                using T = typename std::decay_t<decltype(all)>::value_type;
                return plan.random ? std::vector<T>{all[i]} : all;
            };
            switch (plan.type) {
            case ShockSpec::Type::Outage:
                for (NodeIndex n : one(plan.nodes)) {
                    world_.capacity_factor[n] = std::min(world_.capacity_factor[n], plan.factor);
                }
                break;
            case ShockSpec::Type::Demand:
                for (NodeIndex n : one(plan.nodes)) world_.demand_factor[n] *= plan.factor;
                break;
            case ShockSpec::Type::LeadTime:
                for (RouteIndex r : one(plan.routes)) world_.lead_factor[r] *= plan.factor;
                break;
            case ShockSpec::Type::RouteClosure:
                for (RouteIndex r : one(plan.routes)) closed[r] = true;
                break;
            default:
                break;
            }
        }
    }
    if (closed == world_.closed) return;
    world_.closed = closed;
    // Lanes changed: every path with a closed lane gets the quickest open path, or none.
    for (PathIndex p = 0; p < model_.paths().size(); ++p) {
        const PathPlan& path = model_.paths()[p];
        const bool blocked = std::any_of(path.routes.begin(), path.routes.end(),
                                         [&](RouteIndex r) { return closed[r]; });
        world_.path_override[p] = -1;
        if (!blocked) continue;
        const auto open = model_.network().shortest_open_path(path.from, path.to, closed);
        if (!open) {
            world_.path_override[p] = -2;
            continue;
        }
        PathPlan alt{path.from, path.to, *open, 0.0};
        for (RouteIndex r : alt.routes)
            alt.cost_usd_per_t += model_.network().route(r).cost_usd_per_t;
        world_.path_override[p] = static_cast<std::int32_t>(world_.dynamic_paths.size());
        world_.dynamic_paths.push_back(std::move(alt));
    }
}

engine::Ticks Replication::reopen_time(RouteIndex r, engine::Ticks now) const {
    std::int64_t until = now.value;
    const auto& shocks = model_.shocks();
    for (std::size_t s = 0; s < shocks.size(); ++s) {
        if (shocks[s].type != ShockSpec::Type::RouteClosure) continue;
        for (std::size_t i = 0; i < shocks[s].instances(); ++i) {
            if (!shocks[s].covers_route(i, r) || !world_.active[s][i]) continue;
            until = std::max(until, world_.intervals[s][i].back().end);
        }
    }
    return engine::Ticks{until};
}

engine::Ticks Replication::node_up_time(NodeIndex n, engine::Ticks now) const {
    std::int64_t until = now.value;
    const auto& shocks = model_.shocks();
    for (std::size_t s = 0; s < shocks.size(); ++s) {
        if (shocks[s].type != ShockSpec::Type::Outage || shocks[s].factor > 0.0) continue;
        for (std::size_t i = 0; i < shocks[s].instances(); ++i) {
            if (!shocks[s].covers_node(i, n) || !world_.active[s][i]) continue;
            until = std::max(until, world_.intervals[s][i].back().end);
        }
    }
    return engine::Ticks{until};
}

void Replication::take_off_lanes(std::uint32_t shock, Outbox& out) {
    // Cargo under way when a lane or border closes: `lost` and `rerouted` act now, on the
    // pending shipment events themselves; `held` cargo is delayed when it arrives (on_shipment).
    const ShockPlan& plan = model_.shocks()[shock];
    const bool lane = plan.type == ShockSpec::Type::RouteClosure;
    const bool border = plan.type == ShockSpec::Type::ExportBan;
    if (!(lane && plan.in_transit != ShockSpec::InTransit::Held) &&
        !(border && plan.in_transit == ShockSpec::InTransit::Lost)) {
        return;
    }
    const Network& net = model_.network();
    std::vector<Event> hit;
    scheduler_.pending().for_each([&](const Event& e) {
        if (e.payload.type != EventType::ShipmentArrive) return;
        if (world_.is_cancelled(e.key.origin, e.key.seq)) return;
        const RouteIndex r = path_plan(e.payload.path).routes[e.payload.hop];
        if (lane && !world_.closed[r]) return;
        if (border) {
            const auto from = net.country_of(model_.routes()[r].from);
            const auto to = net.country_of(model_.routes()[r].to);
            const auto buyer = net.country_of(e.payload.buyer);
            if (from == to || !plan.origin[from] || !plan.destination[buyer] ||
                e.payload.commodity != *plan.commodity) {
                return;
            }
        }
        hit.push_back(e);
    });
    // The scan order is the heap's; sort by key so what follows is deterministic.
    std::sort(hit.begin(), hit.end(), [](const Event& a, const Event& b) { return a.key < b.key; });
    for (const Event& e : hit) {
        if (plan.in_transit == ShockSpec::InTransit::Lost) {
            world_.cancelled.insert({e.key.origin, e.key.seq});
            world_.lost_in_transit[e.payload.commodity] += e.payload.qty;
            continue;
        }
        // Rerouted: the cargo goes back to the lane's origin and leaves again from there over
        // the quickest open path. With no open path it stays put and is held like `held` cargo.
        const RouteIndex r = path_plan(e.payload.path).routes[e.payload.hop];
        const NodeIndex origin = model_.routes()[r].from;
        const auto open =
            model_.network().shortest_open_path(origin, e.payload.buyer, world_.closed);
        if (!open) continue;
        world_.cancelled.insert({e.key.origin, e.key.seq});
        PathPlan alt{origin, e.payload.buyer, *open, 0.0};
        for (RouteIndex k : alt.routes)
            alt.cost_usd_per_t += model_.network().route(k).cost_usd_per_t;
        Payload back = e.payload;
        back.type = EventType::Reroute;
        back.hop = 0;
        back.path = static_cast<PathIndex>(model_.paths().size() + world_.dynamic_paths.size());
        world_.dynamic_paths.push_back(std::move(alt));
        const engine::Ticks elapsed = out.now() - engine::Ticks{e.payload.stamp};
        out.emit(origin, out.now() + std::max(engine::kOneTick, elapsed), phase::kArrival, back);
    }
}

} // namespace chainshock::models
