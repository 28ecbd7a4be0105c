#include "models/network.hpp"

#include "models/disruption_plan.hpp"
#include "models/scenario_error.hpp"

#include <algorithm>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <functional>
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

template <class G>
std::optional<std::vector<RouteIndex>> Network::dijkstra(const G& g, NodeIndex from,
                                                         NodeIndex to) const {
    const std::size_t n = boost::num_vertices(graph_);
    std::vector<Graph::vertex_descriptor> pred(n);
    std::vector<double> dist(n, 0.0);
    const auto weight = [this](const Graph::edge_descriptor& e) { return path_weight(e); };
    const auto index = boost::get(boost::vertex_index, graph_);
    boost::dijkstra_shortest_paths(
        g, from,
        boost::predecessor_map(boost::make_iterator_property_map(pred.begin(), index))
            .distance_map(boost::make_iterator_property_map(dist.begin(), index))
            .weight_map(boost::make_function_property_map<Graph::edge_descriptor>(weight)));
    // Boost marks an unreached vertex as its own predecessor.
    if (pred[to] == to) return std::nullopt;
    return routes_along(g, pred, from, to);
}

template <class G>
std::vector<RouteIndex> Network::routes_along(const G& g,
                                              const std::vector<Graph::vertex_descriptor>& pred,
                                              NodeIndex from, NodeIndex to) const {
    std::vector<RouteIndex> routes;
    for (auto v = static_cast<Graph::vertex_descriptor>(to); v != from; v = pred[v]) {
        // Among parallel open routes pred[v] -> v take the quickest, then the lowest index.
        std::optional<RouteIndex> best;
        for (auto [it, last] = boost::out_edges(pred[v], g); it != last; ++it) {
            if (boost::target(*it, g) != v) continue;
            const RouteProps& p = graph_[*it];
            const auto mean = [this](RouteIndex r) {
                return spec_.routes[r].lead_time_days.mean_value();
            };
            if (!best || p.lead_time_mean_days < mean(*best) ||
                (p.lead_time_mean_days == mean(*best) && p.index < *best)) {
                best = p.index;
            }
        }
        routes.push_back(*best);
    }
    std::reverse(routes.begin(), routes.end());
    return routes;
}

std::optional<std::vector<RouteIndex>> Network::shortest_path(NodeIndex from, NodeIndex to) const {
    if (from == to) return std::vector<RouteIndex>{};
    return dijkstra(graph_, from, to);
}

std::optional<std::vector<RouteIndex>>
Network::shortest_open_path(NodeIndex from, NodeIndex to, const std::vector<bool>& closed) const {
    if (from == to) return std::vector<RouteIndex>{};
    const auto open = [this, &closed](const Graph::edge_descriptor& e) {
        return !closed[graph_[e].index];
    };
    const boost::filtered_graph<Graph, std::function<bool(const Graph::edge_descriptor&)>> g(
        graph_, std::function<bool(const Graph::edge_descriptor&)>(open));
    return dijkstra(g, from, to);
}

double Network::path_weight(const Graph::edge_descriptor& e) const {
    // Every leg takes at least one tick, so a small constant per hop also prefers fewer hops
    // among paths of equal lead time (and makes ties independent of edge storage order).
    return graph_[e].lead_time_mean_days + 1e-6;
}

namespace {

// Thrown by the visitor below to stop a search once its target is settled.
struct TargetSettled {};

struct StopAtTarget : boost::default_dijkstra_visitor {
    Graph::vertex_descriptor target;
    std::vector<Graph::vertex_descriptor>* discovered;
    void discover_vertex(Graph::vertex_descriptor v, const Graph&) const {
        discovered->push_back(v);
    }
    void examine_vertex(Graph::vertex_descriptor v, const Graph&) const {
        if (v == target) throw TargetSettled{};
    }
};

} // namespace

/// Shortest paths for many pairs, each the same as Network::shortest_path gives. A full Dijkstra
/// run initialises every vertex and settles every reachable one, which makes the precomputation
/// quadratic in the network's size. Here the maps live across searches (only the vertices a
/// search discovered are reset) and a search stops when its target is settled: Dijkstra's
/// operations up to that point, and so the target's predecessors, are the same as in a full run
/// (same initial maps, same heap, same order), and a settled vertex's predecessor never changes.
class Network::PathSearch {
public:
    explicit PathSearch(const Network& net)
        : net_(net), pred_(boost::num_vertices(net.graph_)),
          dist_(boost::num_vertices(net.graph_), kInf),
          color_(boost::num_vertices(net.graph_), boost::get(boost::vertex_index, net.graph_)) {
        for (std::size_t v = 0; v < pred_.size(); ++v) pred_[v] = v;
    }

