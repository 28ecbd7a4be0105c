#include "engine/event_key.hpp"
#include "engine/event_queue.hpp"

#include <doctest/doctest.h>
#include <vector>

using namespace chainshock::engine;

TEST_CASE("EventKey orders by time, then phase, target, origin, sequence") {
    const EventKey base{Ticks{10}, 2, 5, 1, 7};
    CHECK(base < EventKey{Ticks{11}, 0, 0, 0, 0});
    CHECK(base < EventKey{Ticks{10}, 3, 0, 0, 0});
    CHECK(EventKey{Ticks{10}, 2, 4, 9, 9} < base);
    CHECK(EventKey{Ticks{10}, 2, 5, 0, 99} < base);
    CHECK(EventKey{Ticks{10}, 2, 5, 1, 6} < base);
    CHECK(base == EventKey{Ticks{10}, 2, 5, 1, 7});
}

TEST_CASE("the queue pops in key order whatever the push order") {
    EventQueue<int> q;
    const std::vector<EventKey> keys = {{Ticks{5}, 1, 0, 0, 0}, {Ticks{1}, 9, 0, 0, 0},
                                        {Ticks{5}, 0, 3, 0, 0}, {Ticks{5}, 0, 2, 1, 1},
                                        {Ticks{5}, 0, 2, 1, 0}, {Ticks{0}, 0, 0, 0, 0}};
    int payload = 0;
    for (const auto& k : keys) q.push({k, payload++});
    CHECK(q.size() == keys.size());
    std::vector<int> order;
    EventKey last{Ticks{-1}, 0, 0, 0, 0};
    while (!q.empty()) {
        const auto e = q.pop();
        CHECK(last < e.key);
        last = e.key;
        order.push_back(e.payload);
    }
    CHECK(order == std::vector<int>{5, 1, 4, 3, 2, 0});
}

TEST_CASE("for_each visits every pending event") {
    EventQueue<int> q;
    for (int i = 0; i < 10; ++i) q.push({EventKey{Ticks{i}, 0, 0, 0, std::uint64_t(i)}, i});
    int sum = 0;
    q.for_each([&](const Event<int>& e) { sum += e.payload; });
    CHECK(sum == 45);
}
