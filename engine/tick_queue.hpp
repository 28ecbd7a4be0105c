#pragma once
/// An event queue for integer time: a two-level timing wheel.
///
/// Time is an integer tick count and a supply-chain model's events cluster on a few ticks of each
/// day, so events are kept in one bucket per tick instead of a heap ordered by the whole key. The
/// near wheel has a bucket for each tick of the current page (4,096 ticks, about 2.8 days); the far
/// wheel has a bucket for each page of the current epoch (4,096 pages, about 32 years); anything
/// later waits in a small heap ordered by time. A push is an append to a bucket; a page's events
/// move once from the far wheel to the near one when the cursor reaches that page. Bitmaps find the
/// next non-empty bucket 64 at a time.
///
/// The queue hands out all events of one tick at once, unordered: the scheduler sorts them by key,
/// so the order in which events were pushed never matters.

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
                // Move that page's events to the near wheel.
                cursor_ = ((epoch(cursor_) << kBits) + static_cast<std::int64_t>(far_slot))
                          << kBits;
                std::vector<Event<Payload>>& bucket = far_[far_slot];
                for (const auto& e : bucket) place(e);
                recycle(bucket);
                clear_bit(far_bits_, far_slot);
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
    /// page, and returns the end of what was
    /// taken: min(limit, end of the page). The cursor stays put, so events may still be pushed at
    /// any time from the returned end on. Precondition: next_time() was just called.
    Ticks take_until(Ticks limit, std::vector<Event<Payload>>& out) {
        const std::int64_t stop = std::min(limit.value, page_start(cursor_) + kSlotCount);
        for (std::size_t slot = find_from(near_bits_, slot_of(cursor_));
             slot != kNone && page_start(cursor_) + static_cast<std::int64_t>(slot) < stop;
             slot = slot + 1 < kSlots ? find_from(near_bits_, slot + 1) : kNone) {
            std::vector<Event<Payload>>& bucket = near_[slot];
            size_ -= bucket.size();
            if (out.empty()) {
                out.swap(bucket); // no copy; the bucket now holds out's spare buffer
            } else {
                out.insert(out.end(), bucket.begin(), bucket.end());
            }
            recycle(bucket);
            clear_bit(near_bits_, slot);
        }
        return Ticks{stop};
    }

    /// Visits every pending event in unspecified order.
    template <class F> void for_each(F&& f) const {
        for (const auto& bucket : near_)
            for (const auto& e : bucket) f(e);
        for (const auto& bucket : far_)
            for (const auto& e : bucket) f(e);
        for (const auto& e : overflow_) f(e);
    }

private:
    static constexpr int kBits = 12;
    static constexpr std::size_t kSlots = std::size_t{1} << kBits;
    static constexpr std::int64_t kSlotCount = std::int64_t{1} << kBits;
    static constexpr std::size_t kWords = kSlots / 64;
    static constexpr std::size_t kNone = ~std::size_t{0};
    static constexpr std::size_t kSmall = 256; ///< events: larger buffers are "large"
    static constexpr std::size_t kMaxSpare = 128;
    static constexpr std::size_t kMaxSpareBig = 4;

    static constexpr std::int64_t page(std::int64_t t) { return t >> kBits; }
    static constexpr std::int64_t epoch(std::int64_t t) { return t >> (2 * kBits); }
    static constexpr std::int64_t page_start(std::int64_t t) { return page(t) << kBits; }
    static constexpr std::size_t slot_of(std::int64_t x) {
        return static_cast<std::size_t>(x) & (kSlots - 1);
    }

    void place(const Event<Payload>& e) {
        const std::int64_t t = e.key.time.value;
        if (page(t) == page(cursor_)) {
            add(near_, near_bits_, slot_of(t), e);
        } else if (epoch(t) == epoch(cursor_)) {
            add(far_, far_bits_, slot_of(page(t)), e);
        } else {
            overflow_.push_back(e);
            std::push_heap(overflow_.begin(), overflow_.end(), LaterTime{});
        }
    }

    void add(std::vector<std::vector<Event<Payload>>>& wheel, std::vector<std::uint64_t>& bits,
             std::size_t slot, const Event<Payload>& e) {
        std::vector<Event<Payload>>& bucket = wheel[slot];
        if (bucket.capacity() == 0 && !spare_.empty()) {
            bucket.swap(spare_.back());
            spare_.pop_back();
        } else if (bucket.size() == bucket.capacity() && bucket.size() >= kSmall &&
                   !spare_big_.empty()) {
            // A busy bucket: move it into a large buffer instead of growing it step by step.
            std::vector<Event<Payload>>& big = spare_big_.back();
            if (big.capacity() > bucket.size()) {
                big.assign(bucket.begin(), bucket.end());
                bucket.swap(big);
                big.clear();
                std::vector<Event<Payload>> small;
                small.swap(big);
                spare_big_.pop_back();
                recycle(small);
            }
        }
        bucket.push_back(e);
        bits[slot >> 6] |= std::uint64_t{1} << (slot & 63);
    }

    /// Empties a bucket and keeps its buffer for a bucket that fills later, so that pushes rarely
    /// allocate and only buckets with events hold memory. Small and large buffers are kept apart
    /// (and few of the large ones): a slot that once held a busy instant, or a far page, would
    /// otherwise keep that much memory for every few events it holds later.
    void recycle(std::vector<Event<Payload>>& bucket) {
        bucket.clear();
        const bool big = bucket.capacity() > kSmall;
        auto& pool = big ? spare_big_ : spare_;
        if (bucket.capacity() > 0 && pool.size() < (big ? kMaxSpareBig : kMaxSpare)) {
            pool.emplace_back();
            pool.back().swap(bucket);
        } else {
            std::vector<Event<Payload>>().swap(bucket);
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

    std::vector<std::vector<Event<Payload>>> near_, far_;
    std::vector<std::uint64_t> near_bits_, far_bits_;
    std::vector<Event<Payload>> overflow_;               ///< min-heap by time
    std::vector<std::vector<Event<Payload>>> spare_;     ///< small buffers of emptied buckets
    std::vector<std::vector<Event<Payload>>> spare_big_; ///< and large ones
    std::int64_t cursor_ = 0;
    std::size_t size_ = 0;
};

} // namespace chainshock::engine
