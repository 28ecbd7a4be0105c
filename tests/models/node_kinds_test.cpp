#include "spec_builder.hpp"

#include <doctest/doctest.h>

using namespace chainshock::models;
using namespace chainshock::models::testing;

TEST_CASE("a mine produces its capacity every day and stops when its storage is full") {
    auto spec = base_spec(10, {"ore"});
    add_mine(spec, "mine", "ore", 25);
    auto r = run_once(spec);
    CHECK(kpi(r, "mine", "produced_t") == doctest::Approx(250));
    CHECK(series(r, 3, "mine", "on_hand_t") == doctest::Approx(100));

    spec.nodes[0].storage_capacity_t = 60;
    r = run_once(spec);
    CHECK(kpi(r, "mine", "produced_t") == doctest::Approx(60));
}

TEST_CASE("shipments cross a port after its dwell time, and arrive on the day lead times say") {
    auto spec = base_spec(20, {"ore"});
    auto& mine = add_mine(spec, "mine", "ore", 10);
    mine.push_to.push_back(SupplierRef{"mfg", 0.0, {}});
    add_node(spec, "port", NodeKind::Port).dwell_days = 3;
    add_manufacturer(spec, "mfg", "ore", 0);
    add_route(spec, "mine", "port", 2);
    add_route(spec, "port", "mfg", 4);
    const auto r = run_once(spec);
    // Day-0 output leaves at day start: 2 days to the port, 3 there, 4 more = day 9.
    CHECK(series(r, 8, "mfg", "on_hand_t") == 0.0);
    CHECK(series(r, 9, "mfg", "on_hand_t") == doctest::Approx(10));
    CHECK(series(r, 19, "mfg", "on_hand_t") == doctest::Approx(110));
    CHECK(kpi(r, "port", "mean_wait_days") == doctest::Approx(3.0));
}

TEST_CASE("a port with a throughput limit queues cargo first in, first out") {
    auto spec = base_spec(30, {"ore"});
    auto& mine = add_mine(spec, "mine", "ore", 20);
    mine.push_to.push_back(SupplierRef{"mfg", 0.0, {}});
    auto& port = add_node(spec, "port", NodeKind::Port);
    port.throughput_tpd = 10;
    add_manufacturer(spec, "mfg", "ore", 0);
    add_route(spec, "mine", "port", 1);
    add_route(spec, "port", "mfg", 1);
    const auto r = run_once(spec);
    // 20 t/day arrive but only 10 t/day leave: the wait grows by about a day each day.
    CHECK(series(r, 29, "mfg", "on_hand_t") == doctest::Approx(280).epsilon(0.01));
    CHECK(kpi(r, "port", "mean_wait_days") > 5.0);
}

TEST_CASE("a refinery converts inputs by its recipe at its capacity") {
    auto spec = base_spec(40, {"ore", "metal"});
    auto& mine = add_mine(spec, "mine", "ore", 100);
    mine.push_to.push_back(SupplierRef{"ref", 0.0, {}});
    auto& ref = add_node(spec, "ref", NodeKind::Refinery);
    ref.output = "metal";
    ref.recipe = {{"ore", 4.0}};
    ref.capacity_tpd = 10;
    add_route(spec, "mine", "ref", 1);
    auto r = run_once(spec);
    // Ore arrives from day 1; one 10 t batch a day takes 40 t ore and one day on the line.
    CHECK(kpi(r, "ref", "produced_t") == doctest::Approx(10 * 38).epsilon(0.03));
    CHECK(kpi(r, "ref", "utilisation") == doctest::Approx(39.0 / 40.0).epsilon(0.02));

    SUBCASE("a second line doubles what it can do with a longer processing time") {
        ref.lines = 2;
        ref.processing_days = DistributionSpec::fixed(2.0);
        r = run_once(spec);
        CHECK(kpi(r, "ref", "produced_t") == doctest::Approx(380)); // 19 starts on each line
    }
    SUBCASE("an output target makes it produce to stock") {
        ref.output_target_t = 30;
        r = run_once(spec);
        CHECK(kpi(r, "ref", "produced_t") == doctest::Approx(30));
    }
}

TEST_CASE("a manufacturer loses sales or backorders them, and its BOM's scarcest input binds") {
    auto spec = base_spec(10, {"li", "co", "cell"});
    auto& m = add_manufacturer(spec, "mfg", "cell", 10);
    m.bom = {{"li", 0.5}, {"co", 0.1}};
    m.inventory_t = {{"li", 100}, {"co", 6}};
    auto r = run_once(spec);
    // Cobalt allows 60 t of cells: 6 days of full output, then nothing.
    CHECK(kpi(r, "mfg", "demand_t") == doctest::Approx(100));
    CHECK(kpi(r, "mfg", "delivered_t") == doctest::Approx(60));
    CHECK(kpi(r, "mfg", "lost_t") == doctest::Approx(40));
    CHECK(kpi(r, "mfg", "fill_rate") == doctest::Approx(0.6));
    CHECK(kpi(r, "mfg", "shortfall_days") == doctest::Approx(4));
    CHECK(series(r, 9, "mfg", "on_hand_t") == doctest::Approx(100 - 30));

    m.backorders = true;
    r = run_once(spec);
    CHECK(kpi(r, "mfg", "lost_t") == 0.0);
    CHECK(kpi(r, "mfg", "backorders_end_mean_t") == doctest::Approx((10 + 20 + 30 + 40) / 10.0));
    CHECK(series(r, 9, "mfg", "backorders_t") == doctest::Approx(40));
}

TEST_CASE("a stockpile holds its stock and can fill orders as a supplier") {
    auto spec = base_spec(30, {"ga"});
    auto& spr = add_node(spec, "spr", NodeKind::Stockpile);
    spr.commodity = "ga";
    spr.capacity_t = 1000;
    spr.inventory_t = {{"ga", 500}};
    auto r = run_once(spec);
    CHECK(kpi(r, "spr", "on_hand_end_mean_t") == doctest::Approx(500));

    auto& m = add_manufacturer(spec, "fab", "ga", 2);
    m.replenish.push_back(base_stock("ga", {"spr"}, 10));
    add_route(spec, "spr", "fab", 1);
    r = run_once(spec);
    // 10 t on day 0, then 2 t a day on days 2..29 (day 1 is covered by the first order).
    CHECK(series(r, 29, "spr", "on_hand_t") == doctest::Approx(500 - 66));
}
