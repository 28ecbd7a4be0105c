#pragma once
/// Reading a scenario: YAML -> a validated ScenarioSpec. Every key is checked; the first problem
/// found is thrown as a ScenarioError naming file:line:col, the key path and what was expected.
/// Validation covers types, ranges, required and unknown keys, and references between entries
/// (commodities, nodes, suppliers). Behaviour that needs the model (reachability, mass balance)
/// is checked later by the model itself.

#include "models/io/scenario_overrides.hpp"
#include "models/scenario_spec.hpp"

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace chainshock::models::io {

/// Reads and validates the scenario file at `path`. `source_file` is `path` as given and
/// `source_hash` is `scenario_hash` of the file's bytes.
/// @throws ScenarioError on bad input; a missing or unreadable file has line 0 (no position).
[[nodiscard]] ScenarioSpec load_scenario_file(const std::filesystem::path& path);

/// Validates scenario text; `file_name` names it in messages and becomes `source_file`.
/// `source_hash` is `scenario_hash(yaml)`, so it equals what load_scenario_file gives for a file
/// with these bytes.
/// @throws ScenarioError on bad input (YAML syntax errors: `invalid YAML: ...`).
[[nodiscard]] ScenarioSpec load_scenario_text(std::string_view yaml, const std::string& file_name);

/// As load_scenario_file, with `overrides` applied to the parsed YAML before validation (see
/// scenario_overrides.hpp). `source_hash` is still the hash of the file's bytes. A path that does
/// not exist throws a ScenarioError keyed `--set <path>`; an error inside a value an override set
/// carries no position and ends with `(value from --set path=value)`.
[[nodiscard]] ScenarioSpec load_scenario_file(const std::filesystem::path& path,
                                              std::span<const ScenarioOverride> overrides);

/// As load_scenario_text, with `overrides` applied before validation.
[[nodiscard]] ScenarioSpec load_scenario_text(std::string_view yaml, const std::string& file_name,
                                              std::span<const ScenarioOverride> overrides);

/// 16 lowercase hex digits: engine::Fingerprint over `bytes` taken as 8-byte little-endian words
/// (the last one zero-padded), then the byte count.
[[nodiscard]] std::string scenario_hash(std::string_view bytes);

} // namespace chainshock::models::io
