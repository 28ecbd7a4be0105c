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
/// A bucket is a singly-linked list (head, tail, fill of the tail) of blocks of kBlockEvents
/// events, taken from one pooled array, not a vector of its own: a bucket often holds a single
/// event, and per-bucket buffers cost more to hand around than the event itself (and allocate as
/// windows come and go). A push appends to its bucket's tail block, taking a block from the free
/// list when that one is full (the pool grows, by doubling, only when more blocks are in use than
/// ever before); taking a tick copies its blocks' events out and returns the blocks. Blocks rather
/// than one node per event: a list of single events scattered over a pool of millions walks from
/// cache miss to cache miss (each load waits for the one before it), while a block is read
/// straight through. When the cursor reaches a far page, that page's events are copied into the
/// near wheel's buckets. The pool keeps the memory of the most blocks ever in use at once.
///
/// The queue hands out all events of one tick at once, unordered: the scheduler sorts them by key,
/// so the order in which events were pushed never matters. (Buckets are kept first in, first out
/// all the same: events that were pushed in key order come out in key order, which is cheaper to
/// sort.)

#include "engine/event_queue.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
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

    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] std::size_t size() const { return size_; }
    /// Memory one pending event takes in a full block of the pool (the event and its share of
    /// the block's link).
    static constexpr std::size_t bytes_per_event() { return sizeof(Block) / kBlockEvents; }

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
        return take_window(limit, out, [](const Event<Payload>&) { return kNoHorizon; });
    }

    /// The same, with a limit that each event taken may lower: `horizon(e)` (a tick count) is
    /// the earliest time at which e may have effects that must not be in the window. Ticks are
    /// taken in order while they are before every horizon seen so far and `limit`; the returned
    /// end is the least of those, and of the end of the page.
    template <class Horizon>
    Ticks take_window(Ticks limit, std::vector<Event<Payload>>& out, Horizon&& horizon) {
        const std::int64_t page_first = page_start(cursor_);
        std::int64_t stop = std::min(limit.value, page_first + kSlotCount);
        for (std::size_t slot = find_from(near_bits_, slot_of(cursor_));
             slot != kNone && page_first + static_cast<std::int64_t>(slot) < stop;
             slot = slot + 1 < kSlots ? find_from(near_bits_, slot + 1) : kNone) {
            List& bucket = near_[slot];
            for (std::uint32_t n = bucket.head; n != kNil;) {
                const Block& block = blocks_[n];
                const std::uint32_t count = n == bucket.tail ? bucket.tail_count : kBlockEvents;
                for (std::uint32_t i = 0; i < count; ++i) {
                    stop = std::min<std::int64_t>(stop, horizon(block.events[i]));
                }
                out.insert(out.end(), block.events.begin(), block.events.begin() + count);
                size_ -= count;
                const std::uint32_t next = block.next;
                release(n);
                n = next;
            }
            bucket = List{};
            clear_bit(near_bits_, slot);
        }
        return Ticks{stop};
    }

    /// A horizon beyond any time: an event that never limits a window.
    static constexpr std::int64_t kNoHorizon = std::numeric_limits<std::int64_t>::max();

    /// Visits every pending event in unspecified order.
    template <class F> void for_each(F&& f) const {
        const auto visit = [&](const List& bucket) {
            for (std::uint32_t n = bucket.head; n != kNil; n = blocks_[n].next) {
                const std::uint32_t count = n == bucket.tail ? bucket.tail_count : kBlockEvents;
                for (std::uint32_t i = 0; i < count; ++i) f(blocks_[n].events[i]);
            }
        };
        for (const auto& bucket : near_) visit(bucket);
        for (const auto& bucket : far_) visit(bucket);
        for (const auto& e : overflow_) f(e);
    }

