// `shocks[]`: the keys common to every shock (type, id, timing), the keys of each type, and the
// checks of what a shock refers to (countries and blocs, nodes, routes, ports, modes).

#include "models/io/scenario_loader_internal.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace chainshock::models::io::detail {

namespace {

using namespace std::string_view_literals;
using Type = ShockSpec::Type;
using InTransit = ShockSpec::InTransit;
using Metric = TriggerSpec::Metric;

constexpr std::array kShockTypes{std::pair{"export_ban"sv, Type::ExportBan},
                                 std::pair{"outage"sv, Type::Outage},
                                 std::pair{"route_closure"sv, Type::RouteClosure},
                                 std::pair{"lead_time"sv, Type::LeadTime},
                                 std::pair{"demand"sv, Type::Demand},
                                 std::pair{"tariff"sv, Type::Tariff},
                                 std::pair{"price_floor"sv, Type::PriceFloor}};
constexpr std::array kBanInTransit{std::pair{"continue"sv, InTransit::Continue},
                                   std::pair{"lost"sv, InTransit::Lost}};
constexpr std::array kClosureInTransit{std::pair{"held"sv, InTransit::Held},
                                       std::pair{"rerouted"sv, InTransit::Rerouted},
                                       std::pair{"lost"sv, InTransit::Lost}};
constexpr std::array kMetrics{std::pair{"price"sv, Metric::Price},
                              std::pair{"shortfall_fraction"sv, Metric::ShortfallFraction}};

constexpr std::array kCommonKeys{"type"sv, "id"sv, "start_day"sv, "duration_days"sv, "trigger"sv};
constexpr std::array kExportBanKeys{"country"sv, "commodity"sv, "to"sv,
                                    "exempt"sv,  "quota_tpd"sv, "in_transit"sv};
constexpr std::array kOutageKeys{"nodes"sv, "select"sv, "capacity_factor"sv, "destroyed_share"sv,
                                 "random"sv};
constexpr std::array kRouteClosureKeys{"route"sv, "port"sv, "mode"sv, "in_transit"sv, "random"sv};
constexpr std::array kLeadTimeKeys{"route"sv, "port"sv, "mode"sv, "factor"sv};
constexpr std::array kDemandKeys{"nodes"sv, "country"sv, "factor"sv};
constexpr std::array kTariffKeys{"importer"sv, "commodity"sv, "origin"sv, "rate"sv};
constexpr std::array kPriceFloorKeys{"importer"sv, "commodity"sv, "floor_usd_per_t"sv, "exempt"sv};

constexpr std::array kLaneTargets{"route"sv, "port"sv, "mode"sv};
constexpr std::array kOutageTargets{"nodes"sv, "select"sv};
constexpr std::array kDemandTargets{"nodes"sv, "country"sv};
constexpr std::array kRandomKeys{"up_days"sv, "down_days"sv};
constexpr std::array kSelectKeys{"country"sv, "kind"sv};
constexpr std::array kRouteKeys{"from"sv, "to"sv};
constexpr std::array kPriceTriggerKeys{"metric"sv, "commodity"sv, "above"sv};
constexpr std::array kShortfallTriggerKeys{"metric"sv, "country"sv, "above"sv};
constexpr std::array kAllTriggerKeys{"metric"sv, "commodity"sv, "country"sv, "above"sv};

/// Pairs of timing keys that exclude each other: a shock starts at `start_day`, when its
/// `trigger` is met (both may end after `duration_days`), or follows its `random` process.
constexpr std::array kTimingConflicts{
    std::pair{"random"sv, "start_day"sv}, std::pair{"random"sv, "duration_days"sv},
    std::pair{"random"sv, "trigger"sv}, std::pair{"trigger"sv, "start_day"sv}};

std::span<const std::string_view> type_keys(Type type) {
    switch (type) {
    case Type::ExportBan:
        return kExportBanKeys;
    case Type::Outage:
        return kOutageKeys;
    case Type::RouteClosure:
        return kRouteClosureKeys;
    case Type::LeadTime:
        return kLeadTimeKeys;
    case Type::Demand:
        return kDemandKeys;
    case Type::Tariff:
        return kTariffKeys;
    case Type::PriceFloor:
        return kPriceFloorKeys;
    }
    return {};
}

/// Every type-specific key, so that a key of another type gets its own message.
std::vector<std::string_view> all_type_keys() {
    std::vector<std::string_view> keys;
    for (const auto& [name, type] : kShockTypes) keys = concat(keys, type_keys(type));
    return keys;
}

std::string_view type_name(Type type) {
    for (const auto& [name, value] : kShockTypes)
        if (value == type) return name;
    return "?";
}

/// Checks references (nodes, countries, commodities) of one shock.
struct ShockReader {
    const ScenarioIndex& index;
    const LoadContext& ctx;

