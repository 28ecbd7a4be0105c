#include "models/simulation.hpp"

#include "engine/parallel.hpp"
#include "models/model.hpp"
#include "models/replication.hpp"

#include <mutex>
#include <string>

#ifndef CHAINSHOCK_VERSION
#define CHAINSHOCK_VERSION "0.0.0"
#endif

namespace chainshock::models {

std::string chainshock_version() { return CHAINSHOCK_VERSION; }

ReplicationResult Model::run(std::uint64_t seed, std::uint64_t replication,
                             bool keep_series) const {
    Replication rep(*this, seed, replication, keep_series);
    ReplicationResult result = rep.run();
    result.replication = replication;
    return result;
}

ReplicationResult run_replication(const Network& network, std::uint64_t seed,
                                  std::uint64_t replication, bool keep_series) {
    return Model(network).run(seed, replication, keep_series);
}

bool parallel_windows(const Network& network, const RunOptions& options, std::size_t concurrent) {
    const int threads = options.threads > 0 ? options.threads : engine::available_threads();
    switch (options.engine) {
    case EngineMode::Sequential:
        return false;
    case EngineMode::Parallel:
        return threads > 1;
    case EngineMode::Auto:
        break;
    }
    return threads > 1 && concurrent < static_cast<std::size_t>(threads) &&
           network.node_count() >= kParallelMinNodes;
}

namespace {

/// Runs the replications `indices` into slots of the same order; finished[k] says which ran.
void run_indexed(const Model& model, const RunOptions& options,
                 std::span<const std::uint64_t> indices, std::vector<ReplicationResult>& runs,
                 std::vector<char>& finished) {
    const bool series = model.network().spec().output.timeseries;
    engine::WindowOptions windows;
    windows.parallel = parallel_windows(model.network(), options, indices.size());
    windows.min_parallel_events = options.min_parallel_events;
    runs.assign(indices.size(), ReplicationResult{});
    finished.assign(indices.size(), 0);
    std::mutex progress_mutex;
    std::uint64_t done = 0;
    engine::parallel_for_index(indices.size(), options.threads, [&](std::size_t k) {
        if (options.stop != nullptr && options.stop->load()) return;
        const std::uint64_t r = indices[k];
        Replication rep(model, options.seed, r, series && r < options.series_replications, windows);
        runs[k] = rep.run();
        runs[k].replication = r;
        finished[k] = 1;
        if (options.completed || options.progress) {
            const std::lock_guard lock(progress_mutex);
            ++done;
            if (options.completed) options.completed(runs[k]);
            if (options.progress) options.progress(done, indices.size());
        }
    });
}

} // namespace

std::vector<ReplicationResult> run_replications(const Network& network, const RunOptions& options,
                                                std::span<const std::uint64_t> indices) {
    const Model model(network);
    std::vector<ReplicationResult> runs;
    std::vector<char> finished;
    run_indexed(model, options, indices, runs, finished);
    // Stopped early: keep the completed replications, in the given order.
    std::vector<ReplicationResult> completed;
    completed.reserve(runs.size());
    for (std::size_t k = 0; k < runs.size(); ++k)
        if (finished[k] != 0) completed.push_back(std::move(runs[k]));
    return completed;
}

std::string engine_name(const Network& network, const RunOptions& options) {
    return parallel_windows(network, options, options.replications) ? "parallel windows"
                                                                    : "sequential";
}

RunResult run_scenario(const Network& network, const RunOptions& options) {
    const ScenarioSpec& spec = network.spec();
    RunResult result;
    result.scenario_name = spec.name;
    result.scenario_hash = spec.source_hash;
    result.version = chainshock_version();
    result.seed = options.seed;
    result.replications = options.replications;
    result.horizon_days = spec.horizon_days;
    result.warmup_days = spec.warmup_days;
    result.replications_requested = options.replications;
    std::vector<std::uint64_t> indices(options.replications);
    for (std::uint64_t r = 0; r < options.replications; ++r) indices[r] = r;
    result.runs = run_replications(network, options, indices);
    result.engine = engine_name(network, options);
    result.replications = result.runs.size();
    result.complete = result.replications == options.replications;
    result.fingerprint = combined_fingerprint(result.runs);
    result.summary = summarize_runs(result.runs);
    return result;
}

} // namespace chainshock::models
