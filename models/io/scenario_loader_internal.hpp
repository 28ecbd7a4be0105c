#pragma once
/// Shared between the scenario_loader*.cpp files; not part of the public API.

#include "models/io/yaml_reader.hpp"
#include "models/scenario_spec.hpp"

#include <array>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chainshock::models::io::detail {

/// A reference to a node, checked once every node has been read (a node may name a supplier
/// defined further down the file).
struct PendingNodeRef {
    std::string node;        ///< the id referred to
    std::string path;        ///< key path of the reference
    SourcePos where;         ///< position of the reference
    std::string must_supply; ///< commodity the node must be able to supply; empty = any node
};

/// What the loader knows so far, for references and duplicate checks.
struct LoadContext {
    std::string_view file;
    std::map<std::string, int, std::less<>> commodity_lines; ///< id -> line of its definition
    std::map<std::string, int, std::less<>> node_lines;      ///< id -> line of its definition
    std::vector<PendingNodeRef> node_refs;

    /// The id of an existing commodity; fails otherwise.
    [[nodiscard]] std::string commodity_ref(const YamlValue& value) const;
    /// The id of an existing node (only once all nodes are read); fails otherwise.
    [[nodiscard]] std::string node_ref(const YamlValue& value) const;
};

/// `a` followed by `b` (key lists built from common and variant-specific keys).
[[nodiscard]] std::vector<std::string_view> concat(std::span<const std::string_view> a,
                                                   std::span<const std::string_view> b);

// scenario_loader_parts.cpp
/// A number (fixed, obeying `fixed_bound`) or `{dist: ...}`; all parameters are non-negative.
[[nodiscard]] DistributionSpec read_distribution(const YamlValue& value, Bound fixed_bound);
/// `{commodity: t}` with existing commodities and amounts obeying `bound`.
[[nodiscard]] std::map<std::string, double> read_amounts(const YamlValue& value, Bound bound,
                                                         const LoadContext& ctx);
/// `push_to` / `suppliers`: ids or `{node, share}`; queues the references in `ctx`.
/// `must_supply` non-empty: every node must be able to supply that commodity.
[[nodiscard]] std::vector<SupplierRef> read_node_list(const YamlValue& value,
                                                      const std::string& self,
                                                      const std::string& must_supply,
                                                      bool allow_empty, LoadContext& ctx);
[[nodiscard]] std::vector<ReplenishSpec>
read_replenish_list(const YamlValue& value, const std::string& self, LoadContext& ctx);
[[nodiscard]] DemandSpec read_demand(const YamlValue& value, const LoadContext& ctx);
[[nodiscard]] CostSpec read_costs(const YamlValue& value);

// scenario_loader_nodes.cpp
[[nodiscard]] NodeSpec read_node(const YamlValue& value, LoadContext& ctx);
/// Checks the queued node references against `nodes` (existence, ability to supply).
void resolve_node_refs(const std::vector<NodeSpec>& nodes, const LoadContext& ctx);

// ---- issue 4: blocs, shocks, market, stockpile policies, resilience ----------------------------

/// `kind` names (shock `select.kind`, and messages such as `node 'x' (mine) is not a port`).
inline constexpr std::array kNodeKindChoices{
    std::pair{std::string_view("mine"), NodeKind::Mine},
    std::pair{std::string_view("refinery"), NodeKind::Refinery},
    std::pair{std::string_view("port"), NodeKind::Port},
    std::pair{std::string_view("manufacturer"), NodeKind::Manufacturer},
    std::pair{std::string_view("stockpile"), NodeKind::Stockpile},
    std::pair{std::string_view("warehouse"), NodeKind::Warehouse}};

/// What shocks and stockpile policies may refer to, built once nodes, routes and blocs are read.
/// Points into the ScenarioSpec it was made from, which must outlive it and keep its nodes.
struct ScenarioIndex {
    std::map<std::string, const NodeSpec*, std::less<>> nodes;
    std::set<std::string, std::less<>> countries; ///< countries of some node
    std::map<std::string, const BlocSpec*, std::less<>> blocs;
    std::set<std::pair<std::string, std::string>> routes; ///< (from, to) of every route
    std::set<std::string, std::less<>> modes;             ///< modes of the routes

    /// A country of some node or a bloc id; fails otherwise.
    [[nodiscard]] std::string country_or_bloc(const YamlValue& value) const;
    /// A list of those (may be empty).
    [[nodiscard]] std::vector<std::string> country_or_bloc_list(const YamlValue& value) const;
    /// An existing node; fails otherwise.
    [[nodiscard]] const NodeSpec& node(const YamlValue& value) const;
    /// An existing node of kind `kind`; fails with `node 'x' (mine) is not a <kind>` otherwise.
    [[nodiscard]] const NodeSpec& node_of_kind(const YamlValue& value, NodeKind kind) const;
    /// Whether `node` is in `country_or_bloc` (a country, or a bloc holding the node's country).
    [[nodiscard]] bool in_country(const NodeSpec& node, std::string_view country_or_bloc) const;
};

// scenario_loader_policies.cpp
[[nodiscard]] std::string_view node_kind_name(NodeKind kind);
/// Which ends of [0, 1] a fraction may take.
enum class Fraction {
    Closed,   ///< [0, 1]
    BelowOne, ///< [0, 1)
    AboveZero ///< (0, 1]
};
/// A number in the range: `expected a number in [0, 1], got 1.5`.
[[nodiscard]] double fraction(const YamlValue& value, Fraction range);
/// The one entry of `map` among `keys`; fails with `expected exactly one of: ...` at the map when
/// there is none, or at the second one given.
[[nodiscard]] const YamlMap::Entry& exactly_one(const YamlMap& map,
                                                std::span<const std::string_view> keys);
/// `blocs`: ids unique and not a country; countries those of some node in `nodes`.
[[nodiscard]] std::vector<BlocSpec> read_blocs(const YamlValue& value,
                                               const std::vector<NodeSpec>& nodes);
/// The index over `spec`'s nodes, routes and blocs (read those first).
[[nodiscard]] ScenarioIndex make_index(const ScenarioSpec& spec);
[[nodiscard]] MarketSpec read_market(const YamlValue& value);
[[nodiscard]] std::vector<StockpilePolicySpec>
read_stockpile_policies(const YamlValue& value, const ScenarioIndex& index, const LoadContext& ctx);
[[nodiscard]] ResilienceSpec read_resilience(const YamlValue& value);

// scenario_loader_shocks.cpp
/// `shocks`: every key checked per type; ids default to `<type>_<index>` and are unique.
[[nodiscard]] std::vector<ShockSpec> read_shocks(const YamlValue& value, const ScenarioIndex& index,
                                                 const LoadContext& ctx);

} // namespace chainshock::models::io::detail
