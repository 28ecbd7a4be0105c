#pragma once
/// Changing a scenario before it is validated: `--set path=value` on the command line, and the
/// points of a sweep grid. Overrides are applied to the parsed YAML tree, so the changed scenario
/// goes through the loader's full validation like a file would.
///
/// Paths: keys joined by `.`, list elements selected by `[i]` (0-based index, all digits) or by
/// `[id]` (the element whose `id` is that text): `horizon_days`, `nodes[spr_us].capacity_t`,
/// `nodes[3].inventory.graphite`, `stockpile_policies[0].release_tpd`,
/// `shocks[cn_ban].duration_days`, `routes[2].lead_time_days`. Every step but the last must exist;
/// the last may be a new key of an existing map (the loader then checks that the key is allowed).
/// Values are YAML: `5`, `true`, `[1, 2]`, `{dist: normal, mean: 3, sd: 1}`, `"quoted text"`.

#include "models/scenario_error.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
} // namespace YAML

namespace chainshock::models::io {

/// One change to a scenario: the value at `path` becomes `value`.
struct ScenarioOverride {
    std::string path;             ///< e.g. `nodes[spr_us].capacity_t`
    std::string value;            ///< YAML text, e.g. `{dist: normal, mean: 3, sd: 1}`
    std::string origin = "--set"; ///< where it came from, for messages (`--set`, `--grid`)
    /// `path=value`: how it is written on the command line and recorded in results.
    [[nodiscard]] std::string text() const { return path + "=" + value; }
    friend bool operator==(const ScenarioOverride&, const ScenarioOverride&) = default;
};

/// Splits `path=value` at the first `=` and checks the path's syntax (not that it exists).
/// @throws std::invalid_argument with a message that names the problem (no `=`, empty or
/// malformed path).
[[nodiscard]] ScenarioOverride parse_override(std::string_view text);

/// One axis of a sweep grid: a path and the values it takes, in order.
struct GridAxis {
    std::string path;
    std::vector<std::string> values;
    friend bool operator==(const GridAxis&, const GridAxis&) = default;
};

/// Parses `path=v1,v2,...`. Values are split at top-level commas only: a comma inside `[]`, `{}`
/// or quotes does not split, so `a=1,[2,3],{x: 1, y: 2},"p,q"` has four values.
/// @throws std::invalid_argument on a bad path, an empty value or unbalanced brackets or quotes.
[[nodiscard]] GridAxis parse_grid_axis(std::string_view text);

/// The grid's points, the cartesian product of the axes with the first axis varying slowest (as
/// nested loops in axis order). Each point holds one override per axis, in axis order.
[[nodiscard]] std::vector<std::vector<ScenarioOverride>>
grid_points(std::span<const GridAxis> axes);

/// Applies `overrides` to the scenario tree `root`, in order. Returns each override's path in
/// the loader's form (list elements by index: `nodes[3].capacity_t`), to attribute later
/// validation errors to the override that caused them.
/// @throws ScenarioError (file `file_name`, no position, key `<origin> <path>`) when a path does
/// not exist, selects into a YAML alias that other keys share, or a value is not valid YAML.
std::vector<std::string> apply_overrides(YAML::Node& root,
                                         std::span<const ScenarioOverride> overrides,
                                         const std::string& file_name);

/// A validation error inside a value that an override set has no useful position (the value came
/// from the command line): the same error without position and with `(value from <origin>
/// path=value)` appended. nullopt when `error` lies outside every overridden value. `loader_paths`
/// is what apply_overrides returned for `overrides`.
[[nodiscard]] std::optional<ScenarioError>
attribute_to_override(const ScenarioError& error, std::span<const std::string> loader_paths,
                      std::span<const ScenarioOverride> overrides);

} // namespace chainshock::models::io
