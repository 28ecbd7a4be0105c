#pragma once
/// Running a scenario: one replication, or many, over a shared immutable Network.

#include "models/network.hpp"
#include "models/run_result.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>

namespace chainshock::models {

/// How each replication uses threads inside itself (results never depend on it).
enum class EngineMode {
    /// Parallel windows when the network has at least kParallelMinNodes nodes and fewer
    /// replications than threads run at once; otherwise sequential.
    Auto,
    Sequential, ///< every window on one thread
    Parallel    ///< windows with enough events run in parallel, whatever the network's size
};

/// Auto's threshold: below it a window rarely holds enough events to pay for a parallel region
/// (a 2,000-node chain's busiest windows hold under 2,048 node events; docs/performance.md).
inline constexpr std::size_t kParallelMinNodes = 4000;

struct RunOptions {
    std::uint64_t seed = 1;
    std::uint64_t replications = 1;
    /// Keep the daily time series of the first `series_replications` replications.
    std::uint64_t series_replications = 1;
    /// Threads for replications (0 = all cores). Results do not depend on it.
    int threads = 0;
    /// When set and it becomes true, replications not yet started are skipped: the result keeps
    /// every completed replication (in index order) and is marked incomplete.
    const std::atomic<bool>* stop = nullptr;
    /// Parallel windows inside a replication (see EngineMode). Replications that run side by side
    /// share the `threads` threads: nested parallel work goes through the same TBB arena.
    EngineMode engine = EngineMode::Auto;
    /// Windows with fewer node events run on one thread even in a parallel replication.
    std::size_t min_parallel_events = 2048;
    /// Called after each replication with (done, total), never concurrently; may be empty.
    std::function<void(std::uint64_t, std::uint64_t)> progress;
    /// Called after each replication with its result, never concurrently and before `progress`;
    /// may be empty. The reference stays valid until run_replications (or run_scenario) returns,
    /// so a caller can keep it to save completed work while the rest runs.
    std::function<void(const ReplicationResult&)> completed;
};

/// The version string written into results.
std::string chainshock_version();

/// Runs one replication. Throws std::logic_error if mass balance fails.
ReplicationResult run_replication(const Network& network, std::uint64_t seed,
                                  std::uint64_t replication, bool keep_series);

/// Runs the replications numbered `indices` (a subset of 0..options.replications-1, such as one
/// shard of a sharded run) in parallel and returns them in the order of `indices`. Replication r
/// is exactly what run_scenario computes for it: it keeps its series when the scenario keeps series
/// and r < options.series_replications. options.progress gets (done, indices.size()); when
/// options.stop turns true, replications not yet started are left out of the result.
std::vector<ReplicationResult> run_replications(const Network& network, const RunOptions& options,
                                                std::span<const std::uint64_t> indices);

/// Whether replications of `network` run with parallel windows when `concurrent` of them run at
/// once on options.threads threads (0 = all cores).
bool parallel_windows(const Network& network, const RunOptions& options, std::size_t concurrent);

/// RunResult::engine of a run of options.replications replications: "parallel windows" or
/// "sequential", as run_scenario writes it. For results assembled from replications run in
/// parts (shards, checkpoints), so that they say what one run_scenario call would.
std::string engine_name(const Network& network, const RunOptions& options);

/// Runs options.replications replications and summarises them in replication order.
RunResult run_scenario(const Network& network, const RunOptions& options);

} // namespace chainshock::models
