#pragma once
// Small helpers to build ScenarioSpecs in C++ for model tests (no YAML involved).

#include "models/scenario_spec.hpp"

#include <string>
#include <utility>

namespace chainshock::models::testing {

/// A distribution given by its mean and standard deviation (normal, lognormal, ...).
inline DistributionSpec mean_sd(DistributionSpec::Kind kind, double mean, double sd) {
    DistributionSpec d;
    d.kind = kind;
    d.mean = mean;
    d.sd = sd;
    return d;
}

inline ScenarioSpec base_spec(std::int64_t horizon_days, std::vector<std::string> commodities) {
    ScenarioSpec spec;
    spec.name = "test";
    spec.horizon_days = horizon_days;
    spec.source_file = "test.yaml";
    for (auto& c : commodities)
        spec.commodities.push_back(CommoditySpec{std::move(c), "t", 0.0, {}});
    return spec;
}

inline NodeSpec& add_node(ScenarioSpec& spec, std::string id, NodeKind kind,
                          std::string country = "XX") {
    NodeSpec node;
    node.id = std::move(id);
    node.kind = kind;
    node.country = std::move(country);
    spec.nodes.push_back(std::move(node));
    return spec.nodes.back();
}

inline NodeSpec& add_mine(ScenarioSpec& spec, std::string id, std::string commodity,
                          double capacity_tpd) {
    NodeSpec& node = add_node(spec, std::move(id), NodeKind::Mine);
    node.commodity = std::move(commodity);
    node.capacity_tpd = capacity_tpd;
    return node;
}

inline NodeSpec& add_manufacturer(ScenarioSpec& spec, std::string id, std::string commodity,
                                  double tpd) {
    NodeSpec& node = add_node(spec, std::move(id), NodeKind::Manufacturer);
    DemandSpec demand;
    demand.commodity = std::move(commodity);
    demand.per_day = DistributionSpec::fixed(tpd);
    node.demand = demand;
    return node;
}

inline void add_route(ScenarioSpec& spec, std::string from, std::string to, double lead_days) {
    RouteSpec route;
    route.from = std::move(from);
    route.to = std::move(to);
    route.lead_time_days = DistributionSpec::fixed(lead_days);
    spec.routes.push_back(std::move(route));
}

/// A lead-time shock on the lane from -> to (all the horizon unless the test sets a window).
inline void add_lead_time_shock(ScenarioSpec& spec, std::string id, std::string from,
                                std::string to, double factor) {
    ShockSpec shock;
    shock.type = ShockSpec::Type::LeadTime;
    shock.id = std::move(id);
    shock.route_from = std::move(from);
    shock.route_to = std::move(to);
    shock.factor = factor;
    spec.shocks.push_back(shock);
}

inline ReplenishSpec base_stock(std::string commodity, std::vector<std::string> suppliers,
                                double level_t) {
    ReplenishSpec rep;
    rep.commodity = std::move(commodity);
    for (auto& s : suppliers) rep.suppliers.push_back(SupplierRef{std::move(s), 0.0, {}});
    rep.policy.type = PolicySpec::Type::BaseStock;
    rep.policy.level_t = level_t;
    return rep;
}

} // namespace chainshock::models::testing

#include "models/network.hpp"
#include "models/simulation.hpp"

#include <stdexcept>

namespace chainshock::models::testing {

inline ReplicationResult run_once(const ScenarioSpec& spec, std::uint64_t seed = 1) {
    const Network network(spec);
    return run_replication(network, seed, 0, true);
}

inline double kpi(const ReplicationResult& r, const std::string& entity,
                  const std::string& metric) {
    for (const auto& k : r.kpis) {
        if (k.entity == entity && k.metric == metric) return k.value;
    }
    throw std::runtime_error("no KPI " + entity + "." + metric);
}

inline double series(const ReplicationResult& r, std::int64_t day, const std::string& entity,
                     const std::string& metric) {
    for (const auto& p : r.series) {
        if (p.day == day && p.entity == entity && p.metric == metric) return p.value;
    }
    throw std::runtime_error("no series point " + entity + "." + metric);
}

} // namespace chainshock::models::testing
