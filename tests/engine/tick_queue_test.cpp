#include "engine/random.hpp"
#include "engine/tick_queue.hpp"

#include <algorithm>
#include <cstdint>
#include <doctest/doctest.h>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

using namespace chainshock::engine;

namespace {

Event<int> at(std::int64_t t, std::uint64_t id) {
    return Event<int>{EventKey{Ticks{t}, 0, 0, 0, id}, static_cast<int>(id)};
}

} // namespace

TEST_CASE("the tick queue hands out every event once, tick by tick, across pages and epochs") {
    TickQueue<int> q;
    Rng rng = Rng::stream(3, 0, 0, 0);
    std::vector<std::int64_t> times;
    // Near (same page), far (same epoch) and beyond the epoch (2^24 ticks).
    for (int i = 0; i < 3000; ++i) {
        const std::int64_t t = i % 3 == 0 ? static_cast<std::int64_t>(rng.next_u64() % 4096)
                               : i % 3 == 1
                                   ? static_cast<std::int64_t>(rng.next_u64() % 3'000'000)
                                   : static_cast<std::int64_t>(rng.next_u64() % 60'000'000);
        times.push_back(t);
        q.push(Event<int>{EventKey{Ticks{t}, 0, 0, 0, static_cast<std::uint64_t>(i)}, i});
    }
    std::sort(times.begin(), times.end());
    std::vector<std::int64_t> seen;
    std::vector<Event<int>> out;
    while (!q.empty()) {
        const Ticks t = q.next_time();
        out.clear();
        const Ticks stop = q.take_until(t + kOneTick, out);
        CHECK(stop == t + kOneTick);
        REQUIRE(!out.empty());
        for (const auto& e : out) {
            CHECK(e.key.time == t);
            seen.push_back(e.key.time.value);
        }
        // Pushing at the next tick or later is allowed; before the cursor it is not.
        if (t.value > 0) {
            CHECK_THROWS_AS(q.push(Event<int>{EventKey{t - kOneTick, 0, 0, 0, 0}, 0}),
                            std::logic_error);
        }
    }
    CHECK(seen == times);
}

TEST_CASE("take_until stops at the end of the cursor's page and leaves later events queued") {
    TickQueue<int> q;
    for (std::int64_t t : {4090, 4094, 4096, 4100}) {
        q.push(Event<int>{EventKey{Ticks{t}, 0, 0, 0, static_cast<std::uint64_t>(t)}, 0});
    }
    CHECK(q.next_time() == Ticks{4090});
    std::vector<Event<int>> out;
    CHECK(q.take_until(Ticks{5000}, out) == Ticks{4096}); // the page ends at 4096
    CHECK(out.size() == 2);
    CHECK(q.size() == 2);
    CHECK(q.next_time() == Ticks{4096});
}

TEST_CASE("take_window stops at the least horizon of the events it took") {
    TickQueue<int> q;
    // payload = the event's own horizon distance
    for (auto [t, h] : {std::pair{10, 50}, {12, 8}, {15, 100}, {19, 1}, {20, 1}, {70, 1}}) {
        q.push(at(t, std::uint64_t(h)));
    }
    CHECK(q.next_time() == Ticks{10});
    std::vector<Event<int>> out;
    const auto horizon = [](const Event<int>& e) { return e.key.time.value + e.payload; };
    // 10 -> horizon 60; 12 -> 20; 15 -> still 20; 19 -> 20; 20 is not before 20.
    CHECK(q.take_window(Ticks{1000}, out, horizon) == Ticks{20});
    CHECK(out.size() == 4);
    CHECK(q.next_time() == Ticks{20});
    out.clear();
    // The limit still applies, and a horizon past it changes nothing.
    CHECK(q.take_window(Ticks{21}, out, horizon) == Ticks{21});
    CHECK(out.size() == 1);
    CHECK(q.size() == 1);
}

TEST_CASE("take_until appends to what `out` holds already") {
    TickQueue<int> q;
    q.push(at(7, 1));
    std::vector<Event<int>> out{at(0, 0)};
    CHECK(q.next_time() == Ticks{7});
    CHECK(q.take_until(Ticks{8}, out) == Ticks{8});
    REQUIRE(out.size() == 2);
    CHECK(out[0].payload == 0);
    CHECK(out[1].payload == 1);
    CHECK(q.empty());
}

TEST_CASE("events of one tick come out in push order, also after moving from the far wheel") {
    TickQueue<int> q;
    // Tick 9000 is on the next page (far wheel) when pushed; tick 100 is on the current one. More
    // events per tick than a block of the pool holds, so buckets span several blocks.
    for (std::uint64_t id = 0; id < 20; ++id) q.push(at(9000, id));
    for (std::uint64_t id = 100; id < 119; ++id) q.push(at(100, id));
    std::vector<Event<int>> out;
    CHECK(q.next_time() == Ticks{100});
    q.take_until(Ticks{101}, out);
    CHECK(q.next_time() == Ticks{9000}); // the far page moves to the near wheel
    for (std::uint64_t id = 20; id < 31; ++id) q.push(at(9000, id)); // straight into the near wheel
    CHECK(q.size() == 31);
    q.take_until(Ticks{9001}, out);
    CHECK(q.empty());
    std::vector<int> ids, expected;
    for (const auto& e : out) ids.push_back(e.payload);
    for (int id = 100; id < 119; ++id) expected.push_back(id);
    for (int id = 0; id < 31; ++id) expected.push_back(id);
    CHECK(ids == expected);
}

