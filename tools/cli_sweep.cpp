/// `chainshock sweep SCENARIO --grid PATH=V1,V2,... [--grid ...]`: the scenario once per point of
/// the grid's cartesian product, every point with the same seed (common random numbers), written
/// as DIR/points/<k>/ and the tidy DIR/sweep.csv; or, with --shard, one shard of the (point,
/// replication) pairs for `chainshock merge`.

#include "models/io/sweep_writer.hpp"
#include "models/simulation.hpp"
#include "tools/cli.hpp"
#include "tools/cli_scale.hpp"

#include <algorithm>
#include <map>
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
    "mean: 5, sd: 1}'. --set changes are applied first, then the point's grid values.";

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
        shard_help)("quiet,q", "do not print the table or progress");
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

/// The shard's (point, replication) pairs, run point by point: one partial result per point.
struct SweepShard {
    std::vector<models::RunResult> parts;
    std::uint64_t items = 0; ///< pairs run
};

SweepShard run_sweep_shard(const std::vector<Point>& points, const models::RunOptions& options,
                           io::ShardSlice slice) {
    const std::uint64_t n = options.replications;
    std::map<std::size_t, std::vector<std::uint64_t>> by_point;
    const std::vector<std::uint64_t> flat = io::shard_items(points.size() * n, slice);
    for (const std::uint64_t f : flat) by_point[f / n].push_back(f % n);
    SweepShard shard{std::vector<models::RunResult>(points.size()), flat.size()};
    for (const auto& [p, replications] : by_point)
        shard.parts[p].runs = models::run_replications(points[p].network, options, replications);
    return shard;
}

io::ShardManifest sweep_manifest(const std::string& scenario, const std::vector<Point>& points,
                                 const std::vector<io::GridAxis>& axes,
                                 const models::RunOptions& options) {
    io::ShardManifest m;
    m.kind = "sweep";
    m.scenario_file = scenario;
    m.scenario_hash = points.front().network.spec().source_hash;
    m.version = models::chainshock_version();
    m.seed = options.seed;
    m.replications = options.replications;
    m.series_replications = options.series_replications;
    m.grid = axes;
    for (const Point& point : points) {
        const models::ScenarioSpec& spec = point.network.spec();
        m.points.push_back(
            {spec.name, spec.horizon_days, spec.warmup_days, override_texts(point.overrides)});
    }
    return m;
}

/// A sweep, read from the command line and validated.
struct SweepJob {
    std::string scenario;
    std::vector<io::GridAxis> axes;
    std::vector<Point> points;
    models::RunOptions run;
    fs::path base_dir; ///< default output: results/<name>/sweep
    std::optional<fs::path> out;
    bool quiet = false;
};

int sweep_shard(SweepJob& job, io::ShardSlice slice, const Console& console) {
    const fs::path out_dir = job.out.value_or(shard_dir(job.base_dir, slice));
    io::ShardManifest manifest = sweep_manifest(job.scenario, job.points, job.axes, job.run);
    manifest.slice = slice;
    ProgressLine progress(console.err, job.quiet);
    job.run.progress = progress.callback("replication ");
    const SweepShard ran = run_sweep_shard(job.points, job.run, slice);
    progress.finish();
    manifest.items_in_shard = ran.items;
    write_output(out_dir.string(), [&] { io::write_shard(manifest, ran.parts, out_dir); });
    if (!job.quiet)
        console.out << manifest.points.front().scenario_name << ": sweep shard " << slice.index
                    << '/' << slice.count << ", " << ran.items << " of "
                    << job.points.size() * job.run.replications
                    << " (point, replication) pairs, seed " << job.run.seed << '\n';
    console.out << "shard written to " << out_dir.string() << '\n';
    return 0;
}

int sweep_all(SweepJob& job, const Console& console) {
    const fs::path out_dir = job.out.value_or(job.base_dir);
    std::vector<models::RunResult> results;
    ProgressLine progress(console.err, job.quiet);
    for (std::size_t p = 0; p < job.points.size(); ++p) {
        job.run.progress = progress.callback("point " + std::to_string(p + 1) + "/" +
                                             std::to_string(job.points.size()) + ", replication ");
        results.push_back(models::run_scenario(job.points[p].network, job.run));
        results.back().overrides = override_texts(job.points[p].overrides);
    }
    progress.finish();
    write_output(out_dir.string(), [&] { io::write_sweep_results(job.axes, results, out_dir); });
    if (!job.quiet)
        console.out << results.front().scenario_name << ": " << job.points.size() << " points x "
                    << job.run.replications << " replications, seed " << job.run.seed
                    << " (common random numbers)\n\n"
                    << io::format_sweep_table(job.axes, results) << '\n';
    console.out << "results written to " << out_dir.string() << " (sweep.csv, points/<k>/)\n";
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
    SweepJob job;
    job.scenario = parsed.scenario;
    job.axes = read_grid(parsed);
    const std::vector<io::ScenarioOverride> sets = read_overrides(parsed, "sweep");
    const std::optional<io::ShardSlice> shard = read_shard(parsed, "sweep");
    const auto replications = count_option(parsed, "sweep", "replications", 1);
    const auto seed = count_option(parsed, "sweep", "seed", 0);
    const auto series = count_option(parsed, "sweep", "series-replications", 0);
    const auto threads = count_option(parsed, "sweep", "threads", 0).value_or(0);
    if (parsed.values.count("out") > 0) {
        job.out = parsed.values["out"].as<std::string>();
        if (job.out->empty()) throw UsageError("sweep", "--out: must not be empty");
    }
    job.quiet = parsed.values.count("quiet") > 0;

    job.points = load_points(parsed.scenario, sets, job.axes);
    // Grids cannot vary seed or replications, so every point has the same defaults. A point whose
    // scenario sets `output: {timeseries: false}` keeps no series whatever the count.
    const models::ScenarioSpec& first = job.points.front().network.spec();
    job.run.seed = seed.value_or(first.seed);
    job.run.replications = replications.value_or(first.replications);
    job.run.series_replications = series.value_or(1);
    job.run.threads = static_cast<int>(std::min<std::uint64_t>(threads, 4096));
    job.base_dir = results_dir(first.name) / "sweep";
    return shard ? sweep_shard(job, *shard, console) : sweep_all(job, console);
}

} // namespace chainshock::tools
