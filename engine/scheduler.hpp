#pragma once
/// The sequential scheduler: the reference engine. It pops events in EventKey order from a binary
/// heap, hands each to the model with an Outbox, commits what the handler emitted, and adds every
/// processed key to its target's fingerprint chain. WindowedScheduler (windowed_scheduler.hpp) is
/// the fast engine; tests hold it to this one.
///
/// A model is any type with
///     void handle(const Event<Payload>&, Outbox<Payload>&);
/// whose handler changes only the state of the event's target entity.

#include "engine/fingerprint.hpp"
#include "engine/outbox.hpp"

#include <cstdint>
#include <vector>

namespace chainshock::engine {

template <class Payload> class SequentialScheduler {
public:
    /// Entities 0..entity_count-1 are model entities (nodes); entity_count is the global entity.
    explicit SequentialScheduler(EntityId entity_count)
        : counters_(static_cast<std::size_t>(entity_count) + 1, 0),
          fingerprints_(static_cast<std::size_t>(entity_count) + 1) {}

    [[nodiscard]] EntityId global_entity() const {
        return static_cast<EntityId>(counters_.size() - 1);
    }

    /// Seeds an event from outside any handler (initial conditions), emitted by `origin`.
    void schedule(EntityId origin, EntityId target, Ticks time, std::uint16_t phase,
                  const Payload& payload) {
        queue_.push(
            Event<Payload>{EventKey{time, phase, target, origin, counters_[origin]++}, payload});
    }

    /// Runs every event with time < end. Returns the number of events processed.
    template <class Model> std::uint64_t run_until(Model& model, Ticks end) {
        std::uint64_t processed = 0;
        while (!queue_.empty() && queue_.top().key.time < end) {
            const Event<Payload> event = queue_.pop();
            now_ = event.key.time;
            fingerprints_.commit(event.key);
            Outbox<Payload> out(event.key, &counters_[event.key.target], &emitted_);
            model.handle(event, out);
            for (const auto& e : emitted_) queue_.push(e);
            emitted_.clear();
            ++processed;
        }
        now_ = end;
        return processed;
    }

    [[nodiscard]] Ticks now() const { return now_; }
    [[nodiscard]] const EventQueue<Payload>& pending() const { return queue_; }
    /// The fingerprint of the events committed so far (see EntityFingerprints).
    [[nodiscard]] Fingerprint fingerprint() const { return fingerprints_.combined(); }

private:
    EventQueue<Payload> queue_;
    std::vector<std::uint64_t> counters_;
    std::vector<Event<Payload>> emitted_;
    EntityFingerprints fingerprints_;
    Ticks now_{0};
};

} // namespace chainshock::engine
