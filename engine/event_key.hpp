#pragma once
/// The one total order of events. Every ordering decision in the simulator comes from here.

#include "engine/time.hpp"

#include <compare>
#include <cstdint>

namespace chainshock::engine {

/// Identifies the logical process (a node, or the global process) an event belongs to.
using EntityId = std::uint32_t;

/// Events are ordered by time, then phase (event classes at one instant), then the target entity,
/// then the emitting entity and its own emission counter.
///
/// Why (origin, seq) rather than a counter kept by the target: the target's counter would depend
/// on the order in which different origins happened to schedule, which a parallel engine cannot
/// reproduce without serialising. An origin's own counter depends only on the origin's own
/// (deterministic) event order, so the key is the same on 1 thread or many.
struct EventKey {
    Ticks time;
    std::uint16_t phase = 0;
    EntityId target = 0;
    EntityId origin = 0;
    std::uint64_t seq = 0;

    constexpr auto operator<=>(const EventKey&) const = default;
};

} // namespace chainshock::engine
