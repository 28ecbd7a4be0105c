#pragma once
/// Simulation time: an integer tick count. One tick is one minute; scenarios speak in days.
/// No floating-point time is ever compared: conversions from days round once, at the boundary.

#include <cmath>
#include <compare>
#include <cstdint>

namespace chainshock::engine {

/// A point or span of simulated time in ticks (1 tick = 1 minute).
struct Ticks {
    std::int64_t value = 0;

    constexpr auto operator<=>(const Ticks&) const = default;
    constexpr Ticks& operator+=(Ticks other) {
        value += other.value;
        return *this;
    }
    constexpr Ticks& operator-=(Ticks other) {
        value -= other.value;
        return *this;
    }
    friend constexpr Ticks operator+(Ticks a, Ticks b) { return Ticks{a.value + b.value}; }
    friend constexpr Ticks operator-(Ticks a, Ticks b) { return Ticks{a.value - b.value}; }
    friend constexpr Ticks operator*(Ticks a, std::int64_t k) { return Ticks{a.value * k}; }
};

inline constexpr std::int64_t kTicksPerDay = 24 * 60;
inline constexpr Ticks kOneTick{1};
inline constexpr Ticks kOneDay{kTicksPerDay};

/// Whole days to ticks.
constexpr Ticks days(std::int64_t d) { return Ticks{d * kTicksPerDay}; }

/// Fractional days to ticks, rounded to the nearest tick (the only float -> time conversion).
inline Ticks days_to_ticks(double d) { return Ticks{std::llround(d * double(kTicksPerDay))}; }

/// Ticks as fractional days, for reporting only.
constexpr double to_days(Ticks t) { return double(t.value) / double(kTicksPerDay); }

/// The day a tick falls in (floor division; day 0 starts at tick 0).
constexpr std::int64_t day_index(Ticks t) {
    return t.value >= 0 ? t.value / kTicksPerDay : -((-t.value + kTicksPerDay - 1) / kTicksPerDay);
}

/// The first tick of a day.
constexpr Ticks start_of_day(std::int64_t day) { return days(day); }

} // namespace chainshock::engine