private:
    static constexpr int kBits = 12;
    static constexpr std::size_t kSlots = std::size_t{1} << kBits;
    static constexpr std::int64_t kSlotCount = std::int64_t{1} << kBits;
    static constexpr std::size_t kWords = kSlots / 64;
    static constexpr std::size_t kNone = ~std::size_t{0};
    static constexpr std::uint32_t kNil = ~std::uint32_t{0}; ///< no node: the end of a list

    static constexpr std::uint32_t kBlockEvents = 8;

    /// A pooled block of one bucket's events, and the next block of the bucket.
    struct Block {
        std::array<Event<Payload>, kBlockEvents> events{};
        std::uint32_t next = kNil;
    };
    /// A bucket: its first and last block (kNil when empty) and the events in the last one.
    struct List {
        std::uint32_t head = kNil;
        std::uint32_t tail = kNil;
        std::uint32_t tail_count = 0;
    };

    static constexpr std::int64_t page(std::int64_t t) { return t >> kBits; }
    static constexpr std::int64_t epoch(std::int64_t t) { return t >> (2 * kBits); }
    static constexpr std::int64_t page_start(std::int64_t t) { return page(t) << kBits; }
    static constexpr std::size_t slot_of(std::int64_t x) {
        return static_cast<std::size_t>(x) & (kSlots - 1);
    }

    /// Appends `e` to its bucket (near or far wheel), or to the overflow heap.
    void place(const Event<Payload>& e) {
        const std::int64_t t = e.key.time.value;
        if (page(t) == page(cursor_)) {
            append(near_, near_bits_, slot_of(t), e);
        } else if (epoch(t) == epoch(cursor_)) {
            append(far_, far_bits_, slot_of(page(t)), e);
        } else {
            overflow_.push_back(e);
            std::push_heap(overflow_.begin(), overflow_.end(), LaterTime{});
        }
    }

    /// An empty block, from the free list if it has one.
    std::uint32_t allocate() {
        if (!free_.empty()) {
            const std::uint32_t n = free_.back();
            free_.pop_back();
            blocks_[n].next = kNil;
            return n;
        }
        if (blocks_.size() >= kNil) throw std::length_error("chainshock engine: too many events");
        blocks_.emplace_back();
        return static_cast<std::uint32_t>(blocks_.size() - 1);
    }

    /// Returns block `n` to the free list.
    void release(std::uint32_t n) { free_.push_back(n); }

    /// Appends `e` to the bucket `slot` of a wheel.
    void append(std::vector<List>& wheel, std::vector<std::uint64_t>& bits, std::size_t slot,
                const Event<Payload>& e) {
        List& bucket = wheel[slot];
        if (bucket.head == kNil) {
            const std::uint32_t n = allocate();
            bucket.head = n;
            bucket.tail = n;
            bucket.tail_count = 0;
            bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
        } else if (bucket.tail_count == kBlockEvents) {
            const std::uint32_t n = allocate();
            blocks_[bucket.tail].next = n;
            bucket.tail = n;
            bucket.tail_count = 0;
        }
        blocks_[bucket.tail].events[bucket.tail_count++] = e;
    }

    /// Moves a far page's events into the near wheel (the cursor is now on that page), in order.
    void move_far_page(std::size_t far_slot) {
        const List page_list = far_[far_slot];
        far_[far_slot] = List{};
        clear_bit(far_bits_, far_slot);
        for (std::uint32_t n = page_list.head; n != kNil;) {
            const std::uint32_t count = n == page_list.tail ? page_list.tail_count : kBlockEvents;
            // By index: appending may grow the pool, which moves the blocks.
            for (std::uint32_t i = 0; i < count; ++i) {
                const Event<Payload> e = blocks_[n].events[i];
                append(near_, near_bits_, slot_of(e.key.time.value), e);
            }
            const std::uint32_t next = blocks_[n].next;
            release(n);
            n = next;
        }
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

    std::vector<Block> blocks_;       ///< the pool: every event in near_ and far_
    std::vector<std::uint32_t> free_; ///< blocks of the pool not in use
    std::vector<List> near_, far_;    ///< buckets: per tick of the page, per page of the epoch
    std::vector<std::uint64_t> near_bits_, far_bits_; ///< non-empty buckets
    std::vector<Event<Payload>> overflow_;            ///< min-heap by time
    std::int64_t cursor_ = 0;
    std::size_t size_ = 0;
};

} // namespace chainshock::engine
