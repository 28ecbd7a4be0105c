#include "models/model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace chainshock::models {

namespace {
bool has_continuous_review(const NodePlan& plan) {
    return std::any_of(plan.purchases.begin(), plan.purchases.end(), [](const Purchase& p) {
        return p.policy.review == PolicySpec::Review::Continuous;
    });
}
} // namespace

Model::Model(const Network& network)
    : network_(&network), commodity_count_(network.commodity_count()) {
    const ScenarioSpec& spec = network.spec();
    for (RouteIndex r = 0; r < spec.routes.size(); ++r) {
        const RouteSpec& route = spec.routes[r];
        RoutePlan plan;
        plan.from = network.node_index(route.from);
        plan.to = network.node_index(route.to);
        plan.lead_time_days = Distribution(route.lead_time_days);
        if (route.capacity_tpd) {
            plan.capacity_kg_per_tick = *route.capacity_tpd * kKgPerTonne / engine::kTicksPerDay;
        }
        routes_.push_back(plan);
    }
    nodes_.resize(spec.nodes.size());
    initial_.assign(spec.nodes.size() * commodity_count_, 0);
    for (NodeIndex n = 0; n < spec.nodes.size(); ++n) compile_node(n);
    shocks_ = compile_shocks(network);
    shock_index_ = index_shocks(shocks_, routes_.size(), commodity_count_);
    policies_ = compile_policies(network);
    for (const PolicyPlan& policy : policies_) {
        for (std::size_t k = 0; k < policy.stockpiles.size(); ++k) {
            for (NodeIndex m : policy.served[k]) add_path(policy.stockpiles[k], m);
            if (policy.refill_supplier) add_path(*policy.refill_supplier, policy.stockpiles[k]);
        }
    }
    users_.resize(commodity_count_);
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        for (const Coefficient& line : nodes_[n].bom) users_[line.commodity].push_back(n);
    }
    plan_events();
    plan_lookahead();
}

void Model::plan_lookahead() {
    // A node affects other nodes in two ways only (Replication's handlers): an order, which
    // reaches its supplier one tick after it is placed, and a shipment leg, which arrives its
    // lane's lead time after it leaves (lead times are drawn, clamped to >= 0, scaled by lead-time
    // shocks and rounded to ticks; cargo never leaves before the event that sends it).
    //
    // Orders are placed by reviews: periodic ones at a DayStart, a stockpile's refill at its
    // DayStart, continuous ones after demand and batch starts. Every event of a node with a
    // continuous review may therefore order; otherwise only its DayStart events may, and the
    // only other events that schedule a DayStart (a mine's lazy output) are at nodes that buy
    // nothing (NodePlan::lazy_output requires it), so their DayStart orders nothing. Everything
    // else a node does reaches another node no sooner than the shortest lane it ships on. Cargo
    // turned back by a closure (Reroute) is rare: one tick, to be safe.
    //
    // A lead-time shock with a factor below 1 shortens lanes below what they declare; with one
    // in the scenario, every lookahead is one tick.
    const bool faster_lanes = std::any_of(shocks_.begin(), shocks_.end(), [](const ShockPlan& s) {
        return s.type == ShockSpec::Type::LeadTime && s.factor < 1.0;
    });
    // No lane: nothing this node does ever reaches another node by shipment.
    constexpr engine::Ticks kNever{std::int64_t{1} << 40};
    std::vector<engine::Ticks> ship(nodes_.size(), kNever);
    for (const RoutePlan& route : routes_) {
        // One tick less than the rounded lower bound: a draw equal to the bound, computed in
        // floating point, may round down.
        const engine::Ticks floor =
            faster_lanes
                ? engine::kOneTick
                : std::max(engine::kOneTick,
                           ticks_of(route.lead_time_days.spec().lower_bound()) - engine::kOneTick);
        ship[route.from] = std::min(ship[route.from], floor);
    }
    lookahead_.assign(nodes_.size(), NodeLookahead{});
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        const NodePlan& plan = nodes_[n];
        const bool continuous = has_continuous_review(plan);
        const bool orders_at_day_start =
            !plan.purchases.empty() || plan.kind == NodeKind::Stockpile;
        lookahead_[n].other = continuous ? engine::kOneTick : ship[n];
        lookahead_[n].day_start = continuous || orders_at_day_start ? engine::kOneTick : ship[n];
    }
}

