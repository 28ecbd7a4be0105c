#include "engine/time.hpp"

#include <doctest/doctest.h>

using namespace chainshock::engine;

TEST_CASE("days convert to one-minute ticks and back") {
    CHECK(days(1).value == 1440);
    CHECK(days_to_ticks(0.5).value == 720);
    CHECK(days_to_ticks(1.0 / 1440.0 * 0.4).value == 0); // rounds to the nearest tick
    CHECK(to_days(Ticks{2160}) == doctest::Approx(1.5));
}

TEST_CASE("day_index floors, also before day 0") {
    CHECK(day_index(Ticks{0}) == 0);
    CHECK(day_index(Ticks{1439}) == 0);
    CHECK(day_index(Ticks{1440}) == 1);
    CHECK(day_index(Ticks{-1}) == -1);
    CHECK(start_of_day(3) == Ticks{3 * 1440});
}

TEST_CASE("ticks are ordered and add up") {
    CHECK(Ticks{3} < Ticks{4});
    CHECK(Ticks{3} + Ticks{4} == Ticks{7});
    CHECK(Ticks{10} - Ticks{4} == Ticks{6});
    CHECK(Ticks{10} * 3 == Ticks{30});
}
