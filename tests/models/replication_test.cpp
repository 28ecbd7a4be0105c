// The events a replication leaves out (models/replication.hpp: lazy end of day, lazy demand, lazy
// mine output, allocation on arrival) must change no result. Each is switched off here by a shock
// that changes nothing (a factor of 1, a quota towards a country nobody is in), and the results
// are compared with the run that leaves the events out.
#include "spec_builder.hpp"

#include <doctest/doctest.h>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {

// Short of ore: mines run out, orders wait at them and are filled in parts.
ScenarioSpec scarce_chain() {
    auto spec = base_spec(150, {"ore", "metal"});
    spec.warmup_days = 7;
    for (const char* id : {"mine_a", "mine_b"}) {
        auto& mine = add_mine(spec, id, "ore", 18);
        mine.country = "AU";
        mine.storage_capacity_t = 60;
        mine.inventory_t = {{"ore", 30}};
        DistributionSpec yield;
        yield.kind = DistributionSpec::Kind::Uniform;
        yield.low = 0.5;
        yield.high = 1.3;
        mine.yield_factor = yield;
    }
    auto& ref = add_node(spec, "ref", NodeKind::Refinery, "CN");
    ref.output = "metal";
    ref.recipe = {{"ore", 2.0}};
    ref.capacity_tpd = 30;
    ref.lines = 2;
    ref.output_target_t = 40;
    ref.inventory_t = {{"ore", 40}, {"metal", 20}};
    ref.replenish.push_back(base_stock("ore", {"mine_a", "mine_b"}, 120));
    ref.replenish.back().sourcing = ReplenishSpec::Sourcing::Priority;
    for (int i = 0; i < 3; ++i) {
        const std::string id = "mfg_" + std::to_string(i);
        auto& m = add_manufacturer(spec, id, "metal", 0);
        m.country = "US";
        m.demand->per_day = mean_sd(DistributionSpec::Kind::Normal, 6.0 + i, 2.0);
        m.backorders = i == 1;
        m.inventory_t = {{"metal", 15}};
        m.replenish.push_back(base_stock("metal", {"ref"}, 60));
        add_route(spec, "ref", id, 4 + i);
    }
    add_route(spec, "mine_a", "ref", 2);
    add_route(spec, "mine_b", "ref", 3);
    return spec;
}

// The same, with shocks that change nothing but make every event happen.
ScenarioSpec with_every_event(ScenarioSpec spec) {
    ShockSpec demand;
    demand.type = ShockSpec::Type::Demand;
    demand.id = "demand_x1";
    demand.nodes = {"mfg_0", "mfg_1", "mfg_2"};
    demand.factor = 1.0;
    spec.shocks.push_back(demand);
    ShockSpec outage;
    outage.type = ShockSpec::Type::Outage;
    outage.id = "outage_x1";
    outage.nodes = {"mine_a", "mine_b"};
    outage.capacity_factor = 1.0;
    spec.shocks.push_back(outage);
    for (const char* commodity : {"ore", "metal"}) {
        ShockSpec quota;
        quota.type = ShockSpec::Type::ExportBan;
        quota.id = std::string("quota_nowhere_") + commodity;
        quota.country = commodity == std::string("ore") ? "AU" : "CN";
        quota.commodity = commodity;
        quota.destinations = {"ZZ"};
        quota.quota_tpd = 1.0;
        spec.shocks.push_back(quota);
    }
    return spec;
}

} // namespace

TEST_CASE("events left out change no result") {
    for (const std::uint64_t seed : {1U, 2U, 3U}) {
        INFO("seed " << seed);
        const auto lean = run_once(scarce_chain(), seed);
        const auto full = run_once(with_every_event(scarce_chain()), seed);
        CHECK(lean.events < full.events);
        CHECK(kpi(lean, "network", "shortfall_t") > 0.0); // the chain is short
        for (const Kpi& k : lean.kpis) {
            INFO(k.entity << "." << k.metric);
            CHECK(k.value == kpi(full, k.entity, k.metric));
        }
        REQUIRE(lean.series.size() == full.series.size());
        for (std::size_t i = 0; i < lean.series.size(); ++i) {
            CHECK(lean.series[i].value == full.series[i].value);
        }
    }
}
