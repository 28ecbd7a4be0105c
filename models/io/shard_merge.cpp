// Writing a shard's directory or packing it into bytes, and merging shards (directories or packed)
// back into complete results.

#include "models/io/atomic_output.hpp"
#include "models/io/results_reader.hpp"
#include "models/io/results_writer.hpp"
#include "models/io/shard.hpp"
#include "models/simulation.hpp"

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <utility>

namespace chainshock::models::io {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPackFormat = "chainshock-shard-pack 1";

/// Where point p's files are, relative to a shard directory or a merged one ("" = the top).
std::string point_prefix(const ShardManifest& m, std::size_t p) {
    return m.kind == "sweep" ? "points/" + std::to_string(p) + "/" : "";
}

/// One shard's files, wherever they are. `open(rel)` gives the stream of the file at `rel`
/// (`shard.json`, `points/3/replications.csv`) or nullptr when there is none; `path(rel)` names it
/// in messages.
struct ShardFiles {
    std::string name; ///< the shard in messages: its directory, or what the caller calls it
    std::function<std::unique_ptr<std::istream>(const std::string&)> open;
    [[nodiscard]] std::string path(const std::string& rel) const {
        return (fs::path(name) / rel).string();
    }
};

ShardFiles directory_files(const fs::path& dir) {
    return {dir.string(), [dir](const std::string& rel) -> std::unique_ptr<std::istream> {
                auto in = std::make_unique<std::ifstream>(dir / rel, std::ios::binary);
                if (!*in) return nullptr;
                return in;
            }};
}

/// The files of a packed shard, each handed out (moved) once.
ShardFiles packed_files(std::string name,
                        std::shared_ptr<std::map<std::string, std::string>> files) {
    return {std::move(name), [files](const std::string& rel) -> std::unique_ptr<std::istream> {
                const auto it = files->find(rel);
                if (it == files->end()) return nullptr;
                return std::make_unique<std::istringstream>(std::move(it->second));
            }};
}

/// `packed` (pack_shard) split into its files; throws ShardError naming `name` when malformed.
std::map<std::string, std::string> unpack(std::string_view packed, const std::string& name) {
    const auto fail = [&](const std::string& what) -> ShardError {
        return ShardError(name + ": not a packed shard (" + what + ")");
    };
    const auto next_line = [&](std::string_view& rest) {
        const std::size_t end = rest.find('\n');
        if (end == std::string_view::npos) throw fail("truncated");
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end + 1);
        return line;
    };
    std::string_view rest = packed;
    if (next_line(rest) != kPackFormat) throw fail("unknown format");
    std::map<std::string, std::string> files;
    while (!rest.empty()) {
        const std::string rel(next_line(rest));
        const std::string_view size_text = next_line(rest);
        std::size_t size = 0;
        const auto [ptr, ec] =
            std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
        if (ec != std::errc() || ptr != size_text.data() + size_text.size() || size > rest.size())
            throw fail("bad size of " + rel);
        files[rel] = std::string(rest.substr(0, size));
        rest.remove_prefix(size);
    }
    return files;
}

struct Shard {
    ShardFiles files;
    ShardManifest manifest;
};

std::string quoted(const std::string& name) { return "'" + name + "'"; }

