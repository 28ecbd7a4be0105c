/// `--set` and `--shard`: the scale-out pieces shared by run and sweep.

#include "tools/cli_scale.hpp"

#include "models/io/scenario_loader.hpp"

#include <stdexcept>

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

} // namespace chainshock::tools
