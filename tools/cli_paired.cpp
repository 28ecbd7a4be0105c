/// `chainshock compare A B`: both scenarios with the same seed and replications (common random
/// numbers), then every KPI present in both as a paired difference B - A (models/compare.hpp):
/// a table of the network and country KPIs, and DIR/compare.csv with all of them.

#include "models/compare.hpp"
#include "models/io/atomic_output.hpp"
#include "models/io/results_writer.hpp"
#include "tools/cli.hpp"

#include <algorithm>

namespace chainshock::tools {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view compare_description =
    "Runs scenarios A and B with the same seed and replications (common random numbers: the\n"
    "replications of A and B draw from the same random streams), then reports each KPI present\n"
    "in both as the paired difference B - A over replications: mean and 95% Student-t interval,\n"
    "beside the unpaired (Welch) interval the same runs would give if they were independent.\n"
    "Prints the network and country KPIs; writes all of them to DIR/compare.csv.";

po::options_description compare_options() {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "replications", po::value<std::string>()->value_name("N"),
        "replications of each scenario, at least 1 (default: A's `replications`)")(
        "seed", po::value<std::string>()->value_name("S"),
        "base random seed of both runs (default: A's `seed`)")(
        "threads,t", po::value<std::string>()->value_name("T"),
        "threads for replications, 0 = all cores (default 0); results do not depend on it")(
        "out,o", po::value<std::string>()->value_name("DIR"),
        "directory for compare.csv; created if missing, other files in it left alone (default: "
        "results/<A name>_vs_<B name>)")("quiet,q", "do not print the table");
    return options;
}

/// The words after `compare`: options and exactly two scenario paths.
struct CompareCommand {
    ParsedCommand parsed; ///< options (parsed.scenario = A)
    std::string b;
};

CompareCommand parse_compare(const std::vector<std::string>& args,
                             const po::options_description& options) {
    po::options_description all;
    all.add(options).add_options()("scenarios", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("scenarios", 2);
    CompareCommand command;
    ParsedCommand& parsed = command.parsed;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(),
                  parsed.values);
        po::notify(parsed.values);
    } catch (const po::error& e) {
        throw UsageError("compare", e.what());
    }
    parsed.help = parsed.values.count("help") > 0;
    if (parsed.help) return command;
    const auto paths = parsed.values.count("scenarios") > 0
                           ? parsed.values["scenarios"].as<std::vector<std::string>>()
                           : std::vector<std::string>{};
    if (paths.size() != 2) throw UsageError("compare", "expected two scenarios, A and B");
    if (paths[0].empty() || paths[1].empty())
        throw UsageError("compare", "scenario paths must not be empty");
    parsed.scenario = paths[0];
    command.b = paths[1];
    return command;
}

/// Decimals to show for a metric: fill rates as fractions, days to 0.1, tonnes to 0.1, USD whole.
int decimals_of(const std::string& metric) {
    if (metric == "fill_rate") return 4;
    if (metric.ends_with("_usd")) return 0;
    return 1;
}

/// A number, exactly 0 printed as `0`.
std::string number(double value, int decimals) {
    return value == 0.0 ? "0" : format_fixed(value, decimals, false);
}

/// A signed number, exactly 0 printed as `0`.
std::string signed_number(double value, int decimals) {
    return value == 0.0 ? "0" : format_fixed(value, decimals, true);
}

std::string half_width(double value, int decimals) { return "± " + number(value, decimals); }

std::string comparison_table(const std::vector<models::PairedDifference>& diffs,
                             const std::vector<std::string>& entities) {
    std::vector<std::vector<std::string>> rows{
        {"entity.metric", "A", "B", "B - A", "SD of B - A", "paired 95% CI", "unpaired 95% CI"}};
    for (const std::string& entity : entities) {
        for (const char* metric : {"demand_t", "shortfall_t", "fill_rate", "cost_total_usd",
                                   "time_to_survive_days", "time_to_recover_days"}) {
            const auto d = std::find_if(diffs.begin(), diffs.end(), [&](const auto& x) {
                return x.entity == entity && x.metric == metric;
            });
            if (d == diffs.end()) continue;
            const int places = decimals_of(d->metric);
            rows.push_back(
                {entity + "." + metric, format_fixed(d->a.mean, places, false),
                 format_fixed(d->b.mean, places, false), signed_number(d->difference.mean, places),
                 number(d->difference.sd, places), half_width(d->difference.ci_half_width, places),
                 half_width(d->unpaired_ci_half_width, places)});
        }
    }
    return format_table(rows, {true, false, false, false, false, false, false});
}

