#include "models/io/scenario_loader.hpp"
#include "models/io/scenario_overrides.hpp"
#include "models/scenario_error.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace chainshock::models;
using namespace chainshock::models::io;

namespace {

const fs::path kShocks = fs::path(CHAINSHOCK_TEST_DATA_DIR) / "good/shocks.yaml";

constexpr const char* kMinimal = R"(schema_version: 1
name: minimal
horizon_days: 10
commodities: [{id: ore}]
nodes:
  - {id: m, kind: mine, country: AU, commodity: ore, capacity_tpd: 1}
)";

/// Two mines sharing a capacity and an inventory map through YAML anchors.
constexpr const char* kAliased = R"(schema_version: 1
name: aliased
horizon_days: 10
commodities: [{id: ore}]
nodes:
  - {id: a, kind: mine, country: AU, commodity: ore, capacity_tpd: &cap 5, inventory: &inv {ore: 3}}
  - {id: b, kind: mine, country: AU, commodity: ore, capacity_tpd: *cap, inventory: *inv}
)";

std::vector<ScenarioOverride> sets(std::initializer_list<const char*> texts) {
    std::vector<ScenarioOverride> out;
    for (const char* text : texts) out.push_back(parse_override(text));
    return out;
}

ScenarioSpec load_shocks(std::initializer_list<const char*> texts) {
    return load_scenario_file(kShocks, sets(texts));
}

