#include "models/model.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>

using chainshock::models::round_half_away;

namespace {

bool rounds_as_llround(double x) { return round_half_away(x) == std::llround(x); }

} // namespace

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
