// The issue-4 sections of a scenario: blocs, shocks, market, stockpile policies, resilience.
// Error messages of single mistakes are in tests/data/bad/{shock,bloc,policy}_*.yaml.

#include "models/io/scenario_loader.hpp"
#include "models/scenario_error.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace chainshock::models;
using chainshock::models::io::load_scenario_file;
using chainshock::models::io::load_scenario_text;
using Strings = std::vector<std::string>;

namespace {

const fs::path kDataDir = CHAINSHOCK_TEST_DATA_DIR;

ScenarioSpec load_shocks() { return load_scenario_file(kDataDir / "good/shocks.yaml"); }

/// A small network followed by `sections` (YAML text of the issue-4 sections).
std::string with_sections(const std::string& sections) {
    return R"(schema_version: 1
name: s
horizon_days: 10
commodities: [{id: ore}]
nodes:
  - {id: m, kind: mine, country: CN, commodity: ore, capacity_tpd: 1}
  - {id: p, kind: port, country: US}
  - {id: f, kind: manufacturer, country: US, demand: {commodity: ore, tpd: 1}}
  - {id: s, kind: stockpile, country: US, commodity: ore, capacity_t: 10}
routes:
  - {from: m, to: p, mode: sea, lead_time_days: 20}
  - {from: p, to: f, mode: road, lead_time_days: 2}
)" + sections;
}

