#include "models/io/results_reader.hpp"
#include "models/io/results_writer.hpp"
#include "models/io/scenario_loader.hpp"
#include "models/io/shard.hpp"
#include "models/simulation.hpp"

#include <bit>
#include <cmath>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace chainshock::models;
using namespace chainshock::models::io;

namespace {

const fs::path kScenarios = fs::path(CHAINSHOCK_SOURCE_DIR) / "scenarios";

/// A fresh temporary directory, removed with everything in it.
class TempDir {
public:
    TempDir()
        : path_(fs::temp_directory_path() / ("chainshock-shard-test-" + std::to_string(::getpid()) +
                                             "-" + std::to_string(counter_++))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    static inline int counter_ = 0;
    fs::path path_;
};

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ShardManifest run_manifest(const Network& network, const RunOptions& options, ShardSlice slice) {
    ShardManifest m;
    m.scenario_file = "lithium_chain.yaml";
    m.scenario_hash = network.spec().source_hash;
    m.version = chainshock_version();
    m.seed = options.seed;
    m.replications = options.replications;
    m.series_replications = options.series_replications;
    m.slice = slice;
    m.points.push_back({network.spec().name,
                        network.spec().horizon_days,
                        network.spec().warmup_days,
                        {"horizon_days=120"}});
    return m;
}

/// Writes shard `slice` of the run into `dir`.
void write_run_shard(const Network& network, const RunOptions& options, ShardSlice slice,
                     const fs::path& dir) {
    const auto items = shard_items(options.replications, slice);
    RunResult part;
    part.runs = run_replications(network, options, items);
    ShardManifest m = run_manifest(network, options, slice);
    m.items_in_shard = items.size();
    write_shard(m, {part}, dir);
}

} // namespace

TEST_CASE("shard slices") {
    CHECK(parse_shard("1/3") == ShardSlice{1, 3});
    CHECK(parse_shard("0/1") == ShardSlice{0, 1});
    for (const char* bad : {"3/3", "1", "a/b", "-1/3", "1/0", "1/3x", "/3", "1/", ""}) {
        CAPTURE(bad);
        CHECK_THROWS_AS((void)parse_shard(bad), std::invalid_argument);
    }
    CHECK(shard_items(7, {1, 3}) == std::vector<std::uint64_t>{1, 4});
    CHECK(shard_items(7, {0, 3}) == std::vector<std::uint64_t>{0, 3, 6});
    CHECK(shard_items(2, {4, 5}).empty());
}

TEST_CASE("replications.csv and timeseries.csv read back bit for bit") {
    RunResult result;
    ReplicationResult run;
    run.replication = 5;
    run.events = 123;
    run.fingerprint = "00ff00ff00ff00ff";
    const double values[] = {0.1,
                             -0.0,
                             1e-300,
                             1.0 / 3.0,
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
    for (const double v : values) run.kpis.push_back({"a.b,\"c\"", "metric", v});
    run.series.push_back({3, "x,y", "level", 2.5});
    run.series.push_back({4, "x,y", "level", std::nan("")});
    result.runs.push_back(run);

    std::stringstream csv;
    write_replications_csv(result, csv);
    const auto back = read_replications_csv(csv, "replications.csv");
    REQUIRE(back.size() == 1);
    CHECK(back[0].replication == 5);
    CHECK(back[0].events == 123);
    CHECK(back[0].fingerprint == "00ff00ff00ff00ff");
    REQUIRE(back[0].kpis.size() == std::size(values));
    for (std::size_t k = 0; k < std::size(values); ++k) {
        CHECK(back[0].kpis[k].entity == "a.b,\"c\"");
        CHECK(back[0].kpis[k].metric == "metric");
        if (std::isnan(values[k]))
            CHECK(std::isnan(back[0].kpis[k].value));
        else
            CHECK(std::bit_cast<std::uint64_t>(back[0].kpis[k].value) ==
                  std::bit_cast<std::uint64_t>(values[k]));
    }
    std::stringstream ts;
    write_timeseries_csv(result, ts);
    const auto series = read_timeseries_csv(ts, "timeseries.csv");
    REQUIRE(series.at(5).size() == 2);
    CHECK(series.at(5)[0].entity == "x,y");
    CHECK(series.at(5)[0].day == 3);
    CHECK(series.at(5)[0].value == 2.5);

    std::stringstream bad("replication,fingerprint,events\n1,abc,2\n");
    CHECK_THROWS_WITH_AS((void)read_replications_csv(bad, "r.csv"),
                         "r.csv:2: fingerprint: expected 16 hex digits, got 'abc'",
                         ResultsReadError);
}

TEST_CASE("the manifest reads back as written") {
    const TempDir tmp;
    ShardManifest m;
    m.kind = "sweep";
    m.scenario_file = "s.yaml";
    m.scenario_hash = "0123456789abcdef";
    m.version = "9.9.9";
    m.seed = 18446744073709551615ULL;
    m.replications = 4;
    m.series_replications = 1;
    m.slice = {2, 5};
    m.items_in_shard = 3;
    m.grid = {{"routes[0].lead_time_days", {"4", "{dist: normal, mean: 6, sd: 1}"}}};
    m.points = {
        {"s", 365, 0, {"routes[0].lead_time_days=4"}},
        {"s \"two\"", 200, 10, {"routes[0].lead_time_days={dist: normal, mean: 6, sd: 1}"}}};
    {
        std::ofstream out(tmp.path() / "shard.json");
        write_shard_manifest(m, out);
    }
    const ShardManifest back = read_shard_manifest(tmp.path() / "shard.json");
    CHECK(back.kind == m.kind);
    CHECK(back.seed == m.seed);
    CHECK(back.slice == m.slice);
    CHECK(back.items_in_shard == 3);
    CHECK(back.grid == m.grid);
    CHECK(back.points == m.points);
    CHECK_THROWS_AS((void)read_shard_manifest(tmp.path() / "none.json"), ShardError);
}

TEST_CASE("merged shards are byte-identical to the unsharded run") {
    const TempDir tmp;
    const Network network(load_scenario_file(kScenarios / "lithium_chain.yaml",
                                             std::vector{parse_override("horizon_days=120")}));
    RunOptions options;
    options.seed = 11;
    options.replications = 5;
    options.series_replications = 2;
    options.threads = 2;
    RunResult full = run_scenario(network, options);
    full.overrides = {"horizon_days=120"};
    write_results(full, tmp.path() / "full");

    std::vector<fs::path> shards;
    for (const std::uint64_t i : {std::uint64_t{2}, std::uint64_t{0}, std::uint64_t{1}}) {
        shards.push_back(tmp.path() / ("shard" + std::to_string(i)));
        write_run_shard(network, options, {i, 3}, shards.back());
    }
    const MergedShards merged = merge_shards(shards);
    REQUIRE(merged.points.size() == 1);
    write_results(merged.points.front(), tmp.path() / "merged");
    for (const char* file : {"summary.json", "replications.csv", "timeseries.csv"}) {
        CAPTURE(file);
        CHECK(bytes_of(tmp.path() / "full" / file) == bytes_of(tmp.path() / "merged" / file));
    }

    SUBCASE("a missing or repeated shard is refused") {
        CHECK_THROWS_WITH_AS((void)merge_shards({shards[0], shards[1]}),
                             "missing shard 1/3 (2 of 3 given)", ShardError);
        CHECK_THROWS_AS((void)merge_shards({shards[0], shards[1], shards[2], shards[1]}),
                        ShardError);
    }
    SUBCASE("shards of another job are refused") {
        RunOptions other = options;
        other.seed = 12;
        write_run_shard(network, other, {1, 3}, tmp.path() / "other");
        CHECK_THROWS_WITH_AS((void)merge_shards({shards[0], tmp.path() / "other", shards[2]}),
                             ("shards '" + shards[0].string() + "' and '" +
                              (tmp.path() / "other").string() +
                              "' are not from the same job: they differ in seed (11 vs 12)")
                                 .c_str(),
                             ShardError);
    }
}

TEST_CASE("packed shards merge exactly as shard directories do") {
    const Network network(load_scenario_file(kScenarios / "lithium_chain.yaml",
                                             std::vector{parse_override("horizon_days=120")}));
    RunOptions options;
    options.seed = 11;
    options.replications = 5;
    options.series_replications = 2;
    options.threads = 2;
    RunResult full = run_scenario(network, options);
    full.overrides = {"horizon_days=120"};
    std::vector<std::string> packed;
    for (const std::uint64_t i : {std::uint64_t{1}, std::uint64_t{0}}) {
        RunResult part;
        const auto items = shard_items(options.replications, {i, 2});
        part.runs = run_replications(network, options, items);
        ShardManifest m = run_manifest(network, options, {i, 2});
        m.items_in_shard = items.size();
        packed.push_back(pack_shard(m, {part}));
    }
    const MergedShards merged = merge_packed_shards(packed, {"rank 1", "rank 0"});
    REQUIRE(merged.points.size() == 1);
    std::ostringstream a;
    std::ostringstream b;
    write_summary_json(full, a);
    write_summary_json(merged.points.front(), b);
    CHECK(a.str() == b.str());
    a.str("");
    b.str("");
    write_timeseries_csv(full, a);
    write_timeseries_csv(merged.points.front(), b);
    CHECK(a.str() == b.str());

    CHECK_THROWS_WITH_AS((void)merge_packed_shards({packed[0]}, {"rank 1"}),
                         "missing shard 0/2 (1 of 2 given)", ShardError);
    std::string cut = packed[1];
    cut.resize(cut.size() / 2);
    CHECK_THROWS_AS((void)merge_packed_shards({packed[0], cut}, {"rank 1", "rank 0"}), ShardError);
    CHECK_THROWS_WITH_AS((void)merge_packed_shards({"hello"}, {"rank 0"}),
                         "rank 0: not a packed shard (truncated)", ShardError);
}

TEST_CASE("a job's key names the job, not the shard or the file name") {
    ShardManifest m;
    m.kind = "sweep";
    m.scenario_hash = "0123456789abcdef";
    m.version = "1.0.0";
    m.replications = 4;
    m.grid = {{"horizon_days", {"10", "20"}}};
    m.points = {{"s", 10, 0, {"horizon_days=10"}}, {"s", 20, 0, {"horizon_days=20"}}};
    const std::string key = job_key(m);
    CHECK(key.size() == 16);
    ShardManifest same = m;
    same.scenario_file = "elsewhere/s.yaml";
    same.slice = {1, 3};
    same.items_in_shard = 2;
    CHECK(job_key(same) == key);
    ShardManifest other = m;
    other.seed = 2;
    CHECK(job_key(other) != key);
    other = m;
    other.grid[0].values[1] = "21";
    CHECK(job_key(other) != key);
    other = m;
    other.replications = 5;
    CHECK(job_key(other) != key);
    other = m;
    other.scenario_hash = "0123456789abcdee";
    CHECK(job_key(other) != key);
}
