#include "engine/fingerprint.hpp"
#include "models/io/scenario_loader.hpp"
#include "models/scenario_error.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace chainshock::models;
using chainshock::models::io::load_scenario_file;
using chainshock::models::io::load_scenario_text;
using chainshock::models::io::scenario_hash;

namespace {

const fs::path kDataDir = CHAINSHOCK_TEST_DATA_DIR;

/// Runs the test from `dir` so that messages carry relative paths; restores the old directory.
class WorkingDirectory {
public:
    explicit WorkingDirectory(const fs::path& dir) : old_(fs::current_path()) {
        fs::current_path(dir);
    }
    ~WorkingDirectory() { fs::current_path(old_); }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

private:
    fs::path old_;
};

std::string first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

/// The message `load_scenario_file` throws for `path`, or "" when it loads.
std::string error_of(const fs::path& path) {
    try {
        (void)load_scenario_file(path);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

std::string error_of_text(const std::string& yaml) {
    try {
        (void)load_scenario_text(yaml, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

constexpr const char* kMinimal = R"(schema_version: 1
name: minimal
horizon_days: 10
commodities: [{id: ore}]
nodes:
  - {id: m, kind: mine, country: AU, commodity: ore, capacity_tpd: 1}
)";

const NodeSpec& node(const ScenarioSpec& spec, const std::string& id) {
    const auto it = std::find_if(spec.nodes.begin(), spec.nodes.end(),
                                 [&id](const NodeSpec& n) { return n.id == id; });
    REQUIRE(it != spec.nodes.end());
    return *it;
}

} // namespace

TEST_CASE("every bad scenario fails with the message on its first line") {
    const WorkingDirectory cwd(kDataDir);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator("bad"))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 25);
    const std::string prefix = "# expect: ";
    for (const fs::path& file : files) {
        const fs::path relative = fs::path("bad") / file.filename();
        CAPTURE(relative.string());
        const std::string line = first_line(relative);
        REQUIRE(line.starts_with(prefix));
        CHECK(error_of(relative) == line.substr(prefix.size()));
    }
}

TEST_CASE("full.yaml: top-level settings and commodities") {
    const ScenarioSpec spec = load_scenario_file(kDataDir / "good/full.yaml");
    CHECK(spec.schema_version == 1);
    CHECK(spec.name == "full");
    CHECK(spec.description == "Every key at least once");
    CHECK(spec.horizon_days == 365);
    CHECK(spec.warmup_days == 30);
    CHECK(spec.seed == 18446744073709551615ULL);
    CHECK(spec.replications == 8);
    CHECK(spec.cost_accounting == ScenarioSpec::CostAccounting::TimeWeighted);
    CHECK_FALSE(spec.output.timeseries);
    CHECK(spec.output.timeseries_every_days == 7);
    CHECK(spec.source_file == (kDataDir / "good/full.yaml").string());
    CHECK(spec.source_hash.size() == 16);

    REQUIRE(spec.commodities.size() == 4);
    CHECK(spec.commodities[0].id == "spodumene");
    CHECK(spec.commodities[0].unit == "t SC6");
    CHECK(spec.commodities[0].price_usd_per_t == 900.0);
    CHECK(spec.commodities[1].price_usd_per_t == 12500.5);
    CHECK(spec.commodities[1].unit == "t");
    CHECK(spec.commodities[2].id == "graphite");
    CHECK(spec.commodities[2].where.line == 14);
    CHECK(spec.commodities[2].where.column == 5);
}

TEST_CASE("full.yaml: mines and ports") {
    const ScenarioSpec spec = load_scenario_file(kDataDir / "good/full.yaml");
    REQUIRE(spec.nodes.size() == 10);
    const NodeSpec& au = node(spec, "mine_au");
    CHECK(au.kind == NodeKind::Mine);
    CHECK(au.country == "AU");
    CHECK(au.where.line == 17);
    CHECK(au.commodity == "spodumene");
    CHECK(au.capacity_tpd == 400.0);
    REQUIRE(au.yield_factor.has_value());
    CHECK(au.yield_factor->kind == DistributionSpec::Kind::Triangular);
    CHECK(au.yield_factor->low == 0.7);
    CHECK(au.yield_factor->mode == 0.95);
    CHECK(au.yield_factor->high == 1.0);
    REQUIRE(au.push_to.size() == 1);
    CHECK(au.push_to[0].node == "port_au");
    CHECK(au.push_to[0].share == 0.0);
    CHECK(au.inventory_t.at("spodumene") == 1000.0);
    CHECK(au.storage_capacity_t == 50000.0);
    CHECK(au.costs.holding_usd_per_t_day == 0.5);
    CHECK(au.costs.backorder_usd_per_t_day == 0.0);
    CHECK(au.rationing == Rationing::ProRata);

    const NodeSpec& mz = node(spec, "mine_mz");
    CHECK(mz.batch_rate_per_day == 0.5);
    CHECK(mz.batch_t == 200.0);
    CHECK(mz.capacity_tpd == 0.0);
    CHECK(mz.yield_factor->kind == DistributionSpec::Kind::Fixed);
    CHECK(mz.yield_factor->value == 0.9);
    REQUIRE(mz.push_to.size() == 2);
    CHECK(mz.push_to[1].node == "mfg_us");
    CHECK(mz.push_to[1].share == 0.75);
    CHECK(mz.rationing == Rationing::Fifo);

    const NodeSpec& port = node(spec, "port_au");
    CHECK(port.kind == NodeKind::Port);
    CHECK(port.dwell_days == 2.5);
    CHECK(port.throughput_tpd == 5000.0);
    CHECK_FALSE(node(spec, "ref_cn").storage_capacity_t.has_value());
    CHECK_FALSE(au.output_target_t.has_value());
    CHECK_FALSE(port.storage_capacity_t.has_value());
}

TEST_CASE("full.yaml: refinery and stockpile") {
    const ScenarioSpec spec = load_scenario_file(kDataDir / "good/full.yaml");
    const NodeSpec& ref = node(spec, "ref_cn");
    CHECK(ref.kind == NodeKind::Refinery);
    CHECK(ref.output == "li2co3");
    CHECK(ref.recipe.size() == 1);
    CHECK(ref.recipe.at("spodumene") == 7.5);
    CHECK(ref.capacity_tpd == 40.0);
    CHECK(ref.processing_days.kind == DistributionSpec::Kind::Lognormal);
    CHECK(ref.processing_days.mean == 3.0);
    CHECK(ref.processing_days.sd == 0.5);
    CHECK(ref.lines == 2);
    CHECK(ref.output_target_t == 500.0);
    REQUIRE(ref.replenish.size() == 1);
    const ReplenishSpec& r = ref.replenish[0];
    CHECK(r.commodity == "spodumene");
    CHECK(r.sourcing == ReplenishSpec::Sourcing::Priority);
    CHECK(r.policy.type == PolicySpec::Type::MinMax);
    CHECK(r.policy.min_t == 300.0);
    CHECK(r.policy.max_t == 1200.0);
    CHECK(r.policy.review == PolicySpec::Review::Continuous);

    const NodeSpec& stock = node(spec, "stock_us");
    CHECK(stock.kind == NodeKind::Stockpile);
    CHECK(stock.commodity == "li2co3");
    CHECK(stock.capacity_t == 5000.0);
    CHECK(stock.inventory_t.at("li2co3") == 2000.0);
    const PolicySpec& p = stock.replenish.at(0).policy;
    CHECK(p.type == PolicySpec::Type::BaseStock);
    CHECK(p.level_t == 4000.0);
    CHECK(p.period_days == 30);
    CHECK(p.review == PolicySpec::Review::Periodic);
    CHECK(stock.replenish.at(0).sourcing == ReplenishSpec::Sourcing::Shares);
}

TEST_CASE("full.yaml: manufacturers") {
    const ScenarioSpec spec = load_scenario_file(kDataDir / "good/full.yaml");
    const NodeSpec& us = node(spec, "mfg_us");
    REQUIRE(us.demand.has_value());
    CHECK(us.demand->commodity == "battery");
    CHECK(us.demand->process == DemandSpec::Process::Daily);
    CHECK(us.demand->per_day.kind == DistributionSpec::Kind::Fixed);
    CHECK(us.demand->per_day.value == 20.0);
    CHECK(us.bom.at("li2co3") == 0.1);
    CHECK(us.bom.at("graphite") == 0.9);
    CHECK(us.backorders);
    CHECK(us.costs.holding_usd_per_t_day == 1.0);
    CHECK(us.costs.backorder_usd_per_t_day == 50.0);
    CHECK(us.costs.lost_sale_usd_per_t == 900.0);
    CHECK(us.costs.order_cost_usd == 250.0);
    CHECK(us.costs.pipeline_holding);
    REQUIRE(us.replenish.size() == 2);
    CHECK(us.replenish[0].suppliers.at(1).node == "stock_us");
    CHECK(us.replenish[0].suppliers.at(1).share == 0.3);
    CHECK(us.replenish[0].policy.type == PolicySpec::Type::ReorderPointQuantity);
    CHECK(us.replenish[0].policy.reorder_point_t == 100.0);
    CHECK(us.replenish[0].policy.quantity_t == 250.0);
    CHECK(us.replenish[1].sourcing == ReplenishSpec::Sourcing::Cheapest);
    CHECK(us.replenish[1].policy.type == PolicySpec::Type::DaysOfCover);
    CHECK(us.replenish[1].policy.cover_days == 30.0);
    CHECK(us.replenish[1].policy.period_days == 7);

    const NodeSpec& mx = node(spec, "mfg_mx");
    CHECK(mx.demand->per_day.kind == DistributionSpec::Kind::Normal);
    CHECK(mx.demand->per_day.mean == 8.0);
    CHECK(mx.demand->per_day.sd == 2.0);
    const PolicySpec& ma = mx.replenish.at(0).policy;
    CHECK(ma.type == PolicySpec::Type::OrderUpToMovingAverage);
    CHECK(ma.k_periods == 3);
    CHECK(ma.window_periods == 14);
    CHECK(ma.safety_t == -5.0);
    CHECK_FALSE(mx.backorders);

    const NodeSpec& ca = node(spec, "mfg_ca");
    CHECK(ca.demand->process == DemandSpec::Process::PoissonProcess);
    CHECK(ca.demand->rate_per_day == 2.5);
    CHECK(ca.demand->unit_t == 4.0);

    const NodeSpec& kr = node(spec, "mfg_kr");
    CHECK(kr.demand->process == DemandSpec::Process::Series);
    CHECK(kr.demand->series_tpd == std::vector<double>{5, 6, 7.5, 0});
    CHECK(kr.demand->unit_t == 1.0);
    CHECK(kr.replenish.at(0).suppliers.at(0).node == "dist_kr");

    const NodeSpec& dist = node(spec, "dist_kr");
    CHECK(dist.kind == NodeKind::Warehouse);
    CHECK(dist.commodity == "li2co3");
    CHECK(dist.replenish.at(0).suppliers.at(0).node == "ref_cn");
}

TEST_CASE("full.yaml: routes and their distributions") {
    const ScenarioSpec spec = load_scenario_file(kDataDir / "good/full.yaml");
    REQUIRE(spec.routes.size() == 12);
    const RouteSpec& road = spec.routes[0];
    CHECK(road.from == "mine_au");
    CHECK(road.to == "port_au");
    CHECK(road.mode == "road");
    CHECK(road.lead_time_days.kind == DistributionSpec::Kind::Uniform);
    CHECK(road.lead_time_days.low == 1.0);
    CHECK(road.lead_time_days.high == 3.0);
    CHECK(road.capacity_tpd == 2000.0);
    CHECK(road.cost_usd_per_t == 15.0);

    const RouteSpec& sea = spec.routes[1];
    CHECK(sea.mode == "sea");
    CHECK_FALSE(sea.capacity_tpd.has_value());
    CHECK(sea.lead_time_days.kind == DistributionSpec::Kind::Empirical);
    CHECK(sea.lead_time_days.values == std::vector<double>{18, 21, 30});
    CHECK(sea.lead_time_days.weights == std::vector<double>{0.5, 0.3, 0.2});

    CHECK(spec.routes[2].lead_time_days.kind == DistributionSpec::Kind::Exponential);
    CHECK(spec.routes[2].lead_time_days.mean == 25.0);
    CHECK(spec.routes[3].mode == "air");
    CHECK(spec.routes[3].lead_time_days.kind == DistributionSpec::Kind::Fixed);
    CHECK(spec.routes[3].lead_time_days.value == 3.0);
    CHECK(spec.routes[4].lead_time_days.kind == DistributionSpec::Kind::Poisson);
    CHECK(spec.routes[5].lead_time_days.value == 30.0);
    CHECK(spec.routes[6].lead_time_days.weights.empty());
    CHECK(spec.routes[9].lead_time_days.sd == 1.0);
    CHECK(spec.routes[11].where.line == 138);
}

TEST_CASE("defaults apply when optional keys are absent") {
    const ScenarioSpec spec = load_scenario_text(kMinimal, "min.yaml");
    CHECK(spec.source_file == "min.yaml");
    CHECK(spec.description.empty());
    CHECK(spec.warmup_days == 0);
    CHECK(spec.seed == 1);
    CHECK(spec.replications == 1);
    CHECK(spec.cost_accounting == ScenarioSpec::CostAccounting::EndOfDay);
    CHECK(spec.routes.empty());
    CHECK(spec.output.timeseries);
    CHECK(spec.output.timeseries_every_days == 1);
    CHECK(spec.commodities.at(0).unit == "t");
    CHECK(spec.commodities.at(0).price_usd_per_t == 0.0);
    CHECK_FALSE(spec.nodes.at(0).yield_factor.has_value());
}

TEST_CASE("sections may come in any order") {
    const std::string yaml = R"(nodes:
  - {id: m, kind: mine, country: AU, commodity: ore, capacity_tpd: 1}
routes: []
commodities: [{id: ore}]
horizon_days: 10
name: reordered
schema_version: 1
)";
    CHECK(load_scenario_text(yaml, "r.yaml").nodes.at(0).commodity == "ore");
}

TEST_CASE("a scenario error carries file, position, key and message") {
    const std::string yaml = std::string(kMinimal) + "seed: -1\n";
    try {
        (void)load_scenario_text(yaml, "s.yaml");
        FAIL("expected a ScenarioError");
    } catch (const ScenarioError& e) {
        CHECK(e.file() == "s.yaml");
        CHECK(e.line() == 7);
        CHECK(e.column() == 7);
        CHECK(e.key() == "seed");
        CHECK(e.message() == "expected an integer >= 0, got -1");
    }
}

TEST_CASE("files that cannot be read are errors without a position") {
    CHECK(error_of(kDataDir / "no_such_file.yaml") ==
          (kDataDir / "no_such_file.yaml").string() +
              ": error: cannot read scenario: no such file");
    CHECK(error_of(kDataDir / "good") == (kDataDir / "good").string() +
                                             ": error: cannot read scenario: expected a file, got "
                                             "a directory");
}

TEST_CASE("the scenario hash is over the file's bytes") {
    const fs::path file = kDataDir / "good/full.yaml";
    std::ifstream in(file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK(load_scenario_file(file).source_hash == scenario_hash(bytes));
    CHECK(load_scenario_text(bytes, "x.yaml").source_hash == scenario_hash(bytes));

    chainshock::engine::Fingerprint expected;
    expected.add(std::uint64_t{0x0807060504030201ULL});
    expected.add(std::uint64_t{0x09});
    expected.add(std::uint64_t{9});
    CHECK(scenario_hash("\x01\x02\x03\x04\x05\x06\x07\x08\x09") == expected.hex());
    CHECK(scenario_hash("a") != scenario_hash(std::string("a\0", 2)));
    CHECK(load_scenario_text(kMinimal, "a").source_hash !=
          load_scenario_text(std::string(kMinimal) + "\n", "a").source_hash);
}

TEST_CASE("references may point forwards; shares are checked to sum to 1") {
    const std::string base = R"(schema_version: 1
name: fwd
horizon_days: 10
commodities: [{id: ore}]
nodes:
  - id: m
    kind: mine
    country: AU
    commodity: ore
    capacity_tpd: 1
    push_to: [{node: s1, share: 0.1}, {node: s2, share: 0.2}, {node: s3, share: 0.7}]
  - {id: s1, kind: stockpile, country: US, commodity: ore, capacity_t: 1}
  - {id: s2, kind: stockpile, country: US, commodity: ore, capacity_t: 1}
  - {id: s3, kind: stockpile, country: US, commodity: ore, capacity_t: 1}
)";
    // 0.1 + 0.2 + 0.7 is not exactly 1 in binary; the tolerance accepts it.
    CHECK(load_scenario_text(base, "f.yaml").nodes.at(0).push_to.size() == 3);
    std::string missing_kind = base;
    missing_kind.replace(missing_kind.find("kind: stockpile, "), 17, "");
    CHECK(error_of_text(missing_kind) ==
          "t.yaml:12:5: error: nodes[1].kind: missing required key 'kind'");
}