void write_csv(std::ostream& out, const std::vector<models::PairedDifference>& diffs) {
    out << "entity,metric,a_mean,a_ci95_low,a_ci95_high,b_mean,b_ci95_low,b_ci95_high,"
           "difference_mean,difference_sd,difference_ci95_low,difference_ci95_high,"
           "difference_ci95_half_width,unpaired_ci95_half_width,n\n";
    for (const auto& d : diffs) {
        out << models::io::csv_field(d.entity) << ',' << models::io::csv_field(d.metric);
        for (double v :
             {d.a.mean, d.a.ci_low, d.a.ci_high, d.b.mean, d.b.ci_low, d.b.ci_high,
              d.difference.mean, d.difference.sd, d.difference.ci_low, d.difference.ci_high,
              d.difference.ci_half_width, d.unpaired_ci_half_width}) {
            out << ',' << models::io::csv_number(v);
        }
        out << ',' << d.difference.n << '\n';
    }
}

/// `network`, then the countries of A and then those only in B, in order of appearance.
std::vector<std::string> table_entities(const models::Network& a, const models::Network& b) {
    std::vector<std::string> out{"network"};
    for (const auto* net : {&a, &b}) {
        for (const auto& country : net->countries()) {
            if (std::find(out.begin(), out.end(), country) == out.end()) out.push_back(country);
        }
    }
    return out;
}

} // namespace

int compare_command(const std::vector<std::string>& args, const Console& console) {
    const po::options_description options = compare_options();
    const CompareCommand command = parse_compare(args, options);
    const ParsedCommand& parsed = command.parsed;
    if (parsed.help) {
        print_command_help(console.out, "compare A.yaml B.yaml [options]", compare_description,
                           options);
        return 0;
    }
    const auto replications = count_option(parsed, "compare", "replications", 1);
    const auto seed = count_option(parsed, "compare", "seed", 0);
    const auto threads = count_option(parsed, "compare", "threads", 0).value_or(0);
    std::optional<fs::path> out;
    if (parsed.values.count("out") > 0) {
        const std::string& text = parsed.values["out"].as<std::string>();
        if (text.empty()) throw UsageError("compare", "--out: must not be empty");
        out = fs::path(text);
    }
    const bool quiet = parsed.values.count("quiet") > 0;
    const models::Network a = load_network(parsed.scenario);
    const models::Network b = load_network(command.b);

    models::RunOptions run;
    run.seed = seed.value_or(a.spec().seed);
    run.replications = replications.value_or(a.spec().replications);
    run.series_replications = 0;
    run.threads = static_cast<int>(std::min<std::uint64_t>(threads, 4096));
    const models::RunResult result_a = models::run_scenario(a, run);
    const models::RunResult result_b = models::run_scenario(b, run);
    const auto diffs = models::paired_differences(result_a, result_b);

    const fs::path out_dir = out.value_or(results_dir(a.spec().name + "_vs_" + b.spec().name));
    write_output(out_dir.string(), [&] {
        models::io::OutputDir dir(out_dir);
        write_csv(dir.file("compare.csv"), diffs);
        dir.commit();
    });
    if (!quiet) {
        console.out << "A: " << a.spec().name << " (" << parsed.scenario
                    << ")\nB: " << b.spec().name << " (" << command.b << ")\n"
                    << run.replications << " replications each, seed " << run.seed
                    << " (common random numbers); " << diffs.size() << " KPIs in both ("
                    << result_a.summary.size() - diffs.size() << " only in A, "
                    << result_b.summary.size() - diffs.size() << " only in B)\n\n"
                    << comparison_table(diffs, table_entities(a, b))
                    << "\npaired: 95% Student-t interval of the per-replication differences B - "
                       "A; unpaired: Welch's interval,\nas if A and B were independent runs\n";
    }
    console.out << "compare.csv written to " << out_dir.string() << '\n';
    return 0;
}

} // namespace chainshock::tools
