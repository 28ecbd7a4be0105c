#include "models/disruption_plan.hpp"

#include <algorithm>

namespace chainshock::models {

bool ShockPlan::covers_node(std::size_t i, NodeIndex n) const {
    return random ? nodes[i] == n : std::find(nodes.begin(), nodes.end(), n) != nodes.end();
}

bool ShockPlan::covers_route(std::size_t i, RouteIndex r) const {
    return random ? routes[i] == r : std::find(routes.begin(), routes.end(), r) != routes.end();
}

ShockIndex index_shocks(const std::vector<ShockPlan>& shocks, std::size_t routes,
                        std::size_t commodities) {
    ShockIndex index;
    index.closures_by_route.resize(routes);
    index.export_bans.resize(commodities);
    index.quota.assign(commodities, 0);
    index.import_charges.resize(commodities);
    for (std::uint32_t s = 0; s < shocks.size(); ++s) {
        const ShockPlan& plan = shocks[s];
        if (plan.type == ShockSpec::Type::RouteClosure) {
            // A random closure runs one process per lane (instance i closes routes[i]); the
            // others close all their lanes at once (instance 0). Lanes are listed once each.
            for (std::uint32_t i = 0; i < plan.routes.size(); ++i) {
                const ShockInstance closes{s, plan.random ? i : 0};
                index.closures_by_route[plan.routes[i]].push_back(closes);
            }
        }
        // A shock without a commodity matches no trade (as in a scan comparing commodities).
        if (!plan.commodity) continue;
        if (plan.type == ShockSpec::Type::ExportBan) {
            index.export_bans[*plan.commodity].push_back(s);
            if (plan.has_quota) index.quota[*plan.commodity] = 1;
            index.any_quota = index.any_quota || plan.has_quota;
        }
        if (plan.type == ShockSpec::Type::Tariff || plan.type == ShockSpec::Type::PriceFloor) {
            index.import_charges[*plan.commodity].push_back(s);
        }
    }
    return index;
}

CountrySet resolve_countries(const Network& network, const std::vector<std::string>& names) {
    const auto& countries = network.countries();
    CountrySet set(countries.size(), false);
    const auto mark = [&](const std::string& country) {
        const auto it = std::find(countries.begin(), countries.end(), country);
        if (it != countries.end()) set[static_cast<std::size_t>(it - countries.begin())] = true;
    };
    for (const auto& name : names) {
        bool bloc = false;
        for (const auto& b : network.spec().blocs) {
            if (b.id != name) continue;
            bloc = true;
            for (const auto& c : b.countries) mark(c);
        }
        if (!bloc) mark(name);
    }
    return set;
}

namespace {

bool route_matches(const Network& net, RouteIndex r, const ShockSpec& s) {
    const RouteSpec& route = net.route(r);
    if (!s.mode.empty()) return route.mode == s.mode;
    if (!s.port.empty()) return route.from == s.port || route.to == s.port;
    return route.from == s.route_from && route.to == s.route_to;
}

std::vector<NodeIndex> shock_nodes(const Network& net, const ShockSpec& s) {
    std::vector<NodeIndex> out;
    if (!s.nodes.empty()) {
        for (const auto& id : s.nodes) out.push_back(net.node_index(id));
        return out;
    }
    const CountrySet countries =
        s.select_country.empty() ? CountrySet{} : resolve_countries(net, {s.select_country});
    const std::string& demand_country = s.type == ShockSpec::Type::Demand ? s.country : "";
    const CountrySet demand_set =
        demand_country.empty() ? CountrySet{} : resolve_countries(net, {demand_country});
    for (NodeIndex n = 0; n < net.node_count(); ++n) {
        const NodeSpec& node = net.node(n);
        if (s.type == ShockSpec::Type::Demand) {
            if (node.kind == NodeKind::Manufacturer && demand_set[net.country_of(n)])
                out.push_back(n);
            continue;
        }
        if (!countries.empty() && !countries[net.country_of(n)]) continue;
        if (s.select_kind && node.kind != *s.select_kind) continue;
        out.push_back(n);
    }
    return out;
}

// Each exporter's share of a country quota, in proportion to its capacity (1 t/day for nodes
// without one), so exporters never share a mutable counter.
std::vector<Kg> quota_allowances(const Network& net, const ShockPlan& plan, double quota_tpd) {
    std::vector<Kg> out(net.node_count(), 0);
    std::vector<double> weight(net.node_count(), 0.0);
    double total = 0.0;
    for (NodeIndex n = 0; n < net.node_count(); ++n) {
        const NodeSpec& node = net.node(n);
        if (!plan.origin[net.country_of(n)]) continue;
        const std::string& sells = node.kind == NodeKind::Refinery ? node.output : node.commodity;
        if (sells.empty() || net.commodity_index(sells) != *plan.commodity) continue;
        weight[n] = node.capacity_tpd > 0.0 ? node.capacity_tpd : 1.0;
        total += weight[n];
    }
    for (NodeIndex n = 0; n < net.node_count(); ++n) {
        if (total > 0.0) out[n] = to_kg(quota_tpd * weight[n] / total);
    }
    return out;
}

ShockPlan compile_shock(const Network& net, const ShockSpec& s) {
    ShockPlan p;
    p.type = s.type;
    p.id = s.id;
    p.in_transit = s.in_transit;
    if (!s.commodity.empty()) p.commodity = net.commodity_index(s.commodity);
    p.start = engine::days_to_ticks(s.start_day);
    if (s.duration_days) p.duration = engine::days_to_ticks(*s.duration_days);
    p.random = s.up_days.has_value();
    p.up_days = s.up_days;
    p.down_days = s.down_days;
    p.trigger = s.trigger;
    if (s.trigger) {
        if (!s.trigger->commodity.empty())
            p.trigger_commodity = net.commodity_index(s.trigger->commodity);
        if (!s.trigger->country.empty())
            p.trigger_countries = resolve_countries(net, {s.trigger->country});
    }
    p.destroyed_share = s.destroyed_share;
    p.rate = s.rate;
    p.floor_usd_per_t = s.floor_usd_per_t;
    switch (s.type) {
    case ShockSpec::Type::ExportBan: {
        p.origin = resolve_countries(net, {s.country});
        p.destination = s.destinations.empty() ? CountrySet(net.countries().size(), true)
                                               : resolve_countries(net, s.destinations);
        const CountrySet exempt = resolve_countries(net, s.exempt);
        for (std::size_t c = 0; c < p.destination.size(); ++c) {
            if (exempt[c] || p.origin[c]) p.destination[c] = false;
        }
        if (s.quota_tpd) {
            p.has_quota = true;
            p.quota_per_node = quota_allowances(net, p, *s.quota_tpd);
        }
        break;
    }
    case ShockSpec::Type::Outage:
        p.nodes = shock_nodes(net, s);
        p.factor = s.capacity_factor;
        break;
    case ShockSpec::Type::Demand:
        p.nodes = shock_nodes(net, s);
        p.factor = s.factor;
        break;
    case ShockSpec::Type::RouteClosure:
    case ShockSpec::Type::LeadTime:
        for (RouteIndex r = 0; r < net.route_count(); ++r) {
            if (route_matches(net, r, s)) p.routes.push_back(r);
        }
        p.factor = s.factor;
        if (s.type == ShockSpec::Type::RouteClosure &&
            s.in_transit == ShockSpec::InTransit::Continue) {
            p.in_transit = ShockSpec::InTransit::Held;
        }
        break;
    case ShockSpec::Type::Tariff:
        p.destination = resolve_countries(net, {s.importer});
        p.origin = s.origin.empty() ? CountrySet{} : resolve_countries(net, {s.origin});
        break;
    case ShockSpec::Type::PriceFloor:
        p.destination = resolve_countries(net, {s.importer});
        p.exempt = resolve_countries(net, s.exempt);
        break;
    }
    return p;
}

bool uses_commodity(const NodeSpec& node, const std::string& commodity) {
    if (node.kind != NodeKind::Manufacturer) return false;
    if (node.bom.empty()) return node.demand && node.demand->commodity == commodity;
    return node.bom.count(commodity) > 0;
}

} // namespace

std::vector<ShockPlan> compile_shocks(const Network& network) {
    std::vector<ShockPlan> out;
    for (const auto& s : network.spec().shocks) out.push_back(compile_shock(network, s));
    return out;
}

std::vector<PolicyPlan> compile_policies(const Network& net) {
    std::vector<PolicyPlan> out;
    for (const auto& s : net.spec().stockpile_policies) {
        PolicyPlan p;
        p.id = s.id;
        p.mode = s.mode;
        p.trigger = s.trigger;
        p.trigger_value = s.trigger_value;
        p.commodity = net.commodity_index(s.commodity);
        p.release_per_day = to_kg(s.release_tpd);
        if (s.total_t) p.total = to_kg(*s.total_t);
        if (s.duration_days) p.duration = engine::days_to_ticks(*s.duration_days);
        p.stop_days_of_cover = s.stop_days_of_cover;
        p.refill_per_day = to_kg(s.refill_tpd);
        p.refill_price_ceiling = s.refill_price_ceiling;
        if (!s.refill_supplier.empty()) p.refill_supplier = net.node_index(s.refill_supplier);
        CountrySet members(net.countries().size(), false);
        for (const auto& id : s.stockpiles) {
            p.stockpiles.push_back(net.node_index(id));
            members[net.country_of(p.stockpiles.back())] = true;
        }
        for (NodeIndex n = 0; n < net.node_count(); ++n) {
            if (members[net.country_of(n)] && uses_commodity(net.node(n), s.commodity)) {
                p.bloc_manufacturers.push_back(n);
            }
        }
        for (NodeIndex sp : p.stockpiles) {
            std::vector<NodeIndex> served;
            for (NodeIndex m : p.bloc_manufacturers) {
                if (s.mode == StockpilePolicySpec::Mode::Coordinated ||
                    net.country_of(m) == net.country_of(sp)) {
                    served.push_back(m);
                }
            }
            p.served.push_back(std::move(served));
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace chainshock::models
