// Selling and moving material: orders waiting at suppliers, allocation (FIFO or pro rata),
// export bans and quotas at the border, shipments leg by leg (lane capacity, port dwell and
// throughput, closures), and receipt with landed costs (price, transport, tariff, floor premium).
#include "models/replication.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chainshock::models {

namespace {
constexpr Kg kUnlimited = std::numeric_limits<Kg>::max();
} // namespace

Kg Replication::ship_allowance(NodeIndex n, PathIndex p, CommodityIndex c) const {
    // What node n may ship now over path p: nothing without an open path or under a full export
    // ban on the crossing; what is left of its own share of the day's quota under a quota.
    const auto path = effective_path(p);
    if (!path) return 0;
    if (model_.shock_index().export_bans[c].empty()) return kUnlimited;
    return ban_allowance(n, *path, c);
}

Kg Replication::ban_allowance(NodeIndex n, PathIndex path, CommodityIndex c) const {
    const auto& bans = model_.shock_index().export_bans[c];
    const Network& net = model_.network();
    const auto from = net.country_of(n);
    const auto to = net.country_of(path_plan(path).to);
    Kg allowed = kUnlimited;
    if (from == to) return allowed;
    const auto& shocks = model_.shocks();
    for (const std::uint32_t s : bans) {
        const ShockPlan& plan = shocks[s];
        if (!plan.origin[from] || !plan.destination[to] || !active(s)) continue;
        allowed = plan.has_quota
                      ? std::min(allowed,
                                 std::max<Kg>(0, plan.quota_per_node[n] - nodes_[n].quota_used[s]))
                      : 0;
    }
    return allowed;
}

Landed Replication::landed(NodeIndex buyer, PathIndex path, CommodityIndex c) const {
    const Network& net = model_.network();
    const PathPlan& plan = path_plan(effective_path(path).value_or(path));
    const auto importer = net.country_of(buyer);
    const auto origin = net.country_of(plan.from);
    Landed l;
    l.price = world_.price[c];
    l.transport = plan.cost_usd_per_t;
    if (importer == origin) return l;
    const auto& shocks = model_.shocks();
    double floor = 0.0;
    for (const std::uint32_t s : model_.shock_index().import_charges[c]) {
        const ShockPlan& shock = shocks[s];
        if (!shock.destination[importer] || !active(s)) continue;
        if (shock.type == ShockSpec::Type::Tariff &&
            (shock.origin.empty() || shock.origin[origin])) {
            l.tariff += shock.rate * l.price;
        }
        if (shock.type == ShockSpec::Type::PriceFloor && !shock.exempt[origin]) {
            floor = std::max(floor, shock.floor_usd_per_t);
        }
    }
    l.premium = std::max(0.0, floor - (l.price + l.transport + l.tariff));
    return l;
}

void Replication::on_order(NodeIndex n, const Payload& p, Outbox& out) {
    catch_up(n, out);
    NodeState& s = nodes_[n];
    s.backlog.push_back(PendingOrder{p.buyer, p.path, p.qty, p.flags});
    s.backlog_total += p.qty;
    // Forecast signal of upstream buyers: orders received, converted to each input.
    const NodePlan& plan = model_.nodes()[n];
    if (plan.forecasts) observe_demand(n, p.qty);
    if (measuring(out.now())) s.stats.day_observed += p.qty;
    if (plan.allocate_on_arrival) {
        allocate(n, out); // what one pass after all of this instant's orders would give
    } else if (!s.allocation_pending) {
        s.allocation_pending = true;
        out.emit(n, out.now(), phase::kAllocate, Payload{EventType::Allocate});
    }
    if (plan.lazy_output) schedule_day_start(n, out);
}

void Replication::on_allocate(NodeIndex n, Outbox& out) {
    catch_up(n, out);
    nodes_[n].allocation_pending = false;
    allocate(n, out);
}

