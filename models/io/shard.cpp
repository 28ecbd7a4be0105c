// Shard slices and the shard.json manifest. JSON is written with JsonWriter and read back with
// yaml-cpp (JSON is YAML), which models/io already depends on.

#include "models/io/shard.hpp"

#include "models/io/json_writer.hpp"
#include "models/io/scenario_loader.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <yaml-cpp/yaml.h>

namespace chainshock::models::io {

namespace {

constexpr std::string_view kFormat = "chainshock-shard";
constexpr std::uint64_t kFormatVersion = 1;

std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

void write_strings(JsonWriter& json, std::string_view key, const std::vector<std::string>& list) {
    json.key(key).begin_array();
    for (const std::string& text : list) json.value(text);
    json.end_array();
}

/// Typed reads from the parsed manifest, failing with the file name and the key.
class ManifestReader {
public:
    explicit ManifestReader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& message) const {
        throw ShardError(file_ + ": " + message);
    }

    YAML::Node get(const YAML::Node& map, const std::string& key) const {
        if (!map.IsMap()) fail("not a shard manifest (expected a JSON object)");
        const YAML::Node value = map[key];
        if (!value.IsDefined() || value.IsNull()) fail("missing '" + key + "'");
        return value;
    }

    template <class T> T read(const YAML::Node& map, const std::string& key) const {
        const YAML::Node value = get(map, key);
        try {
            if (!value.IsScalar()) fail("'" + key + "': expected a single value");
            return value.as<T>();
        } catch (const YAML::Exception&) {
            fail("'" + key + "': unexpected value '" + value.Scalar() + "'");
        }
    }

    std::vector<std::string> strings(const YAML::Node& map, const std::string& key) const {
        const YAML::Node list = get(map, key);
        if (!list.IsSequence()) fail("'" + key + "': expected a list");
        std::vector<std::string> out;
        for (const YAML::Node& item : list) {
            if (!item.IsScalar()) fail("'" + key + "': expected a list of strings");
            out.push_back(item.Scalar());
        }
        return out;
    }

    YAML::Node list(const YAML::Node& map, const std::string& key) const {
        const YAML::Node value = get(map, key);
        if (!value.IsSequence()) fail("'" + key + "': expected a list");
        return value;
    }

private:
    std::string file_;
};

ShardManifest read_manifest_node(const YAML::Node& root, const ManifestReader& r) {
    if (r.read<std::string>(root, "format") != kFormat ||
        r.read<std::uint64_t>(root, "format_version") != kFormatVersion)
        r.fail("not a chainshock shard manifest of format version " +
               std::to_string(kFormatVersion));
    ShardManifest m;
    m.kind = r.read<std::string>(root, "kind");
    if (m.kind != "run" && m.kind != "sweep") r.fail("'kind': expected run or sweep");
    m.scenario_file = r.read<std::string>(root, "scenario_file");
    m.scenario_hash = r.read<std::string>(root, "scenario_hash");
    m.version = r.read<std::string>(root, "version");
    m.seed = r.read<std::uint64_t>(root, "seed");
    m.replications = r.read<std::uint64_t>(root, "replications");
    m.series_replications = r.read<std::uint64_t>(root, "series_replications");
    m.slice = {r.read<std::uint64_t>(root, "shard"), r.read<std::uint64_t>(root, "shards")};
    if (m.slice.count == 0 || m.slice.index >= m.slice.count)
        r.fail("'shard' and 'shards': expected 0 <= shard < shards");
    m.items_in_shard = r.read<std::uint64_t>(root, "items_in_shard");
    if (root["engine"]) m.engine = r.read<std::string>(root, "engine");
    for (const YAML::Node& axis : r.list(root, "grid"))
        m.grid.push_back({r.read<std::string>(axis, "path"), r.strings(axis, "values")});
    for (const YAML::Node& point : r.list(root, "points")) {
        m.points.push_back(
            {r.read<std::string>(point, "scenario"), r.read<std::int64_t>(point, "horizon_days"),
             r.read<std::int64_t>(point, "warmup_days"), r.strings(point, "overrides")});
    }
    if (m.points.empty() || (m.kind == "run" && m.points.size() != 1))
        r.fail("'points': expected one point for a run, at least one for a sweep");
    return m;
}

} // namespace

ShardSlice parse_shard(std::string_view text) {
    const std::size_t slash = text.find('/');
    const auto index = parse_count(text.substr(0, slash));
    const auto count =
        slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(slash + 1));
    if (!index || !count || *count == 0 || *index >= *count)
        throw std::invalid_argument("expected I/K with 0 <= I < K (e.g. 0/4), got '" +
                                    std::string(text) + "'");
    return {*index, *count};
}

std::vector<std::uint64_t> shard_items(std::uint64_t total, ShardSlice slice) {
    std::vector<std::uint64_t> items;
    for (std::uint64_t f = slice.index; f < total; f += slice.count) items.push_back(f);
    return items;
}

void write_shard_manifest(const ShardManifest& m, std::ostream& out) {
    JsonWriter json(out);
    json.begin_object()
        .field("format", kFormat)
        .field("format_version", kFormatVersion)
        .field("kind", m.kind)
        .field("scenario_file", m.scenario_file)
        .field("scenario_hash", m.scenario_hash)
        .field("version", m.version)
        .field("seed", m.seed)
        .field("replications", m.replications)
        .field("series_replications", m.series_replications)
        .field("shard", m.slice.index)
        .field("shards", m.slice.count)
        .field("items_in_shard", m.items_in_shard);
    if (!m.engine.empty()) json.field("engine", m.engine);
    json.key("grid").begin_array();
    for (const GridAxis& axis : m.grid) {
        json.begin_object().field("path", axis.path);
        write_strings(json, "values", axis.values);
        json.end_object();
    }
    json.end_array();
    json.key("points").begin_array();
    for (const ShardPoint& point : m.points) {
        json.begin_object()
            .field("scenario", point.scenario_name)
            .field("horizon_days", point.horizon_days)
            .field("warmup_days", point.warmup_days);
        write_strings(json, "overrides", point.overrides);
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

ShardManifest read_shard_manifest(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw ShardError(file.string() +
                         ": no such file (not a shard directory, or the shard did not finish)");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ShardError(file.string() + ": cannot open");
    return read_shard_manifest(in, file.string());
}

ShardManifest read_shard_manifest(std::istream& in, const std::string& name) {
    const ManifestReader reader(name);
    const YAML::Node root = [&] {
        try {
            return YAML::Load(in);
        } catch (const YAML::Exception& e) {
            reader.fail("not a shard manifest: " + e.msg);
        }
    }();
    return read_manifest_node(root, reader);
}

std::string job_key(const ShardManifest& manifest) {
    // The manifest as written, less what does not change the results.
    ShardManifest identity = manifest;
    identity.scenario_file.clear();
    identity.slice = {};
    identity.items_in_shard = 0;
    identity.engine.clear();
    std::ostringstream text;
    write_shard_manifest(identity, text);
    return scenario_hash(text.str());
}

} // namespace chainshock::models::io
