/// `chainshock stress SCENARIO`: knock out each mine, refinery, port, route and cross-border export
/// in turn (models/stress.hpp builds the cases), run every case and the baseline with the same
/// seed and replications (common random numbers), rank the cases by network time-to-survive and
/// write DIR/stress.csv.

#include "models/compare.hpp"
#include "models/io/atomic_output.hpp"
#include "models/io/results_writer.hpp"
#include "models/stress.hpp"
#include "tools/cli.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <unistd.h>

namespace chainshock::tools {

namespace po = boost::program_options;
namespace fs = std::filesystem;

std::string format_fixed(double value, int decimals, bool sign) {
    if (std::isnan(value)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, value);
    std::string text = buf;
    // Group the integer digits in threes: 12345678.9 -> 12,345,678.9.
    const std::size_t digits_start = text.find_first_of("0123456789");
    std::size_t digits_end = text.find('.');
    if (digits_end == std::string::npos) digits_end = text.size();
    if (digits_start == std::string::npos) return text;
    for (std::size_t at = digits_end; at > digits_start + 3; at -= 3) text.insert(at - 3, 1, ',');
    return text;
}

std::string format_table(const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& left_aligned) {
    std::vector<std::size_t> widths(left_aligned.size(), 0);
    const auto width = [](const std::string& s) { // UTF-8 aware enough for "±" and "Δ"
        return static_cast<std::size_t>(
            std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    };
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
    }
    std::ostringstream out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(widths[c] - width(row[c]), ' ');
            if (c > 0) line += "  ";
            line += left_aligned[c] ? row[c] + pad : pad + row[c];
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    }
    return out.str();
}

namespace {

constexpr std::string_view stress_description =
    "Knocks out, one at a time, each mine, refinery and port (outage, capacity 0), each route\n"
    "(closure, cargo under way held) and each country's exports of each commodity a buyer in\n"
    "another country depends on (export ban), for D days from day S, on top of the scenario's own\n"
    "shocks. Every case and the baseline run with the same seed and replications (common random\n"
    "numbers). Cases are ranked by the network's mean time-to-survive (shortest first), then\n"
    "shortfall and cost (largest first); AT RISK marks a time-to-survive shorter than D.\n"
    "Prints the top K and writes every case to DIR/stress.csv (rank 0 = the baseline).";

constexpr std::uint64_t default_max_replications = 50;

po::options_description stress_options() {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "duration-days", po::value<std::string>()->value_name("D"),
        "how long each knock-out lasts, in days, > 0 (default 90)")(
        "start-day", po::value<std::string>()->value_name("S"),
        "day each knock-out starts, 0 <= S < horizon (default 30); time-to-survive counts from it")(
        "replications", po::value<std::string>()->value_name("N"),
        "replications per case, at least 1 (default: the scenario's `replications`, at most 50)")(
        "seed", po::value<std::string>()->value_name("S"),
        "base random seed, the same for every case (default: the scenario's `seed`)")(
        "threads,t", po::value<std::string>()->value_name("T"),
        "threads for replications, 0 = all cores (default 0); results do not depend on it")(
        "out,o", po::value<std::string>()->value_name("DIR"),
        "directory for stress.csv; created if missing, other files in it left alone (default: "
        "results/<scenario name>)")("top", po::value<std::string>()->value_name("K"),
                                    "cases to print, at least 1 (default 15)")(
        "quiet,q", "do not print the table or progress");
    return options;
}

/// The value of option `name` as a finite number of days, or `fallback` when not given.
double days_option(const ParsedCommand& parsed, const std::string& name, double fallback) {
    if (parsed.values.count(name) == 0) return fallback;
    const std::string& text = parsed.values[name].as<std::string>();
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
        throw UsageError("stress", "--" + name + ": expected a number of days, got '" + text + "'");
    return value;
}

struct StressSettings {
    double duration_days = 90.0;
    double start_day = 30.0;
    std::optional<std::uint64_t> replications;
    std::optional<std::uint64_t> seed;
    std::uint64_t threads = 0;
    std::uint64_t top = 15;
    std::optional<fs::path> out;
    bool quiet = false;
};