    /// `nodes`: a non-empty list of distinct existing nodes; `kind` restricts them when given.
    [[nodiscard]] std::vector<std::string> node_list(const YamlValue& value,
                                                     std::optional<NodeKind> kind) const {
        std::vector<std::string> ids;
        for (const YamlValue& item : value.list(false)) {
            const NodeSpec& node = kind ? index.node_of_kind(item, *kind) : index.node(item);
            if (std::find(ids.begin(), ids.end(), node.id) != ids.end())
                item.fail("duplicate node '" + node.id + "' in this list");
            ids.push_back(node.id);
        }
        return ids;
    }

    /// `select: {country, kind}`: at least one key, and at least one node must match.
    [[nodiscard]] ShockSpec select(const YamlValue& value, ShockSpec s) const {
        const YamlMap map(value);
        map.check_keys(kSelectKeys);
        if (map.entries().empty())
            value.fail("expected a map with 'country', 'kind' or both, got " + value.describe());
        if (const auto country = map.find("country"))
            s.select_country = index.country_or_bloc(*country);
        if (const auto kind = map.find("kind")) s.select_kind = kind->choice(kNodeKindChoices);
        const auto matches = [&](const auto& entry) {
            const NodeSpec& node = *entry.second;
            return (s.select_country.empty() || index.in_country(node, s.select_country)) &&
                   (!s.select_kind || node.kind == *s.select_kind);
        };
        if (std::none_of(index.nodes.begin(), index.nodes.end(), matches)) {
            std::string what = "no node";
            if (s.select_kind) what += " of kind " + std::string(node_kind_name(*s.select_kind));
            if (!s.select_country.empty()) what += " in '" + s.select_country + "'";
            value.fail(what + "; expected a selection that matches some node");
        }
        return s;
    }

    /// `route: {from, to}`: an existing route (of any mode).
    [[nodiscard]] ShockSpec route(const YamlValue& value, ShockSpec s) const {
        const YamlMap map(value);
        map.check_keys(kRouteKeys);
        s.route_from = index.node(map.get("from")).id;
        s.route_to = index.node(map.get("to")).id;
        if (!index.routes.contains(std::pair{s.route_from, s.route_to}))
            value.fail("no route from '" + s.route_from + "' to '" + s.route_to +
                       "'; expected the from and to of a route in 'routes'");
        return s;
    }

    /// route_closure, lead_time: exactly one of `route`, `port`, `mode`.
    [[nodiscard]] ShockSpec lane_target(const YamlMap& map, ShockSpec s) const {
        const YamlMap::Entry& target = exactly_one(map, kLaneTargets);
        if (target.name == "route") return route(target.value, std::move(s));
        if (target.name == "port") {
            s.port = index.node_of_kind(target.value, NodeKind::Port).id;
            return s;
        }
        s.mode = target.value.non_empty_string();
        if (!index.modes.contains(s.mode)) {
            const std::vector<std::string_view> modes(index.modes.begin(), index.modes.end());
            target.value.fail("no route uses mode '" + s.mode +
                              "'; expected one of: " + (modes.empty() ? "(none)" : join(modes)));
        }
        return s;
    }

