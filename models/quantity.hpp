#pragma once
/// Quantities of material are integers: thousandths of the commodity's unit (kilograms when the
/// unit is the tonne). Integer mass makes the mass-balance check exact and keeps sums independent
/// of the order in which they are taken.

#include <cmath>
#include <cstdint>

namespace chainshock::models {

/// Mass in thousandths of a unit (kg for tonnes).
using Kg = std::int64_t;

inline constexpr double kKgPerTonne = 1000.0;

/// Tonnes to Kg, rounded to the nearest kilogram.
inline Kg to_kg(double tonnes) { return std::llround(tonnes * kKgPerTonne); }

/// Kg to tonnes (for reporting and costs).
constexpr double to_tonnes(Kg kg) { return double(kg) / kKgPerTonne; }

} // namespace chainshock::models
