// The scenario's top level: file reading, YAML parsing, top-level keys, commodities, routes and
// output. Nodes are read in scenario_loader_nodes.cpp, their parts in scenario_loader_parts.cpp.

#include "models/io/scenario_loader.hpp"

#include "engine/fingerprint.hpp"
#include "models/io/scenario_loader_internal.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <tuple>
#include <utility>

namespace chainshock::models::io {

namespace detail {

std::string LoadContext::commodity_ref(const YamlValue& value) const {
    std::string id = value.identifier();
    if (!commodity_lines.contains(id))
        value.fail("unknown commodity '" + id +
                   "'; expected the id of a commodity in 'commodities'");
    return id;
}

std::string LoadContext::node_ref(const YamlValue& value) const {
    std::string id = value.identifier();
    if (!node_lines.contains(id))
        value.fail("unknown node '" + id + "'; expected the id of a node in 'nodes'");
    return id;
}

namespace {

using namespace std::string_view_literals;
using CostAccounting = ScenarioSpec::CostAccounting;

constexpr std::array kTopKeys{
    "schema_version"sv, "name"sv,   "description"sv,  "horizon_days"sv,
    "warmup_days"sv,    "seed"sv,   "replications"sv, "cost_accounting"sv,
    "commodities"sv,    "nodes"sv,  "routes"sv,       "output"sv,
    "blocs"sv,          "shocks"sv, "market"sv,       "stockpile_policies"sv,
    "resilience"sv};
constexpr std::array kCommodityKeys{"id"sv, "unit"sv, "price_usd_per_t"sv};
constexpr std::array kRouteKeys{"from"sv,           "to"sv,           "mode"sv,
                                "lead_time_days"sv, "capacity_tpd"sv, "cost_usd_per_t"sv};
constexpr std::array kOutputKeys{"timeseries"sv, "timeseries_every_days"sv};
constexpr std::array kCostAccountings{std::pair{"end_of_day"sv, CostAccounting::EndOfDay},
                                      std::pair{"time_weighted"sv, CostAccounting::TimeWeighted}};

CommoditySpec read_commodity(const YamlValue& value, LoadContext& ctx) {
    const YamlMap map(value);
    map.check_keys(kCommodityKeys);
    CommoditySpec c;
    c.where = value.pos();
    const YamlValue id = map.get("id");
    c.id = id.identifier();
    if (const auto [it, fresh] = ctx.commodity_lines.emplace(c.id, id.pos().line); !fresh)
        id.fail("duplicate commodity id '" + c.id + "' (first defined at line " +
                std::to_string(it->second) + ")");
    if (const auto unit = map.find("unit")) c.unit = unit->non_empty_string();
    if (const auto price = map.find("price_usd_per_t"))
        c.price_usd_per_t = price->number(Bound::NonNegative);
    return c;
}

RouteSpec read_route(const YamlValue& value, const LoadContext& ctx) {
    const YamlMap map(value);
    map.check_keys(kRouteKeys);
    RouteSpec r;
    r.where = value.pos();
    r.from = ctx.node_ref(map.get("from"));
    const YamlValue to = map.get("to");
    r.to = ctx.node_ref(to);
    if (r.to == r.from) to.fail("expected a node other than from ('" + r.from + "')");
    if (const auto mode = map.find("mode")) r.mode = mode->non_empty_string();
    r.lead_time_days = read_distribution(map.get("lead_time_days"), Bound::NonNegative);
    if (const auto capacity = map.find("capacity_tpd"))
        r.capacity_tpd = capacity->number(Bound::Positive);
    if (const auto cost = map.find("cost_usd_per_t"))
        r.cost_usd_per_t = cost->number(Bound::NonNegative);
    return r;
}

/// Routes, with at most one per (from, to, mode).
std::vector<RouteSpec> read_routes(const YamlValue& value, const LoadContext& ctx) {
    std::vector<RouteSpec> routes;
    std::map<std::tuple<std::string, std::string, std::string>, int> lines;
    for (const YamlValue& item : value.list()) {
        RouteSpec r = read_route(item, ctx);
        if (const auto [it, fresh] = lines.emplace(std::tuple{r.from, r.to, r.mode}, r.where.line);
            !fresh)
            item.fail("duplicate route from '" + r.from + "' to '" + r.to + "' by '" + r.mode +
                      "' (first defined at line " + std::to_string(it->second) + ")");
        routes.push_back(std::move(r));
    }
    return routes;
}

OutputSpec read_output(const YamlValue& value) {
    const YamlMap map(value);
    map.check_keys(kOutputKeys);
    OutputSpec out;
    if (const auto timeseries = map.find("timeseries")) out.timeseries = timeseries->boolean();
    if (const auto every = map.find("timeseries_every_days"))
        out.timeseries_every_days = every->small_integer(1);
    return out;
}

/// The scalar top-level settings (everything but the lists and `output`).
ScenarioSpec read_run_settings(const YamlMap& map) {
    ScenarioSpec spec;
    const YamlValue version = map.get("schema_version");
    if (!version.try_number() || version.string() != "1")
        version.fail("expected 1 (the only schema version this build reads), got " +
                     version.describe());
    spec.name = map.get("name").non_empty_string();
    if (const auto description = map.find("description")) spec.description = description->string();
    spec.horizon_days = map.get("horizon_days").integer(1);
    if (const auto warmup = map.find("warmup_days")) {
        spec.warmup_days = warmup->integer(0);
        if (spec.warmup_days >= spec.horizon_days)
            warmup->fail("expected an integer >= 0 and < horizon_days (" +
                         std::to_string(spec.horizon_days) + "), got " + warmup->describe());
    }
    if (const auto seed = map.find("seed")) spec.seed = seed->unsigned_integer();
    if (const auto replications = map.find("replications"))
        spec.replications = static_cast<std::uint64_t>(replications->integer(1));
    if (const auto accounting = map.find("cost_accounting"))
        spec.cost_accounting = accounting->choice(kCostAccountings);
    return spec;
}

/// Sections are read in dependency order (commodities, nodes, routes, blocs, then what refers to
/// them: shocks and stockpile policies), whatever the file's order.
ScenarioSpec read_scenario(const YamlValue& root, LoadContext& ctx) {
    const YamlMap map(root);
    map.check_keys(kTopKeys);
    ScenarioSpec spec = read_run_settings(map);
    for (const YamlValue& item : map.get("commodities").list(false))
        spec.commodities.push_back(read_commodity(item, ctx));
    for (const YamlValue& item : map.get("nodes").list(false))
        spec.nodes.push_back(read_node(item, ctx));
    resolve_node_refs(spec.nodes, ctx);
    if (const auto routes = map.find("routes")) spec.routes = read_routes(*routes, ctx);
    if (const auto output = map.find("output")) spec.output = read_output(*output);
    if (const auto blocs = map.find("blocs")) spec.blocs = read_blocs(*blocs, spec.nodes);
    const ScenarioIndex index = make_index(spec);
    if (const auto shocks = map.find("shocks")) spec.shocks = read_shocks(*shocks, index, ctx);
    if (const auto market = map.find("market")) spec.market = read_market(*market);
    if (const auto policies = map.find("stockpile_policies"))
        spec.stockpile_policies = read_stockpile_policies(*policies, index, ctx);
    if (const auto resilience = map.find("resilience"))
        spec.resilience = read_resilience(*resilience);
    return spec;
}

/// The one YAML document in `yaml` (null when there is none).
YAML::Node parse_yaml(std::string_view yaml, const std::string& file_name) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(yaml));
    } catch (const YAML::ParserException& e) {
        fail_at(file_name, to_pos(e.mark), "", "invalid YAML: " + e.msg);
    }
    if (documents.size() > 1)
        fail_at(file_name, to_pos(documents[1].Mark()), "",
                "expected a single YAML document, got " + std::to_string(documents.size()));
    return documents.empty() ? YAML::Node() : documents.front();
}