void Model::plan_events() {
    const ScenarioSpec& spec = network_->spec();
    // Manufacturers whose state a global decision reads (it runs at the start of an instant and
    // must see the demand of the day before already met): all of them under scarcity pricing,
    // those a shortfall trigger watches, those a stockpile policy serves. And those whose demand
    // a shock scales (the factor in force at noon must be the one applied).
    std::vector<char> watched(nodes_.size(), spec.market.elasticity > 0.0 ? 1 : 0);
    for (const ShockPlan& shock : shocks_) {
        if (shock.type == ShockSpec::Type::Demand) {
            for (NodeIndex n : shock.nodes) watched[n] = 1;
        }
        if (!shock.trigger || shock.trigger->metric == TriggerSpec::Metric::Price) continue;
        for (NodeIndex n = 0; n < nodes_.size(); ++n) {
            if (shock.trigger_countries.empty() || shock.trigger_countries[network_->country_of(n)])
                watched[n] = 1;
        }
    }
    for (const PolicyPlan& policy : policies_) {
        if (policy.mode == StockpilePolicySpec::Mode::None) continue;
        for (NodeIndex m : policy.bloc_manufacturers) watched[m] = 1;
    }
    // Nodes an outage acts on (their capacity factor changes at the shock's start and end).
    std::vector<char> outage(nodes_.size(), 0);
    for (const ShockPlan& shock : shocks_) {
        if (shock.type != ShockSpec::Type::Outage) continue;
        for (NodeIndex n : shock.nodes) outage[n] = 1;
    }
    for (NodeIndex n = 0; n < nodes_.size(); ++n) {
        NodePlan& plan = nodes_[n];
        const bool continuous = has_continuous_review(plan);
        // Met late, a demand changes nothing in between: nobody else reads the node, and no
        // continuous review answers it with an order at noon + 1 tick.
        plan.lazy_demand = plan.demand &&
                           plan.demand->process != DemandSpec::Process::PoissonProcess &&
                           !continuous && watched[n] == 0;
        // A mine's daily output, produced late, is the same: its stock is its own, the stream
        // of yield draws is its own and drawn in the same order, and its capacity factor stays
        // 1. What must happen on time, shipping to waiting orders, gets a DayStart event
        // (Replication::schedule_day_start); pushed output ships as produced, so never.
        plan.lazy_output = plan.kind == NodeKind::Mine && plan.batch_rate_per_day <= 0.0 &&
                           plan.push.empty() && plan.purchases.empty() && outage[n] == 0;
        // Orders allocated one by one as they arrive get what one FIFO pass over all of them
        // would give: nothing else happens at the node between them (a stockpile also ships
        // releases in that phase), no quota makes one order's share depend on the others', and
        // a make-to-stock refinery starts the same batches either way unless a continuous review
        // would order after each start.
        if (!plan.sells || plan.rationing != Rationing::Fifo || plan.kind == NodeKind::Stockpile)
            continue;
        const bool quota = shock_index_.quota[*plan.sells] != 0;
        const bool own_input =
            std::any_of(plan.recipe.begin(), plan.recipe.end(),
                        [&](const Coefficient& c) { return c.commodity == *plan.sells; });
        plan.allocate_on_arrival = !quota && !(plan.output_target && (continuous || own_input));
    }
}

namespace {
std::uint64_t pair_key(NodeIndex from, NodeIndex to) {
    return (std::uint64_t{from} << 32) | std::uint64_t{to};
}
} // namespace

PathIndex Model::find_path(NodeIndex from, NodeIndex to) const {
    if (const auto it = path_index_.find(pair_key(from, to)); it != path_index_.end()) {
        return it->second;
    }
    throw std::logic_error("chainshock: no path between '" + network_->node(from).id + "' and '" +
                           network_->node(to).id + "'");
}

double Model::usage_tpd(NodeIndex n, CommodityIndex c) const {
    const NodePlan& plan = nodes_[n];
    if (!plan.demand) return 0.0;
    for (const Coefficient& line : plan.bom) {
        if (line.commodity == c) return line.per_t * plan.demand->mean_tpd();
    }
    return 0.0;
}

std::optional<std::pair<std::size_t, std::size_t>> Model::policy_of(NodeIndex n) const {
    for (std::size_t p = 0; p < policies_.size(); ++p) {
        for (std::size_t k = 0; k < policies_[p].stockpiles.size(); ++k) {
            if (policies_[p].stockpiles[k] != n) continue;
            const bool bloc = policies_[p].mode == StockpilePolicySpec::Mode::Coordinated;
            return std::pair{p, bloc ? std::size_t{0} : k};
        }
    }
    return std::nullopt;
}

double Model::price(CommodityIndex c) const {
    return network_->spec().commodities[c].price_usd_per_t;
}

