/// `--set`, `--shard` and `run --shard`: the scale-out pieces shared by run and sweep.

#include "tools/cli_scale.hpp"

#include "models/io/scenario_loader.hpp"
#include "models/simulation.hpp"

#include <stdexcept>
#include <unistd.h>

namespace chainshock::tools {

namespace fs = std::filesystem;
namespace io = models::io;

std::vector<io::ScenarioOverride> read_overrides(const ParsedCommand& parsed,
                                                 const std::string& command) {
    std::vector<io::ScenarioOverride> changes;
    if (parsed.values.count("set") == 0) return changes;
    for (const std::string& text : parsed.values["set"].as<std::vector<std::string>>()) {
        try {
            changes.push_back(io::parse_override(text));
        } catch (const std::invalid_argument& e) {
            throw UsageError(command, std::string("--set: ") + e.what());
        }
    }
    return changes;
}

std::optional<io::ShardSlice> read_shard(const ParsedCommand& parsed, const std::string& command) {
    if (parsed.values.count("shard") == 0) return std::nullopt;
    try {
        return io::parse_shard(parsed.values["shard"].as<std::string>());
    } catch (const std::invalid_argument& e) {
        throw UsageError(command, std::string("--shard: ") + e.what());
    }
}

std::vector<std::string> override_texts(const std::vector<io::ScenarioOverride>& changes) {
    std::vector<std::string> texts;
    texts.reserve(changes.size());
    for (const io::ScenarioOverride& change : changes) texts.push_back(change.text());
    return texts;
}

models::Network load_network(const std::string& path,
                             const std::vector<io::ScenarioOverride>& overrides) {
    return models::Network(io::load_scenario_file(path, overrides));
}

fs::path shard_dir(const fs::path& base, io::ShardSlice slice) {
    return base / ("shard-" + std::to_string(slice.index) + "-of-" + std::to_string(slice.count));
}

int run_shard(const models::Network& network, const models::RunOptions& options,
              const std::string& scenario_file, const std::vector<io::ScenarioOverride>& overrides,
              io::ShardSlice slice, const fs::path& out_dir, bool quiet, const Console& console) {
    const models::ScenarioSpec& spec = network.spec();
    const std::vector<std::uint64_t> items = io::shard_items(options.replications, slice);
    models::RunOptions shard_options = options;
    shard_options.stop = nullptr; // a shard is all or nothing: merge needs every replication
    ProgressLine progress(console.err, quiet);
    shard_options.progress = progress.callback("replication ");
    models::RunResult part;
    part.runs = models::run_replications(network, shard_options, items);
    progress.finish();

    io::ShardManifest manifest;
    manifest.kind = "run";
    manifest.scenario_file = scenario_file;
    manifest.scenario_hash = spec.source_hash;
    manifest.version = models::chainshock_version();
    manifest.seed = options.seed;
    manifest.replications = options.replications;
    manifest.series_replications = options.series_replications;
    manifest.slice = slice;
    manifest.items_in_shard = items.size();
    manifest.points.push_back(
        {spec.name, spec.horizon_days, spec.warmup_days, override_texts(overrides)});
    write_output(out_dir.string(), [&] { io::write_shard(manifest, {part}, out_dir); });
    if (!quiet)
        console.out << spec.name << ": shard " << slice.index << '/' << slice.count << ", "
                    << items.size() << " of " << options.replications << " replications, seed "
                    << options.seed << '\n';
    console.out << "shard written to " << out_dir.string() << '\n';
    return 0;
}

} // namespace chainshock::tools
