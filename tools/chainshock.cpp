/// The `chainshock` command: parses the top level, dispatches to a subcommand and maps exceptions
/// to exit codes (0 ok, 2 bad input, 1 internal error).

#include "models/io/checkpoint.hpp"
#include "models/scenario_error.hpp"
#include "models/simulation.hpp"
#include "tools/cli.hpp"

#include <algorithm>
#include <iostream>
#include <span>

namespace chainshock::tools {

namespace {

namespace po = boost::program_options;

using CommandFn = int (*)(const std::vector<std::string>&, const Console&);

struct Command {
    std::string_view name;
    std::string_view summary;
    CommandFn run;
};

constexpr Command commands[] = {
    {"run", "run a scenario's replications and write the results directory", run_command},
    {"validate", "check a scenario file and the network built from it", validate_command},
    {"graph", "write the scenario's network as a GraphViz DOT diagram", graph_command},
    {"sweep", "run the scenario at every point of a parameter grid (sweep.csv)", sweep_command},
    {"merge", "merge the shards of a run or sweep made with --shard I/K", merge_command},
    {"stress", "knock out each node, lane and export in turn; rank by time-to-survive",
     stress_command},
    {"compare", "run two scenarios with common random numbers; paired differences B - A",
     compare_command},
};

/// The command called `name`; throws UsageError when there is none.
const Command& find_command(const std::string& name) {
    for (const Command& command : commands)
        if (command.name == name) return command;
    throw UsageError("", "unknown command '" + name + "'");
}

po::options_description top_level_options() {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")("version",
                                                               "print the version and exit");
    return options;
}

void print_top_level_help(std::ostream& out, const po::options_description& options) {
    out << "chainshock " << models::chainshock_version()
        << ": discrete-event simulator of critical-mineral supply chains\n\n"
        << "Usage: chainshock [--help] [--version] <command> [<args>]\n"
        << "       chainshock help [<command>]\n\nCommands:\n";
    for (const Command& command : commands) {
        out << "  " << command.name << std::string(10 - command.name.size(), ' ') << command.summary
            << '\n';
    }
    out << '\n'
        << options << "\nRun 'chainshock <command> --help' for the options of a command.\n"
        << "Exit status: 0 ok, 2 bad input or usage, 1 output not writable or internal error.\n";
}

/// `chainshock help [command]`: the top-level help, or a command's.
int help_command(const std::vector<std::string>& rest, const Console& console,
                 const po::options_description& options) {
    if (rest.empty()) {
        print_top_level_help(console.out, options);
        return 0;
    }
    return find_command(rest.front()).run({"--help"}, console);
}

/// Parses the options before the command word; returns the exit status, or runs the command.
int dispatch(const std::vector<std::string>& args, const Console& console) {
    const auto first_word = std::find_if(args.begin(), args.end(), [](const std::string& a) {
        return a.empty() || a.front() != '-';
    });
    const std::vector<std::string> global(args.begin(), first_word);
    const po::options_description options = top_level_options();
    po::variables_map values;
    try {
        po::store(po::command_line_parser(global).options(options).run(), values);
    } catch (const po::error& e) {
        throw UsageError("", e.what());
    }
    if (values.count("help") > 0) {
        print_top_level_help(console.out, options);
        return 0;
    }
    if (values.count("version") > 0) {
        console.out << "chainshock " << models::chainshock_version() << '\n';
        return 0;
    }
    if (first_word == args.end()) throw UsageError("", "missing command");
    const std::vector<std::string> rest(first_word + 1, args.end());
    if (*first_word == "help") return help_command(rest, console, options);
    return find_command(*first_word).run(rest, console);
}

void report_usage_error(const UsageError& e, std::ostream& err) {
    const std::string prefix = e.command().empty() ? "chainshock" : "chainshock " + e.command();
    err << prefix << ": " << e.what() << "\nTry '" << prefix << " --help' for more information.\n";
}

/// Runs the command line `args` (without the program name) and returns the exit status.
int run_cli(const std::vector<std::string>& args, const Console& console) {
    try {
        return dispatch(args, console);
    } catch (const UsageError& e) {
        report_usage_error(e, console.err);
        return 2;
    } catch (const models::ScenarioError& e) {
        console.err << e.what() << '\n';
        return 2;
    } catch (const models::io::CheckpointError& e) {
        console.err << e.what() << '\n'; // names the command: open_checkpoint
        return 2;
    } catch (const OutputError& e) {
        console.err << "chainshock: error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        console.err << "chainshock: internal error: " << e.what() << '\n';
        return 1;
    } catch (...) {
        console.err << "chainshock: internal error: unknown exception\n";
        return 1;
    }
}

} // namespace

} // namespace chainshock::tools

int main(int argc, char** argv) {
    const std::span<char*> words(argv, static_cast<std::size_t>(argc));
    const std::vector<std::string> args(words.begin() + (words.empty() ? 0 : 1), words.end());
    const chainshock::tools::Console console{std::cout, std::cerr};
    return chainshock::tools::run_cli(args, console);
}