// Pushes and takes interleaved at random, against a plain ordered map of what is pending: every
// event comes out exactly once, intact (its payload matches its key, so a slot handed out twice or
// overwritten while still queued shows), at the right time and in time order; size() and
// for_each() agree with the map throughout. Times cover the near wheel, the far wheel and the
// overflow heap (which keeps no order within a tick), and the block pool is reused many times over.
TEST_CASE("the tick queue matches a reference under random pushes and takes") {
    using Entry = std::pair<std::int64_t, std::uint64_t>; // time, id
    TickQueue<int> q;
    Rng rng = Rng::stream(5, 0, 0, 0);
    std::multimap<std::int64_t, std::uint64_t> pending;
    std::uint64_t next_id = 0;
    std::int64_t cursor = 0;
    std::uint64_t taken = 0;
    std::vector<Event<int>> out;
    for (int round = 0; round < 3000; ++round) {
        const auto pushes = rng.next_u64() % 8;
        for (std::uint64_t k = 0; k < pushes; ++k) {
            const std::uint64_t r = rng.next_u64() % 100;
            // Mostly this page, often a later page, sometimes beyond the epoch; 1 in 10 at the
            // cursor's own tick (an entity scheduling itself at the same instant).
            const std::uint64_t span = r < 10 ? 1 : r < 70 ? 300 : r < 95 ? 50'000 : 40'000'000;
            const std::int64_t t = cursor + static_cast<std::int64_t>(rng.next_u64() % span);
            q.push(at(t, next_id));
            pending.emplace(t, next_id++);
        }
        REQUIRE(q.size() == pending.size());
        if (pending.empty()) continue;
        const Ticks t = q.next_time();
        REQUIRE(t.value == pending.begin()->first);
        cursor = t.value;
        const Ticks limit = t + Ticks{1 + static_cast<std::int64_t>(rng.next_u64() % 200)};
        out.clear();
        const Ticks stop = q.take_until(limit, out);
        REQUIRE(stop <= limit);
        REQUIRE(stop > t);
        const auto end = pending.lower_bound(stop.value);
        std::vector<Entry> expected(pending.begin(), end);
        std::vector<Entry> got;
        for (const auto& e : out) {
            CHECK(e.payload == static_cast<int>(e.key.seq));
            if (!got.empty()) CHECK(got.back().first <= e.key.time.value);
            got.emplace_back(e.key.time.value, e.key.seq);
        }
        std::sort(got.begin(), got.end());
        std::sort(expected.begin(), expected.end());
        CHECK(got == expected);
        pending.erase(pending.begin(), end);
        taken += out.size();
        if (round % 100 == 0) {
            std::vector<Entry> visited;
            q.for_each(
                [&](const Event<int>& e) { visited.emplace_back(e.key.time.value, e.key.seq); });
            std::vector<Entry> all(pending.begin(), pending.end());
            std::sort(visited.begin(), visited.end());
            std::sort(all.begin(), all.end());
            CHECK(visited == all);
        }
    }
    CHECK(taken > 5000);
}

TEST_CASE("events pushed after a take land in the near wheel, the far wheel or the overflow") {
    TickQueue<int> q;
    q.push(at(10, 0));
    CHECK(q.next_time() == Ticks{10});
    std::vector<Event<int>> out;
    q.take_until(Ticks{11}, out);
    // Near page, far page and beyond the epoch, pushed once the cursor has moved.
    for (const auto& [t, id] :
         {std::pair<std::int64_t, std::uint64_t>{20, 1}, {9000, 2}, {50'000'000, 3}}) {
        q.push(at(t, id));
    }
    CHECK(q.size() == 3);
    std::size_t visited = 0;
    q.for_each([&](const Event<int>&) { ++visited; });
    CHECK(visited == 3);
    std::vector<std::int64_t> times;
    while (!q.empty()) {
        const Ticks t = q.next_time();
        out.clear();
        q.take_until(t + kOneTick, out);
        for (const auto& e : out) {
            CHECK(e.payload == static_cast<int>(e.key.seq)); // events arrive intact
            times.push_back(e.key.time.value);
        }
    }
    CHECK(times == std::vector<std::int64_t>{20, 9000, 50'000'000});
    // The cursor is now at 50,000,000: earlier ticks are refused.
    CHECK_THROWS_AS(q.push(at(49'999'999, 5)), std::logic_error);
}
