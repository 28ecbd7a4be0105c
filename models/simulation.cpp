#include "models/simulation.hpp"

#include "engine/fingerprint.hpp"
#include "models/model.hpp"
#include "models/replication.hpp"

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
    engine::Fingerprint combined;
    for (std::uint64_t r = 0; r < options.replications; ++r) {
        const bool keep_series = spec.output.timeseries && r < options.series_replications;
        result.runs.push_back(model.run(options.seed, r, keep_series));
        combined.add(
            static_cast<std::uint64_t>(std::stoull(result.runs.back().fingerprint, nullptr, 16)));
        if (options.progress) options.progress(r + 1, options.replications);
    }
    result.fingerprint = combined.hex();
    result.summary = summarize_runs(result.runs);
    return result;
}

} // namespace chainshock::models
