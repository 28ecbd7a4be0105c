#include "engine/parallel.hpp"
#include "engine/random.hpp"
#include "engine/scheduler.hpp"
#include "engine/windowed_scheduler.hpp"

#include <algorithm>
#include <cstdint>
#include <doctest/doctest.h>
#include <stdexcept>
#include <vector>

using namespace chainshock::engine;

namespace {

// A stress model: entities pass tokens to each other with random delays of at least the lookahead,
// schedule themselves at the same instant in a later phase, and a global entity reads every
// entity's state and writes a shared factor that all of them read. Its state is a function of the
// order in which each entity sees its events, so any departure from that order shows.
struct Tokens {
    std::uint32_t entities = 0;
    std::int64_t lookahead = 1;
    std::vector<std::uint64_t> state;
    std::vector<Rng> rngs;
    std::uint64_t shared = 1;      // written by the global entity only
    std::uint64_t global_seen = 0; // the global entity's own state

    Tokens(std::uint32_t n, std::int64_t look) : entities(n), lookahead(look), state(n, 0) {
        for (std::uint32_t i = 0; i <= n; ++i) rngs.push_back(Rng::stream(11, 0, i, 0));
    }

    void handle(const Event<std::uint64_t>& e, Outbox<std::uint64_t>& out) {
        const EntityId self = out.self();
        Rng& rng = rngs[self];
        if (self == entities) { // global: read everyone, write the shared factor
            std::uint64_t sum = 0;
            for (std::uint64_t s : state) sum += s;
            global_seen = global_seen * 31 + sum;
            shared = (sum % 7) + 1;
            const Ticks next =
                out.now() + Ticks{50 + static_cast<std::int64_t>(rng.next_u64() % 50)};
            out.emit(self, next, 0, 0);
            return;
        }
        state[self] = state[self] * 1'000'003 + e.payload * shared + e.key.phase;
        if (e.key.phase == 0 && rng.uniform01() < 0.3) out.emit(self, out.now(), 2, e.payload + 1);
        if (e.key.phase == 2) return;
        const auto target = static_cast<EntityId>(rng.next_u64() % entities);
        const std::int64_t delay =
            (target == self ? 0 : lookahead) + static_cast<std::int64_t>(rng.next_u64() % 20);
        out.emit(target, out.now() + Ticks{std::max<std::int64_t>(delay, 1)},
                 static_cast<std::uint16_t>(rng.next_u64() % 2), e.payload + 1);
    }
};

// Tokens whose entities declare their own lookahead: every 16th entity passes tokens on after
// at least the base lookahead, the others only after at least 30 ticks more, and the global
// entity acts on nobody else. The windowed engine may then run windows past t + lookahead.
struct DeclaredTokens : Tokens {
    using Tokens::Tokens;
    [[nodiscard]] Ticks declared(EntityId e) const {
        if (e == entities) return Ticks{1'000};
        return Ticks{e % 16 == 0 ? lookahead : lookahead + 30};
    }
    [[nodiscard]] Ticks lookahead_of(const Event<std::uint64_t>& e) const {
        return declared(e.key.target);
    }
    void handle(const Event<std::uint64_t>& e, Outbox<std::uint64_t>& out) {
        const EntityId self = out.self();
        if (self == entities) return Tokens::handle(e, out);
        Rng& rng = rngs[self];
        state[self] = state[self] * 1'000'003 + e.payload * shared + e.key.phase;
        if (e.key.phase == 0 && rng.uniform01() < 0.3) out.emit(self, out.now(), 2, e.payload + 1);
        if (e.key.phase == 2) return;
        const auto target = static_cast<EntityId>(rng.next_u64() % entities);
        const std::int64_t delay = (target == self ? 1 : declared(self).value) +
                                   static_cast<std::int64_t>(rng.next_u64() % 20);
        out.emit(target, out.now() + Ticks{delay}, static_cast<std::uint16_t>(rng.next_u64() % 2),
                 e.payload + 1);
    }
};
// The engine looks for `lookahead(event)`; the reference engine ignores it.
struct Declaring : DeclaredTokens {
    using DeclaredTokens::DeclaredTokens;
    [[nodiscard]] Ticks lookahead(const Event<std::uint64_t>& e) const { return lookahead_of(e); }
};

template <class Scheduler> void seed_tokens(Scheduler& s, std::uint32_t entities) {
    for (std::uint32_t i = 0; i < entities; ++i)
        for (std::uint64_t k = 0; k < 4; ++k)
            s.schedule(i, i, Ticks{static_cast<std::int64_t>(k)}, 0, k);
    s.schedule(entities, entities, Ticks{0}, 0, 0);
}

struct Outcome {
    std::uint64_t events = 0;
    std::uint64_t fingerprint = 0;
    std::vector<std::uint64_t> state;
    std::uint64_t global_seen = 0;
    std::uint64_t parallel_events = 0;
    std::uint64_t windows = 0;
    bool operator==(const Outcome& o) const {
        return events == o.events && fingerprint == o.fingerprint && state == o.state &&
               global_seen == o.global_seen;
    }
};

template <class Model = Tokens> Outcome reference(std::uint32_t entities, std::int64_t lookahead) {
    Model model(entities, lookahead);
    SequentialScheduler<std::uint64_t> s(entities);
    seed_tokens(s, entities);
    Outcome o;
    o.events = s.run_until(model, Ticks{3000});
    o.fingerprint = s.fingerprint().value();
    o.state = model.state;
    o.global_seen = model.global_seen;
    return o;
}

template <class Model = Tokens>
Outcome windowed(std::uint32_t entities, std::int64_t lookahead, int threads) {
    Model model(entities, lookahead);
    WindowedScheduler<std::uint64_t> s(entities, Ticks{lookahead});
    seed_tokens(s, entities);
    Outcome o;
    WindowOptions options;
    options.parallel = threads > 1;
    options.min_parallel_events = 2;
    parallel_for_index(1, threads,
                       [&](std::size_t) { o.events = s.run_until(model, Ticks{3000}, options); });
    o.fingerprint = s.fingerprint().value();
    o.state = model.state;
    o.global_seen = model.global_seen;
    o.parallel_events = s.stats().parallel_events;
    o.windows = s.stats().windows;
    return o;
}

} // namespace

TEST_CASE("the windowed engine matches the sequential reference on 1, 2, 4 and 8 threads") {
    for (std::int64_t lookahead : {1, 7}) {
        INFO("lookahead " << lookahead);
        const Outcome expected = reference(64, lookahead);
        CHECK(expected.events > 10'000);
        for (int threads : {1, 2, 4, 8}) {
            INFO("threads " << threads);
            const Outcome got = windowed(64, lookahead, threads);
            CHECK(got == expected);
            if (threads > 1) CHECK(got.parallel_events > got.events / 2);
        }
    }
}

TEST_CASE("windows past the lookahead, from each event's declared one, change no result") {
    const Outcome expected = reference<DeclaredTokens>(64, 1);
    CHECK(expected.events > 10'000);
    // The same model without declaring its lookahead: one-tick windows.
    const Outcome one_tick = windowed<DeclaredTokens>(64, 1, 2);
    CHECK(one_tick == expected);
    for (int threads : {1, 2, 4, 8}) {
        INFO("threads " << threads);
        const Outcome got = windowed<Declaring>(64, 1, threads);
        CHECK(got == expected);
        // On several threads the declared lookahead makes windows longer, so fewer of them.
        if (threads > 1) {
            CHECK(got.windows * 2 < one_tick.windows);
            CHECK(got.parallel_events > 0);
        }
    }
}

TEST_CASE("a declared lookahead longer than the model keeps to is an error, not a wrong result") {
    struct Overstated {
        void handle(const Event<int>& e, Outbox<int>& out) {
            if (e.payload == 0) out.emit(1, out.now() + Ticks{2}, 0, 1);
        }
        [[nodiscard]] Ticks lookahead(const Event<int>&) const { return Ticks{10}; }
    } model;
    WindowedScheduler<int> s(3, Ticks{1});
    s.schedule(0, 0, Ticks{0}, 0, 0);
    s.schedule(1, 1, Ticks{1}, 0, 1); // entity 1 runs at t = 1, before the token reaches it
    s.schedule(2, 2, Ticks{0}, 0, 1);
    WindowOptions options;
    options.parallel = true;
    options.min_parallel_events = 2;
    CHECK_THROWS_AS(s.run_until(model, Ticks{100}, options), std::logic_error);
}

TEST_CASE("the windowed engine holds models to the lookahead") {
    struct TooSoon {
        void handle(const Event<int>& e, Outbox<int>& out) {
            if (e.payload == 0) out.emit(out.self() + 1, out.now() + Ticks{2}, 0, 1);
        }
    } model;
    WindowedScheduler<int> s(3, Ticks{5});
    s.schedule(0, 0, Ticks{0}, 0, 0);
    CHECK_THROWS_AS(s.run_until(model, Ticks{100}), std::logic_error);
}

TEST_CASE("a global event sees the events still pending in its window") {
    // Node 0's event at (t=10, phase 3) is pending when the global event at (10, 1) runs.
    struct Count {
        WindowedScheduler<int>* s = nullptr;
        std::size_t pending_at_global = 0;
        void handle(const Event<int>& e, Outbox<int>&) {
            if (e.key.target == s->global_entity()) {
                s->pending().for_each([&](const Event<int>&) { ++pending_at_global; });
            }
        }
    } model;
    WindowedScheduler<int> s(2);
    model.s = &s;
    s.schedule(0, 0, Ticks{10}, 3, 0);
    s.schedule(1, 1, Ticks{10}, 0, 0);
    s.schedule(2, 2, Ticks{10}, 1, 0);
    s.schedule(1, 1, Ticks{20}, 0, 0);
    WindowOptions options;
    options.parallel = true;
    options.min_parallel_events = 1;
    CHECK(s.run_until(model, Ticks{15}, options) == 3);
    CHECK(model.pending_at_global == 2); // (10, 3) on node 0 and (20, 0) on node 1
}

TEST_CASE("many events at one tick run in key order, however they were queued") {
    // Hundreds of events at one tick, queued in a scrambled order, with ties on phase and
    // target that only the origin and its counter break: the sequential window sorts them by
    // counting (phases close together, with gaps or without) or by comparison (phases far
    // apart).
    struct Log {
        std::vector<EventKey> keys;
        void handle(const Event<int>& e, Outbox<int>&) { keys.push_back(e.key); }
    };
    for (const std::uint16_t phase_step :
         {std::uint16_t{1}, std::uint16_t{20}, std::uint16_t{20000}}) {
        WindowedScheduler<int> s(40);
        Rng rng(7);
        for (int i = 0; i < 600; ++i) {
            const auto origin = static_cast<EntityId>(rng.next_u64() % 40);
            const auto target = static_cast<EntityId>(rng.next_u64() % 40);
            const auto phase = static_cast<std::uint16_t>(rng.next_u64() % 3 * phase_step);
            s.schedule(origin, target, Ticks{5}, phase, i);
        }
        Log log;
        CHECK(s.run_until(log, Ticks{10}) == 600);
        REQUIRE(log.keys.size() == 600);
        for (std::size_t i = 1; i < log.keys.size(); ++i) {
            CHECK(key_less(log.keys[i - 1], log.keys[i]));
        }
    }
}
