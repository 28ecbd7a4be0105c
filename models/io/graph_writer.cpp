#include "models/io/graph_writer.hpp"

#include <boost/graph/graphviz.hpp>
#include <cstdio>
#include <string>

namespace chainshock::models::io {

namespace {

/// `text` inside a DOT double-quoted string, where only `"` and `\` are special. A backslash is
/// escaped so that user text cannot inject DOT escapes such as `\N`.
std::string dot_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string format_days(double days) {
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%g d", days);
    return std::string(buf, static_cast<std::size_t>(n));
}

class NodeWriter {
public:
    explicit NodeWriter(const Graph& graph) : graph_(&graph) {}
    template <typename Vertex> void operator()(std::ostream& out, const Vertex& v) const {
        const NodeProps& node = (*graph_)[v];
        out << "[label=\"" << dot_escape(node.id) << "\\n"
            << dot_escape(to_string(node.kind)) << " (" << dot_escape(node.country)
            << ")\", shape=" << dot_shape(node.kind) << "]";
    }

private:
    const Graph* graph_;
};

class RouteWriter {
public:
    explicit RouteWriter(const Graph& graph) : graph_(&graph) {}
    template <typename Edge> void operator()(std::ostream& out, const Edge& e) const {
        const RouteProps& route = (*graph_)[e];
        out << "[label=\"" << dot_escape(route.mode) << "\\n"
            << dot_escape(format_days(route.lead_time_mean_days)) << "\"]";
    }

private:
    const Graph* graph_;
};

class HeaderWriter {
public:
    explicit HeaderWriter(const Network& network) : network_(&network) {}
    void operator()(std::ostream& out) const {
        out << "label=\"" << dot_escape(network_->spec().name) << "\";\n"
            << "labelloc=t;\n"
            << "rankdir=LR;\n"
            << "node [fontname=\"Helvetica\"];\n"
            << "edge [fontname=\"Helvetica\", fontsize=10];\n";
    }

private:
    const Network* network_;
};

} // namespace

std::string_view dot_shape(NodeKind kind) {
    switch (kind) {
    case NodeKind::Mine:
        return "invtriangle";
    case NodeKind::Refinery:
        return "box";
    case NodeKind::Port:
        return "ellipse";
    case NodeKind::Manufacturer:
        return "house";
    case NodeKind::Stockpile:
        return "cylinder";
    case NodeKind::Warehouse:
        return "box3d";
    }
    return "ellipse";
}

void write_dot(const Network& network, std::ostream& out) {
    const Graph& graph = network.graph();
    boost::write_graphviz(out, graph, NodeWriter(graph), RouteWriter(graph), HeaderWriter(network));
}

} // namespace chainshock::models::io
