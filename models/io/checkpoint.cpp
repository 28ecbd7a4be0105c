#include "models/io/checkpoint.hpp"

#include "models/io/atomic_output.hpp"
#include "models/io/results_reader.hpp"
#include "models/io/results_writer.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

namespace chainshock::models::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* kJobFile = "job.json";
constexpr const char* kChunks = "chunks";

/// `s<shard>of<shards>-`: the part of a chunk's name that says which shard saved it.
std::string shard_tag(ShardSlice slice) {
    std::string tag = "s";
    return tag.append(std::to_string(slice.index))
        .append("of")
        .append(std::to_string(slice.count))
        .append("-");
}

/// `p<point>-s<shard>of<shards>-<n>`: the point is read back from the name; the shard keeps the
/// names of concurrent writers (MPI ranks) apart.
std::string chunk_name(std::size_t p, ShardSlice slice, std::uint64_t n) {
    std::string name = "p";
    name.append(std::to_string(p)).append("-").append(shard_tag(slice));
    return name.append(std::to_string(n));
}

std::optional<std::uint64_t> leading_number(std::string_view text) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr == text.data()) return std::nullopt;
    return value;
}

/// A chunk left half-written by a killed process: OutputDir's temporary directory.
bool is_temporary(const std::string& name) { return name.find(".tmp-") != std::string::npos; }

} // namespace

Checkpoint::Checkpoint(fs::path dir, ShardManifest job)
    : dir_(std::move(dir)), job_(std::move(job)), points_(job_.points.size()) {}

std::optional<ShardManifest> Checkpoint::stored_job(const fs::path& dir) {
    const fs::path file = dir / kJobFile;
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::nullopt;
    try {
        return read_shard_manifest(file);
    } catch (const ShardError& e) {
        throw CheckpointError(std::string(e.what()) + " (a damaged checkpoint: remove " +
                              dir.string() + " to start over)");
    }
}

void Checkpoint::load() {
    const fs::path chunks = dir_ / kChunks;
    std::error_code ec;
    if (!fs::is_directory(chunks, ec)) return;
    const std::string own_prefix = shard_tag(job_.slice);
    for (const fs::directory_entry& entry : fs::directory_iterator(chunks)) {
        const std::string name = entry.path().filename().string();
        if (is_temporary(name)) continue;
        load_chunk(entry.path());
        // Own chunks are numbered on from the highest number found.
        const std::size_t own = name.find("-" + own_prefix);
        if (own == std::string::npos) continue;
        const auto n = leading_number(std::string_view(name).substr(own + 1 + own_prefix.size()));
        if (n && *n >= next_chunk_) next_chunk_ = *n + 1;
    }
}

void Checkpoint::load_chunk(const fs::path& chunk) {
    const std::string name = chunk.filename().string();
    const auto damaged = [&](const std::string& what) {
        return CheckpointError(chunk.string() + ": " + what + " (a damaged checkpoint: remove " +
                               dir_.string() + " to start over)");
    };
    const auto p =
        name.starts_with("p") ? leading_number(std::string_view(name).substr(1)) : std::nullopt;
    if (!p || *p >= points_.size()) throw damaged("not a chunk of a point of this job");
    std::vector<ReplicationResult> runs;
    try {
        std::ifstream replications(chunk / "replications.csv", std::ios::binary);
        std::ifstream series(chunk / "timeseries.csv", std::ios::binary);
        if (!replications || !series) throw damaged("cannot open its files");
        runs = read_replications_with_series(replications, (chunk / "replications.csv").string(),
                                             series, (chunk / "timeseries.csv").string());
    } catch (const ResultsReadError& e) {
        throw damaged(e.what());
    }
    auto& mine = points_[*p];
    for (ReplicationResult& run : runs) {
        const std::uint64_t r = run.replication;
        if (r >= job_.replications)
            throw damaged("replication " + std::to_string(r) + " is not one of this job's");
        if ((*p * job_.replications + r) % job_.slice.count != job_.slice.index) continue;
        const auto [it, fresh] = mine.try_emplace(r, std::move(run));
        if (fresh) {
            ++loaded_;
        } else if (it->second.fingerprint != run.fingerprint) {
            // Two processes may both have run a replication; they must agree.
            throw damaged("replication " + std::to_string(r) +
                          " appears twice, with different "
                          "results");
        }
    }
}

std::vector<ReplicationResult> Checkpoint::take_loaded(std::size_t p) {
    std::vector<ReplicationResult> runs;
    runs.reserve(points_.at(p).size());
    for (auto& [r, run] : points_[p]) runs.push_back(std::move(run));
    points_[p].clear();
    return runs;
}

void Checkpoint::save(std::size_t p, const std::vector<ReplicationResult>& runs) {
    if (!job_written_) {
        std::ostringstream manifest;
        write_shard_manifest(job_, manifest);
        write_file_atomically(dir_ / kJobFile, manifest.str());
        job_written_ = true;
    }
    fs::path target;
    do {
        target = dir_ / kChunks / chunk_name(p, job_.slice, next_chunk_++);
    } while (fs::exists(target));
    RunResult part;
    part.runs = runs;
    OutputDir chunk(target); // a new directory: it appears with both files or not at all
    write_replications_csv(part, chunk.file("replications.csv"));
    write_timeseries_csv(part, chunk.file("timeseries.csv"));
    chunk.commit();
}

void Checkpoint::remove() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

} // namespace chainshock::models::io
