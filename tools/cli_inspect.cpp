/// `chainshock validate SCENARIO` and `chainshock graph SCENARIO`: read a scenario without running
/// it.

#include "models/io/atomic_output.hpp"
#include "models/io/graph_writer.hpp"
#include "tools/cli.hpp"

#include <sstream>

namespace chainshock::tools {

namespace po = boost::program_options;

namespace {

constexpr std::string_view validate_description =
    "Reads the scenario, checks every key and the network built from it, and prints a one-line\n"
    "summary. Writes nothing. Exit status 2 (with file:line:col) when the scenario is invalid.";

constexpr std::string_view graph_description =
    "Writes the scenario's network as a GraphViz DOT digraph: one vertex per node (shape by\n"
    "kind), one edge per route (mode and mean lead time). Render it with e.g. `dot -Tsvg`.";

} // namespace

int validate_command(const std::vector<std::string>& args, const Console& console) {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit");
    const ParsedCommand parsed = parse_command("validate", args, options);
    if (parsed.help) {
        print_command_help(console.out, "validate SCENARIO", validate_description, options);
        return 0;
    }
    const models::Network network = load_network(parsed.scenario);
    console.out << parsed.scenario << ": ok (" << network.node_count() << " nodes, "
                << network.route_count() << " routes, " << network.commodity_count()
                << " commodities)\n";
    return 0;
}

int graph_command(const std::vector<std::string>& args, const Console& console) {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "out,o", po::value<std::string>()->value_name("FILE"),
        "write the DOT file here (atomically) instead of to standard output");
    const ParsedCommand parsed = parse_command("graph", args, options);
    if (parsed.help) {
        print_command_help(console.out, "graph SCENARIO [options]", graph_description, options);
        return 0;
    }
    std::string out_file;
    if (parsed.values.count("out") > 0) {
        out_file = parsed.values["out"].as<std::string>();
        if (out_file.empty()) throw UsageError("graph", "--out: must not be empty");
    }
    const models::Network network = load_network(parsed.scenario);
    if (out_file.empty()) {
        models::io::write_dot(network, console.out);
        return 0;
    }
    std::ostringstream dot;
    models::io::write_dot(network, dot);
    write_output(out_file, [&] { models::io::write_file_atomically(out_file, dot.str()); });
    console.out << "graph written to " << out_file << '\n';
    return 0;
}

} // namespace chainshock::tools
