#pragma once
/// Stress cases (`chainshock stress`): the scenario with one more shock, one case per single point
/// of failure to test. Knocked out in turn, each for `duration_days` from `start_day`:
///   - every mine, refinery and port (`outage`, capacity_factor 0);
///   - every route (`route_closure`, cargo under way held until it reopens);
///   - every (country, commodity) export that a buyer in another country depends on (`export_ban`
///     to all destinations): a mine or refinery of the country sells the commodity to that buyer,
///     by `replenish` or by `push_to`.
/// The scenario's own shocks stay in every case: a case asks "what if this also failed?". Running
/// the cases and ranking them is the caller's business (tools/cli_stress.cpp).

#include "models/network.hpp"
#include "models/scenario_spec.hpp"

#include <string>
#include <vector>

namespace chainshock::models {

/// One stress case: the scenario plus exactly one added shock.
struct StressCase {
    std::string kind;   ///< `outage`, `closure` or `export_ban`
    std::string target; ///< a node id, `from->to`, or `<country> <commodity>`
    ScenarioSpec spec;  ///< the scenario, the added shock last; resilience.shock_start_day set
};

/// The scenario with no added shock, measured like the cases: resilience.shock_start_day =
/// start_day, so that time-to-survive and time-to-recover exist and count from the same day.
ScenarioSpec stress_baseline(const Network& network, double start_day);

/// The cases, in a fixed order: outages in node order, closures in route order, export bans by
/// country (order of first appearance) then commodity (scenario order). The added shock's id is
/// `stress`, or `stress_2`, `stress_3`, ... when the scenario already uses it. Throws
/// std::invalid_argument unless 0 <= start_day < horizon and duration_days > 0.
std::vector<StressCase> stress_cases(const Network& network, double start_day,
                                     double duration_days);

} // namespace chainshock::models
