// Issue 4 sections other than `shocks`: blocs, the index that shocks and policies refer through,
// `market`, `stockpile_policies` and `resilience`.

#include "models/io/scenario_loader_internal.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace chainshock::models::io::detail {

namespace {

using namespace std::string_view_literals;
using Mode = StockpilePolicySpec::Mode;
using Trigger = StockpilePolicySpec::Trigger;

constexpr std::array kBlocKeys{"id"sv, "countries"sv};
constexpr std::array kMarketKeys{"elasticity"sv, "window_days"sv, "max_multiple"sv};
constexpr std::array kResilienceKeys{"shock_start_day"sv, "service_threshold"sv, "recovery_days"sv};

constexpr std::array kPolicyModes{std::pair{"none"sv, Mode::None},
                                  std::pair{"independent"sv, Mode::Independent},
                                  std::pair{"coordinated"sv, Mode::Coordinated}};
constexpr std::array kPolicyCommonKeys{"id"sv, "mode"sv, "commodity"sv, "stockpiles"sv, "refill"sv};
/// Keys about releasing stock: not allowed with `mode: none`.
constexpr std::array kReleaseKeys{"trigger"sv, "release_tpd"sv, "total_t"sv, "duration_days"sv,
                                  "stop_days_of_cover_above"sv};
constexpr std::array kPolicyTriggers{
    std::pair{"days_of_cover_below"sv, Trigger::DaysOfCover},
    std::pair{"shortfall_fraction_above"sv, Trigger::ShortfallFraction},
    std::pair{"price_above_usd_per_t"sv, Trigger::Price},
    std::pair{"start_day"sv, Trigger::Scheduled}};
constexpr std::array kPolicyTriggerKeys{"days_of_cover_below"sv, "shortfall_fraction_above"sv,
                                        "price_above_usd_per_t"sv, "start_day"sv};
constexpr std::array kRefillKeys{"rate_tpd"sv, "price_ceiling_usd_per_t"sv, "supplier"sv};

std::string line_of(SourcePos where) { return std::to_string(where.line); }

// ---- blocs ------------------------------------------------------------------------------------

BlocSpec read_bloc(const YamlValue& value, const std::set<std::string, std::less<>>& countries) {
    const YamlMap map(value);
    map.check_keys(kBlocKeys);
    BlocSpec bloc;
    bloc.where = value.pos();
    const YamlValue id = map.get("id");
    bloc.id = id.identifier();
    if (countries.contains(bloc.id))
        id.fail("bloc id '" + bloc.id +
                "' is the country of a node; expected an id that is not a country");
    for (const YamlValue& item : map.get("countries").list(false)) {
        std::string country = item.non_empty_string();
        if (!countries.contains(country))
            item.fail("unknown country '" + country + "'; expected a country of some node");
        if (std::find(bloc.countries.begin(), bloc.countries.end(), country) !=
            bloc.countries.end())
            item.fail("duplicate country '" + country + "' in this bloc");
        bloc.countries.push_back(std::move(country));
    }
    return bloc;
}

// ---- stockpile policies -----------------------------------------------------------------------

/// `stockpiles`: stockpile nodes holding the policy's commodity, each listed once.
std::vector<std::string> read_policy_stockpiles(const YamlValue& value,
                                                const std::string& commodity,
                                                const ScenarioIndex& index) {
    std::vector<std::string> ids;
    for (const YamlValue& item : value.list(false)) {
        const NodeSpec& node = index.node_of_kind(item, NodeKind::Stockpile);
        if (node.commodity != commodity)
            item.fail("stockpile '" + node.id + "' holds '" + node.commodity + "', not '" +
                      commodity + "'");
        if (std::find(ids.begin(), ids.end(), node.id) != ids.end())
            item.fail("duplicate stockpile '" + node.id + "' in this policy");
        ids.push_back(node.id);
    }
    return ids;
}

/// `trigger: {<one key>: value}` as the Trigger enum and its threshold.
StockpilePolicySpec read_policy_trigger(const YamlValue& value, StockpilePolicySpec p) {
    const YamlMap map(value);
    map.check_keys(kPolicyTriggerKeys);
    const YamlMap::Entry& entry = exactly_one(map, kPolicyTriggerKeys);
    p.trigger = entry.key.choice(kPolicyTriggers);
    switch (p.trigger) {
    case Trigger::DaysOfCover:
    case Trigger::Price:
        p.trigger_value = entry.value.number(Bound::Positive);
        break;
    case Trigger::ShortfallFraction:
        p.trigger_value = fraction(entry.value, Fraction::BelowOne);
        break;
    case Trigger::Scheduled:
        p.trigger_value = entry.value.number(Bound::NonNegative);
        break;
    }
    return p;
}

/// The release keys (every mode but `none`).
StockpilePolicySpec read_release(const YamlMap& map, StockpilePolicySpec p) {
    p = read_policy_trigger(map.get("trigger"), std::move(p));
    p.release_tpd = map.get("release_tpd").number(Bound::Positive);
    if (const auto total = map.find("total_t")) p.total_t = total->number(Bound::Positive);
    if (const auto duration = map.find("duration_days"))
        p.duration_days = duration->number(Bound::Positive);
    if (const auto stop = map.find("stop_days_of_cover_above")) {
        p.stop_days_of_cover = stop->number(Bound::Positive);
        // Stopping at or below the start threshold would start and stop the release every day.
        if (p.trigger == Trigger::DaysOfCover && *p.stop_days_of_cover <= p.trigger_value)
            stop->fail("expected a number > trigger.days_of_cover_below (" +
                       format_number(p.trigger_value) + "), got " + stop->describe());
    }
    return p;
}

/// `refill`: the supplier must be able to supply the commodity, like a replenish supplier.
StockpilePolicySpec read_refill(const YamlValue& value, StockpilePolicySpec p,
                                const ScenarioIndex& index, const LoadContext& ctx) {
    const YamlMap map(value);
    map.check_keys(kRefillKeys);
    p.refill_tpd = map.get("rate_tpd").number(Bound::Positive);
    if (const auto ceiling = map.find("price_ceiling_usd_per_t"))
        p.refill_price_ceiling = ceiling->number(Bound::Positive);
    const YamlValue supplier = map.get("supplier");
    p.refill_supplier = index.node(supplier).id;
    if (std::find(p.stockpiles.begin(), p.stockpiles.end(), p.refill_supplier) !=
        p.stockpiles.end())
        supplier.fail("expected a node other than the policy's own stockpiles, got '" +
                      p.refill_supplier + "'");
    LoadContext check;
    check.file = ctx.file;
    check.node_refs.push_back({p.refill_supplier, supplier.path(), supplier.pos(), p.commodity});
    std::vector<NodeSpec> nodes;
    nodes.push_back(index.node(supplier));
    resolve_node_refs(nodes, check);
    return p;
}

StockpilePolicySpec read_stockpile_policy(const YamlValue& value, const ScenarioIndex& index,
                                          const LoadContext& ctx) {
    const YamlMap map(value);
    StockpilePolicySpec p;
    p.where = value.pos();
    const YamlValue mode = map.get("mode");
    p.mode = mode.choice(kPolicyModes);
    if (p.mode == Mode::None)
        map.check_keys(kPolicyCommonKeys, kReleaseKeys, "mode none");
    else
        map.check_keys(concat(kPolicyCommonKeys, kReleaseKeys));
    p.id = map.get("id").identifier();
    p.commodity = ctx.commodity_ref(map.get("commodity"));
    p.stockpiles = read_policy_stockpiles(map.get("stockpiles"), p.commodity, index);
    if (p.mode != Mode::None) p = read_release(map, std::move(p));
    if (const auto refill = map.find("refill")) p = read_refill(*refill, std::move(p), index, ctx);
    return p;
}

} // namespace

