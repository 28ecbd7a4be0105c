#pragma once
/// The `chainshock` command line: shared pieces of the subcommands. main() (chainshock.cpp) parses
/// the top level, dispatches to a subcommand and maps exceptions to exit codes:
///   0 ok; 2 bad input (ScenarioError, UsageError); 1 failure to write the output (OutputError)
///   or internal error (any other exception).

#include "models/network.hpp"
#include "models/simulation.hpp"

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chainshock::tools {

/// Where a command writes: results and requested output to `out`, diagnostics and progress to
/// `err`.
struct Console {
    std::ostream& out;
    std::ostream& err;
};

/// Bad command-line usage (unknown option or command, missing argument, bad value): exit status 2,
/// reported as one line plus a hint to use --help. `command` is the subcommand ("" = top level).
class UsageError : public std::runtime_error {
public:
    UsageError(std::string command, const std::string& message)
        : std::runtime_error(message), command_(std::move(command)) {}
    [[nodiscard]] const std::string& command() const { return command_; }

private:
    std::string command_;
};

/// The results could not be written (e.g. the output path is not a writable directory): exit
/// status 1, reported as `chainshock: error: <what>` rather than as an internal error.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Runs `write` (which writes to `destination`), turning file-system and I/O failures
/// (std::runtime_error) into an OutputError that names the destination.
template <typename Write> void write_output(const std::string& destination, Write&& write) {
    try {
        write();
    } catch (const std::runtime_error& e) {
        throw OutputError("cannot write " + destination + ": " + e.what());
    }
}

/// A subcommand's words, parsed: options plus one positional SCENARIO.
struct ParsedCommand {
    boost::program_options::variables_map values;
    bool help = false;    ///< --help / -h was given (SCENARIO is then not required)
    std::string scenario; ///< the SCENARIO argument
};

/// Parses the words after the subcommand name against `options` (which must include `help,h`).
/// Throws UsageError for unknown options, bad syntax, extra arguments or a missing SCENARIO.
ParsedCommand parse_command(const std::string& command, const std::vector<std::string>& args,
                            const boost::program_options::options_description& options);

/// Prints `Usage: chainshock <usage>`, the description and the options.
void print_command_help(std::ostream& out, std::string_view usage, std::string_view description,
                        const boost::program_options::options_description& options);

/// The value of option `name` as a non-negative integer of at least `min`, or nullopt when the
/// option was not given. Throws UsageError for anything else (signs, garbage, overflow).
std::optional<std::uint64_t> count_option(const ParsedCommand& parsed, const std::string& command,
                                          const std::string& name, std::uint64_t min);

/// Loads, validates and builds the network of the scenario at `path`. Throws ScenarioError.
models::Network load_network(const std::string& path);

/// Ids of the manufacturer nodes, in scenario order.
std::vector<std::string> manufacturer_ids(const models::Network& network);

// Subcommands: each takes the words after its name and returns the exit status.
int run_command(const std::vector<std::string>& args, const Console& console);
/// `run --modes`: the scenario once per stockpile-policy mode, side by side (cli_compare.cpp).
int run_modes(const models::Network& network, const models::RunOptions& options,
              const std::vector<models::StockpilePolicySpec::Mode>& modes,
              const std::vector<std::string>& names, const std::filesystem::path& out_dir,
              bool quiet, const Console& console);
int validate_command(const std::vector<std::string>& args, const Console& console);
int graph_command(const std::vector<std::string>& args, const Console& console);
/// `sweep SCENARIO --grid PATH=V1,V2,...`: a parameter grid, common random numbers (cli_sweep.cpp).
int sweep_command(const std::vector<std::string>& args, const Console& console);
/// `merge --out DIR SHARD_DIR...`: shards of a `--shard I/K` job merged (cli_merge.cpp).
int merge_command(const std::vector<std::string>& args, const Console& console);
/// `stress SCENARIO`: knock out each node, lane and export in turn, rank by time-to-survive
/// (cli_stress.cpp).
int stress_command(const std::vector<std::string>& args, const Console& console);
/// `compare A B`: paired differences B - A under common random numbers (cli_paired.cpp).
int compare_command(const std::vector<std::string>& args, const Console& console);

// Output helpers of stress and compare (cli_stress.cpp).
/// `results/<name>`, every character of `name` other than [A-Za-z0-9._-] replaced by `_`.
std::filesystem::path results_dir(const std::string& name);
/// `value` with `decimals` decimals, integer digits grouped by commas, a sign when `sign`;
/// NaN as `-`.
std::string format_fixed(double value, int decimals, bool sign);
/// Rows of cells as aligned columns (two spaces apart), each left- or right-aligned; the first
/// row is the header. Every row has `left_aligned.size()` cells.
std::string format_table(const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& left_aligned);

/// A progress callback that redraws `<label>k/n` on a terminal's stderr (empty when `quiet` or
/// stderr is not a terminal), and erases the line when the returned guard is destroyed.
class ProgressLine {
public:
    ProgressLine(std::ostream& err, bool quiet);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    ProgressLine(ProgressLine&&) = delete;
    ProgressLine& operator=(ProgressLine&&) = delete;

    /// The callback for RunOptions::progress, prefixed with `label`; empty when disabled.
    std::function<void(std::uint64_t, std::uint64_t)> callback(std::string label);
    /// Erases the line now (before printing results).
    void finish();

private:
    std::ostream& err_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells report it); also used when
/// SIGTERM stopped it, so that scripts test one value.
inline constexpr int kInterruptedStatus = 130;

/// While alive, SIGINT (Ctrl-C) and SIGTERM (kill, a batch system's time limit) set flag() instead
/// of killing the process; the previous handlers come back on destruction. A signal handler can
/// only reach a static flag: this is the one piece of static state in chainshock, and it lives in
/// tools/ only.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    InterruptGuard(InterruptGuard&&) = delete;
    InterruptGuard& operator=(InterruptGuard&&) = delete;
    [[nodiscard]] const std::atomic<bool>& flag() const;

private:
    void (*previous_int_)(int) = nullptr;
    void (*previous_term_)(int) = nullptr;
};

} // namespace chainshock::tools