PathIndex Model::add_path(NodeIndex from, NodeIndex to) {
    // Paths are numbered in the order they are first used.
    const auto [it, added] =
        path_index_.try_emplace(pair_key(from, to), static_cast<PathIndex>(paths_.size()));
    if (!added) return it->second;
    PathPlan plan{from, to, network_->path(from, to), 0.0};
    for (RouteIndex r : plan.routes) plan.cost_usd_per_t += network_->route(r).cost_usd_per_t;
    paths_.push_back(std::move(plan));
    return it->second;
}

std::vector<Partner> Model::partners(const std::vector<SupplierRef>& refs, bool outbound,
                                     NodeIndex self) {
    std::vector<Partner> out;
    double total = 0.0;
    for (const auto& ref : refs) total += ref.share;
    for (const auto& ref : refs) {
        const NodeIndex other = network_->node_index(ref.node);
        const double share = total > 0.0 ? ref.share / total : 1.0 / double(refs.size());
        out.push_back(
            Partner{other, share, outbound ? add_path(self, other) : add_path(other, self)});
    }
    return out;
}

void Model::compile_node(NodeIndex n) {
    const NodeSpec& spec = network_->node(n);
    NodePlan& plan = nodes_[n];
    plan.kind = spec.kind;
    plan.rationing = spec.rationing;
    plan.costs = spec.costs;
    if (spec.storage_capacity_t) plan.storage_capacity = to_kg(*spec.storage_capacity_t);
    for (const auto& [commodity, tonnes] : spec.inventory_t) {
        initial_[n * commodity_count_ + network_->commodity_index(commodity)] = to_kg(tonnes);
    }
    switch (spec.kind) {
    case NodeKind::Mine:
        plan.sells = network_->commodity_index(spec.commodity);
        plan.daily_output = to_kg(spec.capacity_tpd);
        plan.yield_factor = spec.yield_factor;
        plan.batch_rate_per_day = spec.batch_rate_per_day;
        plan.batch_output = to_kg(spec.batch_t);
        break;
    case NodeKind::Refinery:
        plan.sells = network_->commodity_index(spec.output);
        for (const auto& [input, per_t] : spec.recipe) {
            plan.recipe.push_back(Coefficient{network_->commodity_index(input), per_t});
        }
        plan.lines = spec.lines;
        if (spec.output_target_t) plan.output_target = to_kg(*spec.output_target_t);
        plan.processing_days = spec.processing_days;
        plan.refinery_batch = std::max<Kg>(
            1, to_kg(spec.capacity_tpd * spec.processing_days.mean_value() / double(spec.lines)));
        break;
    case NodeKind::Port:
        plan.dwell = engine::days_to_ticks(spec.dwell_days);
        if (spec.throughput_tpd) {
            plan.throughput_kg_per_tick = *spec.throughput_tpd * kKgPerTonne / engine::kTicksPerDay;
        }
        break;
    case NodeKind::Manufacturer:
        plan.demand = spec.demand;
        plan.backorders = spec.backorders;
        if (spec.bom.empty()) {
            plan.bom.push_back(Coefficient{network_->commodity_index(spec.demand->commodity), 1.0});
        } else {
            for (const auto& [input, per_t] : spec.bom) {
                plan.bom.push_back(Coefficient{network_->commodity_index(input), per_t});
            }
        }
        break;
    case NodeKind::Stockpile:
        plan.sells = network_->commodity_index(spec.commodity);
        plan.storage_capacity = to_kg(spec.capacity_t);
        break;
    case NodeKind::Warehouse:
        plan.sells = network_->commodity_index(spec.commodity);
        break;
    }
    plan.push = partners(spec.push_to, true, n);
    for (const auto& rep : spec.replenish) {
        Purchase purchase;
        purchase.commodity = network_->commodity_index(rep.commodity);
        purchase.suppliers = partners(rep.suppliers, false, n);
        purchase.sourcing = rep.sourcing;
        purchase.policy = rep.policy;
        for (const auto& c : plan.kind == NodeKind::Manufacturer ? plan.bom : plan.recipe) {
            if (c.commodity != purchase.commodity) continue;
            purchase.per_t_sold = c.per_t;
            purchase.usage_tpd = plan.kind == NodeKind::Manufacturer
                                     ? c.per_t * spec.demand->mean_tpd()
                                     : c.per_t * spec.capacity_tpd;
        }
        if (plan.sells == purchase.commodity) purchase.per_t_sold = 1.0; // resold as bought
        plan.forecasts = plan.forecasts || purchase.forecasts();
        plan.purchases.push_back(std::move(purchase));
    }
}

} // namespace chainshock::models
