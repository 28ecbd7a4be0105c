#include "spec_builder.hpp"

#include <doctest/doctest.h>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {
ScenarioSpec chain(bool random) {
    auto spec = base_spec(120, {"ore", "metal"});
    add_mine(spec, "mine", "ore", 100);
    auto& ref = add_node(spec, "ref", NodeKind::Refinery);
    ref.output = "metal";
    ref.recipe = {{"ore", 2.0}};
    ref.capacity_tpd = 30;
    ref.output_target_t = 100;
    ref.replenish.push_back(base_stock("ore", {"mine"}, 300));
    add_node(spec, "port", NodeKind::Port).dwell_days = 2;
    auto& m = add_manufacturer(spec, "mfg", "metal", 20);
    m.replenish.push_back(base_stock("metal", {"ref"}, 500));
    add_route(spec, "mine", "ref", 3);
    add_route(spec, "ref", "port", 5);
    add_route(spec, "port", "mfg", 4);
    if (random) {
        DistributionSpec demand;
        demand.kind = DistributionSpec::Kind::Normal;
        demand.mean = 20;
        demand.sd = 5;
        m.demand->per_day = demand;
        DistributionSpec lead;
        lead.kind = DistributionSpec::Kind::Lognormal;
        lead.mean = 5;
        lead.sd = 2;
        spec.routes[1].lead_time_days = lead;
    }
    return spec;
}
} // namespace

TEST_CASE("the same seed gives the same fingerprint and KPIs; another seed differs") {
    const auto a = run_once(chain(true), 7);
    const auto b = run_once(chain(true), 7);
    const auto c = run_once(chain(true), 8);
    CHECK(a.fingerprint == b.fingerprint);
    CHECK(kpi(a, "network", "shortfall_t") == kpi(b, "network", "shortfall_t"));
    CHECK(a.fingerprint != c.fingerprint);
    CHECK(kpi(a, "network", "demand_t") != kpi(c, "network", "demand_t"));
}

TEST_CASE("without randomness the seed does not matter") {
    CHECK(run_once(chain(false), 1).fingerprint == run_once(chain(false), 99).fingerprint);
}

TEST_CASE("replications differ from each other and are summarised in order") {
    const Network net(chain(true));
    RunOptions options;
    options.replications = 5;
    const auto result = run_scenario(net, options);
    REQUIRE(result.runs.size() == 5);
    CHECK(result.runs[0].fingerprint != result.runs[1].fingerprint);
    CHECK(result.runs[3].replication == 3);
    // Replication r of a 5-run job is the same as replication r run alone.
    CHECK(run_replication(net, 1, 3, false).fingerprint == result.runs[3].fingerprint);
    const auto& demand = result.summary[0];
    CHECK(demand.metric == "demand_t");
    CHECK(demand.stats.n == 5);
    CHECK(demand.stats.sd > 0.0);
}

TEST_CASE("replications in parallel give bit-identical results for 1 and many threads") {
    auto spec = chain(true);
    ShockSpec outage;
    outage.type = ShockSpec::Type::Outage;
    outage.id = "random_outage";
    outage.nodes = {"ref"};
    outage.up_days = DistributionSpec{};
    outage.up_days->kind = DistributionSpec::Kind::Exponential;
    outage.up_days->mean = 30;
    outage.down_days = DistributionSpec::fixed(5);
    spec.shocks.push_back(outage);
    const Network net(spec);
    RunOptions options;
    options.replications = 24;
    options.threads = 1;
    const auto serial = run_scenario(net, options);
    for (int threads : {2, 4, 8}) {
        options.threads = threads;
        const auto parallel = run_scenario(net, options);
        CHECK(parallel.fingerprint == serial.fingerprint);
        REQUIRE(parallel.summary.size() == serial.summary.size());
        for (std::size_t k = 0; k < serial.summary.size(); ++k) {
            // Bit-identical, not merely close.
            CHECK(parallel.summary[k].stats.mean == serial.summary[k].stats.mean);
            CHECK(parallel.summary[k].stats.ci_half_width == serial.summary[k].stats.ci_half_width);
            CHECK(parallel.summary[k].stats.p95 == serial.summary[k].stats.p95);
        }
        for (std::size_t r = 0; r < serial.runs.size(); ++r) {
            CHECK(parallel.runs[r].fingerprint == serial.runs[r].fingerprint);
        }
    }
}

TEST_CASE("a stopped run keeps its completed replications and says it is incomplete") {
    const Network net(chain(true));
    std::atomic<bool> stop{false};
    RunOptions options;
    options.replications = 10;
    options.threads = 1;
    options.stop = &stop;
    options.progress = [&stop](std::uint64_t done, std::uint64_t) {
        if (done == 3) stop = true; // as a Ctrl-C handler would
    };
    const auto r = run_scenario(net, options);
    CHECK_FALSE(r.complete);
    CHECK(r.replications == 3);
    CHECK(r.replications_requested == 10);
    REQUIRE(r.runs.size() == 3);
    CHECK(r.runs[2].replication == 2);
    CHECK(r.summary[0].stats.n == 3);
    // The completed ones are exactly those of an uninterrupted run.
    CHECK(run_replication(net, 1, 2, false).fingerprint == r.runs[2].fingerprint);
}