// ---- shared helpers ---------------------------------------------------------------------------

std::string_view node_kind_name(NodeKind kind) {
    for (const auto& [name, value] : kNodeKindChoices)
        if (value == kind) return name;
    return "?";
}

double fraction(const YamlValue& value, Fraction range) {
    const auto x = value.try_number();
    const bool ok = x && *x >= 0.0 && *x <= 1.0 && !(range == Fraction::BelowOne && *x == 1.0) &&
                    !(range == Fraction::AboveZero && *x == 0.0);
    if (!ok) {
        const std::string_view interval = range == Fraction::Closed     ? "[0, 1]"
                                          : range == Fraction::BelowOne ? "[0, 1)"
                                                                        : "(0, 1]";
        value.fail("expected a number in " + std::string(interval) + ", got " + value.describe());
    }
    return *x;
}

const YamlMap::Entry& exactly_one(const YamlMap& map, std::span<const std::string_view> keys) {
    const YamlMap::Entry* chosen = nullptr;
    const std::string expected = "expected exactly one of: " + join(keys);
    for (const auto& entry : map.entries()) {
        if (std::find(keys.begin(), keys.end(), entry.name) == keys.end()) continue;
        if (chosen != nullptr) entry.key.fail(expected + "; '" + chosen->name + "' is also given");
        chosen = &entry;
    }
    if (chosen == nullptr) map.value().fail(expected + "; got none");
    return *chosen;
}

// ---- ScenarioIndex ----------------------------------------------------------------------------

std::string ScenarioIndex::country_or_bloc(const YamlValue& value) const {
    std::string name = value.non_empty_string();
    if (!countries.contains(name) && !blocs.contains(name))
        value.fail("unknown country or bloc '" + name +
                   "'; expected a country of some node or a bloc id");
    return name;
}

std::vector<std::string> ScenarioIndex::country_or_bloc_list(const YamlValue& value) const {
    std::vector<std::string> names;
    for (const YamlValue& item : value.list()) names.push_back(country_or_bloc(item));
    return names;
}

