#include "models/network.hpp"

#include "models/scenario_error.hpp"

#include <algorithm>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <limits>
#include <stdexcept>

namespace chainshock::models {

namespace {

std::uint64_t pair_key(NodeIndex from, NodeIndex to) {
    return (std::uint64_t{from} << 32) | std::uint64_t{to};
}

template <class Index>
std::optional<Index> lookup(const std::vector<std::pair<std::string, Index>>& sorted,
                            std::string_view id) {
    const auto it =
        std::lower_bound(sorted.begin(), sorted.end(), id,
                         [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (it == sorted.end() || it->first != id) return std::nullopt;
    return it->second;
}

} // namespace

std::string_view to_string(NodeKind kind) {
    switch (kind) {
    case NodeKind::Mine:
        return "mine";
    case NodeKind::Refinery:
        return "refinery";
    case NodeKind::Port:
        return "port";
    case NodeKind::Manufacturer:
        return "manufacturer";
    case NodeKind::Stockpile:
        return "stockpile";
    case NodeKind::Warehouse:
        return "warehouse";
    }
    return "unknown";
}

Network::Network(ScenarioSpec spec) : spec_(std::move(spec)) {
    index_entities();
    build_graph();
    precompute_paths();
}

void Network::index_entities() {
    for (NodeIndex n = 0; n < spec_.nodes.size(); ++n) {
        node_ids_.emplace_back(spec_.nodes[n].id, n);
        const std::string& country = spec_.nodes[n].country;
        auto it = std::find(countries_.begin(), countries_.end(), country);
        if (it == countries_.end()) {
            countries_.push_back(country);
            it = countries_.end() - 1;
        }
        node_country_.push_back(static_cast<std::uint32_t>(it - countries_.begin()));
    }
    for (CommodityIndex c = 0; c < spec_.commodities.size(); ++c) {
        commodity_ids_.emplace_back(spec_.commodities[c].id, c);
    }
    std::sort(node_ids_.begin(), node_ids_.end());
    std::sort(commodity_ids_.begin(), commodity_ids_.end());
}

void Network::build_graph() {
    graph_ = Graph(spec_.nodes.size());
    for (NodeIndex n = 0; n < spec_.nodes.size(); ++n) {
        const NodeSpec& node = spec_.nodes[n];
        graph_[n] = NodeProps{node.id, node.kind, node.country};
    }
    for (RouteIndex r = 0; r < spec_.routes.size(); ++r) {
        const RouteSpec& route = spec_.routes[r];
        const auto from = find_node(route.from);
        const auto to = find_node(route.to);
        if (!from || !to) {
            throw ScenarioError(spec_.source_file, route.where.line, route.where.column,
                                "routes[" + std::to_string(r) + "]",
                                "route refers to an unknown node");
        }
        boost::add_edge(
            *from, *to,
            RouteProps{r, route.mode, route.lead_time_days.mean_value(), route.cost_usd_per_t},
            graph_);
    }
}

std::optional<std::vector<RouteIndex>> Network::shortest_path(NodeIndex from, NodeIndex to) const {
    if (from == to) return std::vector<RouteIndex>{};
    const std::size_t n = boost::num_vertices(graph_);
    std::vector<Graph::vertex_descriptor> pred(n);
    std::vector<double> dist(n, 0.0);
    // Every leg takes at least one tick, so a small constant per hop also prefers fewer hops
    // among paths of equal lead time (and makes ties independent of edge storage order).
    const auto weight = [this](const Graph::edge_descriptor& e) {
        return graph_[e].lead_time_mean_days + 1e-6;
    };
    boost::dijkstra_shortest_paths(
        graph_, from,
        boost::predecessor_map(boost::make_iterator_property_map(
                                   pred.begin(), boost::get(boost::vertex_index, graph_)))
            .distance_map(boost::make_iterator_property_map(
                dist.begin(), boost::get(boost::vertex_index, graph_)))
            .weight_map(boost::make_function_property_map<Graph::edge_descriptor>(weight)));
    // Boost marks an unreached vertex as its own predecessor.
    if (pred[to] == to) return std::nullopt;
    std::vector<RouteIndex> routes;
    for (auto v = static_cast<Graph::vertex_descriptor>(to); v != from; v = pred[v]) {
        // Among parallel routes pred[v] -> v take the quickest, then the lowest index.
        std::optional<RouteIndex> best;
        for (auto [it, last] = boost::out_edges(pred[v], graph_); it != last; ++it) {
            if (boost::target(*it, graph_) != v) continue;
            const RouteProps& p = graph_[*it];
            if (!best || p.lead_time_mean_days < spec_.routes[*best].lead_time_days.mean_value() ||
                (p.lead_time_mean_days == spec_.routes[*best].lead_time_days.mean_value() &&
                 p.index < *best)) {
                best = p.index;
            }
        }
        routes.push_back(*best);
    }
    std::reverse(routes.begin(), routes.end());
    return routes;
}

void Network::add_path(NodeIndex from, NodeIndex to, const SourcePos& where,
                       const std::string& key) {
    const std::uint64_t k = pair_key(from, to);
    const auto it = std::lower_bound(paths_.begin(), paths_.end(), k,
                                     [](const auto& e, std::uint64_t x) { return e.first < x; });
    if (it != paths_.end() && it->first == k) return;
    auto found = shortest_path(from, to);
    if (!found) {
        throw ScenarioError(spec_.source_file, where.line, where.column, key,
                            "no route path from '" + spec_.nodes[from].id + "' to '" +
                                spec_.nodes[to].id +
                                "'; expected routes connecting them (directly or via ports)");
    }
    paths_.insert(it, {k, std::move(*found)});
}

void Network::precompute_paths() {
    for (NodeIndex n = 0; n < spec_.nodes.size(); ++n) {
        const NodeSpec& node = spec_.nodes[n];
        const std::string base = "nodes[" + std::to_string(n) + "]";
        for (std::size_t r = 0; r < node.replenish.size(); ++r) {
            const auto& rep = node.replenish[r];
            for (std::size_t s = 0; s < rep.suppliers.size(); ++s) {
                const auto& sup = rep.suppliers[s];
                add_path(node_index(sup.node), n, sup.where,
                         base + ".replenish[" + std::to_string(r) + "].suppliers[" +
                             std::to_string(s) + "]");
            }
        }
        for (std::size_t p = 0; p < node.push_to.size(); ++p) {
            const auto& target = node.push_to[p];
            add_path(n, node_index(target.node), target.where,
                     base + ".push_to[" + std::to_string(p) + "]");
        }
    }
}

std::optional<NodeIndex> Network::find_node(std::string_view id) const {
    return lookup(node_ids_, id);
}

std::optional<CommodityIndex> Network::find_commodity(std::string_view id) const {
    return lookup(commodity_ids_, id);
}

NodeIndex Network::node_index(std::string_view id) const {
    if (auto n = find_node(id)) return *n;
    throw std::logic_error("chainshock: unknown node id '" + std::string(id) + "'");
}

CommodityIndex Network::commodity_index(std::string_view id) const {
    if (auto c = find_commodity(id)) return *c;
    throw std::logic_error("chainshock: unknown commodity id '" + std::string(id) + "'");
}

const std::vector<RouteIndex>& Network::path(NodeIndex from, NodeIndex to) const {
    static const std::vector<RouteIndex> kEmpty;
    if (from == to) return kEmpty;
    const std::uint64_t k = pair_key(from, to);
    const auto it = std::lower_bound(paths_.begin(), paths_.end(), k,
                                     [](const auto& e, std::uint64_t x) { return e.first < x; });
    if (it == paths_.end() || it->first != k) {
        throw std::logic_error("chainshock: no precomputed path between '" + spec_.nodes[from].id +
                               "' and '" + spec_.nodes[to].id + "'");
    }
    return it->second;
}

double Network::path_lead_time_days(NodeIndex from, NodeIndex to) const {
    double total = 0.0;
    for (RouteIndex r : path(from, to)) total += spec_.routes[r].lead_time_days.mean_value();
    return total;
}

} // namespace chainshock::models
