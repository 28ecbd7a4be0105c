// Writing a shard's directory, and merging shard directories back into complete results.

#include "models/io/atomic_output.hpp"
#include "models/io/results_reader.hpp"
#include "models/io/results_writer.hpp"
#include "models/io/shard.hpp"
#include "models/simulation.hpp"

#include <fstream>
#include <map>
#include <utility>

namespace chainshock::models::io {

namespace {

namespace fs = std::filesystem;

/// Where point p's files are, in a shard directory or a merged one.
fs::path point_dir(const ShardManifest& m, const fs::path& dir, std::size_t p) {
    return m.kind == "sweep" ? dir / "points" / std::to_string(p) : dir;
}

struct Shard {
    fs::path dir;
    ShardManifest manifest;
};

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

/// What two shards of one job must agree on, as `what differs (a vs b)`; empty when they agree.
std::string first_difference(const ShardManifest& a, const ShardManifest& b) {
    const auto differs = [](const std::string& what, const std::string& x, const std::string& y) {
        return what + " (" + x + " vs " + y + ")";
    };
    if (a.kind != b.kind) return differs("kind", a.kind, b.kind);
    if (a.scenario_hash != b.scenario_hash)
        return differs("scenario hash", a.scenario_hash, b.scenario_hash);
    if (a.version != b.version) return differs("chainshock version", a.version, b.version);
    if (a.seed != b.seed) return differs("seed", std::to_string(a.seed), std::to_string(b.seed));
    if (a.replications != b.replications)
        return differs("replications", std::to_string(a.replications),
                       std::to_string(b.replications));
    if (a.series_replications != b.series_replications)
        return differs("series replications", std::to_string(a.series_replications),
                       std::to_string(b.series_replications));
    if (a.slice.count != b.slice.count)
        return differs("number of shards", std::to_string(a.slice.count),
                       std::to_string(b.slice.count));
    if (a.grid != b.grid) return "sweep grid";
    if (a.points != b.points) return "scenario overrides (--set) or the scenarios they give";
    return "";
}

/// Every shard 0..K-1 exactly once, all of one job, written by this build.
void check_complete_set(const std::vector<Shard>& shards) {
    if (shards.empty()) throw ShardError("no shard directories given");
    const Shard& first = shards.front();
    for (const Shard& s : shards) {
        const std::string diff = first_difference(first.manifest, s.manifest);
        if (!diff.empty())
            throw ShardError("shards " + quoted(first.dir) + " and " + quoted(s.dir) +
                             " are not from the same job: they differ in " + diff);
    }
    if (first.manifest.version != chainshock_version())
        throw ShardError("the shards were written by chainshock " + first.manifest.version +
                         "; merge them with that version (this is " + chainshock_version() + ")");
    const std::uint64_t k = first.manifest.slice.count;
    std::map<std::uint64_t, const Shard*> seen;
    for (const Shard& s : shards) {
        const auto [it, fresh] = seen.emplace(s.manifest.slice.index, &s);
        if (!fresh)
            throw ShardError("shard " + std::to_string(s.manifest.slice.index) + "/" +
                             std::to_string(k) + " is given twice: " + quoted(it->second->dir) +
                             " and " + quoted(s.dir));
    }
    if (seen.size() == k) return;
    std::string missing;
    int listed = 0;
    for (std::uint64_t i = 0; i < k && listed < 10; ++i) {
        if (seen.contains(i)) continue;
        missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(k);
        ++listed;
    }
    if (k - seen.size() > 10) missing += ", ...";
    throw ShardError("missing shard" + std::string(k - seen.size() > 1 ? "s " : " ") + missing +
                     " (" + std::to_string(seen.size()) + " of " + std::to_string(k) + " given)");
}

template <class Read> auto read_file(const fs::path& file, Read&& read) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ShardError(file.string() + ": cannot open (missing from the shard?)");
    try {
        return read(in, file.string());
    } catch (const ResultsReadError& e) {
        throw ShardError(e.what());
    }
}

/// Collects the replications of every shard, checking each one's place.
class Collector {
public:
    explicit Collector(const ShardManifest& job) : job_(job), points_(job.points.size()) {}

    void add(const Shard& shard) {
        std::uint64_t items = 0;
        for (std::size_t p = 0; p < points_.size(); ++p)
            items += add_point(shard, p, point_dir(job_, shard.dir, p));
        if (items != shard.manifest.items_in_shard)
            throw ShardError(quoted(shard.dir) + " holds " + std::to_string(items) +
                             " replications, but its shard.json says " +
                             std::to_string(shard.manifest.items_in_shard));
    }

