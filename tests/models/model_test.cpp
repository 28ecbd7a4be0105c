#include "models/model.hpp"
#include "models/network.hpp"
#include "spec_builder.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>

using chainshock::models::round_half_away;

namespace {

bool rounds_as_llround(double x) { return round_half_away(x) == std::llround(x); }

} // namespace

TEST_CASE("scale and whole_units give what their arithmetic gives, with a factor of 1 too") {
    using chainshock::models::Kg;
    using chainshock::models::scale;
    using chainshock::models::whole_units;
    constexpr Kg two53 = Kg{1} << 53;
    // Around 2^53 a Kg no longer converts to double exactly: there the shortcut must not apply.
    for (const Kg qty : {Kg{0}, Kg{1}, Kg{-7}, Kg{123456789}, two53 - 1, two53, two53 + 1,
                         -two53 - 1, two53 * 4 + 3, Kg{-1} - two53 * 8}) {
        CAPTURE(qty);
        for (const double factor : {1.0, 0.5, 1.0000000000000002, 2.0, 0.0}) {
            CAPTURE(factor);
            CHECK(scale(qty, factor) == round_half_away(double(qty) * factor));
            if (factor != 0.0) {
                CHECK(whole_units(qty, factor) ==
                      static_cast<Kg>(std::floor(double(qty) / factor)));
            }
        }
    }
}

TEST_CASE("round_half_away rounds every double as std::llround does") {
    const double below_half = std::nextafter(0.5, 0.0); // 0.49999999999999994
    for (const double x : {0.0,
                           -0.0,
                           0.5,
                           -0.5,
                           1.5,
                           -1.5,
                           2.5,
                           -2.5,
                           below_half,
                           -below_half,
                           std::nextafter(1.5, 0.0),
                           std::nextafter(1.5, 2.0),
                           4503599627370495.5,
                           4503599627370497.0,
                           9007199254740993.0,
                           -9007199254740993.0,
                           1e15 + 0.5,
                           9.1e18,
                           -9.1e18,
                           9.19e18,
                           1234.5678,
                           -98765.4321}) {
        CAPTURE(x);
        CHECK(rounds_as_llround(x));
    }
    // Around every half from -1000 to 1000 and around the integers next to it.
    for (int k = -2000; k <= 2000; ++k) {
        const double half = k / 2.0;
        CHECK(rounds_as_llround(half));
        CHECK(rounds_as_llround(std::nextafter(half, -1e9)));
        CHECK(rounds_as_llround(std::nextafter(half, 1e9)));
    }
}

TEST_CASE("round_half_away leaves values out of range of Kg to llround") {
    // Whatever llround gives there (unspecified), round_half_away gives the same.
    for (const double x : {9.3e18, -9.3e18, 1e300, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()}) {
        CHECK(round_half_away(x) == std::llround(x));
    }
}

TEST_CASE("ticks_of rounds days to ticks as engine::days_to_ticks does") {
    for (const double days : {0.0, 1e-9, 0.5 / 1440.0, 1.5 / 1440.0, -2.5 / 1440.0, 1.0, 3.3,
                              1234.56789, 1e12, -1e12, 1e17}) {
        CHECK(chainshock::models::ticks_of(days) == chainshock::engine::days_to_ticks(days));
    }
}

TEST_CASE("each node's lookahead: a tick where it may order, else its shortest lane's floor") {
    using namespace chainshock::models;
    using namespace chainshock::models::testing;
    const auto build = [](bool faster_lanes) {
        ScenarioSpec spec = base_spec(30, {"x"});
        add_mine(spec, "m", "x", 100);
        add_manufacturer(spec, "f", "x", 10).replenish.push_back(base_stock("x", {"m"}, 50));
        ReplenishSpec continuous = base_stock("x", {"m"}, 50);
        continuous.policy.review = PolicySpec::Review::Continuous;
        add_manufacturer(spec, "g", "x", 10).replenish.push_back(continuous);
        add_route(spec, "m", "f", 4.0);
        spec.routes.back().lead_time_days = mean_sd(DistributionSpec::Kind::Lognormal, 4.0, 0.8);
        spec.routes.back().lead_time_days.min = 1.0;
        add_route(spec, "m", "g", 2.0);
        if (faster_lanes) add_lead_time_shock(spec, "fast", "m", "g", 0.5);
        return spec;
    };
    const Network network(build(false));
    const Model model(network);
    const auto la = [&](const char* id) { return model.lookahead(network.node_index(id)); };
    // The mine ships on a lane of at least 1 day (a tick less, for rounding) and one of 2 days.
    CHECK(la("m").other == chainshock::engine::Ticks{1439});
    CHECK(la("m").day_start == chainshock::engine::Ticks{1439});
    // The periodic buyer ships nothing and orders only at its day start.
    CHECK(la("f").other > chainshock::engine::days(10'000));
    CHECK(la("f").day_start == chainshock::engine::kOneTick);
    // The continuous buyer may order after any event.
    CHECK(la("g").other == chainshock::engine::kOneTick);
    CHECK(la("g").day_start == chainshock::engine::kOneTick);
    // A shock that speeds lanes up voids every lane floor.
    const Network fast_network(build(true));
    const Model fast(fast_network);
    CHECK(fast.lookahead(fast_network.node_index("m")).other == chainshock::engine::kOneTick);
}