/// Every shard 0..K-1 exactly once, all of one job, written by this build.
void check_complete_set(const std::vector<Shard>& shards) {
    if (shards.empty()) throw ShardError("no shard directories given");
    const Shard& first = shards.front();
    for (const Shard& s : shards) {
        const std::string diff = first_difference(first.manifest, s.manifest);
        if (!diff.empty())
            throw ShardError("shards " + quoted(first.files.name) + " and " + quoted(s.files.name) +
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
                             std::to_string(k) + " is given twice: " +
                             quoted(it->second->files.name) + " and " + quoted(s.files.name));
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

std::unique_ptr<std::istream> open_file(const ShardFiles& files, const std::string& rel) {
    auto in = files.open(rel);
    if (!in) throw ShardError(files.path(rel) + ": cannot open (missing from the shard?)");
    return in;
}

/// Collects the replications of every shard, checking each one's place.
class Collector {
public:
    explicit Collector(const ShardManifest& job) : job_(job), points_(job.points.size()) {}

    void add(const Shard& shard) {
        std::uint64_t items = 0;
        for (std::size_t p = 0; p < points_.size(); ++p) items += add_point(shard, p);
        if (items != shard.manifest.items_in_shard)
            throw ShardError(quoted(shard.files.name) + " holds " + std::to_string(items) +
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
    std::uint64_t add_point(const Shard& shard, std::size_t p) {
        const std::string prefix = point_prefix(job_, p);
        const std::string csv = shard.files.path(prefix + "replications.csv");
        std::vector<ReplicationResult> runs;
        try {
            runs = read_replications_with_series(
                *open_file(shard.files, prefix + "replications.csv"), csv,
                *open_file(shard.files, prefix + "timeseries.csv"),
                shard.files.path(prefix + "timeseries.csv"));
        } catch (const ResultsReadError& e) {
            throw ShardError(e.what());
        }
        const ShardSlice slice = shard.manifest.slice;
        auto& mine = points_[p];
        for (ReplicationResult& run : runs) {
            const std::uint64_t r = run.replication;
            const std::uint64_t item = p * job_.replications + r;
            if (r >= job_.replications || item % slice.count != slice.index)
                throw ShardError(csv + ": replication " + std::to_string(r) +
                                 " does not belong to shard " + std::to_string(slice.index) + "/" +
                                 std::to_string(slice.count));
            if (!mine.emplace(r, std::move(run)).second)
                throw ShardError(csv + ": replication " + std::to_string(r) + " appears twice");
        }
        return runs.size();
    }

    const ShardManifest& job_;
    std::vector<std::map<std::uint64_t, ReplicationResult>> points_;
};

MergedShards merge(std::vector<ShardFiles> sources) {
    std::vector<Shard> shards;
    shards.reserve(sources.size());
    for (ShardFiles& files : sources) {
        const std::string manifest_name = files.path("shard.json");
        auto in = files.open("shard.json");
        if (!in)
            throw ShardError(manifest_name +
                             ": no such file (not a shard directory, or the shard did not finish)");
        ShardManifest manifest = read_shard_manifest(*in, manifest_name);
        shards.push_back({std::move(files), std::move(manifest)});
    }
    check_complete_set(shards);
    MergedShards merged{shards.front().manifest, {}};
    for (const Shard& shard : shards)
        if (shard.manifest.engine != merged.manifest.engine) merged.manifest.engine = "mixed";
    merged.manifest.slice.index = 0;
    merged.manifest.items_in_shard = 0;
    Collector collector(merged.manifest);
    for (const Shard& shard : shards) collector.add(shard);
    for (std::size_t p = 0; p < merged.manifest.points.size(); ++p)
        merged.points.push_back(assemble_point(merged.manifest, p, collector.take(p)));
    return merged;
}

/// Appends one file of a packed shard.
void pack_file(std::string& packed, const std::string& rel, const std::string& content) {
    packed.append(rel).append("\n").append(std::to_string(content.size())).append("\n");
    packed.append(content);
}

template <class Write> std::string text_of(Write&& write) {
    std::ostringstream out;
    write(out);
    return std::move(out).str();
}

} // namespace

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

RunResult assemble_point(const ShardManifest& job, std::size_t p,
                         std::vector<ReplicationResult> runs) {
    const ShardPoint& point = job.points.at(p);
    RunResult result;
    result.scenario_name = point.scenario_name;
    result.scenario_hash = job.scenario_hash;
    result.version = job.version;
    result.engine = job.engine;
    result.seed = job.seed;
    result.replications = runs.size();
    result.replications_requested = job.replications;
    result.complete = runs.size() == job.replications;
    result.horizon_days = point.horizon_days;
    result.warmup_days = point.warmup_days;
    result.overrides = point.overrides;
    result.runs = std::move(runs);
    result.fingerprint = combined_fingerprint(result.runs);
    try {
        result.summary = summarize_runs(result.runs);
    } catch (const std::logic_error&) {
        throw ShardError("the replications of point " + std::to_string(p) +
                         " report different KPI lists");
    }
    return result;
}

void write_shard(const ShardManifest& manifest, const std::vector<RunResult>& points,
                 const fs::path& out_dir) {
    const bool sweep = manifest.kind == "sweep";
    for (std::size_t p = 0; sweep && p < points.size(); ++p) {
        OutputDir dir(out_dir / point_prefix(manifest, p));
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

std::string pack_shard(const ShardManifest& manifest, const std::vector<RunResult>& points) {
    std::string packed(kPackFormat);
    packed += '\n';
    for (std::size_t p = 0; p < points.size(); ++p) {
        const std::string prefix = point_prefix(manifest, p);
        pack_file(packed, prefix + "replications.csv",
                  text_of([&](std::ostream& out) { write_replications_csv(points[p], out); }));
        pack_file(packed, prefix + "timeseries.csv",
                  text_of([&](std::ostream& out) { write_timeseries_csv(points[p], out); }));
    }
    pack_file(packed, "shard.json",
              text_of([&](std::ostream& out) { write_shard_manifest(manifest, out); }));
    return packed;
}

MergedShards merge_shards(const std::vector<fs::path>& shard_dirs) {
    std::vector<ShardFiles> sources;
    sources.reserve(shard_dirs.size());
    for (const fs::path& dir : shard_dirs) sources.push_back(directory_files(dir));
    return merge(std::move(sources));
}

MergedShards merge_packed_shards(std::vector<std::string> packed,
                                 const std::vector<std::string>& names) {
    if (names.size() != packed.size())
        throw std::invalid_argument("merge_packed_shards: one name per packed shard");
    std::vector<ShardFiles> sources;
    sources.reserve(packed.size());
    for (std::size_t i = 0; i < packed.size(); ++i) {
        auto files =
            std::make_shared<std::map<std::string, std::string>>(unpack(packed[i], names[i]));
        packed[i].clear(); // keep one copy of the bytes at a time
        packed[i].shrink_to_fit();
        sources.push_back(packed_files(names[i], std::move(files)));
    }
    return merge(std::move(sources));
}

} // namespace chainshock::models::io
