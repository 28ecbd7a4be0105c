// The parallel windowed engine against the sequential one on scenarios that exercise everything a
// parallel window must get right: shocks and stockpile policies (global events that cut windows
// and read every node), export bans and closures (cargo cancelled while other nodes run),
// multi-echelon trade. Shortened horizons keep it quick enough for ThreadSanitizer (ctest label
// `parallel`, run by `tools/setup.sh tsan` in CI); the golden test covers every scenario in full.
#include "models/io/scenario_loader.hpp"
#include "models/io/scenario_overrides.hpp"
#include "models/network.hpp"
#include "models/simulation.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace chainshock::models;

namespace {

const fs::path kRoot = CHAINSHOCK_SOURCE_DIR;

RunResult run(const Network& network, int threads, EngineMode engine) {
    RunOptions options;
    options.seed = network.spec().seed;
    options.replications = 1;
    options.series_replications = 1;
    options.threads = threads;
    options.engine = engine;
    options.min_parallel_events = 2;
    return run_scenario(network, options);
}

/// Runs the network sequentially and with parallel windows, checks that they agree, and returns
/// how many windows the parallel run took.
std::uint64_t check_parallel_matches(const Network& network) {
    const RunResult sequential = run(network, 1, EngineMode::Sequential);
    const RunResult parallel = run(network, 2, EngineMode::Parallel);
    CHECK(parallel.runs[0].parallel_events > 0);
    CHECK(parallel.fingerprint == sequential.fingerprint);
    REQUIRE(parallel.runs[0].kpis.size() == sequential.runs[0].kpis.size());
    std::size_t differing = 0;
    for (std::size_t k = 0; k < parallel.runs[0].kpis.size(); ++k)
        differing += parallel.runs[0].kpis[k].value != sequential.runs[0].kpis[k].value;
    CHECK(differing == 0);
    REQUIRE(parallel.runs[0].series.size() == sequential.runs[0].series.size());
    std::size_t series_differing = 0;
    for (std::size_t k = 0; k < parallel.runs[0].series.size(); ++k)
        series_differing += parallel.runs[0].series[k].value != sequential.runs[0].series[k].value;
    CHECK(series_differing == 0);
    return parallel.runs[0].windows;
}

} // namespace

TEST_CASE("parallel windows give the sequential results on drills with shocks and policies") {
    std::uint64_t plain_windows = 0, floored_windows = 0;
    for (const char* name :
         {"drill_graphite_ban.yaml", "drill_drc_cobalt.yaml", "lithium_north_america.yaml"}) {
        INFO(std::string(name));
        const std::vector<io::ScenarioOverride> shorter{io::parse_override("horizon_days=240")};
        ScenarioSpec spec = io::load_scenario_file(kRoot / "scenarios" / name, shorter);
        std::uint64_t windows_without = 0;
        for (const bool floors : {false, true}) {
            INFO("lead-time floors: " << floors);
            if (floors) {
                // Lanes that declare a floor let the engine run windows of many ticks (the
                // sea lanes' lognormals have none as written).
                for (RouteSpec& route : spec.routes) {
                    route.lead_time_days.min = 0.5 * route.lead_time_days.mean_value();
                }
            }
            const std::uint64_t windows = check_parallel_matches(Network(spec));
            if (floors) {
                CHECK(windows < windows_without);
                floored_windows += windows;
                plain_windows += windows_without;
            } else {
                windows_without = windows;
            }
        }
    }
    // Fewer than half as many windows in all (the cobalt and lithium drills: 5-7x fewer).
    CHECK(floored_windows * 2 < plain_windows);
}
