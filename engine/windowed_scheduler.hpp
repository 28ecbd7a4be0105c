#pragma once
/// The windowed engine: conservative, window-synchronous parallel discrete-event simulation over a
/// timing-wheel queue, bit-identical to the sequential reference engine on any number of threads.
///
/// Time advances in windows [t, t + L), where t is the earliest pending time and L the lookahead:
/// the least delay between an event and any effect on another entity (one tick at least; the
/// Outbox enforces it). An event inside a window can only cause, on another entity, events at
/// t + L or later, so within a window the entities are independent: each processes its own events
/// (and those it schedules for itself inside the window) in key order, in parallel with the
/// others. Events for other entities are buffered and committed to the queue at the barrier.
///
/// A model may do better than one lookahead for all events by declaring each event's own
/// (`lookahead(event)`): an order placed at a review reaches its supplier a tick later, but a
/// shipment's arrival at a node that only reviews at the start of a day affects other nodes no
/// sooner than the lead time of what the node ships on. The window then ends at the earliest
/// time any of its events could affect another entity (the event horizon of YAWNS), so it may
/// span many ticks. A declared lookahead must hold for the event and for every event it causes
/// on its own entity inside the window; an event for another entity inside the window means it
/// did not, and the engine throws std::logic_error rather than run out of order.
///
/// The global entity (shocks, bloc-wide policy; its id is the largest, so at one instant and phase
/// it comes after every node) reads and writes state shared by all nodes, so it runs alone: a
/// window that holds global events is cut into segments at each of them. Node events before the
/// global event's key run (in parallel), then the global event runs serially on that consistent
/// snapshot, then the next segment.
///
/// Windows with few events run on the calling thread in plain key order: the same events in the
/// same per-entity order, without the cost of a parallel region. Either way every entity's events
/// are processed in key order, which is what EntityFingerprints records; handlers that touch only
/// their own entity's state (the model's contract) therefore give the same state and the same
/// fingerprint on 1 thread or many.

#include "engine/fingerprint.hpp"
#include "engine/outbox.hpp"
#include "engine/parallel.hpp"
#include "engine/tick_queue.hpp"

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

