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

/// The same order as EventKey's operator<, with time and phase compared as one word: the comparison
/// that sorting and heaps of events make most.
constexpr bool key_less(const EventKey& a, const EventKey& b) {
    const auto ta = static_cast<std::uint64_t>(a.time.value) << 16 | a.phase;
    const auto tb = static_cast<std::uint64_t>(b.time.value) << 16 | b.phase;
    if (ta != tb) return ta < tb;
    if (a.target != b.target) return a.target < b.target;
    if (a.origin != b.origin) return a.origin < b.origin;
    return a.seq < b.seq;
}

} // namespace chainshock::engine
