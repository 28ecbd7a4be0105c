#pragma once
/// Pieces shared by the scale-out options of `run` and `sweep` (`--set`, `--shard`) and the
/// `sweep` and `merge` commands (cli_scale.cpp, cli_sweep.cpp, cli_merge.cpp).

#include "models/io/scenario_overrides.hpp"
#include "models/io/shard.hpp"
#include "tools/cli.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chainshock::tools {

/// Help text of `--set` (run and sweep).
inline constexpr const char* set_help =
    "change a scenario value before validation (repeatable), e.g. horizon_days=200, "
    "nodes[spr_us].capacity_t=5000, routes[2].lead_time_days={dist: normal, mean: 3, sd: 1}";
/// Help text of `--shard` (run and sweep).
inline constexpr const char* shard_help =
    "run only shard I of K (0 <= I < K) of the replications and write partial results for "
    "`chainshock merge`";

/// The `--set` values of `parsed`, in order. Throws UsageError on bad syntax.
std::vector<models::io::ScenarioOverride> read_overrides(const ParsedCommand& parsed,
                                                         const std::string& command);

/// The `--shard I/K` value of `parsed`, or nullopt. Throws UsageError on bad syntax.
std::optional<models::io::ShardSlice> read_shard(const ParsedCommand& parsed,
                                                 const std::string& command);

/// `path=value` of each override, as results record them.
std::vector<std::string> override_texts(const std::vector<models::io::ScenarioOverride>& changes);

/// Loads the scenario at `path` with `overrides` applied, validates it and builds the network.
/// Throws ScenarioError.
models::Network load_network(const std::string& path,
                             const std::vector<models::io::ScenarioOverride>& overrides);

/// The default directory of a shard: `<base>/shard-<i>-of-<K>`.
std::filesystem::path shard_dir(const std::filesystem::path& base, models::io::ShardSlice slice);

} // namespace chainshock::tools