StressSettings read_settings(const ParsedCommand& parsed) {
    StressSettings s;
    s.duration_days = days_option(parsed, "duration-days", s.duration_days);
    if (!(s.duration_days > 0.0)) throw UsageError("stress", "--duration-days: must be above 0");
    s.start_day = days_option(parsed, "start-day", s.start_day);
    if (s.start_day < 0.0) throw UsageError("stress", "--start-day: must not be negative");
    s.replications = count_option(parsed, "stress", "replications", 1);
    s.seed = count_option(parsed, "stress", "seed", 0);
    s.threads = count_option(parsed, "stress", "threads", 0).value_or(0);
    s.top = count_option(parsed, "stress", "top", 1).value_or(s.top);
    if (parsed.values.count("out") > 0) {
        const std::string& out = parsed.values["out"].as<std::string>();
        if (out.empty()) throw UsageError("stress", "--out: must not be empty");
        s.out = fs::path(out);
    }
    s.quiet = parsed.values.count("quiet") > 0;
    return s;
}

/// What the ranking and the outputs need from one run: network-level KPIs and the paired
/// differences from the baseline.
struct Outcome {
    std::string kind;
    std::string target;
    engine::Summary tts, ttr, shortfall, cost;
    engine::Summary shortfall_vs_baseline, cost_vs_baseline;
    bool at_risk = false;
};

const engine::Summary& network_kpi(const models::RunResult& r, const std::string& metric) {
    for (const auto& k : r.summary)
        if (k.entity == "network" && k.metric == metric) return k.stats;
    throw std::logic_error("stress: the run has no network." + metric);
}

Outcome outcome_of(std::string kind, std::string target, const models::RunResult& run,
                   const models::RunResult& baseline, double duration_days) {
    Outcome o;
    o.kind = std::move(kind);
    o.target = std::move(target);
    o.tts = network_kpi(run, "time_to_survive_days");
    o.ttr = network_kpi(run, "time_to_recover_days");
    o.shortfall = network_kpi(run, "shortfall_t");
    o.cost = network_kpi(run, "cost_total_usd");
    for (const auto& d : models::paired_differences(baseline, run)) {
        if (d.entity != "network") continue;
        if (d.metric == "shortfall_t") o.shortfall_vs_baseline = d.difference;
        if (d.metric == "cost_total_usd") o.cost_vs_baseline = d.difference;
    }
    o.at_risk = o.tts.mean < duration_days;
    return o;
}

/// Worst first: shortest time-to-survive, then largest shortfall, then largest cost; ties keep
/// the case order.
void rank(std::vector<Outcome>& cases) {
    std::stable_sort(cases.begin(), cases.end(), [](const Outcome& x, const Outcome& y) {
        if (x.tts.mean != y.tts.mean) return x.tts.mean < y.tts.mean;
        if (x.shortfall.mean != y.shortfall.mean) return x.shortfall.mean > y.shortfall.mean;
        return x.cost.mean > y.cost.mean;
    });
}

void write_csv(std::ostream& out, const Outcome& baseline, const std::vector<Outcome>& ranked) {
    out << "rank,kind,target";
    for (const char* metric :
         {"time_to_survive_days", "time_to_recover_days", "shortfall_t", "cost_total_usd",
          "shortfall_vs_baseline_t", "cost_vs_baseline_usd"}) {
        out << ',' << metric << "_mean," << metric << "_ci95_low," << metric << "_ci95_high";
    }
    out << ",at_risk\n";
    const auto row = [&](std::size_t rank_number, const Outcome& o) {
        out << rank_number << ',' << models::io::csv_field(o.kind) << ','
            << models::io::csv_field(o.target);
        for (const engine::Summary* s : {&o.tts, &o.ttr, &o.shortfall, &o.cost,
                                         &o.shortfall_vs_baseline, &o.cost_vs_baseline}) {
            for (double v : {s->mean, s->ci_low, s->ci_high})
                out << ',' << models::io::csv_number(v);
        }
        out << ',' << (o.at_risk ? 1 : 0) << '\n';
    };
    row(0, baseline);
    for (std::size_t i = 0; i < ranked.size(); ++i) row(i + 1, ranked[i]);
}

/// A number of days as given: `90`, `7.5`.
std::string days_text(double days) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", days);
    return buf;
}

std::string mean_ci(const engine::Summary& s, int decimals) {
    std::string text = format_fixed(s.mean, decimals, false);
    if (s.n > 1) text += " ± " + format_fixed(s.ci_half_width, decimals, false);
    return text;
}

