#include "models/io/checkpoint.hpp"

#include <bit>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace chainshock::models;
using namespace chainshock::models::io;

namespace {

/// A fresh temporary directory, removed with everything in it.
class TempDir {
public:
    TempDir()
        : path_(fs::temp_directory_path() /
                ("chainshock-checkpoint-test-" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter_++))) {
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

/// A sweep of two points with `replications` each.
ShardManifest two_point_job(std::uint64_t replications, ShardSlice slice) {
    ShardManifest m;
    m.kind = "sweep";
    m.scenario_hash = "0123456789abcdef";
    m.version = "1.0.0";
    m.seed = 7;
    m.replications = replications;
    m.series_replications = 1;
    m.slice = slice;
    m.grid = {{"horizon_days", {"10", "20"}}};
    m.points = {{"s", 10, 0, {"horizon_days=10"}}, {"s", 20, 0, {"horizon_days=20"}}};
    return m;
}

/// Replication r with KPIs that only an exact read-back reproduces.
ReplicationResult replication(std::uint64_t r) {
    ReplicationResult run;
    run.replication = r;
    run.events = 100 + r;
    run.fingerprint = "00000000000000" + std::string(r < 10 ? "0" : "") + std::to_string(r);
    run.kpis = {{"network", "fill_rate", 1.0 / 3.0 + double(r)},
                {"network", "shortfall_t", r % 2 == 0 ? -0.0 : 1e-300},
                {"a,b", "price", std::numeric_limits<double>::quiet_NaN()}};
    if (r == 0) run.series = {{1, "network", "stock_t", 2.5}, {2, "network", "stock_t", 0.1}};
    return run;
}

bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

} // namespace

TEST_CASE("a checkpoint gives back exactly what was saved, for its own slice") {
    const TempDir tmp;
    const fs::path dir = tmp.path() / ".checkpoint";
    CHECK_FALSE(Checkpoint::stored_job(dir).has_value());
    {
        Checkpoint checkpoint(dir, two_point_job(4, {0, 1}));
        CHECK_FALSE(fs::exists(dir)); // nothing is written before the first save
        checkpoint.save(0, {replication(0), replication(2)});
        checkpoint.save(0, {replication(3)});
        checkpoint.save(1, {replication(1)});
    }
    const auto stored = Checkpoint::stored_job(dir);
    REQUIRE(stored.has_value());
    CHECK(job_key(*stored) == job_key(two_point_job(4, {1, 2})));

    SUBCASE("the whole job") {
        Checkpoint checkpoint(dir, two_point_job(4, {0, 1}));
        checkpoint.load();
        CHECK(checkpoint.loaded() == 4);
        const std::vector<ReplicationResult> point0 = checkpoint.take_loaded(0);
        REQUIRE(point0.size() == 3);
        CHECK(point0[0].replication == 0);
        CHECK(point0[1].replication == 2);
        CHECK(point0[2].replication == 3);
        const ReplicationResult want = replication(2);
        CHECK(point0[1].events == want.events);
        CHECK(point0[1].fingerprint == want.fingerprint);
        REQUIRE(point0[1].kpis.size() == want.kpis.size());
        for (std::size_t k = 0; k < want.kpis.size(); ++k) {
            CHECK(point0[1].kpis[k].entity == want.kpis[k].entity);
            CHECK(same_bits(point0[1].kpis[k].value, want.kpis[k].value));
        }
        REQUIRE(point0[0].series.size() == 2);
        CHECK(point0[0].series[1].value == 0.1);
        CHECK(checkpoint.take_loaded(1).size() == 1);
    }
    SUBCASE("one shard keeps only its (point, replication) pairs") {
        // Items f = point * 4 + r; shard 1/2 holds the odd ones: (0, 3) and (1, 1).
        Checkpoint checkpoint(dir, two_point_job(4, {1, 2}));
        checkpoint.load();
        CHECK(checkpoint.loaded() == 2);
        const auto point0 = checkpoint.take_loaded(0);
        REQUIRE(point0.size() == 1);
        CHECK(point0[0].replication == 3);
    }
    SUBCASE("later saves add chunks; half-written ones are skipped; remove() clears it") {
        fs::create_directories(dir / "chunks" / "p1-s0of1-9.tmp-123-0");
        std::ofstream(dir / "chunks" / "p1-s0of1-9.tmp-123-0" / "replications.csv") << "junk";
        Checkpoint checkpoint(dir, two_point_job(4, {0, 1}));
        checkpoint.load();
        checkpoint.save(1, {replication(0)});
        Checkpoint again(dir, two_point_job(4, {0, 1}));
        again.load();
        CHECK(again.loaded() == 5);
        again.remove();
        CHECK_FALSE(fs::exists(dir));
    }
    SUBCASE("a damaged chunk is an error that names it") {
        std::ofstream(dir / "chunks" / "p0-s0of1-0" / "replications.csv") << "not,a,csv\n";
        Checkpoint checkpoint(dir, two_point_job(4, {0, 1}));
        CHECK_THROWS_AS(checkpoint.load(), CheckpointError);
    }
    SUBCASE("a replication the job does not have is an error") {
        Checkpoint smaller(dir, two_point_job(3, {0, 1}));
        CHECK_THROWS_WITH_AS(smaller.load(),
                             doctest::Contains("replication 3 is not one of this job's"),
                             CheckpointError);
    }
}

TEST_CASE("an unreadable job.json is a damaged checkpoint") {
    const TempDir tmp;
    fs::create_directories(tmp.path() / "cp");
    std::ofstream(tmp.path() / "cp" / "job.json") << "{\"format\": \"something else\"}";
    CHECK_THROWS_WITH_AS((void)Checkpoint::stored_job(tmp.path() / "cp"),
                         doctest::Contains("a damaged checkpoint: remove"), CheckpointError);
}
