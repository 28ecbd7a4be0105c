/// The MPI job: every rank runs its shard of the job, rank 0 gathers the packed shards and merges
/// them (see cli_mpi.hpp). Each collective step is preceded by an agreement on the ranks' status,
/// so that a rank that fails or is interrupted never leaves the others waiting.

#include "tools/cli_mpi.hpp"

#include "models/io/checkpoint.hpp"
#include "models/io/shard.hpp"
#include "models/scenario_error.hpp"

#include <algorithm>
#include <climits>
#include <exception>
#include <mpi.h>
#include <ostream>

namespace chainshock::tools {

namespace io = models::io;

namespace {

/// MPI_Init on construction, MPI_Finalize on destruction: one per process.
class MpiSession {
public:
    MpiSession() {
        int provided = 0;
        // Only the main thread calls MPI; TBB's workers never do.
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        int rank = 0;
        int size = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        rank_ = static_cast<std::uint64_t>(rank);
        size_ = static_cast<std::uint64_t>(size);
    }
    ~MpiSession() { MPI_Finalize(); }
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    MpiSession(MpiSession&&) = delete;
    MpiSession& operator=(MpiSession&&) = delete;

    [[nodiscard]] std::uint64_t rank() const { return rank_; }
    [[nodiscard]] std::uint64_t size() const { return size_; }
    [[nodiscard]] bool root() const { return rank_ == 0; }

