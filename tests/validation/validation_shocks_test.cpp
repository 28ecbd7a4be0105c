// Validation cases that need shocks or stockpile policies (Cases 8, 11, 13 of
// shared/validation/README.md), run from scenarios/validation/ and checked within tolerance.
#include "models/io/scenario_loader.hpp"
#include "models/network.hpp"
#include "models/simulation.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <stdexcept>
#include <string>

using namespace chainshock::models;
namespace engine = chainshock::engine;

namespace {

ScenarioSpec load(const std::string& name) {
    return io::load_scenario_file(std::string(CHAINSHOCK_SOURCE_DIR) + "/scenarios/validation/" +
                                  name);
}

RunResult run(ScenarioSpec spec, std::uint64_t replications = 0) {
    const Network network(std::move(spec));
    RunOptions options;
    options.seed = network.spec().seed;
    options.replications = replications > 0 ? replications : network.spec().replications;
    options.series_replications = 0;
    return run_scenario(network, options);
}

const engine::Summary& stat(const RunResult& r, const std::string& entity,
                            const std::string& metric) {
    for (const auto& k : r.summary) {
        if (k.entity == entity && k.metric == metric) return k.stats;
    }
    throw std::runtime_error("no KPI " + entity + "." + metric);
}

double mean(const RunResult& r, const std::string& entity, const std::string& metric) {
    return stat(r, entity, metric).mean;
}

} // namespace

TEST_CASE("Case 8: an up/down outage process: fraction down, outage count, its spread") {
    const std::string process = "port_updown/PORT";
    SUBCASE("exponential up and down times") {
        // 80 runs, not the file's 20: the spread of the fraction down is estimated to +-8% (one
        // standard error, 1 / sqrt(2 (n - 1))), and the check allows four.
        const std::uint64_t runs = 80;
        const auto r = run(load("case08_outage_process.yaml"), runs);
        CHECK(std::fabs(mean(r, process, "active_fraction") - 0.1) <= 0.005);
        CHECK(std::fabs(mean(r, process, "starts") - 365.0) <= 12.0);
        // SD of the fraction down over one run: sqrt(2 pi_u pi_d / ((lambda + mu) T)) = 0.00666.
        const double expected_sd = 0.00666;
        const double relative_error = 1.0 / std::sqrt(2.0 * double(runs - 1));
        const double sd = stat(r, process, "active_fraction").sd;
        INFO("sd " << sd);
        CHECK(std::fabs(sd / expected_sd - 1.0) < 4.0 * relative_error);
    }
    SUBCASE("lognormal up times, deterministic repairs: only the means matter") {
        auto spec = load("case08_outage_process.yaml");
        auto& shock = spec.shocks[0];
        shock.up_days->kind = DistributionSpec::Kind::Lognormal;
        shock.up_days->mean = 90.0;
        shock.up_days->sd = 90.0 * std::sqrt(std::exp(0.8 * 0.8) - 1.0); // sigma_log = 0.8
        *shock.down_days = DistributionSpec::fixed(10.0);
        const auto r = run(spec);
        CHECK(std::fabs(mean(r, process, "active_fraction") - 0.1) <= 0.005);
    }
    SUBCASE("transient: P(down at day 10 | up at day 0) from 100,000 short runs") {
        auto spec = load("case08_outage_process.yaml");
        spec.horizon_days = 10;
        const auto r = run(spec, 100000);
        CHECK(std::fabs(mean(r, process, "active_at_end") - 0.06708) <= 0.003);
    }
}

