#include "models/daily_kg.hpp"

#include <doctest/doctest.h>

using chainshock::models::DailyKg;
using chainshock::models::Kg;

TEST_CASE("daily masses add up exactly, and stay exact past 32 bits") {
    DailyKg days;
    CHECK(days.empty());
    days.assign(3, 0);
    CHECK(days.size() == 3);
    days.add(1, 5'000);
    days.add(1, 7'000);
    CHECK(days[0] == 0);
    CHECK(days[1] == 12'000);
    const Kg big = Kg{3'000'000'000};
    days.add(2, big); // beyond 32 bits: every day is widened, none changes
    CHECK(days[1] == 12'000);
    CHECK(days[2] == big);
    days.add(2, -big - 1);
    CHECK(days[2] == -1);
    CHECK(days.size() == 3);
    DailyKg wide;
    wide.assign(2, big);
    CHECK(wide[0] == big);
    wide.add(0, 1);
    CHECK(wide[0] == big + 1);
}
