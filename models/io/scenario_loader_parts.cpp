// Pieces of a node spec that have a shape of their own: distributions, commodity amounts,
// supplier and push lists, replenishment and policies, demand, costs.

#include "models/io/scenario_loader_internal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace chainshock::models::io::detail {

namespace {

using Kind = DistributionSpec::Kind;
using namespace std::string_view_literals;

constexpr std::array kDistKinds{
    std::pair{"fixed"sv, Kind::Fixed},           std::pair{"uniform"sv, Kind::Uniform},
    std::pair{"triangular"sv, Kind::Triangular}, std::pair{"normal"sv, Kind::Normal},
    std::pair{"lognormal"sv, Kind::Lognormal},   std::pair{"exponential"sv, Kind::Exponential},
    std::pair{"poisson"sv, Kind::Poisson},       std::pair{"empirical"sv, Kind::Empirical}};
constexpr std::array kAllDistKeys{"dist"sv, "value"sv, "low"sv,    "mode"sv,    "high"sv,
                                  "mean"sv, "sd"sv,    "values"sv, "weights"sv, "min"sv};

std::vector<std::string_view> dist_keys(Kind kind) {
    switch (kind) {
    case Kind::Fixed:
        return {"dist", "value", "min"};
    case Kind::Uniform:
        return {"dist", "low", "high", "min"};
    case Kind::Triangular:
        return {"dist", "low", "mode", "high", "min"};
    case Kind::Normal:
    case Kind::Lognormal:
        return {"dist", "mean", "sd", "min"};
    case Kind::Exponential:
    case Kind::Poisson:
        return {"dist", "mean", "min"};
    case Kind::Empirical:
        return {"dist", "values", "weights", "min"};
    }
    return {};
}

/// A number that must exceed (or reach) another parameter: `expected a number > low (5), got 3`.
double number_beyond(const YamlValue& value, double limit, bool strict, std::string_view name) {
    const double x = value.number(Bound::NonNegative);
    if (strict ? x <= limit : x < limit)
        value.fail("expected a number " + std::string(strict ? "> " : ">= ") + std::string(name) +
                   " (" + format_number(limit) + "), got " + value.describe());
    return x;
}

DistributionSpec read_uniform(const YamlMap& map) {
    DistributionSpec d;
    d.kind = Kind::Uniform;
    d.low = map.get("low").number(Bound::NonNegative);
    d.high = number_beyond(map.get("high"), d.low, false, "low");
    return d;
}

DistributionSpec read_triangular(const YamlMap& map) {
    DistributionSpec d;
    d.kind = Kind::Triangular;
    d.low = map.get("low").number(Bound::NonNegative);
    d.high = number_beyond(map.get("high"), d.low, true, "low");
    const YamlValue mode = map.get("mode");
    d.mode = mode.number(Bound::NonNegative);
    if (d.mode < d.low || d.mode > d.high)
        mode.fail("expected a number between low (" + format_number(d.low) + ") and high (" +
                  format_number(d.high) + "), got " + mode.describe());
    return d;
}

/// normal, lognormal, exponential, poisson: a mean (and an sd for the first two).
DistributionSpec read_mean_sd(const YamlMap& map, Kind kind) {
    DistributionSpec d;
    d.kind = kind;
    const bool positive_mean = kind == Kind::Lognormal || kind == Kind::Exponential;
    d.mean = map.get("mean").number(positive_mean ? Bound::Positive : Bound::NonNegative);
    if (kind == Kind::Normal || kind == Kind::Lognormal)
        d.sd = map.get("sd").number(Bound::NonNegative);
    return d;
}

DistributionSpec read_empirical(const YamlMap& map) {
    DistributionSpec d;
    d.kind = Kind::Empirical;
    for (const YamlValue& v : map.get("values").list(false))
        d.values.push_back(v.number(Bound::NonNegative));
    const auto weights = map.find("weights");
    if (!weights) return d;
    const auto items = weights->list(false);
    if (items.size() != d.values.size())
        weights->fail("expected " + std::to_string(d.values.size()) +
                      " weights (one per value), got " + std::to_string(items.size()));
    double sum = 0.0;
    for (const YamlValue& v : items) sum += d.weights.emplace_back(v.number(Bound::NonNegative));
    if (sum <= 0.0) weights->fail("expected weights with a positive sum, got all zeros");
    return d;
}

DistributionSpec read_dist_parameters(const YamlMap& map, Kind kind, Bound fixed_bound) {
    switch (kind) {
    case Kind::Fixed:
        return DistributionSpec::fixed(map.get("value").number(fixed_bound));
    case Kind::Uniform:
        return read_uniform(map);
    case Kind::Triangular:
        return read_triangular(map);
    case Kind::Empirical:
        return read_empirical(map);
    case Kind::Normal:
    case Kind::Lognormal:
    case Kind::Exponential:
    case Kind::Poisson:
        break;
    }
    return read_mean_sd(map, kind);
}

// ---- policies ---------------------------------------------------------------------------------

using Type = PolicySpec::Type;

constexpr std::array kPolicyTypes{
    std::pair{"base_stock"sv, Type::BaseStock}, std::pair{"s_S"sv, Type::MinMax},
    std::pair{"r_Q"sv, Type::ReorderPointQuantity}, std::pair{"days_of_cover"sv, Type::DaysOfCover},
    std::pair{"order_up_to_ma"sv, Type::OrderUpToMovingAverage}};
constexpr std::array kReviews{std::pair{"periodic"sv, PolicySpec::Review::Periodic},
                              std::pair{"continuous"sv, PolicySpec::Review::Continuous}};
constexpr std::array kPolicyCommonKeys{"type"sv, "review"sv, "period_days"sv};
constexpr std::array kPolicyParamKeys{
    "level_t"sv,        "s_t"sv,     "S_t"sv, "r_t"sv, "q_t"sv, "cover_days"sv, "k_periods"sv,
    "window_periods"sv, "safety_t"sv};

std::vector<std::string_view> policy_params(Type type) {
    switch (type) {
    case Type::BaseStock:
        return {"level_t"};
    case Type::MinMax:
        return {"s_t", "S_t"};
    case Type::ReorderPointQuantity:
        return {"r_t", "q_t"};
    case Type::DaysOfCover:
        return {"cover_days"};
    case Type::OrderUpToMovingAverage:
        return {"k_periods", "window_periods", "safety_t"};
    }
    return {};
}

/// The parameters of a policy of type `type`; common keys are read by the caller.
PolicySpec read_policy_parameters(const YamlMap& map, Type type) {
    PolicySpec p;
    p.type = type;
    switch (type) {
    case Type::BaseStock:
        p.level_t = map.get("level_t").number(Bound::NonNegative);
        break;
    case Type::MinMax:
        p.min_t = map.get("s_t").number(Bound::NonNegative);
        p.max_t = number_beyond(map.get("S_t"), p.min_t, true, "s_t");
        break;
    case Type::ReorderPointQuantity:
        p.reorder_point_t = map.get("r_t").number(Bound::NonNegative);
        p.quantity_t = map.get("q_t").number(Bound::Positive);
        break;
    case Type::DaysOfCover:
        p.cover_days = map.get("cover_days").number(Bound::Positive);
        break;
    case Type::OrderUpToMovingAverage:
        p.k_periods = map.get("k_periods").small_integer(0);
        p.window_periods = map.get("window_periods").small_integer(1);
        if (const auto safety = map.find("safety_t")) p.safety_t = safety->number();
        break;
    }
    return p;
}

PolicySpec read_policy(const YamlValue& value) {
    const YamlMap map(value);
    const YamlValue type_value = map.get("type");
    const Type type = type_value.choice(kPolicyTypes);
    map.check_keys(concat(kPolicyCommonKeys, policy_params(type)), kPolicyParamKeys,
                   "policy type " + type_value.string());
    PolicySpec p = read_policy_parameters(map, type);
    p.where = value.pos();
    if (const auto review = map.find("review")) p.review = review->choice(kReviews);
    if (const auto period = map.find("period_days")) p.period_days = period->small_integer(1);
    return p;
}

// ---- supplier lists ---------------------------------------------------------------------------

constexpr std::array kNodeRefKeys{"node"sv, "share"sv};

/// A reference to a node by `id`: not `self`; queued in `ctx` to be checked once all nodes exist.
SupplierRef node_ref_at(const YamlValue& id, const std::string& self,
                        const std::string& must_supply, LoadContext& ctx) {
    SupplierRef ref;
    ref.node = id.identifier();
    ref.where = id.pos();
    if (ref.node == self) id.fail("expected a node other than '" + self + "' itself");
    ctx.node_refs.push_back({ref.node, id.path(), id.pos(), must_supply});
    return ref;
}

/// One entry of a supplier or push list (share 0 = not given; a given share is > 0).
SupplierRef read_node_entry(const YamlValue& item, const std::string& self,
                            const std::string& must_supply, LoadContext& ctx) {
    if (!item.is_map()) {
        if (!item.node().IsScalar())
            item.fail("expected a node id or a map {node, share}, got " + item.describe());
        return node_ref_at(item, self, must_supply, ctx);
    }
    const YamlMap map(item);
    map.check_keys(kNodeRefKeys);
    SupplierRef ref = node_ref_at(map.get("node"), self, must_supply, ctx);
    ref.where = item.pos();
    if (const auto share = map.find("share")) {
        ref.share = share->number(Bound::Positive);
        if (ref.share > 1.0) share->fail("expected a number in (0, 1], got " + share->describe());
    }
    return ref;
}

// ---- replenishment, demand, costs -------------------------------------------------------------

constexpr std::array kReplenishKeys{"commodity"sv, "suppliers"sv, "sourcing"sv, "policy"sv};
constexpr std::array kSourcings{std::pair{"shares"sv, ReplenishSpec::Sourcing::Shares},
                                std::pair{"priority"sv, ReplenishSpec::Sourcing::Priority},
                                std::pair{"cheapest"sv, ReplenishSpec::Sourcing::Cheapest}};
constexpr std::array kDemandKeys{
    "commodity"sv, "tpd"sv, "per_day"sv, "poisson_rate_per_day"sv, "unit_t"sv, "series_tpd"sv};
constexpr std::array kDemandProcesses{"tpd"sv, "per_day"sv, "poisson_rate_per_day"sv,
                                      "series_tpd"sv};
constexpr std::array kCostKeys{"holding_usd_per_t_day"sv, "backorder_usd_per_t_day"sv,
                               "lost_sale_usd_per_t"sv, "order_cost_usd"sv, "pipeline_holding"sv};

ReplenishSpec read_replenish(const YamlValue& value, const std::string& self, LoadContext& ctx) {
    const YamlMap map(value);
    map.check_keys(kReplenishKeys);
    ReplenishSpec r;
    r.where = value.pos();
    r.commodity = ctx.commodity_ref(map.get("commodity"));
    r.suppliers = read_node_list(map.get("suppliers"), self, r.commodity, false, ctx);
    if (const auto sourcing = map.find("sourcing")) r.sourcing = sourcing->choice(kSourcings);
    r.policy = read_policy(map.get("policy"));
    return r;
}

/// The one demand-process key given; fails when there is none or more than one.
const YamlMap::Entry& demand_process(const YamlMap& map) {
    const YamlMap::Entry* chosen = nullptr;
    const std::string expected = "expected exactly one of: " + join(kDemandProcesses);
    for (const auto& entry : map.entries()) {
        if (std::find(kDemandProcesses.begin(), kDemandProcesses.end(), entry.name) ==
            kDemandProcesses.end())
            continue;
        if (chosen != nullptr) entry.key.fail(expected + "; '" + chosen->name + "' is also given");
        chosen = &entry;
    }
    if (chosen == nullptr) map.value().fail(expected + "; got none");
    return *chosen;
}

DemandSpec read_demand_process(const YamlMap& map) {
    const auto& [name, key, value] = demand_process(map);
    DemandSpec d;
    const auto* const unit = map.find_entry("unit_t");
    if (unit != nullptr && name != "poisson_rate_per_day")
        unit->key.fail("expected 'unit_t' only together with 'poisson_rate_per_day'");
    if (name == "tpd") {
        d.per_day = DistributionSpec::fixed(value.number(Bound::NonNegative));
    } else if (name == "per_day") {
        d.per_day = read_distribution(value, Bound::NonNegative);
    } else if (name == "poisson_rate_per_day") {
        d.process = DemandSpec::Process::PoissonProcess;
        d.rate_per_day = value.number(Bound::Positive);
        if (unit != nullptr) d.unit_t = unit->value.number(Bound::Positive);
    } else {
        d.process = DemandSpec::Process::Series;
        for (const YamlValue& day : value.list(false))
            d.series_tpd.push_back(day.number(Bound::NonNegative));
    }
    return d;
}

} // namespace

