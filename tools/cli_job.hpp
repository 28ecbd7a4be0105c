#pragma once
/// Running the replications of a run or a sweep, or of one shard of either, so that an interrupted
/// job can be continued. Completed replications go to a checkpoint in `<out>/.checkpoint`
/// (models/io/checkpoint.hpp): after each point, every minute within a point, and when Ctrl-C or
/// SIGTERM stops the job. `--resume` reads them back and runs only the rest; the results are
/// byte-identical to an uninterrupted job's, because every replication is computed from its own
/// (seed, replication) streams and combined in index order (docs/scale-out.md).

#include "models/io/checkpoint.hpp"
#include "models/io/shard.hpp"
#include "models/simulation.hpp"
#include "tools/cli.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace chainshock::tools {

/// Help text of `--resume` (run and sweep).
inline constexpr const char* resume_help =
    "continue an interrupted job from the checkpoint in DIR/.checkpoint (same scenario, "
    "--set, --grid, --seed, --replications, --series-replications and --shard); the results are "
    "identical to an uninterrupted job's";

/// A run or a sweep, as the runner sees it.
struct Job {
    std::string command;                ///< `run` or `sweep`, in messages
    models::io::ShardManifest manifest; ///< what the job is; `slice` is this process's share
    std::vector<const models::Network*> networks; ///< one per point of the manifest
    models::RunOptions options;    ///< seed, replications, series replications, threads
    std::filesystem::path out_dir; ///< where the results go; the checkpoint is inside it
    bool resume = false;
    bool quiet = false;
};

/// The replications of the job's slice that have run (or were resumed), per point, in index order.
struct JobRuns {
    std::vector<std::vector<models::ReplicationResult>> points;
    std::uint64_t done = 0;   ///< (point, replication) pairs held
    std::uint64_t total = 0;  ///< pairs in the slice
    bool interrupted = false; ///< stopped before done == total
};

/// Writes and prints a job's complete results (one RunResult per point); returns the exit status.
using JobFinish = std::function<int(std::vector<models::RunResult>& points)>;

/// `<out_dir>/.checkpoint`.
[[nodiscard]] std::filesystem::path checkpoint_dir(const std::filesystem::path& out_dir);

/// The manifest of a job: everything but its grid, points and slice, which the caller fills in.
[[nodiscard]] models::io::ShardManifest job_manifest(std::string kind,
                                                     const std::string& scenario_file,
                                                     const models::Network& network,
                                                     const models::RunOptions& options);

/// The job's checkpoint, ready to use. Without job.resume, a checkpoint already there is refused;
/// with it, one of another job is refused and one of this job is loaded (with a note on
/// console.err unless quiet). Throws models::io::CheckpointError (exit status 2), its message
/// starting `chainshock <command>: error: `.
[[nodiscard]] models::io::Checkpoint open_checkpoint(const Job& job, const Console& console);

/// Runs the replications of the job's slice that the checkpoint does not hold, point by point,
/// until all are done or `stop` turns true, saving completed ones to the checkpoint as it goes
/// (the last ones only when `save_all` or when stopped: otherwise the caller writes the results
/// at once). Shows a progress line unless job.quiet.
[[nodiscard]] JobRuns run_job(const Job& job, models::io::Checkpoint& checkpoint,
                              const std::atomic<bool>& stop, bool save_all, const Console& console);

/// Each point's RunResult from its runs (models::io::assemble_point), with the engine that one
/// run_scenario call would name (label_engine).
[[nodiscard]] std::vector<models::RunResult> assemble_points(const Job& job, JobRuns& runs);

/// Sets point p's RunResult::engine to what run_scenario would write for it: results assembled
/// from parts (chunks, ranks) then read the same as one run's.
void label_engine(const Job& job, std::size_t p, models::RunResult& point);

/// `chainshock <command>: interrupted: ...`: how much was done, where it is kept, and that
/// `--resume` continues.
void report_interrupted(const Job& job, const JobRuns& runs,
                        const models::io::Checkpoint& checkpoint, const Console& console);

/// A whole job (slice 0/1): runs it, then `finish` writes the results and the checkpoint is
/// removed. Stopped by Ctrl-C or SIGTERM: the checkpoint is kept, `on_interrupt` (when given, else
/// report_interrupted) gets what completed and says so, and the status is kInterruptedStatus.
int run_whole_job(const Job& job, const JobFinish& finish,
                  const std::function<void(JobRuns&)>& on_interrupt, const Console& console);

/// One shard of a job (`--shard I/K`): runs it and writes the shard directory (shard.json last)
/// for `chainshock merge`; stopped early, it writes no shard, keeps the checkpoint and returns
/// kInterruptedStatus.
int run_job_shard(const Job& job, const Console& console);

} // namespace chainshock::tools
