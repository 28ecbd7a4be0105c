/// Checkpointed runs of a job's replications: --resume, Ctrl-C and SIGTERM for run, sweep and
/// their shards.

#include "tools/cli_job.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace chainshock::tools {

namespace fs = std::filesystem;
namespace io = models::io;

namespace {

/// How often a long point saves what it has completed, so that a killed job (SIGKILL, a crash)
/// loses at most this much work besides the point's replications still running.
constexpr auto kSaveEvery = std::chrono::seconds(60);

/// The environment variable `name` as a non-negative integer, if it is one.
std::optional<std::uint64_t> env_count(const char* name) {
    const char* text = std::getenv(name);
    if (text == nullptr) return std::nullopt;
    const std::string_view view(text);
    std::uint64_t n = 0;
    const auto [ptr, ec] = std::from_chars(view.data(), view.data() + view.size(), n);
    if (ec != std::errc() || ptr != view.data() + view.size()) return std::nullopt;
    return n;
}

/// Test hook: `CHAINSHOCK_TEST_INTERRUPT_AFTER=N` sends this process SIGINT when its N-th
/// replication completes, as a Ctrl-C would, at a point the tests can predict.
std::optional<std::uint64_t> interrupt_after() {
    return env_count("CHAINSHOCK_TEST_INTERRUPT_AFTER");
}

/// kSaveEvery, or `CHAINSHOCK_TEST_SAVE_EVERY_S` seconds (a test hook: 0 saves after every
/// replication).
std::chrono::steady_clock::duration save_every() {
    if (const auto seconds = env_count("CHAINSHOCK_TEST_SAVE_EVERY_S"))
        return std::chrono::seconds(*seconds);
    return kSaveEvery;
}

/// `replications` for a run, `(point, replication) pairs` for a sweep.
std::string unit(const Job& job) {
    return job.manifest.kind == "sweep" ? "(point, replication) pairs" : "replications";
}

/// How many (point, replication) pairs the job's slice holds.
std::uint64_t slice_size(const Job& job) {
    const std::uint64_t all = job.manifest.points.size() * job.manifest.replications;
    const io::ShardSlice slice = job.manifest.slice;
    return all > slice.index ? (all - slice.index + slice.count - 1) / slice.count : 0;
}

/// The replications of point p in the job's slice that `have` (sorted) lacks, ascending.
std::vector<std::uint64_t>
missing_replications(const Job& job, std::size_t p,
                     const std::vector<models::ReplicationResult>& have) {
    const std::uint64_t n = job.manifest.replications;
    const io::ShardSlice slice = job.manifest.slice;
    std::vector<std::uint64_t> missing;
    auto next = have.begin();
    for (std::uint64_t r = 0; r < n; ++r) {
        if (((p * n) + r) % slice.count != slice.index) continue;
        while (next != have.end() && next->replication < r) ++next;
        if (next != have.end() && next->replication == r) continue;
        missing.push_back(r);
    }
    return missing;
}

/// Runs the missing replications of one point and saves them, while `stop` stays false.
class PointRunner {
public:
    PointRunner(const Job& job, io::Checkpoint& checkpoint, const std::atomic<bool>& stop)
        : job_(job), checkpoint_(checkpoint), stop_(stop), interrupt_after_(interrupt_after()),
          save_every_(save_every()) {}

    /// Runs `missing` of point p; returns those that completed, in index order. Every minute,
    /// the ones completed since the last save are saved; the rest are left to the caller.
    std::vector<models::ReplicationResult>
    run(std::size_t p, const std::vector<std::uint64_t>& missing,
        const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
        models::RunOptions options = job_.options;
        options.stop = &stop_;
        options.progress = progress;
        pending_.clear();
        saved_.clear();
        last_save_ = std::chrono::steady_clock::now();
        // Called under run_replications' lock: the saved references stay valid until it returns.
        options.completed = [&](const models::ReplicationResult& run) {
            pending_.push_back(&run);
            if (interrupt_after_ && ++ran_ == *interrupt_after_) std::raise(SIGINT);
            if (std::chrono::steady_clock::now() - last_save_ >= save_every_) save_pending(p);
        };
        std::vector<models::ReplicationResult> runs =
            models::run_replications(*job_.networks.at(p), options, missing);
        pending_.clear(); // the references die with run_replications' own results
        std::sort(saved_.begin(), saved_.end());
        return runs;
    }

