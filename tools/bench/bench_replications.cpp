/// `chainshock-bench-reps SCENARIO...`: replication throughput. Runs R replications of each
/// scenario with each thread count of --threads-list (default 1,2), all interleaved in one
/// process, K times, and reports the best time per (scenario, thread count): seconds per
/// replication (wall and CPU), replications/s, speed-up over the first thread count, events/s, and
/// that the run fingerprints are identical. With several scenarios it also compares their cost
/// per event. Then it measures memory per replication in fresh child processes (--single): the
/// peak resident set while replications run, minus the resident set once the scenario is loaded
/// and compiled. See docs/performance.md.

#include "engine/parallel.hpp"
#include "models/io/scenario_loader.hpp"
#include "models/model.hpp"
#include "models/scenario_error.hpp"
#include "models/simulation.hpp"
#include "tools/bench/bench_support.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace po = boost::program_options;
namespace bench = chainshock::tools::bench;
namespace models = chainshock::models;

namespace {

struct Settings {
    std::vector<std::string> scenarios;
    std::uint64_t replications = 8;
    std::uint64_t repeats = 3;
    std::uint64_t seed = 1;
    std::vector<std::uint64_t> threads{1, 2};
    bool memory = true;
    bool single = false;
    std::uint64_t concurrent = 1;
};

/// The best of K timed runs of one scenario at one thread count.
struct Timing {
    std::uint64_t threads = 0;
    double best_s = std::numeric_limits<double>::infinity();
    double best_cpu_s = std::numeric_limits<double>::infinity(); ///< process CPU, all threads
    std::uint64_t events = 0;
    std::vector<std::string> fingerprints; ///< one per repeat
};

/// One scenario under test.
struct Subject {
    std::string path;
    std::unique_ptr<const models::Network> network;
    double load_s = 0.0;
    std::vector<Timing> timings; ///< one per thread count, in --threads-list order
};

po::options_description bench_options() {
    po::options_description o("Options");
    o.add_options()("help,h", "show this help and exit")(
        "replications,r", po::value<std::uint64_t>()->default_value(8)->value_name("R"),
        "replications per timed run")(
        "repeats,k", po::value<std::uint64_t>()->default_value(3)->value_name("K"),
        "timed runs per scenario and thread count; the best is reported")(
        "threads-list", po::value<std::string>()->default_value("1,2")->value_name("LIST"),
        "thread counts to compare, e.g. 1,2,4,8,16; the first is the speed-up baseline")(
        "seed", po::value<std::uint64_t>()->default_value(1)->value_name("S"),
        "base seed")("memory", po::value<std::string>()->default_value("on")->value_name("on|off"),
                     "measure memory per replication in child processes")(
        "single", "child mode: run --concurrent replications of the first scenario once and print "
                  "memory figures")("concurrent",
                                    po::value<std::uint64_t>()->default_value(1)->value_name("T"),
                                    "with --single: replications run at once, on T threads");
    return o;
}

Settings read_settings(const po::variables_map& v) {
    Settings s;
    s.scenarios = v["scenario"].as<std::vector<std::string>>();
    s.replications = v["replications"].as<std::uint64_t>();
    s.repeats = v["repeats"].as<std::uint64_t>();
    s.seed = v["seed"].as<std::uint64_t>();
    s.threads = bench::parse_counts(v["threads-list"].as<std::string>(), "threads-list");
    const std::string memory = v["memory"].as<std::string>();
    if (memory != "on" && memory != "off")
        throw std::invalid_argument("--memory: expected on or off, got '" + memory + "'");
    s.memory = memory == "on";
    s.single = v.count("single") > 0;
    s.concurrent = v["concurrent"].as<std::uint64_t>();
    if (s.replications == 0 || s.repeats == 0 || s.concurrent == 0)
        throw std::invalid_argument("--replications, --repeats and --concurrent must be >= 1");
    return s;
}

models::RunOptions run_options(std::uint64_t seed, std::uint64_t replications,
                               std::uint64_t threads) {
    models::RunOptions options;
    options.seed = seed;
    options.replications = replications;
    options.series_replications = 0;
    options.threads = static_cast<int>(threads);
    return options;
}

Subject load(const std::string& path, const Settings& s) {
    Subject subject;
    subject.path = path;
    const auto start = std::chrono::steady_clock::now();
    subject.network = std::make_unique<const models::Network>(models::io::load_scenario_file(path));
    subject.load_s = bench::seconds_since(start);
    for (const std::uint64_t t : s.threads) {
        Timing timing;
        timing.threads = t;
        subject.timings.push_back(timing);
    }
    return subject;
}

void time_once(const models::Network& network, const Settings& s, Timing& timing) {
    const double cpu_start = bench::process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    const models::RunResult result =
        models::run_scenario(network, run_options(s.seed, s.replications, timing.threads));
    timing.best_s = std::min(timing.best_s, bench::seconds_since(start));
    timing.best_cpu_s = std::min(timing.best_cpu_s, bench::process_cpu_seconds() - cpu_start);
    timing.events = 0;
    for (const auto& run : result.runs) timing.events += run.events;
    timing.fingerprints.push_back(result.fingerprint);
}

/// Every (scenario, thread count) once per repeat, interleaved, so that a slow spell of a shared
/// machine hits all of them alike; the best of the repeats is kept.
void time_all(std::vector<Subject>& subjects, const Settings& s) {
    // Untimed warm-up: page in code and let the allocator reach its working size.
    for (const Subject& subject : subjects)
        (void)models::run_scenario(*subject.network, run_options(s.seed, 1, 1));
    for (std::uint64_t k = 0; k < s.repeats; ++k)
        for (Subject& subject : subjects)
            for (Timing& timing : subject.timings) time_once(*subject.network, s, timing);
}

void print_header(const Subject& subject) {
    const models::Network& n = *subject.network;
    std::printf("scenario: %s (%s): %zu nodes, %zu routes, %lld days; loaded in %.3f s\n\n",
                subject.path.c_str(), n.spec().name.c_str(), n.node_count(), n.route_count(),
                static_cast<long long>(n.spec().horizon_days), subject.load_s);
}

/// Prints one scenario's table; returns whether all its runs had the same fingerprint.
bool report(const Subject& subject, const Settings& s) {
    print_header(subject);
    const double r = static_cast<double>(s.replications);
    const std::vector<Timing>& timings = subject.timings;
    std::printf("| threads | best wall s | wall s/replication | CPU s/replication | "
                "replications/s | speed-up | events/replication | M events/s | "
                "M events/CPU-s |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const Timing& t : timings) {
        const double events = static_cast<double>(t.events);
        std::printf("| %llu | %.3f | %.4f | %.4f | %.2f | %.2fx | %.0f | %.2f | %.2f |\n",
                    static_cast<unsigned long long>(t.threads), t.best_s, t.best_s / r,
                    t.best_cpu_s / r, r / t.best_s, timings.front().best_s / t.best_s, events / r,
                    events / t.best_s / 1e6, events / t.best_cpu_s / 1e6);
    }
    const std::string& reference = timings.front().fingerprints.front();
    bool same = true;
    for (const Timing& t : timings)
        for (const std::string& f : t.fingerprints) same = same && f == reference;
    std::printf("fingerprint: %s across thread counts and repeats (%s)\n\n",
                same ? "identical" : "DIFFERENT", reference.c_str());
    return same;
}

/// With several scenarios: CPU time per event at the first thread count, relative to the first.
void compare_cost_per_event(const std::vector<Subject>& subjects, const Settings& s) {
    std::printf("cost per event at %llu thread(s), from CPU time:\n\n| scenario | nodes | "
                "events/replication | ns/event | vs first |\n|---|---:|---:|---:|---:|\n",
                static_cast<unsigned long long>(subjects.front().timings.front().threads));
    const auto ns = [](const Subject& subject) {
        const Timing& t = subject.timings.front();
        return t.best_cpu_s * 1e9 / static_cast<double>(t.events);
    };
    for (const Subject& subject : subjects) {
        const Timing& t = subject.timings.front();
        std::printf("| %s | %zu | %.0f | %.1f | %.2fx |\n", subject.path.c_str(),
                    subject.network->node_count(),
                    static_cast<double>(t.events) / static_cast<double>(s.replications),
                    ns(subject), ns(subject) / ns(subjects.front()));
    }
    std::printf("\n");
}

/// Child mode: compiles the scenario, hands free heap memory back to the system (so memory freed
/// while loading is counted when a replication reuses it), resets the peak RSS, runs `concurrent`
/// replications at once and prints what they added to the peak.
int run_single(const models::Network& network, const Settings& s) {
    const models::Model model(network);
    bench::release_free_memory();
    const bool reset = bench::reset_peak_rss();
    const auto before = bench::resident_memory();
    if (s.concurrent == 1) {
        (void)model.run(s.seed, 0, false);
    } else {
        (void)models::run_scenario(network, run_options(s.seed, s.concurrent, s.concurrent));
    }
    const auto after = bench::resident_memory();
    if (!before || !after) {
        std::printf("memory: /proc/self/status not readable\n");
        return 1;
    }
    const std::int64_t base = reset ? before->rss_kib : before->peak_kib;
    std::printf(
        "memory: baseline_kib=%lld peak_kib=%lld concurrent=%llu "
        "per_replication_kib=%lld method=%s\n",
        static_cast<long long>(base), static_cast<long long>(after->peak_kib),
        static_cast<unsigned long long>(s.concurrent),
        static_cast<long long>((after->peak_kib - base) / static_cast<std::int64_t>(s.concurrent)),
        reset ? "clear_refs" : "hwm_since_start");
    return 0;
}

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs this program in --single mode in a fresh process and echoes its memory line.
void measure_memory_in_child(const std::string& scenario, const Settings& s,
                             std::uint64_t concurrent) {
    const std::string command =
        shell_quote(std::filesystem::read_symlink("/proc/self/exe").string()) + " " +
        shell_quote(scenario) + " --single --concurrent " + std::to_string(concurrent) +
        " --seed " + std::to_string(s.seed);
    const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) {
        std::printf("memory: could not start %s\n", command.c_str());
        return;
    }
    std::printf("%s: ", scenario.c_str());
    std::fflush(stdout);
    char line[512];
    while (std::fgets(line, sizeof line, pipe.get()) != nullptr) std::fputs(line, stdout);
}

