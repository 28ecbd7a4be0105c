#include "engine/scheduler.hpp"
#include "engine/windowed_scheduler.hpp"

#include <doctest/doctest.h>
#include <stdexcept>
#include <string>
#include <vector>

using namespace chainshock::engine;

namespace {

// A ring of entities passing a token: each hop is an event on the next entity one tick later.
struct Ring {
    EntityId size = 4;
    std::vector<std::string> log;
    int hops = 0;

    void handle(const Event<int>& e, Outbox<int>& out) {
        log.push_back(std::to_string(e.key.time.value) + ":" + std::to_string(e.key.target));
        if (++hops < 8) out.emit((e.key.target + 1) % size, out.now() + Ticks{1}, 0, e.payload);
    }
};

struct SameInstant {
    std::vector<int> seen;
    void handle(const Event<int>& e, Outbox<int>& out) {
        seen.push_back(e.payload);
        if (e.payload == 0) {
            out.emit(out.self(), out.now(), 5, 2); // later phase, same instant: allowed
            out.emit(out.self(), out.now(), 1, 1);
        }
    }
};

struct Cheater {
    bool same_time_remote = true;
    void handle(const Event<int>&, Outbox<int>& out) {
        if (same_time_remote) {
            out.emit(out.self() + 1, out.now(), 9, 0);
        } else {
            out.emit(out.self(), out.now(), 0, 0);
        }
    }
};

// Emits a hop, then changes it through the payload that emit returned: the event that runs
// must carry the change.
struct Amend {
    std::vector<int> seen;
    void handle(const Event<int>& e, Outbox<int>& out) {
        seen.push_back(e.payload);
        if (e.payload < 100) out.emit(1 - e.key.target, out.now() + Ticks{1}, 0, e.payload) += 10;
    }
};

} // namespace

TEST_CASE("a payload may be changed through what emit returns, on either engine") {
    SequentialScheduler<int> heap(2);
    Amend a;
    heap.schedule(0, 0, Ticks{0}, 0, 1);
    heap.run_until(a, Ticks{100});
    CHECK(a.seen == std::vector<int>{1, 11, 21, 31, 41, 51, 61, 71, 81, 91, 101});
    WindowedScheduler<int> wheel(2);
    Amend b;
    wheel.schedule(0, 0, Ticks{0}, 0, 1);
    wheel.run_until(b, Ticks{100});
    CHECK(b.seen == a.seen);
}

TEST_CASE("the sequential scheduler runs events in key order until the end time") {
    SequentialScheduler<int> s(4);
    Ring ring;
    s.schedule(0, 0, Ticks{0}, 0, 0);
    CHECK(s.run_until(ring, Ticks{5}) == 5); // events at t = 0..4
    CHECK(ring.log.front() == "0:0");
    CHECK(ring.log.back() == "4:0");
    CHECK(s.pending().size() == 1);
    CHECK(s.run_until(ring, Ticks{100}) == 3);
    CHECK(ring.log.back() == "7:3");
}

TEST_CASE("events at one instant run in phase order") {
    SequentialScheduler<int> s(1);
    SameInstant model;
    s.schedule(0, 0, Ticks{3}, 0, 0);
    s.run_until(model, Ticks{10});
    CHECK(model.seen == std::vector<int>{0, 1, 2});
}

TEST_CASE("cross-entity events need lookahead; none may go back in time") {
    SequentialScheduler<int> s(2);
    Cheater remote;
    s.schedule(0, 0, Ticks{1}, 5, 0);
    CHECK_THROWS_AS(s.run_until(remote, Ticks{10}), std::logic_error);

    SequentialScheduler<int> s2(2);
    Cheater early{false};
    s2.schedule(0, 0, Ticks{1}, 5, 0);
    CHECK_THROWS_AS(s2.run_until(early, Ticks{10}), std::logic_error);
}

TEST_CASE("the fingerprint follows the committed event sequence") {
    const auto fingerprint = [](Ticks start) {
        SequentialScheduler<int> s(4);
        Ring ring;
        s.schedule(0, 0, start, 0, 0);
        s.run_until(ring, Ticks{100});
        return s.fingerprint().value();
    };
    CHECK(fingerprint(Ticks{0}) == fingerprint(Ticks{0}));
    CHECK(fingerprint(Ticks{0}) != fingerprint(Ticks{1}));
}

TEST_CASE("the global entity follows the model entities") {
    SequentialScheduler<int> s(7);
    CHECK(s.global_entity() == 7);
}