void Replication::allocate(NodeIndex n, Outbox& out) {
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
    if (plan.rationing == Rationing::Fifo && model_.shock_index().quota[c] == 0) {
        // Without a quota, what an order may receive does not change as the others ship: one
        // pass serves them oldest first, as the general case below would.
        std::size_t filled = 0;
        for (PendingOrder& order : s.backlog) {
            if (available <= 0) break;
            const Kg qty = std::min({available, order.remaining, ship_allowance(n, order.path, c)});
            if (qty <= 0) continue;
            available -= qty;
            order.remaining -= qty;
            s.backlog_total -= qty;
            if (order.remaining == 0) ++filled;
            ship(n, order.path, order.buyer, c, qty, order.flags, out);
        }
        // The filled orders are usually the oldest ones.
        for (; filled > 0 && s.backlog.front().remaining == 0; --filled) s.backlog.pop_front();
        if (filled > 0) {
            std::erase_if(s.backlog, [](const PendingOrder& o) { return o.remaining == 0; });
        }
        return;
    }
    // What each waiting order may receive now: its remainder, less what bans and quotas stop.
    std::vector<Kg>& cap = scratch().cap;
    cap.assign(s.backlog.size(), 0);
    Kg wanted = 0;
    for (std::size_t i = 0; i < s.backlog.size(); ++i) {
        cap[i] = std::min(s.backlog[i].remaining, ship_allowance(n, s.backlog[i].path, c));
        wanted += cap[i];
    }
    std::vector<Kg>& give = scratch().give;
    give.assign(s.backlog.size(), 0);
    if (plan.rationing == Rationing::ProRata && available < wanted) {
        // Proportional to what each order may take; leftover kilograms go oldest first.
        Kg given = 0;
        for (std::size_t i = 0; i < s.backlog.size(); ++i) {
            const double fair = double(available) * double(cap[i]) / double(wanted);
            give[i] = std::min(cap[i], static_cast<Kg>(std::floor(fair)));
            given += give[i];
        }
        for (std::size_t i = 0; i < s.backlog.size() && given < available; ++i) {
            const Kg extra = std::min(available - given, cap[i] - give[i]);
            give[i] += extra;
            given += extra;
        }
    } else {
        for (std::size_t i = 0; i < s.backlog.size() && available > 0; ++i) {
            give[i] = std::min(available, cap[i]);
            available -= give[i];
        }
    }
    for (std::size_t i = 0; i < s.backlog.size(); ++i) {
        // Orders to one banned destination share the supplier's daily quota: each shipment uses
        // some of it, so the allowance is read again for every order.
        const Kg qty = std::min(give[i], ship_allowance(n, s.backlog[i].path, c));
        if (qty <= 0) continue;
        s.backlog[i].remaining -= qty;
        s.backlog_total -= qty;
        ship(n, s.backlog[i].path, s.backlog[i].buyer, c, qty, s.backlog[i].flags, out);
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
    // Pushed output leaves as produced; what a ban or quota stops stays in stock.
    const CommodityIndex c = *plan.sells;
    const Kg total = on_hand(n, c);
    if (total <= 0) return;
    std::vector<Kg> part(plan.push.size(), 0);
    part[0] = total;
    for (std::size_t i = 1; i < plan.push.size(); ++i) {
        part[i] = scale(total, plan.push[i].share);
        part[0] -= part[i]; // rounding remainders go to the first target
    }
    for (std::size_t i = 0; i < plan.push.size(); ++i) {
        const Kg qty = std::min(part[i], ship_allowance(n, plan.push[i].path, c));
        if (qty > 0) ship(n, plan.push[i].path, plan.push[i].node, c, qty, kUnordered, out);
    }
}

void Replication::ship(NodeIndex n, PathIndex path, NodeIndex buyer, CommodityIndex c, Kg qty,
                       std::uint8_t flags, Outbox& out) {
    on_hand(n, c) -= qty;
    touch_levels(n, out.now());
    NodeState& s = nodes_[n];
    if (measuring(out.now())) s.stats.shipped += qty;
    const auto& shocks = model_.shocks();
    const Network& net = model_.network();
    const PathIndex route = effective_path(path).value_or(path);
    const auto from = net.country_of(n);
    const auto to = net.country_of(buyer);
    for (const std::uint32_t k : model_.shock_index().export_bans[c]) {
        const ShockPlan& plan = shocks[k];
        if (plan.has_quota && from != to && plan.origin[from] && plan.destination[to] &&
            active(k)) {
            s.quota_used[k] += qty;
        }
    }
    Payload p{EventType::ShipmentArrive};
    p.flags = flags;
    p.commodity = c;
    p.buyer = buyer;
    p.path = route;
    p.qty = qty;
    p.hop = 0;
    send_leg(n, p, out.now(), out);
}

void Replication::send_leg(NodeIndex n, const Payload& p, engine::Ticks depart, Outbox& out) {
    catch_up(n, out);
    const RouteIndex r = path_plan(p.path).routes[p.hop];
    const RoutePlan& route = model_.routes()[r];
    if (route.capacity_kg_per_tick > 0.0) {
        // The lane carries capacity_tpd; cargo queues FIFO behind earlier departures.
        depart = std::max(depart, route_free_[r]);
        route_free_[r] = depart + engine::Ticks{static_cast<std::int64_t>(
                                      std::ceil(double(p.qty) / route.capacity_kg_per_tick))};
    }
    const double lead_days =
        std::max(0.0, route.lead_time_days.sample(nodes_[n].lead_rng)) * world_.lead_factor[r];
    const engine::Ticks lead = std::max(engine::kOneTick, ticks_of(lead_days));
    // The departure is written into the emitted copy: changing `p` just before it is copied
    // would have the copy wait for that store.
    out.emit(route.to, depart + lead, phase::kArrival, p).stamp = depart.value;
}

void Replication::on_shipment(NodeIndex n, const Payload& p, Outbox& out) {
    catch_up(n, out);
    // Held cargo: a lane that closed while the cargo was on it stops it for as long as it was
    // closed (until the horizon if it has not reopened).
    const RouteIndex lane = path_plan(p.path).routes[p.hop];
    std::int64_t held = 0;
    for (const ShockInstance& closure : model_.shock_index().closures_by_route[lane]) {
        for (const Interval& iv : world_.intervals[closure.shock][closure.instance]) {
            const std::int64_t a = std::max(iv.start, p.stamp);
            const std::int64_t b = std::min(iv.end, out.now().value);
            if (iv.start <= out.now().value && iv.end > out.now().value) {
                held = std::max<std::int64_t>(
                    held, iv.end == kOpenEnded ? horizon_.value - out.now().value : iv.end - a);
            } else if (b > a) {
                held = std::max(held, b - a);
            }
        }
    }
    if (held > 0) {
        Payload later = p;
        later.stamp = out.now().value;
        out.emit(n, out.now() + engine::Ticks{held}, phase::kArrival, later);
        return;
    }
    const PathPlan& path = path_plan(p.path);
    if (static_cast<std::size_t>(p.hop) + 1 == path.routes.size()) {
        receive(n, p, out);
        return;
    }
    // Passing through: a port holds cargo for its dwell time and, when it has a throughput
    // limit, releases it first-in first-out; a port that is down holds it until it is up.
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    engine::Ticks depart = out.now() + plan.dwell;
    if (plan.kind == NodeKind::Port && world_.capacity_factor[n] <= 0.0) {
        depart = std::max(depart, std::min(horizon_, node_up_time(n, out.now())));
    }
    const double throughput = plan.throughput_kg_per_tick * world_.capacity_factor[n];
    if (throughput > 0.0) {
        depart = std::max(depart, s.port_next_free);
        s.port_next_free =
            depart +
            engine::Ticks{static_cast<std::int64_t>(std::ceil(double(p.qty) / throughput))};
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
    catch_up(n, out);
    const NodePlan& plan = model_.nodes()[n];
    NodeState& s = nodes_[n];
    on_hand(n, p.commodity) += p.qty;
    if (p.flags & kRefill) {
        s.refill_on_order -= p.qty;
        if (measuring(out.now())) s.stats.refilled += p.qty;
    } else if (!(p.flags & kUnordered)) {
        for (std::size_t i = 0; i < plan.purchases.size(); ++i) {
            if (plan.purchases[i].commodity != p.commodity) continue;
            PurchaseState& ps = s.purchases[i];
            ps.on_order -= p.qty;
            ps.on_order_area.set(out.now().value, to_tonnes(ps.on_order));
            break;
        }
    }
    if (measuring(out.now())) {
        const Landed cost = landed(n, p.path, p.commodity);
        const double t = to_tonnes(p.qty);
        s.stats.received += p.qty;
        s.stats.cost_procurement += t * cost.price;
        s.stats.cost_transport += t * path_plan(p.path).cost_usd_per_t;
        s.stats.cost_tariff += t * cost.tariff;
        s.stats.cost_floor_premium += t * cost.premium;
    }
    if (plan.kind == NodeKind::Manufacturer) serve_backorders(n);
    if (plan.kind == NodeKind::Refinery) refinery_check(n, out);
    if (plan.sells && *plan.sells == p.commodity) dispatch_output(n, out);
    touch_levels(n, out.now());
}

} // namespace chainshock::models