int run_benchmark(const Settings& s) {
    std::vector<Subject> subjects;
    for (const std::string& path : s.scenarios) subjects.push_back(load(path, s));
    if (s.single) return run_single(*subjects.front().network, s);
    std::printf(
        "seed %llu, %llu replications per run, best of %llu interleaved repeats, %d "
        "hardware threads\n\n",
        static_cast<unsigned long long>(s.seed), static_cast<unsigned long long>(s.replications),
        static_cast<unsigned long long>(s.repeats), chainshock::engine::available_threads());
    std::fflush(stdout);
    time_all(subjects, s);
    bool same = true;
    for (const Subject& subject : subjects) same = report(subject, s) && same;
    if (subjects.size() > 1) compare_cost_per_event(subjects, s);
    if (s.memory) {
        const std::uint64_t most = *std::max_element(s.threads.begin(), s.threads.end());
        for (const std::string& path : s.scenarios) {
            std::fflush(stdout);
            measure_memory_in_child(path, s, 1);
            if (most > 1) measure_memory_in_child(path, s, most);
        }
    }
    return same ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    po::options_description options = bench_options();
    po::options_description all;
    all.add(options).add_options()("scenario", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("scenario", -1);
    try {
        po::variables_map values;
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
                  values);
        po::notify(values);
        if (values.count("help") || values.count("scenario") == 0) {
            std::cout << "Usage: chainshock-bench-reps SCENARIO... [options]\n\n"
                      << options << '\n';
            return values.count("help") ? 0 : 2;
        }
        return run_benchmark(read_settings(values));
    } catch (const po::error& e) {
        std::cerr << "chainshock-bench-reps: " << e.what() << '\n';
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "chainshock-bench-reps: " << e.what() << '\n';
        return 2;
    } catch (const models::ScenarioError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "chainshock-bench-reps: internal error: " << e.what() << '\n';
        return 1;
    }
}