std::string read_file_bytes(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail_at(name, {}, "", "cannot read scenario: expected a file, got a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail_at(name, {}, "",
                std::filesystem::exists(path, ec) ? "cannot read scenario: cannot open the file"
                                                  : "cannot read scenario: no such file");
    std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) fail_at(name, {}, "", "cannot read scenario: read error");
    return bytes;
}

} // namespace
} // namespace detail

std::string scenario_hash(std::string_view bytes) {
    engine::Fingerprint hash;
    for (std::size_t start = 0; start < bytes.size(); start += 8) {
        std::uint64_t word = 0;
        const std::size_t end = std::min(start + 8, bytes.size());
        for (std::size_t i = start; i < end; ++i)
            word |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * (i - start));
        hash.add(word);
    }
    hash.add(static_cast<std::uint64_t>(bytes.size()));
    return hash.hex();
}

ScenarioSpec load_scenario_text(std::string_view yaml, const std::string& file_name) {
    return load_scenario_text(yaml, file_name, {});
}

ScenarioSpec load_scenario_text(std::string_view yaml, const std::string& file_name,
                                std::span<const ScenarioOverride> overrides) {
    YAML::Node root = detail::parse_yaml(yaml, file_name);
    const std::vector<std::string> changed = apply_overrides(root, overrides, file_name);
    detail::LoadContext ctx;
    ctx.file = file_name;
    ScenarioSpec spec;
    try {
        // An empty document has no mark of its own: point at the start of the file.
        spec = detail::read_scenario(YamlValue(file_name, root, "", {1, 1}), ctx);
    } catch (const ScenarioError& e) {
        if (auto from_override = attribute_to_override(e, changed, overrides))
            throw *std::move(from_override);
        throw;
    }
    spec.source_file = file_name;
    spec.source_hash = scenario_hash(yaml);
    return spec;
}

ScenarioSpec load_scenario_file(const std::filesystem::path& path) {
    return load_scenario_file(path, {});
}

ScenarioSpec load_scenario_file(const std::filesystem::path& path,
                                std::span<const ScenarioOverride> overrides) {
    return load_scenario_text(detail::read_file_bytes(path), path.string(), overrides);
}

} // namespace chainshock::models::io
