#include "engine/ziggurat.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <numbers>

using namespace chainshock::engine::ziggurat;

TEST_CASE("the compile-time exp, log and sqrt agree with <cmath>") {
    for (double x = -40.0; x < 2.0; x += 0.0137) {
        CHECK(cx::exp(x) == doctest::Approx(std::exp(x)).epsilon(1e-14));
    }
    for (double a = 1e-6; a < 20.0; a *= 1.013) {
        CHECK(std::fabs(cx::log(a) - std::log(a)) < 4e-15);
        CHECK(cx::sqrt(a) == doctest::Approx(std::sqrt(a)).epsilon(3e-16));
    }
    CHECK(cx::sqrt(0.0) == 0.0);
}

TEST_CASE("every layer of the ziggurat has the same area") {
    const auto& t = kTables;
    const double v = kLayerArea;
    const double r = kTailStart;
    // Layer 0: the base rectangle plus the tail, integrated independently with erfc.
    const double tail = std::sqrt(std::numbers::pi / 2.0) * std::erfc(r / std::numbers::sqrt2);
    CHECK(r * std::exp(-0.5 * r * r) + tail == doctest::Approx(v).epsilon(1e-12));
    CHECK(t.width[0] * t.height[1] == doctest::Approx(v).epsilon(1e-14));
    // Layers 1 .. kLayers - 2 follow from the recurrence; the top layer closes it only if r and v
    // are consistent, to the precision they are given with.
    for (std::size_t i = 1; i + 1 < kLayers; ++i) {
        CHECK(t.width[i] * (t.height[i + 1] - t.height[i]) == doctest::Approx(v).epsilon(1e-12));
    }
    CHECK(t.width[kLayers - 1] * (1.0 - t.height[kLayers - 1]) == doctest::Approx(v).epsilon(1e-8));
}

TEST_CASE("the layers narrow upwards and their inner fractions lie in (0, 1)") {
    const auto& t = kTables;
    CHECK(t.width[1] == kTailStart);
    CHECK(t.width[kLayers] == 0.0);
    CHECK(t.height[kLayers] == 1.0);
    for (std::size_t i = 0; i < kLayers; ++i) {
        CHECK(t.width[i + 1] < t.width[i]);
        CHECK(t.height[i + 1] > t.height[i]);
    }
    for (std::size_t i = 0; i + 1 < kLayers; ++i) {
        CHECK(t.inner[i] > 0.0);
        CHECK(t.inner[i] < 1.0);
    }
    CHECK(t.inner[kLayers - 1] == 0.0); // the top layer has no inner rectangle
}
