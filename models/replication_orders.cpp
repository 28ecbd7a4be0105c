// Buying: inventory positions, replenishment policies, and where orders go (sourcing, with
// re-sourcing away from suppliers a shock has banned, stopped or cut off).
#include "models/replication.hpp"

#include <algorithm>
#include <cmath>

namespace chainshock::models {

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
        qty = kg_of(policy.level_t) - ip;
        break;
    case PolicySpec::Type::DaysOfCover:
        qty = kg_of(policy.cover_days * plan.usage_tpd) - ip;
        break;
    case PolicySpec::Type::MinMax:
        if (ip <= kg_of(policy.min_t)) qty = kg_of(policy.max_t) - ip;
        break;
    case PolicySpec::Type::ReorderPointQuantity: {
        const Kg r = kg_of(policy.reorder_point_t);
        const Kg q = kg_of(policy.quantity_t);
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
        const Kg level =
            round_half_away(double(policy.k_periods) * forecast) + kg_of(policy.safety_t);
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

bool Replication::supplier_available(const Partner& sup, CommodityIndex c) const {
    // Reads only the world (shocks), never the supplier's own state.
    const NodeKind kind = model_.nodes()[sup.node].kind;
    if ((kind == NodeKind::Mine || kind == NodeKind::Refinery) &&
        world_.capacity_factor[sup.node] <= 0.0) {
        return false;
    }
    if (!effective_path(sup.path)) return false;
    const auto& bans = model_.shock_index().export_bans[c];
    if (bans.empty()) return true;
    const Network& net = model_.network();
    const auto from = net.country_of(sup.node);
    const auto to = net.country_of(path_plan(sup.path).to);
    if (from == to) return true;
    const auto& shocks = model_.shocks();
    for (const std::uint32_t s : bans) {
        const ShockPlan& plan = shocks[s];
        if (plan.has_quota) continue;
        if (plan.origin[from] && plan.destination[to] && active(s)) return false;
    }
    return true;
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
    // Suppliers a shock has banned, stopped or cut off lose their orders to the others; if none
    // is left, orders go out as usual and wait. An order is re-sourced when the supplier it would
    // go to without shocks is closed.
    Kg resourced = 0;
    if (plan.sourcing == ReplenishSpec::Sourcing::Priority) {
        // The first open supplier; the ones after it need not be looked at.
        const Partner* first_open = nullptr;
        for (const Partner& sup : plan.suppliers) {
            if (!supplier_available(sup, plan.commodity)) continue;
            first_open = &sup;
            break;
        }
        send(first_open != nullptr ? *first_open : plan.suppliers.front(), qty);
        if (first_open != &plan.suppliers.front()) resourced = qty;
    } else {
        std::vector<const Partner*>& open = scratch().open;
        open.clear();
        double open_share = 0.0;
        for (const Partner& sup : plan.suppliers) {
            if (!supplier_available(sup, plan.commodity)) continue;
            open.push_back(&sup);
            open_share += sup.share;
        }
        if (open.empty()) {
            for (const Partner& sup : plan.suppliers) open.push_back(&sup);
            open_share = 1.0;
        }
        if (plan.sourcing == ReplenishSpec::Sourcing::Shares) {
            // Split by (renormalised) shares; rounding remainders go to the first supplier.
            Kg rest = qty;
            for (std::size_t i = 1; i < open.size(); ++i) {
                const Kg part = scale(qty, open[i]->share / open_share);
                send(*open[i], part);
                rest -= part;
            }
            send(*open.front(), rest);
            resourced = qty - scale(qty, open_share);
        } else {
            // Cheapest: the lowest landed cost among the open suppliers, and among all of them
            // for the choice without shocks.
            const auto cost = [&](const Partner* sup) {
                return landed(n, sup->path, plan.commodity).total();
            };
            const Partner* best = open.front();
            for (const Partner* sup : open) {
                if (cost(sup) < cost(best)) best = sup;
            }
            send(*best, qty);
            const Partner* unshocked = &plan.suppliers.front();
            for (const Partner& sup : plan.suppliers) {
                if (cost(&sup) < cost(unshocked)) unshocked = &sup;
            }
            if (!supplier_available(*unshocked, plan.commodity)) resourced = qty;
        }
    }
    PurchaseState& ps = s.purchases[purchase];
    ps.on_order += qty;
    ps.on_order_area.set(out.now().value, to_tonnes(ps.on_order));
    if (measuring(out.now())) {
        ++s.stats.orders_placed;
        s.stats.day_ordered += qty;
        s.stats.resourced += std::max<Kg>(0, resourced);
        s.stats.cost_ordering += model_.nodes()[n].costs.order_cost_usd;
    }
}

} // namespace chainshock::models
