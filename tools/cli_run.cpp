/// `chainshock run SCENARIO`: run the replications, write the results directory, print key results.

#include "models/io/results_writer.hpp"
#include "models/io/shard.hpp"
#include "models/simulation.hpp"
#include "tools/cli.hpp"
#include "tools/cli_job.hpp"
#include "tools/cli_mpi.hpp"
#include "tools/cli_scale.hpp"

#include <algorithm>
#include <filesystem>
#include <string>

namespace chainshock::tools {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view run_description =
    "Runs the scenario's replications (in parallel; results do not depend on the number of\n"
    "threads) and writes summary.json, replications.csv and timeseries.csv into the results\n"
    "directory. The files appear only once complete: on bad input nothing is written.\n"
    "Ctrl-C or SIGTERM stops it (exit status 130): the completed replications are written,\n"
    "marked incomplete, and kept in DIR/.checkpoint, from which --resume continues.";

po::options_description run_options() {
    po::options_description options("Options");
    // From the constant itself: the threshold has moved before, and this text was left behind.
    const std::string engine_help =
        "auto, sequential or parallel: whether a replication runs its time windows in parallel "
        "(auto: for networks of " +
        std::to_string(models::kParallelMinNodes) +
        " nodes or more when fewer replications than threads run at once); results do not "
        "depend on it";
    options.add_options()("help,h", "show this help and exit")(
        "replications", po::value<std::string>()->value_name("N"),
        "number of replications, at least 1 (default: the scenario's `replications`)")(
        "seed", po::value<std::string>()->value_name("S"),
        "base random seed, 0 to 2^64-1 (default: the scenario's `seed`)")(
        "out,o", po::value<std::string>()->value_name("DIR"),
        "results directory; created if missing, same-named files replaced (default: "
        "results/<scenario name>)")(
        "series-replications", po::value<std::string>()->value_name("K"),
        "keep the daily time series of the first K replications (default: 1, or 0 when the "
        "scenario sets `output: {timeseries: false}`)")(
        "threads,t", po::value<std::string>()->value_name("T"),
        "threads for replications, 0 = all cores (default 0); results do not depend on it")(
        "engine", po::value<std::string>()->value_name("MODE"), engine_help.c_str())(
        "modes", po::value<std::string>()->value_name("LIST"),
        "run once per stockpile-policy mode, e.g. none,independent,coordinated (every policy "
        "set to that mode, same seed: common random numbers), each into DIR/<mode>/, and print "
        "them side by side")("quiet,q", "do not print the key results or progress")(
        "set", po::value<std::vector<std::string>>()->value_name("PATH=VALUE"), set_help)(
        "shard", po::value<std::string>()->value_name("I/K"), shard_help)("resume", resume_help);
    return options;
}

/// The command-line settings of a run, checked before the scenario is read.
struct RunSettings {
    std::optional<std::uint64_t> replications;
    std::optional<std::uint64_t> seed;
    std::optional<std::uint64_t> series_replications;
    std::optional<fs::path> out;
    std::uint64_t threads = 0;
    models::EngineMode engine = models::EngineMode::Auto;
    std::vector<models::StockpilePolicySpec::Mode> modes;
    std::vector<std::string> mode_names;
    std::vector<models::io::ScenarioOverride> overrides;
    std::optional<models::io::ShardSlice> shard;
    bool quiet = false;
    bool resume = false;
};

/// `none,independent,coordinated` -> modes; anything else is a usage error.
void read_modes(const std::string& list, RunSettings& settings) {
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string name = list.substr(start, comma - start);
        using Mode = models::StockpilePolicySpec::Mode;
        if (name == "none") {
            settings.modes.push_back(Mode::None);
        } else if (name == "independent") {
            settings.modes.push_back(Mode::Independent);
        } else if (name == "coordinated") {
            settings.modes.push_back(Mode::Coordinated);
        } else {
            throw UsageError("run", "--modes: expected a comma-separated list of none, "
                                    "independent, coordinated; got '" +
                                        name + "'");
        }
        settings.mode_names.push_back(name);
        start = comma + 1;
    }
}

