#pragma once
/// An event queue for integer time: a two-level timing wheel over a pool of list nodes.
///
/// Time is an integer tick count and a supply-chain model's events cluster on a few ticks of each
/// day, so events are kept in one bucket per tick instead of a heap ordered by the whole key. The
/// near wheel has a bucket for each tick of the current page (4,096 ticks, about 2.8 days); the far
/// wheel has a bucket for each page of the current epoch (4,096 pages, about 32 years); anything
/// later waits in a small heap ordered by time. Bitmaps find the next non-empty bucket 64 at a
/// time.
///
/// A bucket is a singly-linked list (head and tail) of nodes in one pooled array, not a vector of
/// its own: a bucket often holds a single event, and per-bucket buffers cost more to hand around
/// than the event itself. A push takes a node from the free list (the array grows, by doubling,
/// only when more events are pending than ever before) and appends it to its bucket; when the
/// cursor reaches a far page, that page's nodes are relinked into the near wheel without copying
/// the events; taking a tick copies its events out and returns the nodes to the free list. The pool
/// keeps the memory of the most events ever pending at once.
///
/// The queue hands out all events of one tick at once, unordered: the scheduler sorts them by key,
/// so the order in which events were pushed never matters. (Buckets are kept first in, first out
/// all the same: events that were pushed in key order come out in key order, which is cheaper to
/// sort.)

#include "engine/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace chainshock::engine {

template <class Payload> class TickQueue {
public:
    TickQueue() : near_(kSlots), far_(kSlots), near_bits_(kWords, 0), far_bits_(kWords, 0) {}

    /// Adds an event. Precondition: its time is not before the tick last returned by next_time().
    void push(const Event<Payload>& e) {
        const std::int64_t t = e.key.time.value;
        if (t < cursor_) throw std::logic_error("chainshock engine: event pushed into the past");
        ++size_;
        place(e);
    }

    /// An event built in place: a node for the caller to fill in, not queued until
    /// push_staged(). Saves the copy of a freshly built event, which costs more than the rest of a
    /// push (the copy's wide loads wait for the narrow stores that built it to complete).
    Event<Payload>& stage() {
        const std::uint32_t n = allocate();
        staged_.push_back(n);
        return nodes_[n].event;
    }

    /// Queues the events staged since the last call, in staging order, except those for which
    /// `claim(event)` returns true: the caller keeps a copy of those (it is called with every
    /// staged event, first to last). Same precondition as push().
    template <class Claim> void push_staged(Claim&& claim) {
        for (const std::uint32_t n : staged_) {
            const Event<Payload>& e = nodes_[n].event;
            if (claim(e)) {
                release(n);
                continue;
            }
            if (e.key.time.value < cursor_) {
                staged_.clear(); // the run is over; the pool may keep those nodes
                throw std::logic_error("chainshock engine: event pushed into the past");
            }
            ++size_;
            place_node(n);
        }
        staged_.clear();
    }

    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] std::size_t size() const { return size_; }

    /// The earliest tick with a pending event. Precondition: !empty(). The cursor moves there, so
    /// pushes must not be earlier than it from now on.
    Ticks next_time() {
        for (;;) {
            const std::size_t slot = find_from(near_bits_, slot_of(cursor_));
            if (slot != kNone) {
                cursor_ = page_start(cursor_) + static_cast<std::int64_t>(slot);
                return Ticks{cursor_};
            }
            const std::size_t next_page = slot_of(page(cursor_)) + 1;
            const std::size_t far_slot =
                next_page < kSlots ? find_from(far_bits_, next_page) : kNone;
            if (far_slot != kNone) {
                cursor_ = ((epoch(cursor_) << kBits) + static_cast<std::int64_t>(far_slot))
                          << kBits;
                move_far_page(far_slot);
                continue;
            }
            // Nothing left in this epoch: jump to the epoch of the earliest far-future event.
            const std::int64_t e0 = epoch(overflow_.front().key.time.value);
            cursor_ = e0 << (2 * kBits);
            while (!overflow_.empty() && epoch(overflow_.front().key.time.value) == e0) {
                std::pop_heap(overflow_.begin(), overflow_.end(), LaterTime{});
                place(overflow_.back());
                overflow_.pop_back();
            }
        }
    }

    /// Moves every event with a time in [next_time(), limit) into `out` (appended tick by tick in
    /// increasing time; in no particular order within a tick), as far as the end of the cursor's
    /// page, and returns the end of what was taken: min(limit, end of the page). The cursor stays
    /// put, so events may still be pushed at any time from the returned end on. Precondition:
    /// next_time() was just called.
    Ticks take_until(Ticks limit, std::vector<Event<Payload>>& out) {
        const std::int64_t stop = std::min(limit.value, page_start(cursor_) + kSlotCount);
        const auto stop_slot = static_cast<std::size_t>(stop - page_start(cursor_));
        for (std::size_t slot = find_from(near_bits_, slot_of(cursor_)); slot < stop_slot;
             slot = slot + 1 < kSlots ? find_from(near_bits_, slot + 1) : kNone) {
            List& bucket = near_[slot];
            for (std::uint32_t n = bucket.head; n != kNil;) {
                out.push_back(nodes_[n].event);
                const std::uint32_t next = nodes_[n].next;
                release(n);
                n = next;
                --size_;
            }
            bucket = List{};
            clear_bit(near_bits_, slot);
        }
        return Ticks{stop};
    }

    /// Visits every pending event in unspecified order.
    template <class F> void for_each(F&& f) const {
        for (const auto& bucket : near_)
            for (std::uint32_t n = bucket.head; n != kNil; n = nodes_[n].next) f(nodes_[n].event);
        for (const auto& bucket : far_)
            for (std::uint32_t n = bucket.head; n != kNil; n = nodes_[n].next) f(nodes_[n].event);
        for (const auto& e : overflow_) f(e);
    }