    std::optional<std::vector<RouteIndex>> find(NodeIndex from, NodeIndex to) {
        if (from == to) return std::vector<RouteIndex>{};
        const Graph& g = net_.graph_;
        const auto index = boost::get(boost::vertex_index, g);
        const auto weight = [this](const Graph::edge_descriptor& e) { return net_.path_weight(e); };
        discovered_.clear();
        dist_[from] = 0.0;
        // As dijkstra_shortest_paths with named parameters calls it after its initialisation.
        try {
            boost::dijkstra_shortest_paths_no_init(
                g, static_cast<Graph::vertex_descriptor>(from),
                boost::make_iterator_property_map(pred_.begin(), index),
                boost::make_iterator_property_map(dist_.begin(), index),
                boost::make_function_property_map<Graph::edge_descriptor>(weight), index,
                std::less<double>(), std::plus<double>(), 0.0, StopAtTarget{{}, to, &discovered_},
                color_);
        } catch (const TargetSettled&) {
        }
        std::optional<std::vector<RouteIndex>> found;
        if (pred_[to] != to) found = net_.routes_along(g, pred_, from, to);
        // Back to the state of a fresh search.
        dist_[from] = kInf;
        for (const auto v : discovered_) {
            pred_[v] = v;
            dist_[v] = kInf;
            boost::put(color_, v, boost::two_bit_white);
        }
        return found;
    }

private:
    static constexpr double kInf = std::numeric_limits<double>::max();
    const Network& net_;
    std::vector<Graph::vertex_descriptor> pred_;
    std::vector<double> dist_;
    boost::two_bit_color_map<boost::property_map<Graph, boost::vertex_index_t>::const_type> color_;
    std::vector<Graph::vertex_descriptor> discovered_;
};

void Network::precompute_paths() {
    // Every pair the scenario uses, in the order they are met (the first one without a path is
    // the one reported), each once.
    struct Request {
        NodeIndex from;
        NodeIndex to;
        SourcePos where;
        std::string key;
    };
    std::vector<Request> requests;
    for (NodeIndex n = 0; n < spec_.nodes.size(); ++n) {
        const NodeSpec& node = spec_.nodes[n];
        const std::string base = "nodes[" + std::to_string(n) + "]";
        for (std::size_t r = 0; r < node.replenish.size(); ++r) {
            const auto& rep = node.replenish[r];
            for (std::size_t s = 0; s < rep.suppliers.size(); ++s) {
                const auto& sup = rep.suppliers[s];
                requests.push_back({node_index(sup.node), n, sup.where,
                                    base + ".replenish[" + std::to_string(r) + "].suppliers[" +
                                        std::to_string(s) + "]"});
            }
        }
        for (std::size_t p = 0; p < node.push_to.size(); ++p) {
            const auto& target = node.push_to[p];
            requests.push_back({n, node_index(target.node), target.where,
                                base + ".push_to[" + std::to_string(p) + "]"});
        }
    }
    // Stockpile policies: every stockpile must reach the manufacturers it may release to, and
    // its refill supplier must reach it.
    const auto policies = compile_policies(*this);
    for (std::size_t i = 0; i < policies.size(); ++i) {
        const auto& where = spec_.stockpile_policies[i].where;
        const std::string key = "stockpile_policies[" + std::to_string(i) + "]";
        for (std::size_t k = 0; k < policies[i].stockpiles.size(); ++k) {
            for (NodeIndex m : policies[i].served[k]) {
                requests.push_back({policies[i].stockpiles[k], m, where, key});
            }
            if (policies[i].refill_supplier) {
                requests.push_back(
                    {*policies[i].refill_supplier, policies[i].stockpiles[k], where, key});
            }
        }
    }
    // Each pair is searched once, at its first request.
    std::vector<std::uint64_t> keys;
    keys.reserve(requests.size());
    for (const Request& request : requests) keys.push_back(pair_key(request.from, request.to));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<char> searched(keys.size(), 0);
    paths_.reserve(keys.size());
    PathSearch search(*this);
    for (const Request& request : requests) {
        const std::uint64_t k = pair_key(request.from, request.to);
        const auto at =
            static_cast<std::size_t>(std::lower_bound(keys.begin(), keys.end(), k) - keys.begin());
        if (searched[at] != 0) continue;
        searched[at] = 1;
        auto routes = search.find(request.from, request.to);
        if (!routes) {
            throw ScenarioError(spec_.source_file, request.where.line, request.where.column,
                                request.key,
                                "no route path from '" + spec_.nodes[request.from].id + "' to '" +
                                    spec_.nodes[request.to].id +
                                    "'; expected routes connecting them (directly or via ports)");
        }
        paths_.emplace_back(k, std::move(*routes));
    }
    std::sort(paths_.begin(), paths_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
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