    [[nodiscard]] ShockSpec export_ban(const YamlMap& map, ShockSpec s) const {
        s.country = index.country_or_bloc(map.get("country"));
        s.commodity = ctx.commodity_ref(map.get("commodity"));
        if (const auto to = map.find("to")) s.destinations = index.country_or_bloc_list(*to);
        if (const auto exempt = map.find("exempt")) s.exempt = index.country_or_bloc_list(*exempt);
        if (const auto quota = map.find("quota_tpd"))
            s.quota_tpd = quota->number(Bound::NonNegative);
        if (const auto in_transit = map.find("in_transit"))
            s.in_transit = in_transit->choice(kBanInTransit);
        return s;
    }

    [[nodiscard]] ShockSpec outage(const YamlMap& map, ShockSpec s) const {
        const YamlMap::Entry& target = exactly_one(map, kOutageTargets);
        if (target.name == "nodes")
            s.nodes = node_list(target.value, std::nullopt);
        else
            s = select(target.value, std::move(s));
        if (const auto factor = map.find("capacity_factor"))
            s.capacity_factor = fraction(*factor, Fraction::Closed);
        if (const auto share = map.find("destroyed_share"))
            s.destroyed_share = fraction(*share, Fraction::Closed);
        return s;
    }

    [[nodiscard]] ShockSpec route_closure(const YamlMap& map, ShockSpec s) const {
        s = lane_target(map, std::move(s));
        s.in_transit = InTransit::Held;
        if (const auto in_transit = map.find("in_transit"))
            s.in_transit = in_transit->choice(kClosureInTransit);
        return s;
    }

    [[nodiscard]] ShockSpec lead_time(const YamlMap& map, ShockSpec s) const {
        s = lane_target(map, std::move(s));
        s.factor = map.get("factor").number(Bound::Positive);
        return s;
    }

    /// Demand applies to manufacturers: listed ones, or those of a country or bloc.
    [[nodiscard]] ShockSpec demand(const YamlMap& map, ShockSpec s) const {
        const YamlMap::Entry& target = exactly_one(map, kDemandTargets);
        if (target.name == "nodes")
            s.nodes = node_list(target.value, NodeKind::Manufacturer);
        else
            s.country = index.country_or_bloc(target.value);
        s.factor = map.get("factor").number(Bound::Positive);
        return s;
    }

    [[nodiscard]] ShockSpec tariff(const YamlMap& map, ShockSpec s) const {
        s.importer = index.country_or_bloc(map.get("importer"));
        s.commodity = ctx.commodity_ref(map.get("commodity"));
        if (const auto origin = map.find("origin")) s.origin = index.country_or_bloc(*origin);
        s.rate = map.get("rate").number(Bound::NonNegative);
        return s;
    }

    [[nodiscard]] ShockSpec price_floor(const YamlMap& map, ShockSpec s) const {
        s.importer = index.country_or_bloc(map.get("importer"));
        s.commodity = ctx.commodity_ref(map.get("commodity"));
        s.floor_usd_per_t = map.get("floor_usd_per_t").number(Bound::Positive);
        if (const auto exempt = map.find("exempt")) s.exempt = index.country_or_bloc_list(*exempt);
        return s;
    }

    /// `trigger: {metric, commodity | country, above}`.
    [[nodiscard]] TriggerSpec trigger(const YamlValue& value) const {
        const YamlMap map(value);
        const YamlValue metric = map.get("metric");
        TriggerSpec t;
        t.where = value.pos();
        t.metric = metric.choice(kMetrics);
        const bool price = t.metric == Metric::Price;
        map.check_keys(price ? std::span<const std::string_view>(kPriceTriggerKeys)
                             : std::span<const std::string_view>(kShortfallTriggerKeys),
                       kAllTriggerKeys, "metric " + metric.string());
        if (price) {
            t.commodity = ctx.commodity_ref(map.get("commodity"));
            t.above = map.get("above").number(Bound::Positive);
        } else {
            if (const auto country = map.find("country"))
                t.country = index.country_or_bloc(*country);
            t.above = fraction(map.get("above"), Fraction::BelowOne);
        }
        return t;
    }