const NodeSpec& ScenarioIndex::node(const YamlValue& value) const {
    const std::string id = value.identifier();
    const auto it = nodes.find(id);
    if (it == nodes.end())
        value.fail("unknown node '" + id + "'; expected the id of a node in 'nodes'");
    return *it->second;
}

const NodeSpec& ScenarioIndex::node_of_kind(const YamlValue& value, NodeKind kind) const {
    const NodeSpec& found = node(value);
    if (found.kind != kind)
        value.fail("node '" + found.id + "' (" + std::string(node_kind_name(found.kind)) +
                   ") is not a " + std::string(node_kind_name(kind)));
    return found;
}

bool ScenarioIndex::in_country(const NodeSpec& node, std::string_view country_or_bloc) const {
    if (node.country == country_or_bloc) return true;
    const auto it = blocs.find(country_or_bloc);
    if (it == blocs.end()) return false;
    const auto& members = it->second->countries;
    return std::find(members.begin(), members.end(), node.country) != members.end();
}

ScenarioIndex make_index(const ScenarioSpec& spec) {
    ScenarioIndex index;
    for (const NodeSpec& node : spec.nodes) {
        index.nodes.emplace(node.id, &node);
        index.countries.insert(node.country);
    }
    for (const BlocSpec& bloc : spec.blocs) index.blocs.emplace(bloc.id, &bloc);
    for (const RouteSpec& route : spec.routes) {
        index.routes.emplace(route.from, route.to);
        index.modes.insert(route.mode);
    }
    return index;
}

// ---- sections ---------------------------------------------------------------------------------

std::vector<BlocSpec> read_blocs(const YamlValue& value, const std::vector<NodeSpec>& nodes) {
    std::set<std::string, std::less<>> countries;
    for (const NodeSpec& node : nodes) countries.insert(node.country);
    std::vector<BlocSpec> blocs;
    std::map<std::string, SourcePos, std::less<>> seen;
    for (const YamlValue& item : value.list()) {
        BlocSpec bloc = read_bloc(item, countries);
        if (const auto [it, fresh] = seen.emplace(bloc.id, bloc.where); !fresh)
            YamlMap(item).get("id").fail("duplicate bloc id '" + bloc.id +
                                         "' (first defined at line " + line_of(it->second) + ")");
        blocs.push_back(std::move(bloc));
    }
    return blocs;
}

MarketSpec read_market(const YamlValue& value) {
    const YamlMap map(value);
    map.check_keys(kMarketKeys);
    MarketSpec market;
    if (const auto elasticity = map.find("elasticity"))
        market.elasticity = elasticity->number(Bound::NonNegative);
    if (const auto window = map.find("window_days")) market.window_days = window->small_integer(1);
    if (const auto multiple = map.find("max_multiple")) {
        market.max_multiple = multiple->number();
        if (market.max_multiple < 1.0)
            multiple->fail("expected a number >= 1, got " + multiple->describe());
    }
    return market;
}

std::vector<StockpilePolicySpec> read_stockpile_policies(const YamlValue& value,
                                                         const ScenarioIndex& index,
                                                         const LoadContext& ctx) {
    std::vector<StockpilePolicySpec> policies;
    std::map<std::string, SourcePos, std::less<>> ids;
    // stockpile -> (policy id, policy position)
    std::map<std::string, std::pair<std::string, SourcePos>, std::less<>> owner;
    for (const YamlValue& item : value.list()) {
        StockpilePolicySpec p = read_stockpile_policy(item, index, ctx);
        const YamlMap map(item);
        if (const auto [it, fresh] = ids.emplace(p.id, p.where); !fresh)
            map.get("id").fail("duplicate stockpile policy id '" + p.id +
                               "' (first defined at line " + line_of(it->second) + ")");
        const auto entries = map.get("stockpiles").list();
        for (std::size_t i = 0; i < p.stockpiles.size(); ++i) {
            const auto [it, fresh] = owner.emplace(p.stockpiles[i], std::pair{p.id, p.where});
            if (!fresh)
                entries[i].fail("stockpile '" + p.stockpiles[i] + "' is already in policy '" +
                                it->second.first + "' (line " + line_of(it->second.second) +
                                "); a stockpile follows at most one policy");
        }
        policies.push_back(std::move(p));
    }
    return policies;
}

ResilienceSpec read_resilience(const YamlValue& value) {
    const YamlMap map(value);
    map.check_keys(kResilienceKeys);
    ResilienceSpec r;
    if (const auto start = map.find("shock_start_day"))
        r.shock_start_day = start->number(Bound::NonNegative);
    if (const auto threshold = map.find("service_threshold"))
        r.service_threshold = fraction(*threshold, Fraction::AboveZero);
    if (const auto days = map.find("recovery_days")) r.recovery_days = days->small_integer(1);
    return r;
}

} // namespace chainshock::models::io::detail
