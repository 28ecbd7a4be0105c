#include "models/stress.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

namespace chainshock::models {

namespace {

bool is_producer(const NodeSpec& node) {
    return node.kind == NodeKind::Mine || node.kind == NodeKind::Refinery;
}

/// The commodity a mine or refinery sells.
const std::string& sold_by(const NodeSpec& node) {
    return node.kind == NodeKind::Refinery ? node.output : node.commodity;
}

/// `stress`, or the first of `stress_2`, `stress_3`, ... that no shock of `spec` uses.
std::string unused_shock_id(const ScenarioSpec& spec) {
    const auto used = [&](const std::string& id) {
        return std::any_of(spec.shocks.begin(), spec.shocks.end(),
                           [&](const ShockSpec& s) { return s.id == id; });
    };
    std::string id = "stress";
    for (int n = 2; used(id); ++n) id = "stress_" + std::to_string(n);
    return id;
}

/// A scripted shock of `type` for [start_day, start_day + duration_days).
ShockSpec timed_shock(ShockSpec::Type type, const std::string& id, double start_day,
                      double duration_days) {
    ShockSpec s;
    s.type = type;
    s.id = id;
    s.start_day = start_day;
    s.duration_days = duration_days;
    return s;
}

/// (exporting country, commodity) pairs, by country index then commodity index, of every
/// mine or refinery that sells to a buyer in another country (by replenish or push_to).
std::set<std::pair<std::uint32_t, CommodityIndex>> cross_border_sales(const Network& net) {
    std::set<std::pair<std::uint32_t, CommodityIndex>> out;
    const auto link = [&](NodeIndex seller, NodeIndex buyer) {
        if (!is_producer(net.node(seller)) || net.country_of(seller) == net.country_of(buyer))
            return;
        out.emplace(net.country_of(seller), net.commodity_index(sold_by(net.node(seller))));
    };
    for (NodeIndex n = 0; n < net.node_count(); ++n) {
        for (const ReplenishSpec& rep : net.node(n).replenish) {
            for (const SupplierRef& sup : rep.suppliers) link(net.node_index(sup.node), n);
        }
        for (const PushTarget& target : net.node(n).push_to) link(n, net.node_index(target.node));
    }
    return out;
}

} // namespace

ScenarioSpec stress_baseline(const Network& network, double start_day) {
    ScenarioSpec spec = network.spec();
    spec.resilience.shock_start_day = start_day;
    return spec;
}

std::vector<StressCase> stress_cases(const Network& network, double start_day,
                                     double duration_days) {
    const auto horizon = double(network.spec().horizon_days);
    if (!(start_day >= 0.0 && start_day < horizon)) {
        throw std::invalid_argument("stress: start day must be in [0, horizon)");
    }
    if (!(duration_days > 0.0 && std::isfinite(duration_days))) {
        throw std::invalid_argument("stress: duration must be a positive number of days");
    }
    const ScenarioSpec base = stress_baseline(network, start_day);
    const std::string id = unused_shock_id(base);
    std::vector<StressCase> cases;
    const auto add = [&](std::string kind, std::string target, ShockSpec shock) {
        StressCase c{std::move(kind), std::move(target), base};
        c.spec.shocks.push_back(std::move(shock));
        cases.push_back(std::move(c));
    };
    for (const NodeSpec& node : base.nodes) {
        if (!is_producer(node) && node.kind != NodeKind::Port) continue;
        ShockSpec s = timed_shock(ShockSpec::Type::Outage, id, start_day, duration_days);
        s.nodes = {node.id};
        s.capacity_factor = 0.0;
        add("outage", node.id, std::move(s));
    }
    std::set<std::string> closed; // parallel routes (same from and to) close together
    for (const RouteSpec& route : base.routes) {
        if (!closed.insert(route.from + "->" + route.to).second) continue;
        ShockSpec s = timed_shock(ShockSpec::Type::RouteClosure, id, start_day, duration_days);
        s.route_from = route.from;
        s.route_to = route.to;
        s.in_transit = ShockSpec::InTransit::Held;
        add("closure", route.from + "->" + route.to, std::move(s));
    }
    for (const auto& [country, commodity] : cross_border_sales(network)) {
        ShockSpec s = timed_shock(ShockSpec::Type::ExportBan, id, start_day, duration_days);
        s.country = network.countries()[country];
        s.commodity = base.commodities[commodity].id;
        std::string target = s.country + " " + s.commodity; // before s is moved from
        add("export_ban", std::move(target), std::move(s));
    }
    return cases;
}

} // namespace chainshock::models
