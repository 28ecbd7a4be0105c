// "No heap allocation per event" (issue 6), checked by counting: this executable replaces the
// global operator new with one that counts, runs the engine and the model, and compares the
// allocations made while events run with the number of events. Buffers that grow to a steady
// size (the queue's buckets, a window, a node's backlog) allocate a few times and then reuse their
// memory, so the count per event must fall towards zero as a run gets longer.
#include "engine/parallel.hpp"
#include "engine/random.hpp"
#include "engine/windowed_scheduler.hpp"
#include "models/io/scenario_loader.hpp"
#include "models/io/scenario_overrides.hpp"
#include "models/network.hpp"
#include "models/simulation.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

namespace {
std::atomic<std::uint64_t> g_allocations{0};
} // namespace

// The replaceable allocation functions; the array and nothrow forms call these by default.
void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t align) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(align);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
    throw std::bad_alloc();
}
// (GCC sees new paired with free here and warns; these functions are that pair.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace fs = std::filesystem;
using namespace chainshock;

namespace {

std::uint64_t allocations() { return g_allocations.load(std::memory_order_relaxed); }

/// PHOLD: every event sends one event to a random entity (9 in 10 to another one) at now +
/// lookahead + an exponential delay, so the queue always holds `lps` events spread over time.
struct Phold {
    std::uint32_t lps;
    std::vector<engine::Rng> rngs;
    explicit Phold(std::uint32_t n) : lps(n) {
        for (std::uint32_t i = 0; i < n; ++i) rngs.push_back(engine::Rng::stream(5, 0, i, 0));
    }
    void handle(const engine::Event<std::uint64_t>& e, engine::Outbox<std::uint64_t>& out) {
        engine::Rng& rng = rngs[out.self()];
        const auto other = static_cast<engine::EntityId>(rng.next_u64() % lps);
        const engine::EntityId to = rng.uniform01() < 0.9 ? other : out.self();
        const auto delay = 100 + static_cast<std::int64_t>(rng.exponential(1000.0));
        out.emit(to, out.now() + engine::Ticks{delay}, 0, e.payload + 1);
    }
};

struct Counted {
    std::uint64_t events = 0;
    std::uint64_t allocations = 0;
};

/// Runs PHOLD to `warm_end` (buffers reach their working size), then to `end`, counting the
/// allocations of the second part.
Counted run_phold(std::uint32_t lps, bool parallel, std::int64_t warm_end, std::int64_t end) {
    Phold model(lps);
    engine::WindowedScheduler<std::uint64_t> scheduler(lps, engine::Ticks{100});
    for (std::uint32_t lp = 0; lp < lps; ++lp)
        scheduler.schedule(lp, lp, engine::Ticks{static_cast<std::int64_t>(lp % 1000)}, 0, 0);
    engine::WindowOptions options;
    options.parallel = parallel;
    options.min_parallel_events = 2;
    Counted c;
    engine::parallel_for_index(1, parallel ? 2 : 1, [&](std::size_t) {
        (void)scheduler.run_until(model, engine::Ticks{warm_end}, options);
        const std::uint64_t before = allocations();
        c.events = scheduler.run_until(model, engine::Ticks{end}, options);
        c.allocations = allocations() - before;
    });
    return c;
}

Counted run_scenario_counted(const char* name, int horizon_days) {
    const std::vector<models::io::ScenarioOverride> horizon{
        models::io::parse_override("horizon_days=" + std::to_string(horizon_days))};
    const models::Network network(models::io::load_scenario_file(
        fs::path(CHAINSHOCK_SOURCE_DIR) / "scenarios" / name, horizon));
    models::RunOptions options;
    options.seed = network.spec().seed;
    options.replications = 1;
    options.series_replications = 0;
    options.threads = 1;
    options.engine = models::EngineMode::Sequential;
    const std::uint64_t before = allocations();
    const models::RunResult result = models::run_scenario(network, options);
    Counted c;
    c.allocations = allocations() - before;
    c.events = result.runs[0].events;
    return c;
}

} // namespace

TEST_CASE("the counting allocator sees allocations") {
    const std::uint64_t before = allocations();
    const auto* p = new std::uint64_t(1); // NOLINT: the point is to allocate
    CHECK(allocations() == before + 1);
    delete p;
}

TEST_CASE("the windowed engine runs without allocating once its buffers have grown") {
    for (const bool parallel : {false, true}) {
        INFO("parallel windows: " << parallel);
        // 2,000 entities for about 2,000 time units: some 3.6 M events after the warm-up.
        const Counted c = run_phold(2000, parallel, 200'000, 2'000'000);
        REQUIRE(c.events > 3'000'000);
        // A handful of buffers growing past an earlier peak; nothing per event or per window.
        CHECK(c.allocations * 100'000 < c.events);
    }
}

TEST_CASE("a replication's allocations do not grow with the events it runs") {
    // The same scenario over one and over two years: the second year adds as many events again,
    // and what it allocates (growing a backlog or a queue bucket past its earlier peak) is rare.
    for (const char* name : {"lithium_north_america.yaml", "drill_graphite_ban.yaml"}) {
        INFO(std::string(name));
        const Counted one = run_scenario_counted(name, 365);
        const Counted two = run_scenario_counted(name, 730);
        REQUIRE(two.events > one.events + one.events / 4);
        const std::uint64_t more_events = two.events - one.events;
        const std::uint64_t more_allocations =
            two.allocations > one.allocations ? two.allocations - one.allocations : 0;
        INFO("events " << one.events << " -> " << two.events << ", allocations " << one.allocations
                       << " -> " << two.allocations);
        CHECK(more_allocations * 100 < more_events);
    }
}