namespace chainshock::engine {

/// How a windowed run may use threads.
struct WindowOptions {
    /// Run windows in parallel at all (on the calling thread's TBB arena; see parallel.hpp).
    bool parallel = false;
    /// Windows with fewer node events than this run on the calling thread: the serial path costs
    /// less per event (no buffers, no barrier), so a parallel region pays on 2 cores only for
    /// windows of a few thousand events (docs/performance.md, "Choosing parallel windows").
    std::size_t min_parallel_events = 2048;
};

/// What a windowed run did, for reports and benchmarks (never part of a result).
struct WindowStats {
    std::uint64_t windows = 0;
    std::uint64_t parallel_windows = 0;
    std::uint64_t parallel_events = 0;
    std::uint64_t peak_queued = 0; ///< most events waiting in the queue at a window's start
};

template <class Payload> class WindowedScheduler {
public:
    /// Entities 0..entity_count-1 are model entities (nodes); entity_count is the global entity.
    explicit WindowedScheduler(EntityId entity_count, Ticks lookahead = kOneTick)
        : counters_(static_cast<std::size_t>(entity_count) + 1, 0),
          fingerprints_(static_cast<std::size_t>(entity_count) + 1),
          lookahead_(std::max(lookahead, kOneTick)) {}

    [[nodiscard]] EntityId global_entity() const {
        return static_cast<EntityId>(counters_.size() - 1);
    }
    [[nodiscard]] Ticks lookahead() const { return lookahead_; }

    /// Seeds an event from outside any handler (initial conditions), emitted by `origin`.
    void schedule(EntityId origin, EntityId target, Ticks time, std::uint16_t phase,
                  const Payload& payload) {
        queue_.push(
            Event<Payload>{EventKey{time, phase, target, origin, counters_[origin]++}, payload});
    }

    /// Runs every event with time < end. Returns the number of events processed.
    template <class Model>
    std::uint64_t run_until(Model& model, Ticks end, const WindowOptions& options = {}) {
        std::uint64_t processed = 0;
        while (!queue_.empty()) {
            const Ticks t0 = queue_.next_time();
            if (t0 >= end) break;
            stats_.peak_queued = std::max<std::uint64_t>(stats_.peak_queued, queue_.size());
            window_.clear();
            ++stats_.windows;
            if (!options.parallel) {
                // On one thread a long window gains nothing and costs heap work (events an
                // entity schedules for itself inside it wait in `local`): one lookahead long.
                window_end_ = queue_.take_until(std::min(t0 + lookahead_, end), window_);
                processed += run_window(model);
                continue;
            }
            const std::size_t global_events = take_window(model, t0, end);
            const std::size_t node_events = window_.size() - global_events;
            if (node_events >= std::max<std::size_t>(options.min_parallel_events, 2)) {
                processed += run_parallel_window(model, global_events);
            } else {
                processed += run_window(model);
            }
        }
        now_ = end;
        return processed;
    }

    [[nodiscard]] Ticks now() const { return now_; }
    /// The fingerprint of the events committed so far (see EntityFingerprints).
    [[nodiscard]] Fingerprint fingerprint() const { return fingerprints_.combined(); }
    [[nodiscard]] const WindowStats& stats() const { return stats_; }

    /// Pending events, including those of the current window not processed yet (a global event
    /// may look at them, as it would in the sequential engine's queue).
    class Pending {
    public:
        explicit Pending(const WindowedScheduler* s) : s_(s) {}
        template <class F> void for_each(F&& f) const {
            s_->queue_.for_each(f);
            for (std::size_t i = s_->next_; i < s_->window_.size(); ++i) f(s_->window_[i]);
            for (const auto& e : s_->local_) f(e);
            for (const auto& e : s_->globals_) f(e);
        }

    private:
        const WindowedScheduler* s_;
    };
    [[nodiscard]] Pending pending() const { return Pending(this); }

private:
    using EventT = Event<Payload>;

    struct Earlier {
        bool operator()(const EventT& a, const EventT& b) const { return key_less(a.key, b.key); }
    };
    struct Later {
        bool operator()(const EventT& a, const EventT& b) const { return key_less(b.key, a.key); }
    };
    struct ByTarget {
        bool operator()(const EventT& a, const EventT& b) const {
            return a.key.target != b.key.target ? a.key.target < b.key.target
                                                : key_less(a.key, b.key);
        }
    };

    /// Takes the next window from the queue into window_, sets window_end_ and returns how many
    /// of its events are global. With a model that declares each event's lookahead
    /// (`model.lookahead(event)`: the least delay, at least lookahead_, between the event, or any
    /// event it causes on its own entity, and an effect on another entity), the window runs up
    /// to the earliest time any event in it could affect another entity, but not past `end`;
    /// otherwise it is [t0, t0 + lookahead_).
    template <class Model> std::size_t take_window(const Model& model, Ticks t0, Ticks end) {
        constexpr bool declared = requires(const EventT& e) {
            { model.lookahead(e) } -> std::convertible_to<Ticks>;
        };
        const EntityId global = global_entity();
        std::size_t global_events = 0;
        window_end_ = queue_.take_window(
            declared ? end : std::min(t0 + lookahead_, end), window_, [&](const EventT& e) {
                global_events += e.key.target == global;
                if constexpr (declared) {
                    return e.key.time.value + std::max(model.lookahead(e), lookahead_).value;
                } else {
                    return TickQueue<Payload>::kNoHorizon;
                }
            });
        return global_events;
    }

    /// Processes one event and routes what it emitted: events for the same entity inside the
    /// window go to `local` (a min-heap), everything else to `away(event)`.
    template <class Model, class Away>
    void execute(Model& model, const EventT& event, std::vector<EventT>& emitted,
                 std::vector<EventT>& local, Away&& away) {
        fingerprints_.commit(event.key);
        emitted.clear();
        Outbox<Payload> outbox(event.key, &counters_[event.key.target], &emitted, lookahead_);
        model.handle(event, outbox);
        for (const auto& e : emitted) {
            if (e.key.time >= window_end_) {
                away(e);
            } else if (e.key.target == event.key.target) {
                local.push_back(e);
                std::push_heap(local.begin(), local.end(), Later{});
            } else {
                // Another entity may already have run past this time in the window.
                throw std::logic_error("chainshock engine: an event for another entity inside "
                                       "the window (the model declared too long a lookahead)");
            }
        }
    }

    /// Removes and returns the earliest event of a min-heap ordered by Later.
    static EventT pop_earliest(std::vector<EventT>& heap) {
        std::pop_heap(heap.begin(), heap.end(), Later{});
        EventT e = heap.back();
        heap.pop_back();
        return e;
    }

    /// Runs one event on the calling thread: nothing else runs meanwhile, so what leaves the
    /// window goes straight into the queue. Those that stay in the window go to `local`.
    template <class Model>
    void execute_serially(Model& model, const EventT& event, std::vector<EventT>& local) {
        execute(model, event, emitted_, local, [this](const EventT& e) { queue_.push(e); });
    }

    /// Sorts the events of one tick, window_[first, last), by key. A large batch (the day's
    /// reviews, and the orders that reach suppliers one tick later: a few hundred events, the
    /// orders in buyer order) is counting-sorted by the part of the key that usually decides,
    /// phase and target: linear, without the comparisons a sort mispredicts half the time.
    /// Events that tie on it (one supplier's orders) are then put in key order among
    /// themselves. The order is key order either way.
    void sort_tick(std::size_t first, std::size_t last) {
        const std::size_t n = last - first;
        const auto begin = window_.begin() + static_cast<std::ptrdiff_t>(first);
        const auto end = window_.begin() + static_cast<std::ptrdiff_t>(last);
        if (std::is_sorted(begin, end, Earlier{})) return;
        std::uint16_t low = std::numeric_limits<std::uint16_t>::max();
        std::uint16_t high = 0;
        for (auto it = begin; it != end; ++it) {
            low = std::min(low, it->key.phase);
            high = std::max(high, it->key.phase);
        }
        if (n < 32 || high - low >= 64) {
            std::sort(begin, end, Earlier{});
            return;
        }
        // The phases present (usually one or two: arrivals and reviews, or orders), each given
        // its rank among them, so that buckets exist only for them. (A table, not a popcount:
        // the baseline x86-64 has no popcount instruction, and the library call it becomes
        // cost more than the rest of the bucket arithmetic.)
        std::array<std::uint8_t, 64> rank{};
        for (auto it = begin; it != end; ++it) rank[it->key.phase - low] = 1;
        std::size_t phases = 0;
        for (std::size_t p = 0; p <= std::size_t(high - low); ++p) {
            const bool here = rank[p] != 0;
            rank[p] = static_cast<std::uint8_t>(phases);
            phases += here;
        }
        const std::size_t entities = counters_.size();
        const std::size_t buckets = phases * entities;
        if (buckets > 16 * n + 1024) {
            std::sort(begin, end, Earlier{});
            return;
        }
        const auto bucket = [&](const EventKey& k) {
            return std::size_t{rank[k.phase - low]} * entities + k.target;
        };
        bucket_starts_.assign(buckets + 1, 0);
        for (auto it = begin; it != end; ++it) ++bucket_starts_[bucket(it->key) + 1];
        for (std::size_t b = 0; b < buckets; ++b) bucket_starts_[b + 1] += bucket_starts_[b];
        sorted_.resize(n);
        for (auto it = begin; it != end; ++it) sorted_[bucket_starts_[bucket(it->key)]++] = *it;
        for (std::size_t i = 0; i < n;) {
            std::size_t j = i + 1;
            while (j < n && sorted_[j].key.phase == sorted_[i].key.phase &&
                   sorted_[j].key.target == sorted_[i].key.target) {
                ++j;
            }
            const auto run = sorted_.begin() + static_cast<std::ptrdiff_t>(i);
            const auto run_end = sorted_.begin() + static_cast<std::ptrdiff_t>(j);
            if (j - i > 1 && !std::is_sorted(run, run_end, Earlier{})) {
                std::sort(run, run_end, Earlier{});
            }
            i = j;
        }
        if (n == window_.size()) {
            window_.swap(sorted_); // the whole window (always so on one thread): no copy back
        } else {
            std::copy(sorted_.begin(), sorted_.end(), begin);
        }
    }

    /// The window on the calling thread, in key order.
    template <class Model> std::uint64_t run_window(Model& model) {
        // The queue hands out a window tick by tick, so only each tick's events need sorting, and
        // often they are in order already (a node's clock events are emitted in node order). Many
        // windows on one thread are a tick with a single event (an arrival): nothing to sort.
        for (std::size_t first = 0; window_.size() > 1 && first < window_.size();) {
            std::size_t last = first + 1;
            while (last < window_.size() && window_[last].key.time == window_[first].key.time) {
                ++last;
            }
            sort_tick(first, last);
            first = last;
        }
        std::uint64_t processed = 0;
        next_ = 0;
        local_.clear();
        while (next_ < window_.size() || !local_.empty()) {
            // The window's events by reference, not copied: nothing writes window_ while one
            // runs (and a copy's fields, read back right after its wide stores, stall the
            // processor). One call site, so that the handler is inlined once.
            const EventT* event = nullptr;
            if (!local_.empty() &&
                (next_ == window_.size() || key_less(local_.front().key, window_[next_].key))) {
                popped_ = pop_earliest(local_);
                event = &popped_;
            } else {
                event = &window_[next_++];
            }
            execute_serially(model, *event, local_);
            ++processed;
        }
        window_.clear();
        next_ = 0;
        return processed;
    }

    /// Per-task state of a parallel segment: a contiguous run of entity groups.
    struct Chunk {
        std::size_t first_group = 0, end_group = 0;
        std::vector<EventT> emitted, local, out, carry;
        std::uint64_t processed = 0;
    };

    /// The window in parallel: node events grouped by entity, cut at global events.
    template <class Model>
    std::uint64_t run_parallel_window(Model& model, std::size_t global_events) {
        ++stats_.parallel_windows;
        globals_.clear();
        if (global_events > 0) {
            // Global events out of the window (into a min-heap); node events stay.
            std::size_t kept = 0;
            for (std::size_t i = 0; i < window_.size(); ++i) {
                if (window_[i].key.target == global_entity()) {
                    globals_.push_back(window_[i]);
                } else {
                    window_[kept++] = window_[i];
                }
            }
            window_.resize(kept);
            std::make_heap(globals_.begin(), globals_.end(), Later{});
        }
        std::uint64_t processed = 0;
        for (;;) {
            const std::optional<EventKey> bound =
                globals_.empty() ? std::nullopt : std::optional<EventKey>(globals_.front().key);
            processed += run_segment(model, bound);
            if (!bound) break;
            execute_serially(model, pop_earliest(globals_), globals_);
            ++processed;
        }
        window_.clear();
        next_ = 0;
        return processed;
    }

    /// Runs, for every entity, its events with key < bound (all of them when there is no bound),
    /// in parallel across entities. What is left (events past the bound, and events an entity
    /// scheduled for itself past it) stays in window_ for the next segment.
    template <class Model>
    std::uint64_t run_segment(Model& model, const std::optional<EventKey>& bound) {
        if (window_.empty()) return 0;
        group_by_entity();
        // Chunks of about equal event counts, a few per thread for balance.
        const std::size_t workers = static_cast<std::size_t>(std::max(1, current_concurrency()));
        const std::size_t chunk_count = std::min(groups_.size(), workers * 4);
        if (chunks_.size() < chunk_count) chunks_.resize(chunk_count);
        const std::size_t per_chunk = (window_.size() + chunk_count - 1) / chunk_count;
        std::size_t used = 0;
        for (std::size_t g = 0; g < groups_.size();) {
            Chunk& c = chunks_[used++];
            c.first_group = g;
            std::size_t events = 0;
            do {
                events += groups_[g].end - groups_[g].begin;
                ++g;
            } while (g < groups_.size() && events < per_chunk);
            if (used == chunk_count) g = groups_.size(); // the last chunk takes the rest
            c.end_group = g;
        }
        parallel_for_nested(used, [&](std::size_t k) { run_chunk(model, chunks_[k], bound); });
        // Barrier: commit what left the window, keep what is still inside it.
        std::uint64_t processed = 0;
        carry_.clear();
        for (std::size_t k = 0; k < used; ++k) {
            Chunk& c = chunks_[k];
            processed += c.processed;
            for (const auto& e : c.out) queue_.push(e);
            c.out.clear();
            carry_.insert(carry_.end(), c.carry.begin(), c.carry.end());
            c.carry.clear();
            c.processed = 0;
            for (std::size_t g = c.first_group; g < c.end_group; ++g) {
                const Group& grp = groups_[g];
                carry_.insert(carry_.end(), window_.begin() + static_cast<std::ptrdiff_t>(grp.next),
                              window_.begin() + static_cast<std::ptrdiff_t>(grp.end));
            }
        }
        window_.swap(carry_);
        stats_.parallel_events += processed;
        return processed;
    }

    struct Group {
        std::size_t begin = 0, end = 0, next = 0;
    };

    /// Orders window_ by entity (each entity's events contiguous, not yet in key order: run_chunk
    /// sorts them) and lists the groups. A counting sort when the window is large against the
    /// number of entities (linear, and most of a parallel window's serial work), else a sort.
    void group_by_entity() {
        const std::size_t n = window_.size();
        const std::size_t entities = counters_.size();
        groups_.clear();
        if (n * 8 < entities) {
            std::sort(window_.begin(), window_.end(), ByTarget{});
            for (std::size_t i = 0; i < n;) {
                std::size_t j = i + 1;
                while (j < n && window_[j].key.target == window_[i].key.target) ++j;
                groups_.push_back(Group{i, j, i});
                i = j;
            }
            return;
        }
        slot_.assign(entities + 1, 0);
        for (const auto& e : window_) ++slot_[e.key.target + 1];
        for (std::size_t t = 0; t < entities; ++t) {
            if (slot_[t + 1] != 0) {
                const std::size_t begin = slot_[t];
                groups_.push_back(Group{begin, begin + slot_[t + 1], begin});
            }
            slot_[t + 1] += slot_[t];
        }
        sorted_.resize(n);
        for (const auto& e : window_) sorted_[slot_[e.key.target]++] = e;
        window_.swap(sorted_);
    }

    template <class Model>
    void run_chunk(Model& model, Chunk& c, const std::optional<EventKey>& bound) {
        for (std::size_t g = c.first_group; g < c.end_group; ++g) {
            Group& grp = groups_[g];
            // Each entity's own events into key order (usually a handful), on this task's thread.
            const auto first = window_.begin() + static_cast<std::ptrdiff_t>(grp.next);
            const auto last = window_.begin() + static_cast<std::ptrdiff_t>(grp.end);
            if (!std::is_sorted(first, last, Earlier{})) std::sort(first, last, Earlier{});
            c.local.clear();
            for (;;) {
                const bool from_local =
                    !c.local.empty() &&
                    (grp.next == grp.end || key_less(c.local.front().key, window_[grp.next].key));
                if (!from_local && grp.next == grp.end) break;
                const EventT& head = from_local ? c.local.front() : window_[grp.next];
                if (bound && !key_less(head.key, *bound)) break;
                const EventT event = from_local ? pop_earliest(c.local) : window_[grp.next++];
                execute(model, event, c.emitted, c.local,
                        [&c](const EventT& e) { c.out.push_back(e); });
                ++c.processed;
            }
            c.carry.insert(c.carry.end(), c.local.begin(), c.local.end());
        }
    }

    TickQueue<Payload> queue_;
    std::vector<std::uint64_t> counters_;
    EntityFingerprints fingerprints_;
    Ticks lookahead_;
    Ticks window_end_{0};
    Ticks now_{0};
    // The current window: its events (sorted by key, or grouped by entity in parallel windows),
    // the next one to run (sequential windows), and events scheduled into it.
    std::vector<EventT> window_, local_, globals_, carry_;
    std::vector<EventT> emitted_; ///< what the event running on the calling thread emits
    std::size_t next_ = 0;
    EventT popped_{}; ///< the event from `local_` that runs on the calling thread
    std::vector<Group> groups_;
    std::vector<std::size_t> slot_; ///< counting sort: per entity, where its next event goes
    std::vector<EventT> sorted_;
    std::vector<std::uint32_t> bucket_starts_; ///< sort_tick: per (phase, target), where it goes
    std::vector<Chunk> chunks_;
    WindowStats stats_;
};

} // namespace chainshock::engine
