#include "engine/statistics.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <vector>

using namespace chainshock::engine;

TEST_CASE("running statistics match the textbook formulas") {
    RunningStats s;
    for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) s.add(x);
    CHECK(s.count() == 8);
    CHECK(s.mean() == doctest::Approx(5.0));
    CHECK(s.variance() == doctest::Approx(32.0 / 7.0));
    CHECK(s.min() == 2.0);
    CHECK(s.max() == 9.0);
}

TEST_CASE("a time integral weights each level by how long it held") {
    TimeIntegral area;
    area.set(0, 2.0);
    area.set(10, 5.0); // 2 for 10 ticks
    CHECK(area.area(14) == doctest::Approx(20.0 + 20.0));
    area.reset(14); // warm-up ends: keep the level, drop the area
    CHECK(area.area(16) == doctest::Approx(10.0));
}

TEST_CASE("Student-t quantiles") {
    CHECK(student_t_quantile(0.975, 9) == doctest::Approx(2.262157).epsilon(1e-6));
    CHECK(student_t_quantile(0.975, 1e6) == doctest::Approx(1.959964).epsilon(1e-5));
}

TEST_CASE("summaries: mean, sd, t interval and percentiles") {
    const std::vector<double> xs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const Summary s = summarize(xs);
    CHECK(s.n == 10);
    CHECK(s.mean == doctest::Approx(5.5));
    CHECK(s.sd == doctest::Approx(3.0276504));
    CHECK(s.ci_half_width == doctest::Approx(2.262157 * 3.0276504 / std::sqrt(10.0)).epsilon(1e-6));
    CHECK(s.ci_low == doctest::Approx(s.mean - s.ci_half_width));
    CHECK(s.p50 == doctest::Approx(5.5));
    CHECK(s.p5 == doctest::Approx(1.45));
    CHECK(s.p95 == doctest::Approx(9.55));
    const Summary one = summarize(std::vector<double>{3.0});
    CHECK(one.ci_half_width == 0.0);
    CHECK(one.p95 == 3.0);
}
