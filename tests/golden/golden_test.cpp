// Golden fingerprints: each bundled scenario, run with its own seed for two replications (three
// for the stochastic ones would add nothing: the fingerprint covers every committed event), must
// reproduce the fingerprint recorded in fingerprints.txt, on any number of threads, and the
// digest of its numbers: the fingerprint covers events, not values, and a value can change in its
// last bit without any event changing (a sum in another order, a fused multiply-add).
#include "engine/fingerprint.hpp"
#include "models/io/scenario_loader.hpp"
#include "models/network.hpp"
#include "models/simulation.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace chainshock::models;

namespace {

const fs::path kRoot = CHAINSHOCK_SOURCE_DIR;
const fs::path kGolden = kRoot / "tests/golden/fingerprints.txt";

// Bundled scenarios, relative to the repository root, in a fixed order. The long validation
// runs are left to the validation suite; their short cousins are covered by unit tests.
std::vector<std::string> scenarios() {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(kRoot / "scenarios")) {
        if (entry.path().extension() == ".yaml") {
            out.push_back(fs::relative(entry.path(), kRoot).generic_string());
        }
    }
    for (const char* name : {"case02_periodic_base_stock.yaml", "case11_tts_export_ban.yaml",
                             "case13_iea_release.yaml", "case14_bullwhip_chain.yaml"}) {
        out.push_back(std::string("scenarios/validation/") + name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every validation scenario too, for the engine-equality test.
std::vector<std::string> all_scenarios() {
    std::vector<std::string> out;
    for (const char* dir : {"scenarios", "scenarios/validation"}) {
        for (const auto& entry : fs::directory_iterator(kRoot / dir)) {
            if (entry.path().extension() == ".yaml") {
                out.push_back(fs::relative(entry.path(), kRoot).generic_string());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

RunResult run(const std::string& scenario, int threads, std::uint64_t replications,
              EngineMode engine = EngineMode::Auto) {
    const Network network(io::load_scenario_file(kRoot / scenario));
    RunOptions options;
    options.seed = network.spec().seed;
    options.replications = replications;
    options.series_replications = 0;
    options.threads = threads;
    options.engine = engine;
    options.min_parallel_events = 2; // every window with two node events runs in parallel
    return run_scenario(network, options);
}

/// The bits of every KPI of every replication and of every summary statistic, in order.
std::string digest(const RunResult& r) {
    chainshock::engine::Fingerprint f;
    for (const auto& run : r.runs) {
        for (const auto& k : run.kpis) f.add(k.value);
    }
    for (const auto& k : r.summary) {
        const auto& s = k.stats;
        for (double x : {s.mean, s.sd, s.ci_half_width, s.ci_low, s.ci_high, s.p5, s.p50, s.p95,
                         s.min, s.max}) {
            f.add(x);
        }
    }
    return f.hex();
}

/// "fingerprint digest" of two replications.
std::string golden_line(const std::string& scenario, int threads) {
    const RunResult r = run(scenario, threads, 2);
    return r.fingerprint + ' ' + digest(r);
}

std::map<std::string, std::string> read_golden() {
    std::map<std::string, std::string> out;
    std::ifstream in(kGolden);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, fingerprint, values;
        fields >> name >> fingerprint >> values;
        out[name] = fingerprint + ' ' + values;
    }
    return out;
}

} // namespace

TEST_CASE("bundled scenarios reproduce their golden fingerprints and values, on 1 thread and on "
          "all") {
    const auto names = scenarios();
    if (std::getenv("CHAINSHOCK_UPDATE_GOLDEN") != nullptr) {
        std::ofstream out(kGolden);
        out << "# scenario fingerprint digest-of-values (seed from the scenario, 2 replications)\n";
        for (const auto& name : names) out << name << ' ' << golden_line(name, 1) << '\n';
        MESSAGE("rewrote " << kGolden.string());
        return;
    }
    const auto golden = read_golden();
    CHECK(names.size() >= 6);
    for (const auto& name : names) {
        INFO(name);
        REQUIRE_MESSAGE(golden.count(name) == 1, "no golden fingerprint for "
                                                     << name
                                                     << "; run with CHAINSHOCK_UPDATE_GOLDEN=1");
        CHECK(golden_line(name, 1) == golden.at(name));
        CHECK(golden_line(name, 0) == golden.at(name));
    }
}

TEST_CASE("floating-point expressions are not contracted into fused multiply-adds") {
    // a * b = 1 - 2^-60 exactly, which rounds to 1: unfused, a * b + c is 0; fused, -2^-60. With
    // contraction, a build with -march=native gives different last bits than the default build
    // (cmake/ChainshockWarnings.cmake turns it off for every target).
    volatile double a = 1.0 + 0x1.0p-30;
    volatile double b = 1.0 - 0x1.0p-30;
    volatile double c = -1.0;
    const double x = a;
    const double y = b;
    const double z = c;
    CHECK(x * y + z == 0.0);
}

TEST_CASE("the parallel windowed engine reproduces the sequential fingerprint on 2, 4 and 8 "
          "threads") {
    // One replication at a time, so that each uses every thread inside itself, and every window
    // with at least two node events runs in parallel.
    for (const auto& name : all_scenarios()) {
        INFO(name);
        const std::size_t nodes = Network(io::load_scenario_file(kRoot / name)).node_count();
        const RunResult sequential = run(name, 1, 1, EngineMode::Sequential);
        REQUIRE(sequential.runs.size() == 1);
        CHECK(sequential.runs[0].parallel_events == 0);
        for (int threads : {2, 4, 8}) {
            INFO("threads " << threads);
            const RunResult parallel = run(name, threads, 1, EngineMode::Parallel);
            CHECK(parallel.engine == "parallel windows");
            // A one-node scenario has no window with two node events to run in parallel.
            if (nodes > 1) CHECK(parallel.runs[0].parallel_events > 0);
            CHECK(parallel.runs[0].events == sequential.runs[0].events);
            CHECK(parallel.fingerprint == sequential.fingerprint);
            CHECK(parallel.runs[0].kpis.size() == sequential.runs[0].kpis.size());
            bool same_kpis = true;
            for (std::size_t k = 0; k < parallel.runs[0].kpis.size(); ++k) {
                same_kpis =
                    same_kpis && parallel.runs[0].kpis[k].value == sequential.runs[0].kpis[k].value;
            }
            CHECK(same_kpis);
        }
    }
}
