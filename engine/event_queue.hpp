#pragma once
/// A min-priority queue of events keyed by EventKey (binary heap over a vector).

#include "engine/event_key.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace chainshock::engine {

/// An event: its key and a small, plain payload defined by the model.
template <class Payload> struct Event {
    EventKey key;
    Payload payload;
};

/// Binary min-heap of events. Pops in strictly increasing EventKey order; keys are unique because
/// (origin, seq) is unique, so the order never depends on heap internals.
template <class Payload> class EventQueue {
public:
    void push(const Event<Payload>& e) {
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), Later{});
    }
    /// Removes and returns the earliest event. Precondition: !empty().
    Event<Payload> pop() {
        std::pop_heap(heap_.begin(), heap_.end(), Later{});
        Event<Payload> e = heap_.back();
        heap_.pop_back();
        return e;
    }
    [[nodiscard]] const Event<Payload>& top() const { return heap_.front(); }
    [[nodiscard]] bool empty() const { return heap_.empty(); }
    [[nodiscard]] std::size_t size() const { return heap_.size(); }
    void reserve(std::size_t n) { heap_.reserve(n); }
    /// Visits every pending event in unspecified order (for end-of-run audits such as in-transit
    /// mass; callers must not depend on the order).
    template <class F> void for_each(F&& f) const {
        for (const auto& e : heap_) f(e);
    }

private:
    // A function object, not a function pointer: the heap algorithms inline the comparison.
    struct Later {
        bool operator()(const Event<Payload>& a, const Event<Payload>& b) const {
            return key_less(b.key, a.key);
        }
    };
    std::vector<Event<Payload>> heap_;
};

} // namespace chainshock::engine