RunSettings read_settings(const ParsedCommand& parsed) {
    RunSettings settings;
    settings.replications = count_option(parsed, "run", "replications", 1);
    settings.seed = count_option(parsed, "run", "seed", 0);
    settings.series_replications = count_option(parsed, "run", "series-replications", 0);
    if (parsed.values.count("out") > 0) {
        const std::string& out = parsed.values["out"].as<std::string>();
        if (out.empty()) throw UsageError("run", "--out: must not be empty");
        settings.out = fs::path(out);
    }
    settings.quiet = parsed.values.count("quiet") > 0;
    settings.threads = count_option(parsed, "run", "threads", 0).value_or(0);
    if (parsed.values.count("engine") > 0) {
        const std::string& engine = parsed.values["engine"].as<std::string>();
        if (engine == "sequential") {
            settings.engine = models::EngineMode::Sequential;
        } else if (engine == "parallel") {
            settings.engine = models::EngineMode::Parallel;
        } else if (engine != "auto") {
            throw UsageError("run", "--engine: expected auto, sequential or parallel; got '" +
                                        engine + "'");
        }
    }
    if (parsed.values.count("modes") > 0)
        read_modes(parsed.values["modes"].as<std::string>(), settings);
    settings.overrides = read_overrides(parsed, "run");
    settings.shard = read_shard(parsed, "run");
    if (settings.shard && !settings.modes.empty())
        throw UsageError("run", "--shard cannot be combined with --modes");
    settings.resume = parsed.values.count("resume") > 0;
    if (settings.resume && !settings.modes.empty())
        throw UsageError("run", "--resume cannot be combined with --modes");
    return settings;
}

/// Writes and prints the results of a run; `complete` false: the replications kept after Ctrl-C.
void write_run(const models::RunResult& result, const fs::path& out_dir,
               const models::Network& network, bool quiet, const Console& console) {
    write_output(out_dir.string(), [&] { models::io::write_results(result, out_dir); });
    if (!quiet)
        console.out << models::io::format_key_results(result, manufacturer_ids(network)) << '\n';
    console.out << "results written to " << out_dir.string() << '\n';
}

/// Ctrl-C: every completed replication is written, and summary.json says the run is incomplete.
void write_interrupted_run(const Job& job, JobRuns& runs, const models::Network& network,
                           const Console& console) {
    const std::string resume = "; run the same command with --resume to continue";
    if (runs.done == 0) {
        console.err << "chainshock run: interrupted before any replication completed; nothing "
                       "written"
                    << resume << '\n';
        return;
    }
    models::RunResult result =
        models::io::assemble_point(job.manifest, 0, std::move(runs.points.front()));
    label_engine(job, 0, result);
    write_run(result, job.out_dir, network, job.quiet, console);
    console.err << "chainshock run: interrupted: kept " << result.replications << " of "
                << result.replications_requested << " replications (marked incomplete)" << resume
                << " (checkpoint in " << checkpoint_dir(job.out_dir).string() << ")\n";
}

} // namespace

int run_command(const std::vector<std::string>& args, const Console& console) {
    const po::options_description options = run_options();
    const ParsedCommand parsed = parse_command("run", args, options);
    if (parsed.help) {
        print_command_help(console.out, "run SCENARIO [options]", run_description, options);
        return 0;
    }
    const RunSettings settings = read_settings(parsed);
    const models::Network network = load_network(parsed.scenario, settings.overrides);
    const models::ScenarioSpec& spec = network.spec();

    models::RunOptions run;
    run.seed = settings.seed.value_or(spec.seed);
    run.replications = settings.replications.value_or(spec.replications);
    run.series_replications =
        settings.series_replications.value_or(spec.output.timeseries ? 1U : 0U);
    run.threads = static_cast<int>(std::min<std::uint64_t>(settings.threads, 4096));
    run.engine = settings.engine;
    if (!settings.modes.empty()) {
        if (started_by_mpi_launcher())
            throw UsageError("run", "--modes cannot be used under mpirun (every rank would run "
                                    "every mode)");
        ProgressLine progress(console.err, settings.quiet);
        run.progress = progress.callback("replication ");
        return run_modes(network, run, settings.modes, settings.mode_names,
                         settings.out.value_or(results_dir(spec.name)), settings.quiet, console);
    }
    Job job;
    job.command = "run";
    job.manifest = job_manifest("run", parsed.scenario, network, run);
    job.manifest.points.push_back(
        {spec.name, spec.horizon_days, spec.warmup_days, override_texts(settings.overrides)});
    job.networks = {&network};
    job.options = run;
    job.resume = settings.resume;
    job.quiet = settings.quiet;
    if (settings.shard) job.manifest.slice = *settings.shard;
    job.out_dir = settings.shard
                      ? settings.out.value_or(shard_dir(results_dir(spec.name), *settings.shard))
                      : settings.out.value_or(results_dir(spec.name));
    const JobFinish finish = [&](std::vector<models::RunResult>& points) {
        write_run(points.front(), job.out_dir, network, settings.quiet, console);
        return 0;
    };
    if (const auto status = run_job_under_mpi(job, finish, console)) return *status;
    if (settings.shard) return run_job_shard(job, console);
    return run_whole_job(
        job, finish, [&](JobRuns& runs) { write_interrupted_run(job, runs, network, console); },
        console);
}

} // namespace chainshock::tools