    /// Point p's replications in index order; throws when one is missing.
    std::vector<ReplicationResult> take(std::size_t p) {
        std::vector<ReplicationResult> runs;
        for (auto& [r, run] : points_[p]) runs.push_back(std::move(run));
        if (runs.size() != job_.replications)
            throw ShardError("replications of point " + std::to_string(p) + " are missing: got " +
                             std::to_string(runs.size()) + " of " +
                             std::to_string(job_.replications));
        return runs;
    }

private:
    std::uint64_t add_point(const Shard& shard, std::size_t p, const fs::path& dir) {
        const fs::path csv = dir / "replications.csv";
        std::vector<ReplicationResult> runs = read_file(csv, read_replications_csv);
        auto series = read_file(dir / "timeseries.csv", read_timeseries_csv);
        const ShardSlice slice = shard.manifest.slice;
        auto& mine = points_[p];
        for (ReplicationResult& run : runs) {
            const std::uint64_t r = run.replication;
            const std::uint64_t item = p * job_.replications + r;
            if (r >= job_.replications || item % slice.count != slice.index)
                throw ShardError(csv.string() + ": replication " + std::to_string(r) +
                                 " does not belong to shard " + std::to_string(slice.index) + "/" +
                                 std::to_string(slice.count));
            if (const auto it = series.find(r); it != series.end()) {
                run.series = std::move(it->second);
                series.erase(it);
            }
            if (!mine.emplace(r, std::move(run)).second)
                throw ShardError(csv.string() + ": replication " + std::to_string(r) +
                                 " appears twice");
        }
        if (!series.empty())
            throw ShardError((dir / "timeseries.csv").string() + ": replication " +
                             std::to_string(series.begin()->first) +
                             " is not in the shard's replications.csv");
        return runs.size();
    }

    const ShardManifest& job_;
    std::vector<std::map<std::uint64_t, ReplicationResult>> points_;
};

RunResult assemble(const ShardManifest& job, std::size_t p, std::vector<ReplicationResult> runs) {
    const ShardPoint& point = job.points[p];
    RunResult result;
    result.scenario_name = point.scenario_name;
    result.scenario_hash = job.scenario_hash;
    result.version = job.version;
    result.seed = job.seed;
    result.replications = job.replications;
    result.replications_requested = job.replications;
    result.complete = true;
    result.horizon_days = point.horizon_days;
    result.warmup_days = point.warmup_days;
    result.overrides = point.overrides;
    result.runs = std::move(runs);
    result.fingerprint = combined_fingerprint(result.runs);
    try {
        result.summary = summarize_runs(result.runs);
    } catch (const std::logic_error&) {
        throw ShardError("the shards' replications.csv files report different KPI lists");
    }
    return result;
}

} // namespace

void write_shard(const ShardManifest& manifest, const std::vector<RunResult>& points,
                 const fs::path& out_dir) {
    const bool sweep = manifest.kind == "sweep";
    for (std::size_t p = 0; sweep && p < points.size(); ++p) {
        OutputDir dir(point_dir(manifest, out_dir, p));
        write_replications_csv(points[p], dir.file("replications.csv"));
        write_timeseries_csv(points[p], dir.file("timeseries.csv"));
        dir.commit();
    }
    OutputDir dir(out_dir); // shard.json last: a shard without it is not finished
    if (!sweep) {
        write_replications_csv(points.front(), dir.file("replications.csv"));
        write_timeseries_csv(points.front(), dir.file("timeseries.csv"));
    }
    write_shard_manifest(manifest, dir.file("shard.json"));
    dir.commit();
}

MergedShards merge_shards(const std::vector<fs::path>& shard_dirs) {
    std::vector<Shard> shards;
    shards.reserve(shard_dirs.size());
    for (const fs::path& dir : shard_dirs)
        shards.push_back({dir, read_shard_manifest(dir / "shard.json")});
    check_complete_set(shards);
    MergedShards merged{shards.front().manifest, {}};
    merged.manifest.slice.index = 0;
    merged.manifest.items_in_shard = 0;
    Collector collector(merged.manifest);
    for (const Shard& shard : shards) collector.add(shard);
    for (std::size_t p = 0; p < merged.manifest.points.size(); ++p)
        merged.points.push_back(assemble(merged.manifest, p, collector.take(p)));
    return merged;
}

} // namespace chainshock::models::io