private:
    static constexpr int kBits = 12;
    static constexpr std::size_t kSlots = std::size_t{1} << kBits;
    static constexpr std::int64_t kSlotCount = std::int64_t{1} << kBits;
    static constexpr std::size_t kWords = kSlots / 64;
    static constexpr std::size_t kNone = ~std::size_t{0};
    static constexpr std::uint32_t kNil = ~std::uint32_t{0}; ///< no node: the end of a list

    /// A pooled event and the next node of its bucket (or of the free list).
    struct Node {
        Event<Payload> event;
        std::uint32_t next = kNil;
    };
    /// A bucket: its first and last node, kNil when empty.
    struct List {
        std::uint32_t head = kNil;
        std::uint32_t tail = kNil;
    };

    static constexpr std::int64_t page(std::int64_t t) { return t >> kBits; }
    static constexpr std::int64_t epoch(std::int64_t t) { return t >> (2 * kBits); }
    static constexpr std::int64_t page_start(std::int64_t t) { return page(t) << kBits; }
    static constexpr std::size_t slot_of(std::int64_t x) {
        return static_cast<std::size_t>(x) & (kSlots - 1);
    }

    void place(const Event<Payload>& e) {
        if (epoch(e.key.time.value) == epoch(cursor_)) {
            const std::uint32_t n = allocate();
            nodes_[n].event = e;
            place_node(n);
        } else {
            overflow_.push_back(e);
            std::push_heap(overflow_.begin(), overflow_.end(), LaterTime{});
        }
    }

    /// Links node `n` into its bucket, or moves its event to the overflow heap.
    void place_node(std::uint32_t n) {
        const std::int64_t t = nodes_[n].event.key.time.value;
        if (page(t) == page(cursor_)) {
            append(near_, near_bits_, slot_of(t), n);
        } else if (epoch(t) == epoch(cursor_)) {
            append(far_, far_bits_, slot_of(page(t)), n);
        } else {
            overflow_.push_back(nodes_[n].event);
            std::push_heap(overflow_.begin(), overflow_.end(), LaterTime{});
            release(n);
        }
    }

    /// A free node (its event is to be written), from the free list if it has one.
    std::uint32_t allocate() {
        if (free_ != kNil) {
            const std::uint32_t n = free_;
            free_ = nodes_[n].next;
            return n;
        }
        if (nodes_.size() >= kNil) throw std::length_error("chainshock engine: too many events");
        nodes_.emplace_back();
        return static_cast<std::uint32_t>(nodes_.size() - 1);
    }

    /// Returns node `n` to the free list.
    void release(std::uint32_t n) {
        nodes_[n].next = free_;
        free_ = n;
    }

    /// Appends node `n` to the bucket `slot` of a wheel.
    void append(std::vector<List>& wheel, std::vector<std::uint64_t>& bits, std::size_t slot,
                std::uint32_t n) {
        nodes_[n].next = kNil;
        List& bucket = wheel[slot];
        if (bucket.head == kNil) {
            bucket.head = n;
            bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
        } else {
            nodes_[bucket.tail].next = n;
        }
        bucket.tail = n;
    }

    /// Relinks a far page's nodes into the near wheel (the cursor is now on that page), in order.
    void move_far_page(std::size_t far_slot) {
        for (std::uint32_t n = far_[far_slot].head; n != kNil;) {
            const std::uint32_t next = nodes_[n].next;
            append(near_, near_bits_, slot_of(nodes_[n].event.key.time.value), n);
            n = next;
        }
        far_[far_slot] = List{};
        clear_bit(far_bits_, far_slot);
    }

    static void clear_bit(std::vector<std::uint64_t>& bits, std::size_t slot) {
        bits[slot >> 6] &= ~(std::uint64_t{1} << (slot & 63));
    }
    /// The first set bit at or after `from`, or kNone.
    static std::size_t find_from(const std::vector<std::uint64_t>& bits, std::size_t from) {
        std::size_t w = from >> 6;
        std::uint64_t word = bits[w] & (~std::uint64_t{0} << (from & 63));
        while (word == 0) {
            if (++w == kWords) return kNone;
            word = bits[w];
        }
        return (w << 6) + static_cast<std::size_t>(std::countr_zero(word));
    }

    struct LaterTime {
        bool operator()(const Event<Payload>& a, const Event<Payload>& b) const {
            return b.key.time < a.key.time;
        }
    };

    std::vector<Node> nodes_;           ///< the pool: every event in near_ and far_
    std::uint32_t free_ = kNil;         ///< first free node of the pool
    std::vector<std::uint32_t> staged_; ///< nodes built in place, not queued yet
    std::vector<List> near_, far_;      ///< buckets: per tick of the page, per page of the epoch
    std::vector<std::uint64_t> near_bits_, far_bits_; ///< non-empty buckets
    std::vector<Event<Payload>> overflow_;            ///< min-heap by time
    std::int64_t cursor_ = 0;
    std::size_t size_ = 0;
};

} // namespace chainshock::engine
