#include "models/io/scenario_loader.hpp"
#include "tools/cli.hpp"

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace chainshock::tools {

namespace po = boost::program_options;

ParsedCommand parse_command(const std::string& command, const std::vector<std::string>& args,
                            const po::options_description& options) {
    po::options_description all;
    all.add(options).add_options()("scenario", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("scenario", 1);
    ParsedCommand parsed;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(),
                  parsed.values);
        po::notify(parsed.values);
    } catch (const po::error& e) {
        throw UsageError(command, e.what());
    }
    parsed.help = parsed.values.count("help") > 0;
    if (parsed.help) return parsed;
    if (parsed.values.count("scenario") == 0)
        throw UsageError(command, "missing SCENARIO argument");
    parsed.scenario = parsed.values["scenario"].as<std::string>();
    if (parsed.scenario.empty()) throw UsageError(command, "SCENARIO must not be empty");
    return parsed;
}

void print_command_help(std::ostream& out, std::string_view usage, std::string_view description,
                        const po::options_description& options) {
    out << "Usage: chainshock " << usage << "\n\n" << description << "\n\n" << options << '\n';
}

std::optional<std::uint64_t> count_option(const ParsedCommand& parsed, const std::string& command,
                                          const std::string& name, std::uint64_t min) {
    if (parsed.values.count(name) == 0) return std::nullopt;
    const std::string& text = parsed.values[name].as<std::string>();
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        throw UsageError(command,
                         "--" + name + ": expected a non-negative integer, got '" + text + "'");
    if (value < min)
        throw UsageError(command, "--" + name + ": must be at least " + std::to_string(min) +
                                      ", got " + text);
    return value;
}

models::Network load_network(const std::string& path) {
    return models::Network(models::io::load_scenario_file(path));
}

std::vector<std::string> manufacturer_ids(const models::Network& network) {
    std::vector<std::string> ids;
    for (const models::NodeSpec& node : network.spec().nodes)
        if (node.kind == models::NodeKind::Manufacturer) ids.push_back(node.id);
    return ids;
}

/// `results/<name>`, with every character other than [A-Za-z0-9._-] of the scenario name replaced
/// by `_`, so that a name can never point outside results/.
std::filesystem::path results_dir(const std::string& name) {
    std::string safe = name;
    std::replace_if(
        safe.begin(), safe.end(),
        [](char c) {
            const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            return !plain;
        },
        '_');
    if (safe.empty() || safe == "." || safe == "..") safe = "scenario";
    return std::filesystem::path("results") / safe;
}

ProgressLine::ProgressLine(std::ostream& err, bool quiet)
    : err_(err), enabled_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() { finish(); }

std::function<void(std::uint64_t, std::uint64_t)> ProgressLine::callback(std::string label) {
    if (!enabled_) return {};
    start_ = std::chrono::steady_clock::now();
    // RunOptions::progress is never called concurrently.
    return [this, label = std::move(label)](std::uint64_t done, std::uint64_t total) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = seconds > 0.0 ? double(done) / seconds : 0.0;
        err_ << '\r' << label << done << '/' << total;
        if (rate > 0.0) {
            char text[64];
            std::snprintf(text, sizeof text, "  %.3g/s  ETA %.0f s\x1b[K", rate,
                          double(total - done) / rate);
            err_ << text;
        }
        err_ << std::flush;
        drawn_ = true;
    };
}

void ProgressLine::finish() {
    if (drawn_) err_ << "\r\x1b[K" << std::flush; // erase the line
    drawn_ = false;
}

namespace {
std::atomic<bool> interrupted{false}; // see InterruptGuard: a signal handler needs static state
extern "C" void on_interrupt(int) { interrupted.store(true); }
} // namespace

InterruptGuard::InterruptGuard() {
    interrupted.store(false);
    previous_int_ = std::signal(SIGINT, on_interrupt);
    previous_term_ = std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
    std::signal(SIGINT, previous_int_ == SIG_ERR ? SIG_DFL : previous_int_);
    std::signal(SIGTERM, previous_term_ == SIG_ERR ? SIG_DFL : previous_term_);
}

const std::atomic<bool>& InterruptGuard::flag() const { return interrupted; }

} // namespace chainshock::tools
