// Paired differences under common random numbers: zero for a scenario against itself, and a
// narrower interval than the unpaired one when the two runs share their random draws.
#include "models/compare.hpp"
#include "spec_builder.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <stdexcept>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {

// A mine with a random yield (mean 9 t/day) short of a plant's random demand: shortfall every
// replication, varying with both draws.
ScenarioSpec tight_chain(double demand_mean_tpd) {
    auto spec = base_spec(200, {"ore"});
    auto& mine = add_mine(spec, "mine", "ore", 10);
    mine.country = "AU";
    DistributionSpec yield;
    yield.kind = DistributionSpec::Kind::Uniform;
    yield.low = 0.8;
    yield.high = 1.0;
    mine.yield_factor = yield;
    auto& plant = add_manufacturer(spec, "plant", "ore", demand_mean_tpd);
    plant.country = "US";
    plant.demand->per_day.kind = DistributionSpec::Kind::Normal;
    plant.demand->per_day.mean = demand_mean_tpd;
    plant.demand->per_day.sd = 0.2 * demand_mean_tpd;
    plant.inventory_t = {{"ore", 30}};
    plant.replenish.push_back(base_stock("ore", {"mine"}, 60));
    add_route(spec, "mine", "plant", 3);
    return spec;
}

RunResult run(const ScenarioSpec& spec, std::uint64_t replications) {
    RunOptions options;
    options.seed = 7;
    options.replications = replications;
    options.series_replications = 0;
    return run_scenario(Network(spec), options);
}

const PairedDifference& find(const std::vector<PairedDifference>& diffs, const std::string& entity,
                             const std::string& metric) {
    const auto it = std::find_if(diffs.begin(), diffs.end(), [&](const PairedDifference& d) {
        return d.entity == entity && d.metric == metric;
    });
    if (it == diffs.end())
        throw std::runtime_error("no paired difference " + entity + "." + metric);
    return *it;
}

} // namespace

TEST_CASE("a scenario compared with itself differs by exactly zero") {
    const RunResult a = run(tight_chain(10), 10);
    const RunResult b = run(tight_chain(10), 10);
    const auto diffs = paired_differences(a, b);
    REQUIRE(diffs.size() == a.summary.size());
    for (const auto& d : diffs) {
        CAPTURE(d.entity + "." + d.metric);
        CHECK(d.difference.mean == 0.0);
        CHECK(d.difference.sd == 0.0);
        CHECK(d.difference.ci_half_width == 0.0);
        CHECK(d.difference.n == 10);
        CHECK(d.a.mean == d.b.mean);
    }
    // The shortfall does vary between replications: the zero comes from the pairing.
    CHECK(find(diffs, "network", "shortfall_t").a.sd > 0.0);
    CHECK(find(diffs, "network", "shortfall_t").unpaired_ci_half_width > 0.0);
}

TEST_CASE("higher demand: a positive shortfall difference, paired CI narrower than unpaired") {
    const RunResult a = run(tight_chain(10), 20);
    const RunResult b = run(tight_chain(11), 20);
    const auto diffs = paired_differences(a, b);
    const PairedDifference& d = find(diffs, "network", "shortfall_t");
    CHECK(d.difference.mean == doctest::Approx(d.b.mean - d.a.mean));
    CHECK(d.difference.ci_low > 0.0);
    CHECK(d.difference.ci_half_width > 0.0);
    CHECK(d.difference.ci_half_width < d.unpaired_ci_half_width);
    MESSAGE("paired half-width " << d.difference.ci_half_width << " vs unpaired "
                                 << d.unpaired_ci_half_width);
}

TEST_CASE("paired differences are taken in replication order, KPIs matched by name") {
    RunResult a;
    RunResult b;
    for (std::uint64_t r = 0; r < 3; ++r) {
        const double x = double(r);
        a.runs.push_back({r, 0, "", {{"network", "x", x}, {"network", "only_a", 1}}, {}});
        b.runs.push_back({r, 0, "", {{"network", "only_b", 1}, {"network", "x", 2 * x + 1}}, {}});
    }
    a.summary = summarize_runs(a.runs);
    b.summary = summarize_runs(b.runs);
    const auto diffs = paired_differences(a, b);
    REQUIRE(diffs.size() == 1);
    CHECK(diffs[0].metric == "x");
    CHECK(diffs[0].difference.mean == doctest::Approx(2.0)); // x + 1 for x = 0, 1, 2
    CHECK(diffs[0].difference.min == doctest::Approx(1.0));
    CHECK(diffs[0].difference.max == doctest::Approx(3.0));

    b.runs.pop_back();
    b.summary = summarize_runs(b.runs);
    CHECK_THROWS_AS(paired_differences(a, b), std::invalid_argument);
}