    [[nodiscard]] ShockSpec timing(const YamlMap& map, ShockSpec s) const {
        check_timing_keys(map);
        if (const auto start = map.find("start_day"))
            s.start_day = start->number(Bound::NonNegative);
        if (const auto duration = map.find("duration_days"))
            s.duration_days = duration->number(Bound::Positive);
        if (const auto trigger_value = map.find("trigger")) s.trigger = trigger(*trigger_value);
        if (const auto random = map.find("random")) {
            const YamlMap process(*random);
            process.check_keys(kRandomKeys);
            s.up_days = period(process.get("up_days"));
            s.down_days = period(process.get("down_days"));
        }
        return s;
    }

    /// Fails at the second of two timing keys that exclude each other.
    static void check_timing_keys(const YamlMap& map) {
        std::vector<std::string_view> seen;
        for (const auto& entry : map.entries()) {
            for (const auto& [a, b] : kTimingConflicts) {
                const std::string_view other = entry.name == a ? b : entry.name == b ? a : ""sv;
                if (other.empty() || std::find(seen.begin(), seen.end(), other) == seen.end())
                    continue;
                entry.key.fail("not allowed together with '" + std::string(other) +
                               "'; a shock starts at start_day, when its trigger is met, or by "
                               "its random up/down process");
            }
            seen.push_back(entry.name);
        }
    }

    /// An up or down period of a random shock: non-negative values and a positive mean (a zero
    /// mean would alternate forever without time passing).
    static DistributionSpec period(const YamlValue& value) {
        DistributionSpec d = read_distribution(value, Bound::Positive);
        if (!(d.mean_value() > 0.0))
            value.fail("expected a distribution with a mean > 0, got a mean of " +
                       format_number(d.mean_value()));
        return d;
    }

    [[nodiscard]] ShockSpec type_keys_of(const YamlMap& map, ShockSpec s) const {
        switch (s.type) {
        case Type::ExportBan:
            return export_ban(map, std::move(s));
        case Type::Outage:
            return outage(map, std::move(s));
        case Type::RouteClosure:
            return route_closure(map, std::move(s));
        case Type::LeadTime:
            return lead_time(map, std::move(s));
        case Type::Demand:
            return demand(map, std::move(s));
        case Type::Tariff:
            return tariff(map, std::move(s));
        case Type::PriceFloor:
            return price_floor(map, std::move(s));
        }
        return s;
    }

    /// Shock number `position` in the list.
    [[nodiscard]] ShockSpec shock(const YamlValue& value, std::size_t position) const {
        const YamlMap map(value);
        ShockSpec s;
        s.where = value.pos();
        const YamlValue type = map.get("type");
        s.type = type.choice(kShockTypes);
        map.check_keys(concat(kCommonKeys, type_keys(s.type)), all_type_keys(),
                       "shock type " + type.string());
        if (const auto id = map.find("id"))
            s.id = id->identifier();
        else
            s.id = std::string(type_name(s.type)) + "_" + std::to_string(position);
        s = timing(map, std::move(s));
        return type_keys_of(map, std::move(s));
    }
};

} // namespace

std::vector<ShockSpec> read_shocks(const YamlValue& value, const ScenarioIndex& index,
                                   const LoadContext& ctx) {
    const ShockReader reader{index, ctx};
    std::vector<ShockSpec> shocks;
    std::map<std::string, std::size_t, std::less<>> positions; // id -> index in `shocks`
    const auto items = value.list();
    for (std::size_t i = 0; i < items.size(); ++i) {
        ShockSpec s = reader.shock(items[i], i);
        if (const auto [it, fresh] = positions.emplace(s.id, i); !fresh) {
            const std::size_t first = it->second;
            const std::string_view origin = YamlMap(items[first]).has("id")
                                                ? "first defined at line "
                                                : "the default id of the shock at line ";
            const auto id = YamlMap(items[i]).find("id");
            (id ? *id : items[i])
                .fail("duplicate shock id '" + s.id + "' (" + std::string(origin) +
                      std::to_string(shocks[first].where.line) + ")");
        }
        shocks.push_back(std::move(s));
    }
    return shocks;
}

} // namespace chainshock::models::io::detail
