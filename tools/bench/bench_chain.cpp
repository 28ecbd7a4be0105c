/// `chainshock-bench-chain SCENARIO...`: one replication of a large network, sequential and with
/// parallel windows, side by side. For each scenario (e.g. synthetic chains of 200 to 100,000
/// nodes from chainshock-gen) it runs one replication with the sequential engine and with parallel
/// windows on each thread count of --threads-list, interleaved, K times, and reports the best wall
/// time: events per second, seconds per simulated year, the speed-up over sequential, the share of
/// events that ran in parallel windows, and that every run has the same fingerprint. Memory: the
/// resident set of the loaded network per node, what a replication adds at its peak per node, and
/// the engine queue's longest length (events in flight). See docs/performance.md.

#include "engine/tick_queue.hpp"
#include "models/io/scenario_loader.hpp"
#include "models/replication.hpp"
#include "models/scenario_error.hpp"
#include "models/simulation.hpp"
#include "tools/bench/bench_support.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace po = boost::program_options;
namespace bench = chainshock::tools::bench;
namespace models = chainshock::models;

namespace {

struct Settings {
    std::vector<std::string> scenarios;
    std::uint64_t repeats = 3;
    std::uint64_t seed = 1;
    std::vector<std::uint64_t> threads{2};
    std::size_t min_parallel_events = 2048;
};

/// One engine configuration: sequential (threads 0 here) or parallel windows on T threads.
struct Config {
    std::uint64_t threads = 0;
    double best_s = std::numeric_limits<double>::infinity();
    models::ReplicationResult last;
    std::vector<std::string> fingerprints;
};

po::options_description bench_options() {
    po::options_description o("Options");
    o.add_options()("help,h", "show this help and exit")(
        "repeats,k", po::value<std::uint64_t>()->default_value(3)->value_name("K"),
        "timed runs per scenario and engine; the best is reported")(
        "threads-list", po::value<std::string>()->default_value("2")->value_name("LIST"),
        "thread counts for parallel windows, e.g. 2,4,8,16 (sequential always runs first)")(
        "min-parallel-events", po::value<std::size_t>()->default_value(2048)->value_name("E"),
        "windows with fewer node events run on one thread")(
        "seed", po::value<std::uint64_t>()->default_value(1)->value_name("S"), "seed");
    return o;
}

models::RunOptions options_for(const Settings& s, const Config& c) {
    models::RunOptions o;
    o.seed = s.seed;
    o.replications = 1;
    o.series_replications = 0;
    o.threads = c.threads == 0 ? 1 : static_cast<int>(c.threads);
    o.engine = c.threads == 0 ? models::EngineMode::Sequential : models::EngineMode::Parallel;
    o.min_parallel_events = s.min_parallel_events;
    return o;
}

double mib(std::int64_t kib) { return static_cast<double>(kib) / 1024.0; }

void bench_scenario(const std::string& path, const Settings& s) {
    bench::release_free_memory();
    const auto start = std::chrono::steady_clock::now();
    const models::Network network(models::io::load_scenario_file(path));
    const double load_s = bench::seconds_since(start);
    bench::release_free_memory();
    const auto loaded = bench::resident_memory();
    const double nodes = static_cast<double>(network.node_count());
    const double years = static_cast<double>(network.spec().horizon_days) / 365.0;
    std::printf("scenario: %s (%s): %zu nodes, %zu routes, %lld days; loaded in %.1f s\n\n",
                path.c_str(), network.spec().name.c_str(), network.node_count(),
                network.route_count(), static_cast<long long>(network.spec().horizon_days), load_s);

    std::vector<Config> configs(1);
    for (const std::uint64_t t : s.threads) {
        configs.emplace_back();
        configs.back().threads = t;
    }
    // Memory: the first (sequential) run's peak over the loaded network.
    const bool reset = bench::reset_peak_rss();
    for (std::uint64_t k = 0; k < s.repeats; ++k) {
        for (Config& c : configs) {
            const auto t0 = std::chrono::steady_clock::now();
            models::RunResult r = models::run_scenario(network, options_for(s, c));
            c.best_s = std::min(c.best_s, bench::seconds_since(t0));
            c.fingerprints.push_back(r.fingerprint);
            c.last = std::move(r.runs.front());
        }
    }
    const auto peak = bench::resident_memory();

    const Config& seq = configs.front();
    const double events = static_cast<double>(seq.last.events);
    std::printf("| engine | best wall s | s per simulated year | M events/s | speed-up | events in "
                "parallel windows |\n|---|---:|---:|---:|---:|---:|\n");
    bool same = true;
    for (const Config& c : configs) {
        for (const std::string& f : c.fingerprints) same = same && f == seq.fingerprints.front();
        const std::string name =
            c.threads == 0 ? "sequential" : "parallel x" + std::to_string(c.threads);
        std::printf("| %s | %.2f | %.2f | %.2f | %.2fx | %.0f%% |\n", name.c_str(), c.best_s,
                    c.best_s / years, events / c.best_s / 1e6, seq.best_s / c.best_s,
                    100.0 * static_cast<double>(c.last.parallel_events) / events);
    }
    std::printf("\nfingerprint: %s across engines and repeats (%s); %.0f events\n",
                same ? "identical" : "DIFFERENT", seq.fingerprints.front().c_str(), events);
    const double queued = static_cast<double>(seq.last.peak_queued_events);
    std::printf("events in flight: at most %.0f queued (%.1f per node), %zu bytes each in the "
                "queue's pool\n",
                queued, queued / nodes,
                chainshock::engine::TickQueue<models::Payload>::bytes_per_event());
    if (loaded && peak) {
        const std::int64_t run_kib =
            std::max<std::int64_t>(0, (reset ? peak->peak_kib : peak->rss_kib) - loaded->rss_kib);
        std::printf("memory: loaded network %.1f MiB (%.1f KiB per node); a replication adds "
                    "%.1f MiB at its peak (%.2f KiB per node)%s\n",
                    mib(loaded->rss_kib), static_cast<double>(loaded->rss_kib) / nodes,
                    mib(run_kib), static_cast<double>(run_kib) / nodes,
                    reset ? "" : " (peak not resettable: an upper bound)");
    }
    std::printf("\n");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    po::options_description options = bench_options();
    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("scenario", -1);
    try {
        po::variables_map v;
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), v);
        po::notify(v);
        if (v.count("help") || v.count("scenario") == 0) {
            std::cout << "Usage: chainshock-bench-chain SCENARIO... [options]\n\n"
                      << options << '\n';
            return v.count("help") ? 0 : 2;
        }
        Settings s;
        s.scenarios = v["scenario"].as<std::vector<std::string>>();
        s.repeats = std::max<std::uint64_t>(1, v["repeats"].as<std::uint64_t>());
        s.seed = v["seed"].as<std::uint64_t>();
        s.threads = bench::parse_counts(v["threads-list"].as<std::string>(), "threads-list");
        s.min_parallel_events = v["min-parallel-events"].as<std::size_t>();
        std::printf("chainshock-bench-chain: one replication per run, best of %llu\n\n",
                    static_cast<unsigned long long>(s.repeats));
        for (const std::string& path : s.scenarios) bench_scenario(path, s);
        return 0;
    } catch (const po::error& e) {
        std::cerr << "chainshock-bench-chain: " << e.what() << '\n';
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "chainshock-bench-chain: " << e.what() << '\n';
        return 2;
    } catch (const chainshock::models::ScenarioError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "chainshock-bench-chain: internal error: " << e.what() << '\n';
        return 1;
    }
}
