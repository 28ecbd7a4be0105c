#pragma once
/// Shocks and stockpile policies compiled for the run: ids resolved to indices, blocs expanded to
/// country sets, days converted to ticks. Shared read-only by every replication.

#include "engine/time.hpp"
#include "models/network.hpp"
#include "models/quantity.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace chainshock::models {

/// A set of country indices (Network::countries()), as flags.
using CountrySet = std::vector<bool>;

struct ShockPlan {
    ShockSpec::Type type = ShockSpec::Type::Outage;
    std::string id;
    ShockSpec::InTransit in_transit = ShockSpec::InTransit::Continue;
    std::optional<CommodityIndex> commodity;
    CountrySet origin;              ///< export_ban: exporters; tariff: origins (empty = any)
    CountrySet destination;         ///< export_ban: banned destinations; tariff/floor: importers
    CountrySet exempt;              ///< price_floor: exempt origins
    std::vector<NodeIndex> nodes;   ///< outage, demand
    std::vector<RouteIndex> routes; ///< route_closure, lead_time
    double factor = 1.0;            ///< lead_time, demand; outage: capacity factor
    double destroyed_share = 0.0;
    double rate = 0.0;
    double floor_usd_per_t = 0.0;
    std::vector<Kg> quota_per_node; ///< export_ban with a quota: each exporter's daily allowance
    bool has_quota = false;
    // timing
    engine::Ticks start{0};
    std::optional<engine::Ticks> duration;
    bool random = false; ///< one up/down process per node (outage) or lane (closure)
    std::optional<DistributionSpec> up_days, down_days;
    std::optional<TriggerSpec> trigger;
    std::optional<CommodityIndex> trigger_commodity;
    CountrySet trigger_countries; ///< empty = network
    /// Instances: random shocks run one process per target; the others one for all targets.
    [[nodiscard]] std::size_t instances() const {
        if (!random) return 1;
        return std::max<std::size_t>(1, nodes.empty() ? routes.size() : nodes.size());
    }
    /// Whether instance `i` of this shock acts on node n / route r.
    [[nodiscard]] bool covers_node(std::size_t i, NodeIndex n) const;
    [[nodiscard]] bool covers_route(std::size_t i, RouteIndex r) const;
};

/// One instance of one shock (indices into the compiled shocks and their instances).
struct ShockInstance {
    std::uint32_t shock = 0;
    std::uint32_t instance = 0;
};

/// Which shocks can touch which lanes and trades, compiled once so that a shipment, an order or a
/// receipt looks only at the shocks that could concern it (usually none) instead of all of them.
/// Every list is in shock order, then instance order, so sums over it are taken in the order a
/// scan over all shocks would take them.
struct ShockIndex {
    /// Per route: the route_closure instances that close it.
    std::vector<std::vector<ShockInstance>> closures_by_route;
    /// Per commodity: the export bans of it (with or without a quota).
    std::vector<std::vector<std::uint32_t>> export_bans;
    /// Per commodity: whether one of its export bans has a quota (then one shipment changes what
    /// the next may carry).
    std::vector<char> quota;
    bool any_quota = false; ///< whether any export ban has a quota (quotas are counted per day)
    /// Per commodity: the tariffs and price floors on it (what landed costs add).
    std::vector<std::vector<std::uint32_t>> import_charges;
};

/// Builds the index of `shocks` for a network of `routes` routes and `commodities` commodities.
ShockIndex index_shocks(const std::vector<ShockPlan>& shocks, std::size_t routes,
                        std::size_t commodities);

struct PolicyPlan {
    std::string id;
    StockpilePolicySpec::Mode mode = StockpilePolicySpec::Mode::None;
    StockpilePolicySpec::Trigger trigger = StockpilePolicySpec::Trigger::DaysOfCover;
    double trigger_value = 0.0;
    CommodityIndex commodity = 0;
    std::vector<NodeIndex> stockpiles;
    /// Manufacturers each stockpile may serve: its own country's (independent) or the whole
    /// bloc's (coordinated) manufacturers whose BOM uses the commodity.
    std::vector<std::vector<NodeIndex>> served;
    std::vector<NodeIndex> bloc_manufacturers; ///< union over members
    Kg release_per_day = 0;
    std::optional<Kg> total;
    std::optional<engine::Ticks> duration;
    std::optional<double> stop_days_of_cover;
    Kg refill_per_day = 0;
    std::optional<double> refill_price_ceiling;
    std::optional<NodeIndex> refill_supplier;
};

/// Resolves a country or bloc name into a country set (false everywhere if unknown).
CountrySet resolve_countries(const Network& network, const std::vector<std::string>& names);

std::vector<ShockPlan> compile_shocks(const Network& network);
std::vector<PolicyPlan> compile_policies(const Network& network);

} // namespace chainshock::models
