/// `chainshock sweep SCENARIO --grid PATH=V1,V2,... [--grid ...]`: the scenario once per point of
/// the grid's cartesian product, every point with the same seed (common random numbers), written
/// as DIR/points/<k>/ and the tidy DIR/sweep.csv; or, with --shard, one shard of the (point,
/// replication) pairs for `chainshock merge`; under mpirun (CHAINSHOCK_MPI), one shard per rank.
/// Checkpoints, Ctrl-C and --resume: cli_job.hpp.

#include "models/io/sweep_writer.hpp"
#include "models/simulation.hpp"
#include "tools/cli.hpp"
#include "tools/cli_job.hpp"
#include "tools/cli_mpi.hpp"
#include "tools/cli_scale.hpp"

#include <algorithm>
#include <stdexcept>

namespace chainshock::tools {

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace io = models::io;

namespace {

constexpr std::string_view sweep_description =
    "Runs the scenario once per point of the grid (the cartesian product of the --grid values,\n"
    "the first --grid varying slowest), every point with the same seed and replications (common\n"
    "random numbers). Writes DIR/points/<k>/{summary.json, replications.csv, timeseries.csv}\n"
    "and DIR/sweep.csv (tidy: point, one column per grid path, entity, metric, mean, sd,\n"
    "ci95_low, ci95_high, p5, p50, p95, n), and prints the network's fill rate, shortfall and\n"
    "cost per point. Grid values are separated by commas at the top level only: a comma inside\n"
    "[], {} or quotes does not split, e.g. --grid 'routes[0].lead_time_days=5,{dist: normal,\n"
    "mean: 5, sd: 1}'. --set changes are applied first, then the point's grid values.\n"
    "Ctrl-C or SIGTERM stops it (exit status 130) and writes no results; the completed\n"
    "replications are kept in DIR/.checkpoint, and the same command with --resume continues.";

po::options_description sweep_options() {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "grid", po::value<std::vector<std::string>>()->value_name("PATH=V1,V2,..."),
        "one axis of the grid: a scenario path (as for --set) and its values (repeatable, at "
        "least one)")("set", po::value<std::vector<std::string>>()->value_name("PATH=VALUE"),
                      set_help)(
        "replications", po::value<std::string>()->value_name("N"),
        "replications per point, at least 1 (default: the scenario's `replications`)")(
        "seed", po::value<std::string>()->value_name("S"),
        "base random seed of every point (default: the scenario's `seed`)")(
        "series-replications", po::value<std::string>()->value_name("K"),
        "keep the daily time series of the first K replications of each point (default: 1; none "
        "where the point's scenario sets `output: {timeseries: false}`)")(
        "threads,t", po::value<std::string>()->value_name("T"),
        "threads for replications, 0 = all cores (default 0); results do not depend on it")(
        "out,o", po::value<std::string>()->value_name("DIR"),
        "results directory (default: results/<scenario name>/sweep)")(
        "shard", po::value<std::string>()->value_name("I/K"),
        shard_help)("resume", resume_help)("quiet,q", "do not print the table or progress");
    return options;
}

/// One grid point, validated: its overrides (--set first, then the grid values) and network.
struct Point {
    std::vector<io::ScenarioOverride> overrides;
    models::Network network;
};

std::vector<io::GridAxis> read_grid(const ParsedCommand& parsed) {
    if (parsed.values.count("grid") == 0)
        throw UsageError("sweep", "missing --grid PATH=V1,V2,...");
    std::vector<io::GridAxis> axes;
    for (const std::string& text : parsed.values["grid"].as<std::vector<std::string>>()) {
        try {
            axes.push_back(io::parse_grid_axis(text));
        } catch (const std::invalid_argument& e) {
            throw UsageError("sweep", std::string("--grid: ") + e.what());
        }
        const std::string& path = axes.back().path;
        if (path == "seed" || path == "replications")
            throw UsageError("sweep", "--grid: every point runs with the same " + path +
                                          "; use --" + path + " instead");
        if (std::count_if(axes.begin(), axes.end(),
                          [&](const io::GridAxis& a) { return a.path == path; }) > 1)
            throw UsageError("sweep", "--grid: '" + path + "' is given twice");
    }
    return axes;
}

/// Every point loaded and validated before anything runs: a bad value fails the whole sweep.
std::vector<Point> load_points(const std::string& scenario,
                               const std::vector<io::ScenarioOverride>& sets,
                               const std::vector<io::GridAxis>& axes) {
    std::vector<Point> points;
    for (const auto& grid_values : io::grid_points(axes)) {
        std::vector<io::ScenarioOverride> changes = sets;
        changes.insert(changes.end(), grid_values.begin(), grid_values.end());
        models::Network network = load_network(scenario, changes);
        points.push_back({std::move(changes), std::move(network)});
    }
    return points;
}

/// The job of a sweep: every point, each with its overrides.
Job sweep_job(const std::string& scenario, const std::vector<Point>& points,
              const std::vector<io::GridAxis>& axes, const models::RunOptions& options) {
    Job job;
    job.command = "sweep";
    job.manifest = job_manifest("sweep", scenario, points.front().network, options);
    job.manifest.grid = axes;
    for (const Point& point : points) {
        const models::ScenarioSpec& spec = point.network.spec();
        job.manifest.points.push_back(
            {spec.name, spec.horizon_days, spec.warmup_days, override_texts(point.overrides)});
        job.networks.push_back(&point.network);
    }
    job.options = options;
    return job;
}

/// Writes DIR/points/<k>/ and DIR/sweep.csv, and prints the table.
int write_sweep(const Job& job, const std::vector<models::RunResult>& results,
                const Console& console) {
    const std::vector<io::GridAxis>& axes = job.manifest.grid;
    write_output(job.out_dir.string(),
                 [&] { io::write_sweep_results(axes, results, job.out_dir); });
    if (!job.quiet)
        console.out << results.front().scenario_name << ": " << results.size() << " points x "
                    << job.options.replications << " replications, seed " << job.options.seed
                    << " (common random numbers)\n\n"
                    << io::format_sweep_table(axes, results) << '\n';
    console.out << "results written to " << job.out_dir.string() << " (sweep.csv, points/<k>/)\n";
    return 0;
}

} // namespace

