// `nodes[]`: the keys common to every node, the keys of each kind, and the check of references
// between nodes once all of them are known.

#include "models/io/scenario_loader_internal.hpp"

#include <array>
#include <utility>

namespace chainshock::models::io::detail {

namespace {

using namespace std::string_view_literals;

constexpr std::array kNodeKinds{std::pair{"mine"sv, NodeKind::Mine},
                                std::pair{"refinery"sv, NodeKind::Refinery},
                                std::pair{"port"sv, NodeKind::Port},
                                std::pair{"manufacturer"sv, NodeKind::Manufacturer},
                                std::pair{"stockpile"sv, NodeKind::Stockpile},
                                std::pair{"warehouse"sv, NodeKind::Warehouse}};
constexpr std::array kRationings{std::pair{"fifo"sv, Rationing::Fifo},
                                 std::pair{"pro_rata"sv, Rationing::ProRata}};

constexpr std::array kCommonKeys{
    "id"sv, "kind"sv, "country"sv, "inventory"sv, "storage_capacity_t"sv, "costs"sv, "rationing"sv};
constexpr std::array kMineKeys{"commodity"sv,          "capacity_tpd"sv, "yield_factor"sv,
                               "batch_rate_per_day"sv, "batch_t"sv,      "push_to"sv};
constexpr std::array kRefineryKeys{"output"sv,          "recipe"sv,   "capacity_tpd"sv,
                                   "processing_days"sv, "lines"sv,    "output_target_t"sv,
                                   "push_to"sv,         "replenish"sv};
constexpr std::array kPortKeys{"dwell_days"sv, "throughput_tpd"sv};
constexpr std::array kManufacturerKeys{"demand"sv, "bom"sv, "backorders"sv, "replenish"sv};
constexpr std::array kStockpileKeys{"commodity"sv, "capacity_t"sv, "replenish"sv};
constexpr std::array kWarehouseKeys{"commodity"sv, "replenish"sv};
std::span<const std::string_view> kind_keys(NodeKind kind) {
    switch (kind) {
    case NodeKind::Mine:
        return kMineKeys;
    case NodeKind::Refinery:
        return kRefineryKeys;
    case NodeKind::Port:
        return kPortKeys;
    case NodeKind::Manufacturer:
        return kManufacturerKeys;
    case NodeKind::Stockpile:
        return kStockpileKeys;
    case NodeKind::Warehouse:
        return kWarehouseKeys;
    }
    return {};
}

/// Every kind-specific key, so that a key of another kind gets its own message.
std::vector<std::string_view> all_kind_keys() {
    std::vector<std::string_view> keys;
    for (const auto& [name, kind] : kNodeKinds) keys = concat(keys, kind_keys(kind));
    return keys;
}

std::string_view kind_name(NodeKind kind) {
    for (const auto& [name, value] : kNodeKinds)
        if (value == kind) return name;
    return "?";
}

/// The optional `push_to` and `replenish` lists, where the kind has them.
NodeSpec read_trade(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    if (const auto push = map.find("push_to"))
        node.push_to = read_node_list(*push, node.id, "", true, ctx);
    if (const auto replenish = map.find("replenish"))
        node.replenish = read_replenish_list(*replenish, node.id, ctx);
    return node;
}

NodeSpec read_mine(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    node.commodity = ctx.commodity_ref(map.get("commodity"));
    const auto rate = map.find("batch_rate_per_day");
    const auto batch = map.find("batch_t");
    constexpr std::string_view together = "batch_rate_per_day and batch_t go together";
    if (rate && !batch) map.fail_missing("batch_t", together);
    if (batch && !rate) map.fail_missing("batch_rate_per_day", together);
    if (const auto capacity = map.find("capacity_tpd"))
        node.capacity_tpd = capacity->number(Bound::Positive);
    else if (!rate)
        map.fail_missing("capacity_tpd", "or give batch_rate_per_day and batch_t");
    if (rate) {
        node.batch_rate_per_day = rate->number(Bound::Positive);
        node.batch_t = batch->number(Bound::Positive);
    }
    if (const auto yield = map.find("yield_factor"))
        node.yield_factor = read_distribution(*yield, Bound::NonNegative);
    return read_trade(map, std::move(node), ctx);
}

std::map<std::string, double> read_recipe(const YamlValue& value, const std::string& output,
                                          const LoadContext& ctx) {
    const YamlMap map(value);
    if (map.entries().empty())
        value.fail("expected a non-empty map {input commodity: t per t of output}, got " +
                   value.describe());
    for (const auto& entry : map.entries())
        if (entry.name == output)
            entry.key.fail("expected an input other than the output '" + output + "'");
    return read_amounts(value, Bound::Positive, ctx);
}

NodeSpec read_refinery(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    node.output = ctx.commodity_ref(map.get("output"));
    node.recipe = read_recipe(map.get("recipe"), node.output, ctx);
    node.capacity_tpd = map.get("capacity_tpd").number(Bound::Positive);
    if (const auto days = map.find("processing_days"))
        node.processing_days = read_distribution(*days, Bound::Positive);
    if (const auto lines = map.find("lines")) node.lines = lines->small_integer(1);
    if (const auto target = map.find("output_target_t"))
        node.output_target_t = target->number(Bound::Positive);
    return read_trade(map, std::move(node), ctx);
}

NodeSpec read_port(const YamlMap& map, NodeSpec node) {
    if (const auto dwell = map.find("dwell_days"))
        node.dwell_days = dwell->number(Bound::NonNegative);
    if (const auto throughput = map.find("throughput_tpd"))
        node.throughput_tpd = throughput->number(Bound::Positive);
    return node;
}

NodeSpec read_manufacturer(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    node.demand = read_demand(map.get("demand"), ctx);
    if (const auto bom = map.find("bom")) node.bom = read_amounts(*bom, Bound::Positive, ctx);
    if (const auto backorders = map.find("backorders")) node.backorders = backorders->boolean();
    return read_trade(map, std::move(node), ctx);
}

NodeSpec read_stockpile(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    node.commodity = ctx.commodity_ref(map.get("commodity"));
    node.capacity_t = map.get("capacity_t").number(Bound::Positive);
    return read_trade(map, std::move(node), ctx);
}

NodeSpec read_warehouse(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    node.commodity = ctx.commodity_ref(map.get("commodity"));
    return read_trade(map, std::move(node), ctx);
}

/// `id`, unique among nodes.
std::string read_node_id(const YamlValue& value, LoadContext& ctx) {
    std::string id = value.identifier();
    const auto [it, fresh] = ctx.node_lines.emplace(id, value.pos().line);
    if (!fresh)
        value.fail("duplicate node id '" + id + "' (first defined at line " +
                   std::to_string(it->second) + ")");
    return id;
}

NodeSpec read_common(const YamlMap& map, NodeSpec node, LoadContext& ctx) {
    node.id = read_node_id(map.get("id"), ctx);
    node.country = map.get("country").non_empty_string();
    if (const auto inventory = map.find("inventory"))
        node.inventory_t = read_amounts(*inventory, Bound::NonNegative, ctx);
    if (const auto storage = map.find("storage_capacity_t"))
        node.storage_capacity_t = storage->number(Bound::Positive);
    if (const auto costs = map.find("costs")) node.costs = read_costs(*costs);
    if (const auto rationing = map.find("rationing"))
        node.rationing = rationing->choice(kRationings);
    return node;
}

/// The commodity a node can ship to a buyer, or empty when it sells nothing of its own.
std::string_view supplied_commodity(const NodeSpec& node) {
    switch (node.kind) {
    case NodeKind::Mine:
    case NodeKind::Stockpile:
    case NodeKind::Warehouse:
        return node.commodity;
    case NodeKind::Refinery:
        return node.output;
    case NodeKind::Port:
    case NodeKind::Manufacturer:
        break;
    }
    return {};
}

} // namespace

NodeSpec read_node(const YamlValue& value, LoadContext& ctx) {
    const YamlMap map(value);
    NodeSpec node;
    node.where = value.pos();
    const YamlValue kind = map.get("kind");
    node.kind = kind.choice(kNodeKinds);
    map.check_keys(concat(kCommonKeys, kind_keys(node.kind)), all_kind_keys(),
                   "kind " + std::string(kind_name(node.kind)));
    node = read_common(map, std::move(node), ctx);
    switch (node.kind) {
    case NodeKind::Mine:
        return read_mine(map, std::move(node), ctx);
    case NodeKind::Refinery:
        return read_refinery(map, std::move(node), ctx);
    case NodeKind::Port:
        return read_port(map, std::move(node));
    case NodeKind::Manufacturer:
        return read_manufacturer(map, std::move(node), ctx);
    case NodeKind::Stockpile:
        return read_stockpile(map, std::move(node), ctx);
    case NodeKind::Warehouse:
        return read_warehouse(map, std::move(node), ctx);
    }
    return node;
}

void resolve_node_refs(const std::vector<NodeSpec>& nodes, const LoadContext& ctx) {
    std::map<std::string_view, const NodeSpec*> by_id;
    for (const NodeSpec& node : nodes) by_id.emplace(node.id, &node);
    for (const PendingNodeRef& ref : ctx.node_refs) {
        const auto it = by_id.find(ref.node);
        if (it == by_id.end())
            fail_at(ctx.file, ref.where, ref.path,
                    "unknown node '" + ref.node + "'; expected the id of a node in 'nodes'");
        const NodeSpec& node = *it->second;
        if (!ref.must_supply.empty() && supplied_commodity(node) != ref.must_supply)
            fail_at(ctx.file, ref.where, ref.path,
                    "node '" + ref.node + "' (" + std::string(kind_name(node.kind)) +
                        ") cannot supply '" + ref.must_supply +
                        "'; expected a mine, refinery, stockpile or warehouse that holds it");
    }
}

} // namespace chainshock::models::io::detail
