#pragma once
/// The immutable supply-chain network: topology and static properties, built once from a scenario
/// and shared read-only by every replication. Topology is a Boost.Graph adjacency_list with bundled
/// node and route properties; vertex i is node i of the scenario (vecS storage keeps indices
/// stable), edge properties carry the route index.

#include "models/scenario_spec.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chainshock::models {

using NodeIndex = std::uint32_t;
using CommodityIndex = std::uint32_t;
using RouteIndex = std::uint32_t;

/// Bundled vertex properties.
struct NodeProps {
    std::string id;
    NodeKind kind = NodeKind::Mine;
    std::string country;
};

/// Bundled edge properties.
struct RouteProps {
    RouteIndex index = 0;
    std::string mode;
    double lead_time_mean_days = 0.0;
    double cost_usd_per_t = 0.0;
};

using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, NodeProps, RouteProps>;

/// `mine`, `refinery`, ... as written in scenarios.
std::string_view to_string(NodeKind kind);

class Network {
public:
    /// Builds the network. Throws ScenarioError for problems only visible on the whole graph
    /// (e.g. a supplier with no route to its buyer).
    explicit Network(ScenarioSpec spec);

    [[nodiscard]] const ScenarioSpec& spec() const { return spec_; }
    [[nodiscard]] const Graph& graph() const { return graph_; }
    [[nodiscard]] std::size_t node_count() const { return spec_.nodes.size(); }
    [[nodiscard]] std::size_t commodity_count() const { return spec_.commodities.size(); }
    [[nodiscard]] std::size_t route_count() const { return spec_.routes.size(); }
    [[nodiscard]] const NodeSpec& node(NodeIndex n) const { return spec_.nodes[n]; }
    [[nodiscard]] const RouteSpec& route(RouteIndex r) const { return spec_.routes[r]; }
    [[nodiscard]] std::optional<NodeIndex> find_node(std::string_view id) const;
    [[nodiscard]] std::optional<CommodityIndex> find_commodity(std::string_view id) const;
    [[nodiscard]] NodeIndex node_index(std::string_view id) const;           ///< id must exist
    [[nodiscard]] CommodityIndex commodity_index(std::string_view id) const; ///< id must exist

    /// Countries in order of first appearance among the nodes.
    [[nodiscard]] const std::vector<std::string>& countries() const { return countries_; }
    [[nodiscard]] std::uint32_t country_of(NodeIndex n) const { return node_country_[n]; }

    /// The routes of the shortest path (by mean lead time, Dijkstra) from `from` to `to`; empty
    /// when from == to. Precomputed for every supplier/buyer and push pair of the scenario.
    [[nodiscard]] const std::vector<RouteIndex>& path(NodeIndex from, NodeIndex to) const;
    /// Sum of mean lead times along path(from, to), in days.
    [[nodiscard]] double path_lead_time_days(NodeIndex from, NodeIndex to) const;
    /// Computes the shortest path over every route (Dijkstra); nullopt when unreachable.
    [[nodiscard]] std::optional<std::vector<RouteIndex>> shortest_path(NodeIndex from,
                                                                       NodeIndex to) const;
    /// The shortest path over the routes not flagged in `closed` (indexed by route): Dijkstra
    /// over a boost::filtered_graph that hides the closed lanes without copying the graph.
    [[nodiscard]] std::optional<std::vector<RouteIndex>>
    shortest_open_path(NodeIndex from, NodeIndex to, const std::vector<bool>& closed) const;

private:
    void index_entities();
    void build_graph();
    void precompute_paths();
    [[nodiscard]] double path_weight(const Graph::edge_descriptor& e) const;
    template <class G>
    std::optional<std::vector<RouteIndex>> dijkstra(const G& g, NodeIndex from, NodeIndex to) const;
    template <class G>
    std::vector<RouteIndex> routes_along(const G& g,
                                         const std::vector<Graph::vertex_descriptor>& pred,
                                         NodeIndex from, NodeIndex to) const;
    class PathSearch;

    ScenarioSpec spec_;
    Graph graph_;
    std::vector<std::string> countries_;
    std::vector<std::uint32_t> node_country_;
    std::vector<std::pair<std::string, NodeIndex>> node_ids_;              // sorted by id
    std::vector<std::pair<std::string, CommodityIndex>> commodity_ids_;    // sorted by id
    std::vector<std::pair<std::uint64_t, std::vector<RouteIndex>>> paths_; // sorted by (from,to)
};

} // namespace chainshock::models