    /// Saves the replications of the last run() that no periodic save took.
    void save_rest(std::size_t p, const std::vector<models::ReplicationResult>& runs) {
        std::vector<models::ReplicationResult> rest;
        for (const models::ReplicationResult& run : runs)
            if (!std::binary_search(saved_.begin(), saved_.end(), run.replication))
                rest.push_back(run);
        save(p, rest);
    }

private:
    void save_pending(std::size_t p) {
        std::vector<models::ReplicationResult> part;
        part.reserve(pending_.size());
        for (const models::ReplicationResult* run : pending_) {
            part.push_back(*run);
            saved_.push_back(run->replication);
        }
        pending_.clear();
        std::sort(part.begin(), part.end(),
                  [](const auto& a, const auto& b) { return a.replication < b.replication; });
        save(p, part);
        last_save_ = std::chrono::steady_clock::now();
    }

    void save(std::size_t p, const std::vector<models::ReplicationResult>& runs) {
        if (runs.empty()) return;
        write_output(checkpoint_.dir().string(), [&] { checkpoint_.save(p, runs); });
    }

    const Job& job_;
    io::Checkpoint& checkpoint_;
    const std::atomic<bool>& stop_;
    std::optional<std::uint64_t> interrupt_after_;
    std::chrono::steady_clock::duration save_every_;
    std::uint64_t ran_ = 0;
    std::vector<const models::ReplicationResult*> pending_;
    std::vector<std::uint64_t> saved_; ///< replications of the current run() saved so far
    std::chrono::steady_clock::time_point last_save_;
};

/// `held` and `more` (each in index order, disjoint) as one list in index order.
void merge_runs(std::vector<models::ReplicationResult>& held,
                std::vector<models::ReplicationResult> more) {
    const auto middle = static_cast<std::ptrdiff_t>(held.size());
    held.insert(held.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
    std::inplace_merge(held.begin(), held.begin() + middle, held.end(),
                       [](const auto& a, const auto& b) { return a.replication < b.replication; });
}

std::string progress_label(const Job& job, std::size_t p) {
    if (job.manifest.kind != "sweep" || job.manifest.slice.count > 1) return "replication ";
    return "point " + std::to_string(p + 1) + "/" + std::to_string(job.manifest.points.size()) +
           ", replication ";
}

/// open_checkpoint, its messages prefixed with `prefix`; errors are not.
io::Checkpoint open_checkpoint_as(const Job& job, const std::string& prefix,
                                  const Console& console) {
    const fs::path dir = checkpoint_dir(job.out_dir);
    io::Checkpoint checkpoint(dir, job.manifest);
    const std::optional<io::ShardManifest> stored = io::Checkpoint::stored_job(dir);
    if (!stored) {
        if (job.resume && !job.quiet)
            console.err << prefix << "--resume: no checkpoint in " << dir.string()
                        << "; starting from the beginning\n";
        return checkpoint;
    }
    if (!job.resume)
        throw io::CheckpointError(
            dir.string() + " holds the checkpoint of an interrupted " + stored->kind +
            ": run the same command with --resume to continue it, or remove " + dir.string() +
            " to start over");
    const std::string stored_key = io::job_key(*stored);
    const std::string key = io::job_key(job.manifest);
    if (stored_key != key) {
        // Which shard wrote it does not matter: compare the jobs.
        io::ShardManifest a = *stored;
        io::ShardManifest b = job.manifest;
        a.slice = b.slice = {};
        std::string diff = io::first_difference(a, b);
        if (diff.empty()) diff = "the scenarios its points run";
        throw io::CheckpointError("--resume: " + dir.string() + " is the checkpoint of another " +
                                  stored->kind + " (key " + stored_key + ", this " + job.command +
                                  "'s is " + key + "; they differ in " + diff +
                                  "): resume it with its own options, or remove " + dir.string() +
                                  " to start over");
    }
    checkpoint.load();
    if (!job.quiet)
        console.err << prefix << "resuming from " << dir.string() << ": " << checkpoint.loaded()
                    << " of " << slice_size(job) << ' ' << unit(job) << " already done\n";
    return checkpoint;
}

} // namespace

fs::path checkpoint_dir(const fs::path& out_dir) { return out_dir / ".checkpoint"; }

io::ShardManifest job_manifest(std::string kind, const std::string& scenario_file,
                               const models::Network& network, const models::RunOptions& options) {
    io::ShardManifest m;
    m.kind = std::move(kind);
    m.scenario_file = scenario_file;
    m.scenario_hash = network.spec().source_hash;
    m.version = models::chainshock_version();
    m.seed = options.seed;
    m.replications = options.replications;
    m.series_replications = options.series_replications;
    m.engine = models::engine_name(network, options);
    return m;
}

io::Checkpoint open_checkpoint(const Job& job, const Console& console) {
    const std::string prefix = "chainshock " + job.command + ": ";
    try {
        return open_checkpoint_as(job, prefix, console);
    } catch (const io::CheckpointError& e) {
        throw io::CheckpointError(prefix + "error: " + e.what());
    }
}

JobRuns run_job(const Job& job, io::Checkpoint& checkpoint, const std::atomic<bool>& stop,
                bool save_all, const Console& console) {
    const std::size_t points = job.manifest.points.size();
    JobRuns result;
    result.points.resize(points);
    std::vector<std::vector<std::uint64_t>> missing(points);
    for (std::size_t p = 0; p < points; ++p) {
        result.points[p] = checkpoint.take_loaded(p);
        missing[p] = missing_replications(job, p, result.points[p]);
        result.done += result.points[p].size();
        result.total += result.points[p].size() + missing[p].size();
    }
    ProgressLine progress(console.err, job.quiet);
    PointRunner runner(job, checkpoint, stop);
    for (std::size_t p = 0; p < points && result.done < result.total; ++p) {
        if (missing[p].empty()) continue;
        if (stop.load()) break;
        const std::uint64_t held = result.points[p].size();
        const std::uint64_t point_total = held + missing[p].size();
        const auto draw = progress.callback(progress_label(job, p));
        std::function<void(std::uint64_t, std::uint64_t)> on_progress;
        if (draw)
            on_progress = [&](std::uint64_t done, std::uint64_t) {
                draw(held + done, point_total);
            };
        std::vector<models::ReplicationResult> runs = runner.run(p, missing[p], on_progress);
        result.done += runs.size();
        // Save unless the results are about to be written anyway.
        if (save_all || result.done < result.total) runner.save_rest(p, runs);
        merge_runs(result.points[p], std::move(runs));
    }
    progress.finish();
    result.interrupted = result.done < result.total;
    return result;
}

std::vector<models::RunResult> assemble_points(const Job& job, JobRuns& runs) {
    std::vector<models::RunResult> points;
    points.reserve(runs.points.size());
    for (std::size_t p = 0; p < runs.points.size(); ++p) {
        points.push_back(io::assemble_point(job.manifest, p, std::move(runs.points[p])));
        label_engine(job, p, points.back());
    }
    return points;
}

void label_engine(const Job& job, std::size_t p, models::RunResult& point) {
    point.engine = models::engine_name(*job.networks.at(p), job.options);
}

void report_interrupted(const Job& job, const JobRuns& runs, const io::Checkpoint& checkpoint,
                        const Console& console) {
    const io::ShardSlice slice = job.manifest.slice;
    console.err << "chainshock " << job.command << ": ";
    if (slice.count > 1) console.err << "shard " << slice.index << '/' << slice.count << ' ';
    console.err << "interrupted: " << runs.done << " of " << runs.total << ' ' << unit(job)
                << " done";
    if (runs.done > 0) console.err << ", kept in " << checkpoint.dir().string();
    console.err << "; run the same command with --resume to continue\n";
}

int run_whole_job(const Job& job, const JobFinish& finish,
                  const std::function<void(JobRuns&)>& on_interrupt, const Console& console) {
    io::Checkpoint checkpoint = open_checkpoint(job, console);
    // Ctrl-C and SIGTERM stop between replications; the work done so far is saved.
    const InterruptGuard interrupt;
    JobRuns runs = run_job(job, checkpoint, interrupt.flag(), false, console);
    if (runs.interrupted) {
        if (on_interrupt)
            on_interrupt(runs);
        else
            report_interrupted(job, runs, checkpoint, console);
        return kInterruptedStatus;
    }
    std::vector<models::RunResult> points = assemble_points(job, runs);
    const int status = finish(points);
    if (status == 0) checkpoint.remove();
    return status;
}

int run_job_shard(const Job& job, const Console& console) {
    io::Checkpoint checkpoint = open_checkpoint(job, console);
    const InterruptGuard interrupt;
    JobRuns runs = run_job(job, checkpoint, interrupt.flag(), false, console);
    if (runs.interrupted) {
        report_interrupted(job, runs, checkpoint, console);
        return kInterruptedStatus;
    }
    io::ShardManifest manifest = job.manifest;
    manifest.items_in_shard = runs.done;
    std::vector<models::RunResult> parts(runs.points.size());
    for (std::size_t p = 0; p < parts.size(); ++p) parts[p].runs = std::move(runs.points[p]);
    write_output(job.out_dir.string(), [&] { io::write_shard(manifest, parts, job.out_dir); });
    checkpoint.remove();
    const io::ShardSlice slice = manifest.slice;
    if (!job.quiet) {
        const std::uint64_t all = manifest.points.size() * manifest.replications;
        console.out << manifest.points.front().scenario_name << ": "
                    << (manifest.kind == "sweep" ? "sweep shard " : "shard ") << slice.index << '/'
                    << slice.count << ", " << runs.done << " of " << all << ' '
                    << (manifest.kind == "sweep" ? "(point, replication) pairs" : "replications")
                    << ", seed " << manifest.seed << '\n';
    }
    console.out << "shard written to " << job.out_dir.string() << '\n';
    return 0;
}

} // namespace chainshock::tools
