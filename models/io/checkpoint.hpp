#pragma once
/// Checkpoints: the replications that a run or a sweep (or one shard of either) has completed,
/// kept on disk so that an interrupted job can continue where it stopped (`--resume`) and still
/// write exactly the files of an uninterrupted job.
///
/// A checkpoint directory holds `job.json`, the job's manifest in shard.json's format (its
/// job_key() is the checkpoint's key), and `chunks/<name>/`, each chunk the replications.csv and
/// timeseries.csv of some completed replications of one point, written atomically (OutputDir).
/// Replications are independent and read back bit for bit, so it does not matter which process,
/// shard or sitting computed one: a job resumes from whichever of its (point, replication) pairs a
/// checkpoint of the same job holds. Several processes (the ranks of an MPI job) may save into one
/// checkpoint at once: their chunk names differ by shard.

#include "models/io/shard.hpp"
#include "models/run_result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

namespace chainshock::models::io {

/// A checkpoint that cannot be used (of another job, or damaged): bad input, exit status 2.
class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The checkpoint of one job in one directory.
class Checkpoint {
public:
    /// A checkpoint of `job` in `dir`; `job.slice` says which (point, replication) pairs this
    /// process runs. Reads and writes nothing: load() resumes, save() starts writing.
    Checkpoint(std::filesystem::path dir, ShardManifest job);

    /// The manifest of the job whose checkpoint `dir` holds, or nullopt when it holds none.
    /// Throws CheckpointError when its job.json is unreadable.
    [[nodiscard]] static std::optional<ShardManifest> stored_job(const std::filesystem::path& dir);

    /// Reads every chunk and keeps the replications that belong to this process's slice. The
    /// caller has checked that the checkpoint is of this job (stored_job). Throws
    /// CheckpointError when a chunk is damaged or does not fit the job.
    void load();

    /// How many (point, replication) pairs load() kept.
    [[nodiscard]] std::uint64_t loaded() const { return loaded_; }

    /// The loaded replications of point p, in index order (moved out: a second call gives none).
    [[nodiscard]] std::vector<ReplicationResult> take_loaded(std::size_t p);

    /// Saves `runs`, completed replications of point p, as a new chunk that appears atomically;
    /// writes the directory and job.json first if they are missing. Throws std::runtime_error or
    /// std::filesystem::filesystem_error when it cannot write.
    void save(std::size_t p, const std::vector<ReplicationResult>& runs);

    /// Removes the directory and everything in it (once the job's results are written). Errors
    /// are ignored: another rank may be removing it too.
    void remove();

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

private:
    void load_chunk(const std::filesystem::path& chunk);

    std::filesystem::path dir_;
    ShardManifest job_;
    std::vector<std::map<std::uint64_t, ReplicationResult>> points_;
    std::uint64_t loaded_ = 0;
    std::uint64_t next_chunk_ = 0; ///< sequence number of the next chunk this process saves
    bool job_written_ = false;
};

} // namespace chainshock::models::io