std::string stress_table(const std::vector<Outcome>& ranked, std::size_t top) {
    std::vector<std::vector<std::string>> rows{{"rank", "case", "TTS (d)", "TTR (d)",
                                                "shortfall (t)", "vs baseline (t)",
                                                "cost vs baseline (USD)", ""}};
    for (std::size_t i = 0; i < std::min(top, ranked.size()); ++i) {
        const Outcome& o = ranked[i];
        rows.push_back(
            {std::to_string(i + 1), o.kind + " " + o.target, format_fixed(o.tts.mean, 1, false),
             format_fixed(o.ttr.mean, 1, false), mean_ci(o.shortfall, 0),
             format_fixed(o.shortfall_vs_baseline.mean, 0, true),
             format_fixed(o.cost_vs_baseline.mean, 0, true), o.at_risk ? "AT RISK" : ""});
    }
    return format_table(rows, {false, true, false, false, false, false, false, true});
}

/// "case k/n" on stderr, redrawn in place when `enabled` (a terminal); erased when done.
class CaseProgress {
public:
    CaseProgress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
    ~CaseProgress() { finish(); } // also when a run throws
    CaseProgress(const CaseProgress&) = delete;
    CaseProgress& operator=(const CaseProgress&) = delete;
    CaseProgress(CaseProgress&&) = delete;
    CaseProgress& operator=(CaseProgress&&) = delete;

    void update(std::size_t done, std::size_t total) {
        if (!enabled_) return;
        err_ << "\rcase " << done << '/' << total << std::flush;
        shown_ = true;
    }
    void finish() {
        if (shown_) err_ << "\r\x1b[K" << std::flush; // erase the line
        shown_ = false;
    }

private:
    std::ostream& err_;
    bool enabled_;
    bool shown_ = false;
};

} // namespace

int stress_command(const std::vector<std::string>& args, const Console& console) {
    const po::options_description options = stress_options();
    const ParsedCommand parsed = parse_command("stress", args, options);
    if (parsed.help) {
        print_command_help(console.out, "stress SCENARIO [options]", stress_description, options);
        return 0;
    }
    const StressSettings settings = read_settings(parsed);
    const models::Network network = load_network(parsed.scenario);
    const models::ScenarioSpec& spec = network.spec();
    if (settings.start_day >= double(spec.horizon_days)) {
        throw UsageError("stress", "--start-day: must be before the horizon (day " +
                                       std::to_string(spec.horizon_days) + ")");
    }
    models::RunOptions run;
    run.seed = settings.seed.value_or(spec.seed);
    // A screening of dozens of cases: common random numbers keep the comparisons sharp with
    // fewer replications than a single run would want.
    run.replications =
        settings.replications.value_or(std::min(spec.replications, default_max_replications));
    run.series_replications = 0;
    run.threads = static_cast<int>(std::min<std::uint64_t>(settings.threads, 4096));

    const std::vector<models::StressCase> cases =
        models::stress_cases(network, settings.start_day, settings.duration_days);
    CaseProgress progress(console.err, !settings.quiet && ::isatty(STDERR_FILENO) == 1);
    const models::RunResult base_run = models::run_scenario(
        models::Network(models::stress_baseline(network, settings.start_day)), run);
    const Outcome baseline = outcome_of("baseline", "", base_run, base_run, settings.duration_days);
    std::vector<Outcome> ranked;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        progress.update(i + 1, cases.size());
        const models::RunResult result = models::run_scenario(models::Network(cases[i].spec), run);
        ranked.push_back(
            outcome_of(cases[i].kind, cases[i].target, result, base_run, settings.duration_days));
    }
    progress.finish();
    rank(ranked);

    const fs::path out_dir = settings.out.value_or(results_dir(spec.name));
    write_output(out_dir.string(), [&] {
        models::io::OutputDir dir(out_dir);
        write_csv(dir.file("stress.csv"), baseline, ranked);
        dir.commit();
    });
    if (!settings.quiet) {
        console.out << spec.name << ": " << cases.size() << " cases, each knocked out for "
                    << days_text(settings.duration_days) << " days from day "
                    << days_text(settings.start_day) << "; " << run.replications
                    << " replications each, seed " << run.seed << " (common random numbers)\n"
                    << "baseline: network TTS " << format_fixed(baseline.tts.mean, 1, false)
                    << " d, TTR " << format_fixed(baseline.ttr.mean, 1, false) << " d, shortfall "
                    << mean_ci(baseline.shortfall, 0) << " t, cost "
                    << format_fixed(baseline.cost.mean, 0, false) << " USD\n\n"
                    << stress_table(ranked, settings.top)
                    << "\nTTS/TTR: network time-to-survive/-recover from day "
                    << days_text(settings.start_day)
                    << " (means); AT RISK: TTS shorter than the knock-out\n";
    }
    console.out << "stress.csv written to " << out_dir.string() << '\n';
    return 0;
}

} // namespace chainshock::tools
