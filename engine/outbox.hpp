#pragma once
/// What a handler sees of the engine: the current event's time and entity, and a buffer for the
/// events it emits. The same Outbox serves the sequential engine (committed after each event) and a
/// windowed parallel engine (committed at the barrier, in entity order), so handlers cannot tell
/// which engine runs them.

#include "engine/event_queue.hpp"

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace chainshock::engine {

template <class Payload> class Outbox {
public:
    Outbox(EventKey current, std::uint64_t* origin_counter, std::vector<Event<Payload>>* buffer,
           Ticks lookahead = kOneTick)
        : current_(current), counter_(origin_counter), buffer_(buffer), lookahead_(lookahead) {}

    [[nodiscard]] Ticks now() const { return current_.time; }
    [[nodiscard]] EntityId self() const { return current_.target; }
    [[nodiscard]] const EventKey& current() const { return current_; }

    /// Emits an event. Effects on another entity must be at least the lookahead later (at least
    /// one tick: that is what a parallel engine relies on); an entity may schedule itself at the
    /// same instant only in the same or a later phase. Returns the emitted event's payload, which
    /// the caller may still change until it emits again or returns.
    Payload& emit(EntityId target, Ticks time, std::uint16_t phase, const Payload& payload) {
        if (target != current_.target
                ? time < current_.time + lookahead_
                : (time < current_.time || (time == current_.time && phase < current_.phase))) {
            throw std::logic_error("chainshock engine: event scheduled into the past or without "
                                   "lookahead");
        }
        // Written in place, field by field: cheaper than building an event and copying it.
        Event<Payload>& e = buffer_->emplace_back();
        e.key = EventKey{time, phase, target, current_.target, (*counter_)++};
        e.payload = payload;
        return e.payload;
    }

private:
    EventKey current_;
    std::uint64_t* counter_;
    std::vector<Event<Payload>>* buffer_;
    Ticks lookahead_;
};

} // namespace chainshock::engine
