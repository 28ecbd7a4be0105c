#pragma once
/// Shocks and stockpile policies compiled for the run: ids resolved to indices, blocs expanded to
/// country sets, days converted to ticks. Shared read-only by every replication.

#include "engine/time.hpp"
#include "models/network.hpp"
#include "models/quantity.hpp"

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
    [[nodiscard]] std::size_t instances() const;
    /// Whether instance `i` of this shock acts on node n / route r.
    [[nodiscard]] bool covers_node(std::size_t i, NodeIndex n) const;
    [[nodiscard]] bool covers_route(std::size_t i, RouteIndex r) const;
};

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
