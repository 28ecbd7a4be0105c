#pragma once
/// Sharding: the replications of a run, or the (point, replication) pairs of a sweep, split over
/// independent jobs (`--shard i/K`), and the shards merged back into exactly the files one
/// unsharded job writes.
///
/// The replication space is numbered flat: item f = point * replications + replication (a run has
/// one point), and shard i/K holds the items with f % K == i. Each replication draws only from its
/// own (seed, replication) streams, so a shard computes its replications exactly as an unsharded
/// run does; the merge orders them by index and recomputes the summary and the combined
/// fingerprint as run_scenario does. The result is byte-identical to the unsharded run.
///
/// A shard directory holds `shard.json` (the manifest, written last) and the shard's
/// replications.csv and timeseries.csv: at the top for a run, under `points/<k>/` for a sweep.

#include "models/io/scenario_overrides.hpp"
#include "models/run_result.hpp"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chainshock::models::io {

/// Shards that cannot be merged (missing, repeated or disagreeing shards, unreadable files): bad
/// input, exit status 2.
class ShardError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Shard `index` of `count` (`i/K`, 0 <= i < K).
struct ShardSlice {
    std::uint64_t index = 0;
    std::uint64_t count = 1;
    friend bool operator==(const ShardSlice&, const ShardSlice&) = default;
};

/// Parses `i/K`. Throws std::invalid_argument unless both are integers and 0 <= i < K.
[[nodiscard]] ShardSlice parse_shard(std::string_view text);

/// The items f in [0, total) with f % slice.count == slice.index, ascending.
[[nodiscard]] std::vector<std::uint64_t> shard_items(std::uint64_t total, ShardSlice slice);

/// What a merged point's summary.json needs beyond the replications themselves.
struct ShardPoint {
    std::string scenario_name;
    std::int64_t horizon_days = 0;
    std::int64_t warmup_days = 0;
    std::vector<std::string> overrides; ///< `path=value`, as in RunResult::overrides
    friend bool operator==(const ShardPoint&, const ShardPoint&) = default;
};

/// shard.json: what every shard of one job shares, plus which shard this is.
struct ShardManifest {
    std::string kind = "run";  ///< `run` or `sweep`
    std::string scenario_file; ///< as given on the command line (informative, not compared)
    std::string scenario_hash;
    std::string version;
    std::uint64_t seed = 0;
    std::uint64_t replications = 0; ///< per point
    std::uint64_t series_replications = 0;
    ShardSlice slice;
    std::uint64_t items_in_shard = 0; ///< (point, replication) pairs this shard holds
    std::vector<GridAxis> grid;       ///< empty for a run
    std::vector<ShardPoint> points;   ///< one for a run
    /// How this shard's replications ran inside (RunResult::engine). Not part of the job: shards
    /// run on different thread counts merge; the merged result says "mixed" if they differ.
    std::string engine = "sequential";
};

void write_shard_manifest(const ShardManifest& manifest, std::ostream& out);
/// Reads `file` (a shard.json). Throws ShardError naming the file and the problem.
[[nodiscard]] ShardManifest read_shard_manifest(const std::filesystem::path& file);
/// Reads a shard.json from `in`; `name` names it in messages. Throws ShardError.
[[nodiscard]] ShardManifest read_shard_manifest(std::istream& in, const std::string& name);

/// The identity of the whole job (16 hex digits): a hash of everything its results depend on
/// (kind, scenario hash, version, seed, replications, series replications, grid and points), not
/// of the scenario file's name or which shard this is. Equal keys: the same job.
[[nodiscard]] std::string job_key(const ShardManifest& manifest);

/// What two shards of one job must agree on and do not (kind, scenario hash, version, seed,
/// replications, series replications, number of shards, grid, overrides), as `what differs
/// (a vs b)`; empty when they agree. The shard index is not compared.
[[nodiscard]] std::string first_difference(const ShardManifest& a, const ShardManifest& b);

/// Writes a shard directory: per point, replications.csv and timeseries.csv of `points[p].runs`
/// (the shard's replications of point p, in index order), then shard.json. Each directory is
/// written atomically (OutputDir). Throws std::runtime_error when it cannot be written.
void write_shard(const ShardManifest& manifest, const std::vector<RunResult>& points,
                 const std::filesystem::path& out_dir);

/// The merged job: the manifest the shards share (slice 0/K) and one complete RunResult per point.
struct MergedShards {
    ShardManifest manifest;
    std::vector<RunResult> points;
};

/// Point p of the job as one complete result: `runs` (its replications, in index order) with the
/// point's identity from the manifest, the combined fingerprint and the summary, exactly as
/// run_scenario computes them. `complete` is false when `runs` holds fewer than
/// `job.replications`. Throws ShardError when the runs do not share one KPI list.
[[nodiscard]] RunResult assemble_point(const ShardManifest& job, std::size_t p,
                                       std::vector<ReplicationResult> runs);

/// A shard directory's files as one byte string (e.g. to send to another process): what
/// write_shard would write, each file as `<relative path>\n<size>\n<bytes>` after a format line.
[[nodiscard]] std::string pack_shard(const ShardManifest& manifest,
                                     const std::vector<RunResult>& points);

/// Reads and merges the shard directories. Checks that the manifests agree (kind, scenario hash,
/// version, which must be this build's, seed, replications, series replications, K, grid and
/// overrides), that every shard 0..K-1 is given exactly once, and that every replication is
/// present once, in the shard it belongs to. Throws ShardError otherwise.
[[nodiscard]] MergedShards merge_shards(const std::vector<std::filesystem::path>& shard_dirs);

/// merge_shards for packed shards (pack_shard), e.g. gathered from the ranks of an MPI job;
/// `names[i]` names `packed[i]` in messages. Throws ShardError.
[[nodiscard]] MergedShards merge_packed_shards(std::vector<std::string> packed,
                                               const std::vector<std::string>& names);

} // namespace chainshock::models::io