int sweep_command(const std::vector<std::string>& args, const Console& console) {
    const po::options_description options = sweep_options();
    const ParsedCommand parsed = parse_command("sweep", args, options);
    if (parsed.help) {
        print_command_help(console.out, "sweep SCENARIO --grid PATH=V1,V2,... [options]",
                           sweep_description, options);
        return 0;
    }
    const std::vector<io::GridAxis> axes = read_grid(parsed);
    const std::vector<io::ScenarioOverride> sets = read_overrides(parsed, "sweep");
    const std::optional<io::ShardSlice> shard = read_shard(parsed, "sweep");
    const auto replications = count_option(parsed, "sweep", "replications", 1);
    const auto seed = count_option(parsed, "sweep", "seed", 0);
    const auto series = count_option(parsed, "sweep", "series-replications", 0);
    const auto threads = count_option(parsed, "sweep", "threads", 0).value_or(0);
    std::optional<fs::path> out;
    if (parsed.values.count("out") > 0) {
        out = parsed.values["out"].as<std::string>();
        if (out->empty()) throw UsageError("sweep", "--out: must not be empty");
    }

    const std::vector<Point> points = load_points(parsed.scenario, sets, axes);
    // Grids cannot vary seed or replications, so every point has the same defaults. A point whose
    // scenario sets `output: {timeseries: false}` keeps no series whatever the count.
    const models::ScenarioSpec& first = points.front().network.spec();
    models::RunOptions run;
    run.seed = seed.value_or(first.seed);
    run.replications = replications.value_or(first.replications);
    run.series_replications = series.value_or(1);
    run.threads = static_cast<int>(std::min<std::uint64_t>(threads, 4096));
    Job job = sweep_job(parsed.scenario, points, axes, run);
    job.resume = parsed.values.count("resume") > 0;
    job.quiet = parsed.values.count("quiet") > 0;
    const fs::path base_dir = results_dir(first.name) / "sweep";
    if (shard) job.manifest.slice = *shard;
    job.out_dir = out.value_or(shard ? shard_dir(base_dir, *shard) : base_dir);
    const JobFinish finish = [&](std::vector<models::RunResult>& results) {
        return write_sweep(job, results, console);
    };
    if (const auto status = run_job_under_mpi(job, finish, console)) return *status;
    if (shard) return run_job_shard(job, console);
    return run_whole_job(job, finish, {}, console);
}

} // namespace chainshock::tools