/// The message of the ScenarioError that loading `yaml` with `texts` throws, or "".
std::string error_of(const char* yaml, std::initializer_list<const char*> texts) {
    try {
        (void)load_scenario_text(yaml, "t.yaml", sets(texts));
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

const NodeSpec& node(const ScenarioSpec& spec, const std::string& id) {
    const auto it = std::find_if(spec.nodes.begin(), spec.nodes.end(),
                                 [&id](const NodeSpec& n) { return n.id == id; });
    REQUIRE(it != spec.nodes.end());
    return *it;
}

} // namespace

TEST_CASE("parse_override splits at the first '=' and checks the path's syntax") {
    const ScenarioOverride change = parse_override("nodes[spr_us].capacity_t=a=b");
    CHECK(change.path == "nodes[spr_us].capacity_t");
    CHECK(change.value == "a=b");
    CHECK(change.text() == "nodes[spr_us].capacity_t=a=b");
    CHECK(change.origin == "--set");
    CHECK(parse_override("horizon_days=").value.empty());
    for (const char* bad : {"horizon_days", "=5", "a..b=1", "a[]=1", "a[0=1", "a]=1", ".a=1",
                            "a.=1", "[0]=1", "a[0]b=1"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS((void)parse_override(bad), std::invalid_argument);
    }
    CHECK_THROWS_WITH((void)parse_override("a..b=1"),
                      "bad path 'a..b': expected a key at character 3");
    CHECK_THROWS_WITH((void)parse_override("nodes"), "expected PATH=VALUE, got 'nodes'");
}

TEST_CASE("each path form changes the scenario") {
    const ScenarioSpec base = load_scenario_file(kShocks);
    const ScenarioSpec spec = load_shocks({
        "horizon_days=200", "nodes[spr_us].capacity_t=5000", "nodes[14].inventory.antimony=70",
        "stockpile_policies[0].release_tpd=75", "shocks[cn_graphite_ban].duration_days=90",
        "routes[2].lead_time_days={dist: normal, mean: 3, sd: 1, min: 1.5}",
        "nodes[mfg_us].replenish[0].suppliers=[mz_graphite, spr_us]",
        "seed=77", // not in the file: a new key of an existing map
    });
    CHECK(spec.horizon_days == 200);
    CHECK(node(spec, "spr_us").capacity_t == 5000.0);
    CHECK(node(spec, "spr_mx").capacity_t == node(base, "spr_mx").capacity_t);
    CHECK(spec.nodes[14].inventory_t.at("antimony") == 70.0);
    CHECK(spec.stockpile_policies[0].release_tpd == 75.0);
    CHECK(spec.stockpile_policies[1].release_tpd == base.stockpile_policies[1].release_tpd);
    REQUIRE(spec.shocks[0].duration_days.has_value());
    CHECK(*spec.shocks[0].duration_days == 90.0);
    CHECK(spec.routes[2].lead_time_days.kind == DistributionSpec::Kind::Normal);
    CHECK(spec.routes[2].lead_time_days.mean == 3.0);
    CHECK(spec.routes[2].lead_time_days.sd == 1.0);
    CHECK(spec.routes[2].lead_time_days.min == 1.5);
    CHECK(spec.routes[1].lead_time_days.kind == DistributionSpec::Kind::Fixed);
    const auto& suppliers = node(spec, "mfg_us").replenish[0].suppliers;
    REQUIRE(suppliers.size() == 2);
    CHECK(suppliers[0].node == "mz_graphite");
    CHECK(spec.seed == 77);
    // The hash is of the file: overrides are recorded next to it, not folded into it.
    CHECK(spec.source_hash == base.source_hash);
}

TEST_CASE("values are YAML, and a later override of the same path wins") {
    const ScenarioSpec spec = load_scenario_text(
        kMinimal, "t.yaml", sets({"name=\"quoted: text\"", "horizon_days=5", "horizon_days=7"}));
    CHECK(spec.name == "quoted: text");
    CHECK(spec.horizon_days == 7);
}

TEST_CASE("a path that does not exist names the path and what is there") {
    CHECK(error_of(kMinimal, {"nodes[spr_xx].capacity_t=5"}) ==
          "t.yaml: error: --set nodes[spr_xx].capacity_t: no element with id 'spr_xx' in "
          "'nodes'; ids there: m");
    CHECK(error_of(kMinimal, {"nodes[3].capacity_tpd=5"}) ==
          "t.yaml: error: --set nodes[3].capacity_tpd: no element [3] in 'nodes' (0 to 0)");
    CHECK(error_of(kMinimal, {"routes[0].lead_time_days=5"}) ==
          "t.yaml: error: --set routes[0].lead_time_days: no key 'routes' at the top level (to "
          "add it, set 'routes' as a whole); keys there: schema_version, name, horizon_days, "
          "commodities, nodes");
    CHECK(error_of(kMinimal, {"nodes[m].inventory.ore=5"}) ==
          "t.yaml: error: --set nodes[m].inventory.ore: no key 'inventory' in 'nodes[m]' (to add "
          "it, set 'nodes[m].inventory' as a whole); keys there: id, kind, country, commodity, "
          "capacity_tpd");
    CHECK(error_of(kMinimal, {"horizon_days.days=5"}) ==
          "t.yaml: error: --set horizon_days.days: 'horizon_days' is a single value, not a map");
    CHECK(error_of(kMinimal, {"horizon_days[0]=5"}) ==
          "t.yaml: error: --set horizon_days[0]: 'horizon_days' is a single value, not a list; "
          "cannot select [0]");
    CHECK(error_of(kMinimal, {"nodes.m=5"}) ==
          "t.yaml: error: --set nodes.m: 'nodes' is a list, not a map; select an element with "
          "[index] or [id]");
    CHECK(error_of(kMinimal, {"commodities[ore].price_usd_per_t=[1"}) ==
          "t.yaml: error: --set commodities[ore].price_usd_per_t: invalid YAML value '[1': end "
          "of sequence flow not found");
    const auto routes = load_scenario_file(kShocks, {}).routes.size();
    try {
        (void)load_shocks({"routes[r1].lead_time_days=5"});
        FAIL("expected a ScenarioError");
    } catch (const ScenarioError& e) {
        CHECK(e.line() == 0);
        CHECK(e.key() == "--set routes[r1].lead_time_days");
        CHECK(e.message() == "no element with id 'r1' in 'routes' (its elements have no id; "
                             "select one by index, 0 to " +
                                 std::to_string(routes - 1) + ")");
    }
}

TEST_CASE("an invalid value is reported by the normal validation, without a position") {
    CHECK(error_of(kMinimal, {"nodes[m].capacity_tpd=-1"}) ==
          "t.yaml: error: nodes[0].capacity_tpd: expected a number > 0, got -1 (value from --set "
          "nodes[m].capacity_tpd=-1)");
    CHECK(error_of(kMinimal, {"horizon_days=soon"}) ==
          "t.yaml: error: horizon_days: expected an integer >= 1, got 'soon' (value from --set "
          "horizon_days=soon)");
    CHECK(error_of(kMinimal, {"nodes[m].commodity=gold"}) ==
          "t.yaml: error: nodes[0].commodity: unknown commodity 'gold'; expected the id of a "
          "commodity in 'commodities' (value from --set nodes[m].commodity=gold)");
    // A new key is checked like one in the file.
    const std::string unknown = error_of(kMinimal, {"horizon_dayz=5"});
    CHECK(unknown.starts_with("t.yaml: error: horizon_dayz: unknown key; expected one of: "));
    CHECK(unknown.ends_with(" (value from --set horizon_dayz=5)"));
    // A whole element replaced: errors inside it are the override's.
    CHECK(error_of(kMinimal, {"nodes[0]={id: m, kind: mine}"})
              .ends_with(" (value from --set nodes[0]={id: m, kind: mine})"));
    // An error elsewhere keeps its place in the file.
    constexpr const char* bad = R"(schema_version: 1
name: bad
horizon_days: 10
commodities: [{id: ore}]
nodes:
  - {id: m, kind: mine, country: AU, commodity: ore, capacity_tpd: -3}
)";
    CHECK(error_of(bad, {"horizon_days=20"}) ==
          "t.yaml:6:68: error: nodes[0].capacity_tpd: expected a number > 0, got -3");
}

TEST_CASE("values shared through YAML aliases change only where the path says") {
    const ScenarioSpec spec = load_scenario_text(
        kAliased, "t.yaml", sets({"nodes[a].capacity_tpd=7", "nodes[b].inventory={ore: 9}"}));
    CHECK(node(spec, "a").capacity_tpd == 7.0);
    CHECK(node(spec, "b").capacity_tpd == 5.0);
    CHECK(node(spec, "a").inventory_t.at("ore") == 3.0);
    CHECK(node(spec, "b").inventory_t.at("ore") == 9.0);
    CHECK(error_of(kAliased, {"nodes[a].inventory.ore=4"}) ==
          "t.yaml: error: --set nodes[a].inventory.ore: 'nodes[a].inventory' is shared with other "
          "keys through a YAML alias; set all of it instead (--set nodes[a].inventory=...)");
}

TEST_CASE("grid axes split at top-level commas; points are the cartesian product") {
    const GridAxis axis = parse_grid_axis(R"(x=1, [2,3],{a: 1, b: 2},"p,q",it's)");
    CHECK(axis.path == "x");
    CHECK(axis.values == std::vector<std::string>{"1", "[2,3]", "{a: 1, b: 2}", "\"p,q\"", "it's"});
    for (const char* bad : {"x=1,,2", "x=[1,2", "x=1}", "x=\"a", "x=", "x"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS((void)parse_grid_axis(bad), std::invalid_argument);
    }
    const std::vector<GridAxis> axes{{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}};
    const auto points = grid_points(axes);
    REQUIRE(points.size() == 6);
    CHECK(points[0] == std::vector<ScenarioOverride>{{"a", "1", "--grid"}, {"b", "x", "--grid"}});
    CHECK(points[2] == std::vector<ScenarioOverride>{{"a", "1", "--grid"}, {"b", "z", "--grid"}});
    CHECK(points[3] == std::vector<ScenarioOverride>{{"a", "2", "--grid"}, {"b", "x", "--grid"}});
    CHECK(grid_points({}).size() == 1);
    // A grid value's errors name --grid.
    auto changes = grid_points(std::vector<GridAxis>{{"horizon_days", {"0"}}}).front();
    try {
        (void)load_scenario_text(kMinimal, "t.yaml", changes);
        FAIL("expected a ScenarioError");
    } catch (const ScenarioError& e) {
        CHECK(std::string(e.what()).ends_with("(value from --grid horizon_days=0)"));
    }
}
