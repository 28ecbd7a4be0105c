#pragma once
/// What a handler sees of the engine: the current event's time and entity, and a buffer for the
/// events it emits. The same Outbox serves the sequential engine (committed after each event) and a
/// windowed parallel engine (committed at the barrier, in entity order), so handlers cannot tell
/// which engine runs them. The buffer is a vector, or, for the windowed engine's serial path, the
/// tick queue's staging buffer (TickQueue::stage), from which the engine queues them at once.

#include "engine/event_queue.hpp"
#include "engine/tick_queue.hpp"

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace chainshock::engine {

template <class Payload> class Outbox {
public:
    /// Emitted events are appended to `buffer`.
    Outbox(EventKey current, std::uint64_t* origin_counter, std::vector<Event<Payload>>* buffer,
           Ticks lookahead = kOneTick)
        : current_(current), counter_(origin_counter), buffer_(buffer), lookahead_(lookahead) {}

    /// Emitted events are staged in `queue` (TickQueue::stage), for the engine to push or claim.
    Outbox(EventKey current, std::uint64_t* origin_counter, TickQueue<Payload>* queue,
           Ticks lookahead)
        : current_(current), counter_(origin_counter), queue_(queue), lookahead_(lookahead) {}

    [[nodiscard]] Ticks now() const { return current_.time; }
    [[nodiscard]] EntityId self() const { return current_.target; }
    [[nodiscard]] const EventKey& current() const { return current_; }

    /// Emits an event. Effects on another entity must be at least the lookahead later (at least
    /// one tick: that is what a parallel engine relies on); an entity may schedule itself at the
    /// same instant only in the same or a later phase.
    void emit(EntityId target, Ticks time, std::uint16_t phase, const Payload& payload) {
        if (target != current_.target
                ? time < current_.time + lookahead_
                : (time < current_.time || (time == current_.time && phase < current_.phase))) {
            throw std::logic_error("chainshock engine: event scheduled into the past or without "
                                   "lookahead");
        }
        const EventKey key{time, phase, target, current_.target, (*counter_)++};
        if (queue_ != nullptr) {
            // Written in place, field by field, not built and then copied.
            Event<Payload>& e = queue_->stage();
            e.key = key;
            e.payload = payload;
        } else {
            buffer_->push_back(Event<Payload>{key, payload});
        }
    }

private:
    EventKey current_;
    std::uint64_t* counter_;
    std::vector<Event<Payload>>* buffer_ = nullptr;
    TickQueue<Payload>* queue_ = nullptr;
    Ticks lookahead_;
};

} // namespace chainshock::engine