    /// The largest of every rank's `status`, on every rank.
    [[nodiscard]] int max_status(int status) const {
        int agreed = 0;
        MPI_Allreduce(&status, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return agreed;
    }

    /// Rank 0's `status`, on every rank.
    [[nodiscard]] int root_status(int status) const {
        MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
        return status;
    }

    /// Every rank's `bytes`, in rank order, on rank 0 (empty elsewhere). MPI counts are ints, so
    /// the bytes go in rounds of at most INT_MAX / size per rank, each round one MPI_Gatherv.
    [[nodiscard]] std::vector<std::string> gather(const std::string& bytes) const {
        const int ranks = static_cast<int>(size_);
        std::vector<std::uint64_t> sizes(size_);
        const std::uint64_t mine = bytes.size();
        MPI_Allgather(&mine, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
        std::vector<std::string> all(root() ? size_ : 0);
        for (std::uint64_t i = 0; root() && i < size_; ++i) all[i].resize(sizes[i]);
        const std::uint64_t step = std::max<std::uint64_t>(1, INT_MAX / size_);
        const std::uint64_t largest = *std::max_element(sizes.begin(), sizes.end());
        std::vector<int> counts(size_);
        std::vector<int> offsets(size_);
        std::string round;
        for (std::uint64_t from = 0; from < largest; from += step) {
            const auto part = [&](std::uint64_t n) {
                return n > from ? std::min(n - from, step) : 0;
            };
            int total = 0;
            for (std::uint64_t i = 0; i < size_; ++i) {
                counts[i] = static_cast<int>(part(sizes[i]));
                offsets[i] = total;
                total += counts[i];
            }
            round.resize(root() ? static_cast<std::size_t>(total) : 0);
            MPI_Gatherv(bytes.data() + std::min<std::uint64_t>(from, mine),
                        static_cast<int>(part(mine)), MPI_CHAR, round.data(), counts.data(),
                        offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
            for (int i = 0; root() && i < ranks; ++i)
                std::copy_n(round.begin() + offsets[static_cast<std::size_t>(i)],
                            counts[static_cast<std::size_t>(i)],
                            all[static_cast<std::size_t>(i)].begin() +
                                static_cast<std::ptrdiff_t>(from));
        }
        return all;
    }

    void barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

private:
    std::uint64_t rank_ = 0;
    std::uint64_t size_ = 1;
};

/// The exit status chainshock's main() gives `failure` (cli.hpp: 2 bad input, 1 otherwise).
int exit_status(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const UsageError&) {
        return 2;
    } catch (const models::ScenarioError&) {
        return 2;
    } catch (const io::CheckpointError&) {
        return 2;
    } catch (const io::ShardError&) {
        return 2;
    } catch (...) {
        return 1;
    }
}

/// Runs `step`; returns the status the ranks agree on (the largest). A rank whose step threw
/// rethrows its exception once all have agreed, so main() reports it.
template <class Step> int agreed(const MpiSession& mpi, Step&& step) {
    std::exception_ptr failure;
    int status = 0;
    try {
        status = step();
    } catch (...) {
        failure = std::current_exception();
        status = exit_status(failure);
    }
    const int all = mpi.max_status(status);
    if (failure) std::rethrow_exception(failure);
    return all;
}

/// The rank's shard, packed, as `--shard rank/size` would write it.
std::string pack_rank(const Job& job, JobRuns& runs) {
    io::ShardManifest manifest = job.manifest;
    manifest.items_in_shard = runs.done;
    std::vector<models::RunResult> parts(runs.points.size());
    for (std::size_t p = 0; p < parts.size(); ++p) parts[p].runs = std::move(runs.points[p]);
    return io::pack_shard(manifest, parts);
}

/// Rank 0: the gathered shards merged, then `finish`.
int merge_and_finish(const Job& job, std::vector<std::string> packed, const JobFinish& finish) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < packed.size(); ++i) names.push_back("rank " + std::to_string(i));
    io::MergedShards merged = io::merge_packed_shards(std::move(packed), names);
    for (std::size_t p = 0; p < merged.points.size(); ++p) label_engine(job, p, merged.points[p]);
    return finish(merged.points);
}

int run_rank(Job& job, const JobFinish& finish, const MpiSession& mpi, const Console& console) {
    std::optional<io::Checkpoint> checkpoint;
    // Every rank looks for a checkpoint before any rank saves to it.
    int status = agreed(mpi, [&] {
        checkpoint.emplace(open_checkpoint(job, console));
        return 0;
    });
    if (status != 0) return status;
    JobRuns runs;
    {
        const InterruptGuard interrupt;
        // save_all: if another rank is stopped, this rank's finished work must be in the
        // checkpoint.
        status = agreed(mpi, [&] {
            runs = run_job(job, *checkpoint, interrupt.flag(), true, console);
            return runs.interrupted ? kInterruptedStatus : 0;
        });
    }
    if (status != 0) {
        if (runs.interrupted)
            report_interrupted(job, runs, *checkpoint, console);
        else if (mpi.root())
            console.err << "chainshock " << job.command
                        << ": stopped: another rank failed or was interrupted; the work done is "
                           "kept in "
                        << checkpoint->dir().string() << " for --resume\n";
        return status;
    }
    std::vector<std::string> packed = mpi.gather(pack_rank(job, runs));
    std::exception_ptr failure;
    int written = 0;
    if (mpi.root()) {
        try {
            written = merge_and_finish(job, std::move(packed), finish);
        } catch (...) {
            failure = std::current_exception();
            written = exit_status(failure);
        }
    }
    written = mpi.root_status(written);
    if (failure) std::rethrow_exception(failure);
    if (written != 0) return written;
    // Rank 0 first; then any rank whose checkpoint is not on rank 0's file system.
    if (mpi.root()) checkpoint->remove();
    mpi.barrier();
    if (!mpi.root()) checkpoint->remove();
    return 0;
}

} // namespace

std::optional<int> run_job_under_mpi(Job& job, const JobFinish& finish, const Console& console) {
    if (!started_by_mpi_launcher()) return std::nullopt;
    if (job.manifest.slice.count > 1)
        throw UsageError(job.command, "--shard cannot be used under mpirun: rank i of K runs "
                                      "shard i/K by itself");
    const MpiSession mpi;
    job.manifest.slice = {mpi.rank(), mpi.size()};
    if (!mpi.root()) {
        // Only rank 0 prints results and progress; every rank reports its own errors.
        job.quiet = true;
        std::ostream silent(nullptr);
        return run_rank(job, finish, mpi, Console{silent, console.err});
    }
    return run_rank(job, finish, mpi, console);
}

} // namespace chainshock::tools
