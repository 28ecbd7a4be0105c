#pragma once
/// The global state of a replication: which shocks are active, and what that does to nodes,
/// lanes, paths and prices. Only global events (target = the global entity, run serially at the
/// start of an instant) write it; node handlers only read it. That is what keeps node handlers
/// independent of each other.

#include "engine/random.hpp"
#include "engine/time.hpp"
#include "models/model.hpp"

#include <cstdint>
#include <limits>
#include <set>
#include <utility>
#include <vector>

namespace chainshock::models {

inline constexpr std::int64_t kOpenEnded = std::numeric_limits<std::int64_t>::max();

/// A [start, end) span of ticks; end = kOpenEnded while it lasts.
struct Interval {
    std::int64_t start = 0;
    std::int64_t end = kOpenEnded;
};

/// Per stockpile-policy activation unit: one per member (independent) or one for the bloc.
struct ReleaseState {
    bool active = false;
    bool done = false; ///< a `start_day` trigger fires once
    std::int64_t since = 0;
    Kg released = 0; ///< in this activation
    std::int64_t activations = 0;
};

struct World {
    // shocks: [shock][instance]
    std::vector<std::vector<char>> active;
    std::vector<std::uint32_t> active_instances; ///< [shock]: how many of its instances are active
    std::vector<std::vector<std::vector<Interval>>> intervals;
    std::vector<std::vector<engine::Rng>> rng; ///< [shock][instance]: up/down draws, in turn
    std::vector<char> triggered;               ///< chained shocks that have started
    std::int64_t first_shock = -1; ///< tick of the first shock start (resilience metrics)

    // derived from the active shocks
    std::vector<double> capacity_factor; ///< per node
    std::vector<double> demand_factor;   ///< per node
    std::vector<double> lead_factor;     ///< per route
    std::vector<bool> closed;            ///< per route
    /// Per static path: -1 = usable as is; -2 = no open path; k >= 0 = dynamic path k.
    std::vector<std::int32_t> path_override;
    std::vector<PathPlan> dynamic_paths; ///< append-only: cargo may hold an index

    // market
    std::vector<double> price; ///< per commodity, USD/t
    std::vector<double> peak_price;
    std::vector<double> price_sum; ///< for the mean over measured days
    std::int64_t price_days = 0;

    // stockpile policies: [policy][unit]
    std::vector<std::vector<ReleaseState>> release;

    /// Shipments taken off their lane by a closure or a ban (event origin, sequence).
    std::set<std::pair<std::uint32_t, std::uint64_t>> cancelled;
    std::vector<Kg> lost_in_transit; ///< per commodity

    [[nodiscard]] bool is_cancelled(std::uint32_t origin, std::uint64_t seq) const {
        return !cancelled.empty() && cancelled.count({origin, seq}) > 0;
    }
};

} // namespace chainshock::models
