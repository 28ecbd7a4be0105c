#pragma once
/// The network as a GraphViz DOT diagram (Boost.Graph's write_graphviz).

#include "models/network.hpp"

#include <ostream>
#include <string_view>

namespace chainshock::models::io {

/// The DOT shape for a node kind: mine invtriangle, refinery box, port ellipse, manufacturer
/// house, stockpile cylinder, warehouse box3d.
std::string_view dot_shape(NodeKind kind);

/// Writes `network` as a `digraph`: one vertex per node (DOT id = node index, label
/// `id\nkind (country)`, shape by kind) and one edge per route (label `mode\nN d`, the mean lead
/// time in days). Ids and labels are quoted and escaped, so any node id is safe.
void write_dot(const Network& network, std::ostream& out);

} // namespace chainshock::models::io
