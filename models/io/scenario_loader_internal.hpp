#pragma once
/// Shared between the scenario_loader*.cpp files; not part of the public API.

#include "models/io/yaml_reader.hpp"
#include "models/scenario_spec.hpp"

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
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

} // namespace chainshock::models::io::detail