std::vector<std::string_view> concat(std::span<const std::string_view> a,
                                     std::span<const std::string_view> b) {
    std::vector<std::string_view> out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

DistributionSpec read_distribution(const YamlValue& value, Bound fixed_bound) {
    if (value.try_number()) return DistributionSpec::fixed(value.number(fixed_bound));
    if (!value.is_map())
        value.fail("expected a number or a map with 'dist', got " + value.describe());
    const YamlMap map(value);
    const YamlValue dist = map.get("dist");
    const Kind kind = dist.choice(kDistKinds);
    map.check_keys(dist_keys(kind), kAllDistKeys, "dist " + dist.string());
    DistributionSpec d = read_dist_parameters(map, kind, fixed_bound);
    if (const auto min = map.find("min")) d.min = min->number(Bound::NonNegative);
    return d;
}

std::map<std::string, double> read_amounts(const YamlValue& value, Bound bound,
                                           const LoadContext& ctx) {
    std::map<std::string, double> amounts;
    const YamlMap map(value);
    for (const auto& entry : map.entries())
        amounts[ctx.commodity_ref(entry.key)] = entry.value.number(bound);
    return amounts;
}

std::vector<SupplierRef> read_node_list(const YamlValue& value, const std::string& self,
                                        const std::string& must_supply, bool allow_empty,
                                        LoadContext& ctx) {
    const auto items = value.list(allow_empty);
    std::vector<SupplierRef> refs;
    refs.reserve(items.size());
    for (const YamlValue& item : items)
        refs.push_back(read_node_entry(item, self, must_supply, ctx));
    const auto has_share = [](const SupplierRef& ref) { return ref.share > 0.0; };
    if (std::none_of(refs.begin(), refs.end(), has_share)) return refs;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (!has_share(refs[i]))
            fail_at(value.file(), items[i].pos(), child_path(items[i].path(), "share"),
                    "missing required key 'share'; either every entry gives a share or none does");
    double sum = 0.0;
    for (const SupplierRef& ref : refs) sum += ref.share;
    if (std::abs(sum - 1.0) > 1e-9)
        value.fail("expected shares that sum to 1, got " + format_number(sum));
    return refs;
}

std::vector<ReplenishSpec> read_replenish_list(const YamlValue& value, const std::string& self,
                                               LoadContext& ctx) {
    std::vector<ReplenishSpec> out;
    std::map<std::string, int, std::less<>> lines;
    for (const YamlValue& item : value.list()) {
        ReplenishSpec r = read_replenish(item, self, ctx);
        if (const auto [it, fresh] = lines.emplace(r.commodity, r.where.line); !fresh)
            YamlMap(item)
                .get("commodity")
                .fail("duplicate replenish entry for '" + r.commodity +
                      "' (first defined at line " + std::to_string(it->second) + ")");
        out.push_back(std::move(r));
    }
    return out;
}

DemandSpec read_demand(const YamlValue& value, const LoadContext& ctx) {
    const YamlMap map(value);
    map.check_keys(kDemandKeys);
    const std::string commodity = ctx.commodity_ref(map.get("commodity"));
    DemandSpec d = read_demand_process(map);
    d.commodity = commodity;
    d.where = value.pos();
    return d;
}

CostSpec read_costs(const YamlValue& value) {
    const YamlMap map(value);
    map.check_keys(kCostKeys);
    CostSpec c;
    const auto amount = [&map](std::string_view key, double fallback) {
        const auto v = map.find(key);
        return v ? v->number(Bound::NonNegative) : fallback;
    };
    c.holding_usd_per_t_day = amount("holding_usd_per_t_day", c.holding_usd_per_t_day);
    c.backorder_usd_per_t_day = amount("backorder_usd_per_t_day", c.backorder_usd_per_t_day);
    c.lost_sale_usd_per_t = amount("lost_sale_usd_per_t", c.lost_sale_usd_per_t);
    c.order_cost_usd = amount("order_cost_usd", c.order_cost_usd);
    if (const auto v = map.find("pipeline_holding")) c.pipeline_holding = v->boolean();
    return c;
}

} // namespace chainshock::models::io::detail
