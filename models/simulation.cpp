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

std::vector<ReplicationResult> run_replications(const Network& network, const RunOptions& options,
                                                std::span<const std::uint64_t> indices) {
    const bool series = network.spec().output.timeseries;
    const Model model(network);
    // Each replication into its own slot; the completed ones are then kept in the given order.
    std::vector<ReplicationResult> runs(indices.size());
    std::vector<char> finished(indices.size(), 0);
    std::mutex progress_mutex;
    std::uint64_t done = 0;
    engine::parallel_for_index(indices.size(), options.threads, [&](std::size_t k) {
        if (options.stop != nullptr && options.stop->load()) return;
        const std::uint64_t r = indices[k];
        runs[k] = model.run(options.seed, r, series && r < options.series_replications);
        finished[k] = 1;
        if (options.progress) {
            const std::lock_guard lock(progress_mutex);
            options.progress(++done, indices.size());
        }
    });
    std::vector<ReplicationResult> completed;
    completed.reserve(runs.size());
    for (std::size_t k = 0; k < runs.size(); ++k)
        if (finished[k] != 0) completed.push_back(std::move(runs[k]));
    return completed;
}

RunResult run_scenario(const Network& network, const RunOptions& options) {
    const ScenarioSpec& spec = network.spec();
    const Model model(network);
    RunResult result;
    result.scenario_name = spec.name;
    result.scenario_hash = spec.source_hash;
    result.version = chainshock_version();
    result.seed = options.seed;
    result.replications = options.replications;
    result.horizon_days = spec.horizon_days;
    result.warmup_days = spec.warmup_days;
    // Replications run in parallel, each into its own slot; everything after is in index order.
    result.runs.resize(options.replications);
    std::mutex progress_mutex;
    std::uint64_t done = 0;
    std::vector<char> finished(options.replications, 0);
    engine::parallel_for_index(options.replications, options.threads, [&](std::size_t r) {
        if (options.stop != nullptr && options.stop->load()) return;
        const bool keep_series = spec.output.timeseries && r < options.series_replications;
        result.runs[r] = model.run(options.seed, r, keep_series);
        finished[r] = 1;
        if (options.progress) {
            const std::lock_guard lock(progress_mutex);
            options.progress(++done, options.replications);
        }
    });
    // Stopped early: keep the completed replications, in index order.
    result.replications_requested = options.replications;
    std::vector<ReplicationResult> completed;
    for (std::size_t r = 0; r < finished.size(); ++r) {
        if (finished[r]) completed.push_back(std::move(result.runs[r]));
    }
    result.runs = std::move(completed);
    result.replications = result.runs.size();
    result.complete = result.replications == options.replications;
    result.fingerprint = combined_fingerprint(result.runs);
    result.summary = summarize_runs(result.runs);
    return result;
}

} // namespace chainshock::models
