/// `chainshock-bench-phold`: the PHOLD micro-benchmark of the engines, side by side: the
/// binary-heap reference (engine::SequentialScheduler), the timing-wheel windowed engine on one
/// thread (engine::WindowedScheduler), and the windowed engine with parallel windows on T threads.
///
/// N logical processes (LPs) each start with `population` events. Handling an event schedules one
/// new event: with probability `remote` (0.9) on a uniformly drawn other LP, else on itself, at
/// now + lookahead (0.1) + Exp(1) time units. One time unit is 1,000 ticks, so the lookahead is 100
/// ticks. The event population, and so the queue length, stays N x population. The handler does
/// almost nothing (a few random draws), so events/s measures the engine: queue push/pop, the
/// Outbox, the fingerprint. The payload is either a small struct (8 bytes) or models::Payload, the
/// one the supply-chain model uses (32 bytes), to show what the event size costs.

#include "engine/parallel.hpp"
#include "engine/random.hpp"
#include "engine/scheduler.hpp"
#include "engine/windowed_scheduler.hpp"
#include "models/replication.hpp"
#include "tools/bench/bench_support.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace po = boost::program_options;
namespace bench = chainshock::tools::bench;
namespace engine = chainshock::engine;

namespace {

constexpr std::int64_t kTicksPerUnit = 1000;

/// A trivial payload: how many times the event has hopped, and where it started.
struct SmallPayload {
    std::uint32_t hops = 0;
    std::uint32_t first_lp = 0;
};

void touch(SmallPayload& p) { ++p.hops; }
void touch(chainshock::models::Payload& p) { ++p.qty; }

enum class Engine { Heap, Wheel, Parallel };

const char* engine_name(Engine e) {
    switch (e) {
    case Engine::Heap:
        return "heap";
    case Engine::Wheel:
        return "wheel";
    case Engine::Parallel:
        return "wheel, parallel";
    }
    return "";
}

struct Params {
    Engine engine = Engine::Heap;
    int threads = 1; ///< Engine::Parallel
    std::uint64_t lps = 1000;
    std::uint64_t population = 1;
    std::uint64_t events = 10'000'000;
    double remote = 0.9;
    std::int64_t lookahead_ticks = 100;
    std::uint64_t seed = 1;
};

/// The PHOLD model: per-LP random streams and nothing else.
template <class Payload> class Phold {
public:
    explicit Phold(const Params& p) : params_(p) {
        rngs_.reserve(p.lps);
        for (std::uint64_t lp = 0; lp < p.lps; ++lp)
            rngs_.push_back(engine::Rng::stream(p.seed, 0, lp, 0));
    }

    void handle(const engine::Event<Payload>& event, engine::Outbox<Payload>& out) {
        const engine::EntityId self = out.self();
        engine::Rng& rng = rngs_[self];
        engine::EntityId target = self;
        if (rng.uniform01() < params_.remote) {
            const auto k = static_cast<engine::EntityId>(rng.next_u64() % (params_.lps - 1));
            target = k >= self ? k + 1 : k;
        }
        Payload next = event.payload;
        touch(next);
        out.emit(target, out.now() + delay(rng), 0, next);
    }

    /// lookahead + Exp(1) units, in ticks.
    engine::Ticks delay(engine::Rng& rng) const {
        return engine::Ticks{params_.lookahead_ticks +
                             std::llround(rng.exponential(double(kTicksPerUnit)))};
    }

    engine::Rng& rng(std::uint64_t lp) { return rngs_[lp]; }

private:
    Params params_;
    std::vector<engine::Rng> rngs_;
};

struct Result {
    std::uint64_t events = 0;
    double seconds = 0.0;     ///< wall
    double cpu_seconds = 0.0; ///< this thread's CPU time
    std::string fingerprint;
};

/// One PHOLD run: initial events, an untimed warm-up of a tenth of the events, then the timed part.
template <class Payload, class Scheduler> Result run_phold(const Params& p, Scheduler& scheduler) {
    Phold<Payload> model(p);
    for (std::uint64_t lp = 0; lp < p.lps; ++lp) {
        for (std::uint64_t j = 0; j < p.population; ++j) {
            const auto id = static_cast<engine::EntityId>(lp);
            scheduler.schedule(id, id, model.delay(model.rng(lp)), 0, Payload{});
        }
    }
    // Events per tick in the steady state: N x population / mean delay.
    const double mean_delay = double(p.lookahead_ticks + kTicksPerUnit);
    const double span = double(p.events) * mean_delay / double(p.lps * p.population);
    const engine::Ticks warm_end{std::llround(span / 10)};
    const engine::Ticks end{warm_end.value + std::llround(span)};
    Result r;
    if constexpr (std::is_same_v<Scheduler, engine::SequentialScheduler<Payload>>) {
        (void)scheduler.run_until(model, warm_end);
        const double cpu_start = bench::thread_cpu_seconds();
        const auto start = std::chrono::steady_clock::now();
        r.events = scheduler.run_until(model, end);
        r.seconds = bench::seconds_since(start);
        r.cpu_seconds = bench::thread_cpu_seconds() - cpu_start;
    } else {
        engine::WindowOptions windows;
        windows.parallel = p.engine == Engine::Parallel;
        // In the arena of the chosen size (parallel windows use the caller's arena).
        engine::parallel_for_index(1, p.threads, [&](std::size_t) {
            (void)scheduler.run_until(model, warm_end, windows);
            const double cpu_start = bench::thread_cpu_seconds();
            const auto start = std::chrono::steady_clock::now();
            r.events = scheduler.run_until(model, end, windows);
            r.seconds = bench::seconds_since(start);
            r.cpu_seconds = bench::thread_cpu_seconds() - cpu_start;
        });
        // Parallel: the other threads' CPU time is not this thread's; report wall time.
        if (p.engine == Engine::Parallel) r.cpu_seconds = r.seconds;
    }
    r.fingerprint = scheduler.fingerprint().hex();
    return r;
}

template <class Payload> Result run_phold(const Params& p) {
    const auto lps = static_cast<engine::EntityId>(p.lps);
    if (p.engine == Engine::Heap) {
        engine::SequentialScheduler<Payload> scheduler(lps);
        return run_phold<Payload>(p, scheduler);
    }
    engine::WindowedScheduler<Payload> scheduler(lps, engine::Ticks{p.lookahead_ticks});
    return run_phold<Payload>(p, scheduler);
}

template <class Payload>
void bench_row(const Params& p, std::uint64_t repeats, const char* payload_name,
               double& baseline_ns, std::string& heap_fingerprint) {
    double best_wall = std::numeric_limits<double>::infinity();
    double best_cpu = std::numeric_limits<double>::infinity();
    std::uint64_t events = 0;
    bool same = true;
    std::string first;
    for (std::uint64_t k = 0; k < repeats; ++k) {
        const Result r = run_phold<Payload>(p);
        if (k == 0) first = r.fingerprint;
        same = same && r.fingerprint == first;
        events = r.events; // the same in every repeat: the runs are identical
        best_wall = std::min(best_wall, r.seconds);
        best_cpu = std::min(best_cpu, r.cpu_seconds);
    }
    const double e = double(events);
    const double ns = best_cpu * 1e9 / e;
    if (baseline_ns == 0.0) baseline_ns = ns;
    // Every engine commits the same events in the same per-LP order: the same fingerprint.
    if (p.engine == Engine::Heap) heap_fingerprint = first;
    const bool as_heap = heap_fingerprint.empty() || first == heap_fingerprint;
    std::string engine = engine_name(p.engine);
    if (p.engine == Engine::Parallel) engine += " x" + std::to_string(p.threads);
    std::printf("| %s | %llu | %llu | %s (%zu B) | %zu B | %.1f | %.2f | %.2f | %.1f | %.2fx | %s "
                "|\n",
                engine.c_str(), static_cast<unsigned long long>(p.lps),
                static_cast<unsigned long long>(p.population), payload_name, sizeof(Payload),
                sizeof(engine::Event<Payload>), e / 1e6, e / best_wall / 1e6, e / best_cpu / 1e6,
                ns, ns / baseline_ns,
                !same     ? "DIFFERENT over repeats"
                : as_heap ? "same"
                          : "DIFFERENT from heap");
    std::fflush(stdout);
}

po::options_description phold_options() {
    po::options_description o("Options");
    o.add_options()("help,h", "show this help and exit")(
        "lps", po::value<std::string>()->default_value("200,1000,2000,16000")->value_name("LIST"),
        "logical-process counts to run")(
        "population", po::value<std::string>()->default_value("1")->value_name("LIST"),
        "events per LP, e.g. 1,4")(
        "events", po::value<std::uint64_t>()->default_value(10'000'000)->value_name("E"),
        "events per timed run (approximately: the run ends at the time this many are expected)")(
        "repeats,k", po::value<std::uint64_t>()->default_value(3)->value_name("K"),
        "runs per configuration; the fastest is reported")(
        "engines",
        po::value<std::string>()->default_value("heap,wheel,parallel")->value_name("LIST"),
        "engines to compare: heap, wheel, parallel (the first is the cost baseline)")(
        "threads", po::value<int>()->default_value(2)->value_name("T"),
        "threads of the parallel engine")(
        "payload", po::value<std::string>()->default_value("small")->value_name("small|model|both"),
        "event payload: an 8-byte struct, models::Payload, or both")(
        "remote", po::value<double>()->default_value(0.9)->value_name("P"),
        "probability that an event goes to another LP")(
        "seed", po::value<std::uint64_t>()->default_value(1)->value_name("S"), "random seed");
    return o;
}

int run_benchmark(const po::variables_map& v) {
    Params base;
    base.events = v["events"].as<std::uint64_t>();
    base.remote = v["remote"].as<double>();
    base.seed = v["seed"].as<std::uint64_t>();
    const std::uint64_t repeats = std::max<std::uint64_t>(1, v["repeats"].as<std::uint64_t>());
    const std::string payload = v["payload"].as<std::string>();
    if (payload != "small" && payload != "model" && payload != "both")
        throw std::invalid_argument("--payload: expected small, model or both");
    if (base.remote < 0.0 || base.remote > 1.0 || base.events == 0)
        throw std::invalid_argument("--remote must be in [0, 1] and --events >= 1");
    const auto lps = bench::parse_counts(v["lps"].as<std::string>(), "lps");
    base.threads = v["threads"].as<int>();
    std::vector<Engine> engines;
    {
        std::istringstream list(v["engines"].as<std::string>());
        std::string name;
        while (std::getline(list, name, ',')) {
            if (name == "heap") {
                engines.push_back(Engine::Heap);
            } else if (name == "wheel") {
                engines.push_back(Engine::Wheel);
            } else if (name == "parallel") {
                engines.push_back(Engine::Parallel);
            } else {
                throw std::invalid_argument("--engines: expected heap, wheel or parallel, not '" +
                                            name + "'");
            }
        }
        if (engines.empty()) throw std::invalid_argument("--engines: name at least one");
    }
    if (*std::min_element(lps.begin(), lps.end()) < 2)
        throw std::invalid_argument("--lps: at least 2 LPs");
    std::printf(
        "PHOLD: remote %.2f, lookahead 0.1 + Exp(1) units (1 unit = %lld ticks; the windowed "
        "engine's window is the lookahead), ~%llu events per run after a 10%% warm-up, best of "
        "%llu\n(M events/s: by wall time, and by this thread's CPU time (wall time for the "
        "parallel engine); ns/event and cost from the latter)\n\n| engine | LPs | events/LP | "
        "payload | event | M events | M events/s wall | M events/s CPU | ns/event | cost vs first "
        "row | fingerprint |\n|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n",
        base.remote, static_cast<long long>(kTicksPerUnit),
        static_cast<unsigned long long>(base.events), static_cast<unsigned long long>(repeats));
    double baseline_small = 0.0, baseline_model = 0.0;
    for (const std::uint64_t pop :
         bench::parse_counts(v["population"].as<std::string>(), "population")) {
        for (const std::uint64_t n : lps) {
            std::string heap_small, heap_model;
            for (const Engine engine : engines) {
                Params p = base;
                p.engine = engine;
                p.lps = n;
                p.population = pop;
                if (payload != "model")
                    bench_row<SmallPayload>(p, repeats, "small", baseline_small, heap_small);
                if (payload != "small")
                    bench_row<chainshock::models::Payload>(p, repeats, "models::Payload",
                                                           baseline_model, heap_model);
            }
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const po::options_description options = phold_options();
    try {
        po::variables_map values;
        po::store(po::parse_command_line(argc, argv, options), values);
        po::notify(values);
        if (values.count("help")) {
            std::cout << "Usage: chainshock-bench-phold [options]\n\n" << options << '\n';
            return 0;
        }
        return run_benchmark(values);
    } catch (const po::error& e) {
        std::cerr << "chainshock-bench-phold: " << e.what() << '\n';
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "chainshock-bench-phold: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "chainshock-bench-phold: internal error: " << e.what() << '\n';
        return 1;
    }
}
