// Stress cases: which knock-outs are generated, that each adds exactly one shock, and that the
// single point of failure of a chain survives the shortest time.
#include "models/stress.hpp"
#include "spec_builder.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <stdexcept>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {

// Two ore mines (AU, CL) feed the only refinery (US), which serves a US plant over a direct rail
// lane (2 days) or, when that lane is closed, through a port (4 days). Everything is redundant but
// the refinery. Fixed quantities and times: every replication is the same.
ScenarioSpec spof_chain() {
    auto spec = base_spec(120, {"ore", "metal"});
    add_mine(spec, "au_mine", "ore", 30).country = "AU";
    add_mine(spec, "cl_mine", "ore", 30).country = "CL";
    auto& refinery = add_node(spec, "refinery", NodeKind::Refinery, "US");
    refinery.output = "metal";
    refinery.recipe = {{"ore", 1.0}};
    refinery.capacity_tpd = 30;
    refinery.inventory_t = {{"ore", 100}, {"metal", 20}};
    refinery.replenish.push_back(base_stock("ore", {"au_mine", "cl_mine"}, 150));
    add_node(spec, "hub", NodeKind::Port, "US");
    auto& plant = add_manufacturer(spec, "plant", "metal", 10);
    plant.country = "US";
    plant.inventory_t = {{"metal", 100}};
    plant.replenish.push_back(base_stock("metal", {"refinery"}, 130));
    add_route(spec, "au_mine", "refinery", 5);
    add_route(spec, "cl_mine", "refinery", 5);
    add_route(spec, "refinery", "plant", 2);
    add_route(spec, "refinery", "hub", 2);
    add_route(spec, "hub", "plant", 2);
    return spec;
}

std::vector<std::string> labels(const std::vector<StressCase>& cases) {
    std::vector<std::string> out;
    for (const auto& c : cases) out.push_back(c.kind + " " + c.target);
    return out;
}

double network_tts(const ScenarioSpec& spec) {
    RunOptions options;
    options.replications = 2;
    options.series_replications = 0;
    options.threads = 1;
    const RunResult result = run_scenario(Network(spec), options);
    for (const auto& k : result.summary) {
        if (k.entity == "network" && k.metric == "time_to_survive_days") return k.stats.mean;
    }
    throw std::runtime_error("no network time_to_survive_days");
}

} // namespace

TEST_CASE("stress cases: every producer and port, every lane, every cross-border export") {
    const Network network(spof_chain());
    const auto cases = stress_cases(network, 10, 30);
    CHECK(labels(cases) == std::vector<std::string>{
                               "outage au_mine", "outage cl_mine", "outage refinery", "outage hub",
                               "closure au_mine->refinery", "closure cl_mine->refinery",
                               "closure refinery->plant", "closure refinery->hub",
                               "closure hub->plant", "export_ban AU ore", "export_ban CL ore"});
    for (const auto& c : cases) {
        CAPTURE(c.target);
        REQUIRE(c.spec.shocks.size() == 1);
        const ShockSpec& s = c.spec.shocks.back();
        CHECK(s.id == "stress");
        CHECK(s.start_day == 10);
        CHECK(s.duration_days == 30);
        CHECK(c.spec.resilience.shock_start_day == 10);
        if (c.kind == "outage") {
            CHECK(s.type == ShockSpec::Type::Outage);
            CHECK(s.nodes == std::vector<std::string>{c.target});
            CHECK(s.capacity_factor == 0.0);
        } else if (c.kind == "closure") {
            CHECK(s.type == ShockSpec::Type::RouteClosure);
            CHECK(s.route_from + "->" + s.route_to == c.target);
            CHECK(s.in_transit == ShockSpec::InTransit::Held);
        } else {
            CHECK(s.type == ShockSpec::Type::ExportBan);
            CHECK(s.country + " " + s.commodity == c.target);
            CHECK(s.destinations.empty());
        }
    }
    CHECK(stress_baseline(network, 10).shocks.empty());
    CHECK(stress_baseline(network, 10).resilience.shock_start_day == 10);
}

TEST_CASE("stress cases keep the scenario's shocks and add one with an unused id") {
    auto spec = spof_chain();
    ShockSpec own;
    own.type = ShockSpec::Type::Demand;
    own.id = "stress";
    own.nodes = {"plant"};
    own.factor = 1.1;
    spec.shocks.push_back(own);
    const auto cases = stress_cases(Network(spec), 0, 5);
    REQUIRE_FALSE(cases.empty());
    for (const auto& c : cases) {
        REQUIRE(c.spec.shocks.size() == 2);
        CHECK(c.spec.shocks.front().id == "stress");
        CHECK(c.spec.shocks.back().id == "stress_2");
    }
}

TEST_CASE("an export ban is a case only where a buyer abroad depends on the export") {
    auto spec = spof_chain();
    for (auto& node : spec.nodes) node.country = "US"; // no border anywhere
    const auto domestic = stress_cases(Network(spec), 10, 30);
    CHECK(std::none_of(domestic.begin(), domestic.end(),
                       [](const StressCase& c) { return c.kind == "export_ban"; }));
    spec.nodes[4].country = "MX"; // the plant: now the refinery's metal crosses a border
    const auto cases = stress_cases(Network(spec), 10, 30);
    CHECK(labels(cases).back() == "export_ban US metal");
}

TEST_CASE("stress cases reject a start outside the horizon and a non-positive duration") {
    const Network network(spof_chain());
    CHECK_THROWS_AS(stress_cases(network, -1, 30), std::invalid_argument);
    CHECK_THROWS_AS(stress_cases(network, 120, 30), std::invalid_argument);
    CHECK_THROWS_AS(stress_cases(network, 10, 0), std::invalid_argument);
}

TEST_CASE("the single point of failure survives the shortest time") {
    const Network network(spof_chain());
    const double duration = 30;
    const auto cases = stress_cases(network, 10, duration);
    const double baseline = network_tts(stress_baseline(network, 10));
    CHECK(baseline == doctest::Approx(110)); // never short: censored at the horizon
    double refinery_tts = -1;
    double best_other = 1e9;
    for (const auto& c : cases) {
        const double tts = network_tts(c.spec);
        CAPTURE(c.target);
        CHECK(tts <= baseline);
        if (c.target == "refinery") {
            refinery_tts = tts;
        } else {
            best_other = std::min(best_other, tts);
        }
    }
    // The plant's 100 t (10 days) and the 2-day lane carry it about 12 days into the outage:
    // at risk (shorter than the 30-day outage); every other case is absorbed by the redundancy.
    CHECK(refinery_tts < duration);
    CHECK(refinery_tts > 5);
    CHECK(refinery_tts < best_other);
}