std::string error_of_text(const std::string& yaml) {
    try {
        (void)load_scenario_text(yaml, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("shocks.yaml: blocs, market and resilience") {
    const ScenarioSpec spec = load_shocks();
    REQUIRE(spec.blocs.size() == 2);
    CHECK(spec.blocs[0].id == "usmca");
    CHECK(spec.blocs[0].countries == Strings{"US", "MX", "CA"});
    CHECK(spec.blocs[0].where.line == 64);
    CHECK(spec.blocs[1].countries == Strings{"US", "AU"});

    CHECK(spec.market.elasticity == 2.5);
    CHECK(spec.market.window_days == 14);
    CHECK(spec.market.max_multiple == 4.0);

    CHECK(spec.resilience.shock_start_day == 30.0);
    CHECK(spec.resilience.service_threshold == 0.95);
    CHECK(spec.resilience.recovery_days == 14);
}

TEST_CASE("shocks.yaml: export bans") {
    const ScenarioSpec spec = load_shocks();
    REQUIRE(spec.shocks.size() == 13);
    const ShockSpec& ban = spec.shocks[0];
    CHECK(ban.type == ShockSpec::Type::ExportBan);
    CHECK(ban.id == "cn_graphite_ban");
    CHECK(ban.where.line == 8);
    CHECK(ban.country == "CN");
    CHECK(ban.commodity == "graphite");
    CHECK(ban.start_day == 30.0);
    CHECK(ban.duration_days == 180.0);
    CHECK(ban.destinations == Strings{"US", "usmca"});
    CHECK(ban.exempt == Strings{"KR"});
    CHECK(ban.quota_tpd == 10.0);
    CHECK(ban.in_transit == ShockSpec::InTransit::Lost);
    CHECK_FALSE(ban.trigger.has_value());
    CHECK_FALSE(ban.up_days.has_value());

    const ShockSpec& plain = spec.shocks[10];
    CHECK(plain.id == "export_ban_10");
    CHECK(plain.commodity == "antimony");
    CHECK(plain.start_day == 0.0);
    CHECK_FALSE(plain.duration_days.has_value());
    CHECK(plain.destinations.empty());
    CHECK(plain.exempt.empty());
    CHECK_FALSE(plain.quota_tpd.has_value());
    CHECK(plain.in_transit == ShockSpec::InTransit::Continue);
}

TEST_CASE("shocks.yaml: outages, random and triggered") {
    const ScenarioSpec spec = load_shocks();
    const ShockSpec& random = spec.shocks[1];
    CHECK(random.type == ShockSpec::Type::Outage);
    CHECK(random.id == "outage_1");
    CHECK(random.nodes == Strings{"cn_graphite"});
    CHECK(random.capacity_factor == 0.5);
    CHECK(random.destroyed_share == 0.2);
    REQUIRE(random.up_days.has_value());
    CHECK(random.up_days->kind == DistributionSpec::Kind::Exponential);
    CHECK(random.up_days->mean == 90.0);
    REQUIRE(random.down_days.has_value());
    CHECK(random.down_days->kind == DistributionSpec::Kind::Fixed);
    CHECK(random.down_days->value == 10.0);
    CHECK_FALSE(random.duration_days.has_value());

    const ShockSpec& chained = spec.shocks[2];
    CHECK(chained.nodes.empty());
    CHECK(chained.select_country == "CN");
    CHECK(chained.select_kind == NodeKind::Mine);
    CHECK(chained.capacity_factor == 0.0);
    CHECK(chained.destroyed_share == 0.0);
    CHECK(chained.duration_days == 20.0);
    REQUIRE(chained.trigger.has_value());
    CHECK(chained.trigger->metric == TriggerSpec::Metric::ShortfallFraction);
    CHECK(chained.trigger->country == "usmca");
    CHECK(chained.trigger->commodity.empty());
    CHECK(chained.trigger->above == 0.1);
    CHECK(chained.trigger->where.line == 25);

    const ShockSpec& ports = spec.shocks[11];
    CHECK(ports.select_country.empty());
    CHECK(ports.select_kind == NodeKind::Port);
}

TEST_CASE("shocks.yaml: route closures and lead times") {
    const ScenarioSpec spec = load_shocks();
    const ShockSpec& lane = spec.shocks[3];
    CHECK(lane.type == ShockSpec::Type::RouteClosure);
    CHECK(lane.id == "route_closure_3");
    CHECK(lane.route_from == "cn_graphite");
    CHECK(lane.route_to == "port_la");
    CHECK(lane.port.empty());
    CHECK(lane.mode.empty());
    CHECK(lane.in_transit == ShockSpec::InTransit::Rerouted);
    CHECK(lane.start_day == 10.0);
    CHECK(lane.duration_days == 5.0);

    const ShockSpec& port = spec.shocks[4];
    CHECK(port.port == "port_mzn");
    CHECK(port.route_from.empty());
    CHECK(port.in_transit == ShockSpec::InTransit::Held);

    const ShockSpec& sea = spec.shocks[5];
    CHECK(sea.type == ShockSpec::Type::LeadTime);
    CHECK(sea.mode == "sea");
    CHECK(sea.factor == 1.5);
    const ShockSpec& road = spec.shocks[12];
    CHECK(road.route_from == "port_la");
    CHECK(road.route_to == "mfg_us");
    CHECK(road.factor == 2.0);
}

TEST_CASE("shocks.yaml: demand, tariff and price floor") {
    const ScenarioSpec spec = load_shocks();
    const ShockSpec& us = spec.shocks[6];
    CHECK(us.type == ShockSpec::Type::Demand);
    CHECK(us.country == "US");
    CHECK(us.nodes.empty());
    CHECK(us.factor == 1.3);
    const ShockSpec& mx = spec.shocks[7];
    CHECK(mx.nodes == Strings{"mfg_mx"});
    CHECK(mx.country.empty());
    CHECK(mx.factor == 0.8);

    const ShockSpec& tariff = spec.shocks[8];
    CHECK(tariff.type == ShockSpec::Type::Tariff);
    CHECK(tariff.importer == "US");
    CHECK(tariff.commodity == "antimony");
    CHECK(tariff.origin == "CN");
    CHECK(tariff.rate == 0.25);

    const ShockSpec& floor = spec.shocks[9];
    CHECK(floor.type == ShockSpec::Type::PriceFloor);
    CHECK(floor.id == "usmca_sb_floor");
    CHECK(floor.importer == "usmca");
    CHECK(floor.floor_usd_per_t == 30000.0);
    CHECK(floor.exempt == Strings{"usmca"});
    REQUIRE(floor.trigger.has_value());
    CHECK(floor.trigger->metric == TriggerSpec::Metric::Price);
    CHECK(floor.trigger->commodity == "antimony");
    CHECK(floor.trigger->above == 40000.0);
}

TEST_CASE("shocks.yaml: stockpile policies") {
    const ScenarioSpec spec = load_shocks();
    using P = StockpilePolicySpec;
    REQUIRE(spec.stockpile_policies.size() == 5);
    const P& bloc = spec.stockpile_policies[0];
    CHECK(bloc.id == "usmca_graphite");
    CHECK(bloc.where.line == 68);
    CHECK(bloc.mode == P::Mode::Coordinated);
    CHECK(bloc.commodity == "graphite");
    CHECK(bloc.stockpiles == Strings{"spr_us", "spr_mx"});
    CHECK(bloc.trigger == P::Trigger::DaysOfCover);
    CHECK(bloc.trigger_value == 20.0);
    CHECK(bloc.release_tpd == 50.0);
    CHECK(bloc.total_t == 600.0);
    CHECK(bloc.duration_days == 30.0);
    CHECK(bloc.stop_days_of_cover == 40.0);
    CHECK(bloc.refill_tpd == 5.0);
    CHECK(bloc.refill_price_ceiling == 9000.0);
    CHECK(bloc.refill_supplier == "mz_graphite");

    const P& kr = spec.stockpile_policies[1];
    CHECK(kr.mode == P::Mode::Independent);
    CHECK(kr.trigger == P::Trigger::ShortfallFraction);
    CHECK(kr.trigger_value == 0.05);
    CHECK(kr.release_tpd == 5.0);
    CHECK_FALSE(kr.total_t.has_value());
    CHECK_FALSE(kr.duration_days.has_value());
    CHECK_FALSE(kr.stop_days_of_cover.has_value());
    CHECK(kr.refill_tpd == 0.0);
    CHECK(kr.refill_supplier.empty());

    CHECK(spec.stockpile_policies[2].trigger == P::Trigger::Price);
    CHECK(spec.stockpile_policies[2].trigger_value == 35000.0);
    CHECK(spec.stockpile_policies[3].trigger == P::Trigger::Scheduled);
    CHECK(spec.stockpile_policies[3].trigger_value == 100.0);

    const P& none = spec.stockpile_policies[4];
    CHECK(none.mode == P::Mode::None);
    CHECK(none.release_tpd == 0.0);
    CHECK(none.refill_tpd == 1.0);
    CHECK_FALSE(none.refill_price_ceiling.has_value());
    CHECK(none.refill_supplier == "au_antimony");
}

TEST_CASE("the issue-4 sections are optional, with defaults") {
    const ScenarioSpec spec = load_scenario_text(with_sections(""), "d.yaml");
    CHECK(spec.blocs.empty());
    CHECK(spec.shocks.empty());
    CHECK(spec.stockpile_policies.empty());
    CHECK(spec.market.elasticity == 0.0);
    CHECK(spec.market.window_days == 7);
    CHECK(spec.market.max_multiple == 5.0);
    CHECK_FALSE(spec.resilience.shock_start_day.has_value());
    CHECK(spec.resilience.service_threshold == 0.99);
    CHECK(spec.resilience.recovery_days == 7);

    const ScenarioSpec empty = load_scenario_text(
        with_sections("blocs: []\nshocks: []\nstockpile_policies: []\nmarket: {}\n"
                      "resilience: {}\n"),
        "e.yaml");
    CHECK(empty.shocks.empty());
    CHECK(empty.market.window_days == 7);
}

TEST_CASE("a triggered shock may have a duration; a random one has no other timing") {
    const ScenarioSpec spec = load_scenario_text(
        with_sections("shocks:\n  - {type: demand, country: US, factor: 2, duration_days: 5,\n"
                      "     trigger: {metric: shortfall_fraction, above: 0}}\n"),
        "t.yaml");
    CHECK(spec.shocks.at(0).duration_days == 5.0);
    CHECK(spec.shocks.at(0).trigger->country.empty());
    CHECK(spec.shocks.at(0).trigger->above == 0.0);

    CHECK(error_of_text(with_sections(
              "shocks:\n  - {type: outage, nodes: [m], random: {up_days: 9, down_days: 1},\n"
              "     duration_days: 5}\n")) ==
          "t.yaml:15:6: error: shocks[0].duration_days: not allowed together with 'random'; a "
          "shock starts at start_day, when its trigger is met, or by its random up/down process");
    CHECK(error_of_text(with_sections("shocks:\n  - type: outage\n    nodes: [m]\n"
                                      "    random: {up_days: {dist: uniform, low: 0, high: 0},\n"
                                      "             down_days: 1}\n")) ==
          "t.yaml:16:23: error: shocks[0].random.up_days: expected a distribution with a mean "
          "> 0, got a mean of 0");
}

TEST_CASE("countries and blocs in references") {
    const std::string bloc = "blocs: [{id: nam, countries: [US]}]\n";
    const auto shock = [&](const std::string& s) { return with_sections(bloc + "shocks:\n" + s); };
    CHECK(load_scenario_text(shock("  - {type: outage, select: {country: nam}}\n"), "b.yaml")
              .shocks.at(0)
              .select_country == "nam");
    CHECK(error_of_text(shock("  - {type: outage, select: {country: nam, kind: mine}}\n")) ==
          "t.yaml:15:28: error: shocks[0].select: no node of kind mine in 'nam'; expected a "
          "selection that matches some node");
    CHECK(error_of_text(shock("  - {type: tariff, importer: EU, commodity: ore, rate: 0.1}\n")) ==
          "t.yaml:15:30: error: shocks[0].importer: unknown country or bloc 'EU'; expected a "
          "country of some node or a bloc id");
    CHECK(error_of_text(shock("  - {type: outage, select: {}}\n")) ==
          "t.yaml:15:28: error: shocks[0].select: expected a map with 'country', 'kind' or both, "
          "got an empty map");
}

TEST_CASE("a refill supplier is not one of the policy's stockpiles") {
    CHECK(error_of_text(with_sections(
              "stockpile_policies:\n  - {id: x, mode: none, commodity: ore, stockpiles: [s],\n"
              "     refill: {rate_tpd: 1, supplier: s}}\n")) ==
          "t.yaml:15:38: error: stockpile_policies[0].refill.supplier: expected a node other than "
          "the policy's own stockpiles, got 's'");
}