TEST_CASE("Case 11: time to survive and time to recover under an export ban") {
    SUBCASE("base case: TTS 27 < TTR 30, 900 t unmet, service back on day 40") {
        const auto r = run(load("case11_tts_export_ban.yaml"));
        CHECK(mean(r, "MFG", "shortfall_t") == doctest::Approx(900).epsilon(1e-9));
        CHECK(mean(r, "MFG", "time_to_survive_days") == 27.0);
        CHECK(mean(r, "MFG", "time_to_recover_days") == 40.0);
        CHECK(mean(r, "MFG", "shortfall_days") == 13.0); // case days 27-39
        CHECK(mean(r, "BB", "time_to_survive_days") == 27.0);
    }
    SUBCASE("contingent capacity: R2 rises to 50 t/day at the shock: TTS 38, 100 t unmet") {
        auto spec = load("case11_tts_export_ban.yaml");
        NodeSpec flex = spec.nodes[1];
        flex.id = "R2_FLEX";
        flex.capacity_tpd = 20;
        spec.nodes.push_back(flex);
        spec.routes.push_back(spec.routes[1]);
        spec.routes.back().from = "R2_FLEX";
        ShockSpec idle;
        idle.type = ShockSpec::Type::Outage;
        idle.id = "flex_idle_until_shock";
        idle.nodes = {"R2_FLEX"};
        idle.capacity_factor = 0.0;
        idle.start_day = 0;
        idle.duration_days = 10;
        spec.shocks.push_back(idle);
        const auto r = run(spec);
        CHECK(mean(r, "MFG", "shortfall_t") == doctest::Approx(100).epsilon(1e-9));
        CHECK(mean(r, "MFG", "time_to_survive_days") == 38.0);
    }
    SUBCASE("strategic release: 1,000 t (or the minimum, 900 t) leaves nothing unmet") {
        for (const double release : {1000.0, 900.0, 890.0}) {
            auto spec = load("case11_tts_export_ban.yaml");
            NodeSpec spr;
            spr.id = "SPR";
            spr.kind = NodeKind::Stockpile;
            spr.country = "BB";
            spr.commodity = "metal";
            spr.capacity_t = release;
            spr.inventory_t = {{"metal", release}};
            spec.nodes.push_back(spr);
            spec.routes.push_back(spec.routes[1]);
            spec.routes.back().from = "SPR";
            StockpilePolicySpec policy;
            policy.id = "release_when_empty";
            policy.mode = StockpilePolicySpec::Mode::Independent;
            policy.commodity = "metal";
            policy.stockpiles = {"SPR"};
            policy.trigger = StockpilePolicySpec::Trigger::DaysOfCover;
            policy.trigger_value = 1.0; // less than a day's use left
            policy.release_tpd = 100;
            spec.stockpile_policies.push_back(policy);
            const auto r = run(spec);
            INFO("release " << release);
            CHECK(mean(r, "SPR", "released_t") == doctest::Approx(release));
            CHECK(mean(r, "MFG", "shortfall_t") ==
                  doctest::Approx(release >= 900 ? 0 : 900 - release));
        }
    }
    SUBCASE("a ban that also stops cargo in transit: TTS 17, 1,600 t unmet") {
        auto spec = load("case11_tts_export_ban.yaml");
        spec.shocks[0].in_transit = ShockSpec::InTransit::Lost;
        const auto r = run(spec);
        CHECK(mean(r, "MFG", "shortfall_t") == doctest::Approx(1600).epsilon(1e-9));
        CHECK(mean(r, "MFG", "time_to_survive_days") == 17.0);
        CHECK(mean(r, "network", "lost_in_transit_t") == doctest::Approx(700));
    }
}

TEST_CASE("Case 13: a coordinated release is shared in proportion to consumption") {
    const auto r = run(load("case13_iea_release.yaml"));
    CHECK(mean(r, "SPR_A", "released_t") == doctest::Approx(30.0).epsilon(1e-9));
    CHECK(mean(r, "SPR_B", "released_t") == doctest::Approx(15.0).epsilon(1e-9));
    CHECK(mean(r, "SPR_C", "released_t") == doctest::Approx(9.0).epsilon(1e-9));
    CHECK(mean(r, "SPR_D", "released_t") == doctest::Approx(6.0).epsilon(1e-9));
    CHECK(mean(r, "network", "stockpile_released_t") == doctest::Approx(60.0).epsilon(1e-9));

    SUBCASE("a member holding less than its share gives what it has; the others cover the rest") {
        auto spec = load("case13_iea_release.yaml");
        for (auto& node : spec.nodes) {
            if (node.id == "SPR_C") node.inventory_t["oil"] = 5.0;
        }
        const auto short_c = run(spec);
        CHECK(mean(short_c, "SPR_C", "released_t") == doctest::Approx(5.0));
        CHECK(mean(short_c, "network", "stockpile_released_t") == doctest::Approx(60.0));
        // C's missing 4 units go to A, B and D in proportion 20 : 10 : 4.
        CHECK(mean(short_c, "SPR_A", "released_t") ==
              doctest::Approx(30.0 + 4.0 * 20 / 34).epsilon(0.01));
        CHECK(mean(short_c, "SPR_D", "released_t") ==
              doctest::Approx(6.0 + 4.0 * 4 / 34).epsilon(0.01));
    }
}
