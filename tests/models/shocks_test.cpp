// Each kind of shock: its effect while active, and that flows resume when it ends. Every run also
// passes the mass-balance audit, including destroyed stock and lost cargo.
#include "spec_builder.hpp"

#include <doctest/doctest.h>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {

// A Chinese mine pushing 10 t/day to a US plant over a 5-day lane; the plant keeps what lands.
ScenarioSpec push_chain() {
    auto spec = base_spec(60, {"graphite"});
    auto& mine = add_mine(spec, "cn_mine", "graphite", 10);
    mine.country = "CN";
    mine.push_to.push_back(SupplierRef{"us_plant", 0.0, {}});
    add_manufacturer(spec, "us_plant", "graphite", 0).country = "US";
    add_route(spec, "cn_mine", "us_plant", 5);
    return spec;
}

ShockSpec ban(double start, double duration) {
    ShockSpec s;
    s.type = ShockSpec::Type::ExportBan;
    s.id = "ban";
    s.country = "CN";
    s.commodity = "graphite";
    s.start_day = start;
    s.duration_days = duration;
    return s;
}

} // namespace

TEST_CASE("an export ban stops shipments leaving the country, and they resume when it lifts") {
    auto spec = push_chain();
    spec.shocks.push_back(ban(10, 20));
    auto r = run_once(spec);
    // Days 0-9 land on days 5-14; nothing ships on days 10-29; on day 30 the mine ships what it
    // held back (200 t) plus that day's 10 t, landing on day 35.
    CHECK(series(r, 34, "us_plant", "on_hand_t") == doctest::Approx(100));
    CHECK(series(r, 35, "us_plant", "on_hand_t") == doctest::Approx(310));
    CHECK(kpi(r, "ban", "active_fraction") == doctest::Approx(20.0 / 60.0));

    SUBCASE("exempt destinations are not banned") {
        spec.shocks[0].exempt = {"US"};
        r = run_once(spec);
        CHECK(series(r, 34, "us_plant", "on_hand_t") == doctest::Approx(300));
    }
    SUBCASE("a quota lets a daily allowance through") {
        spec.shocks[0].quota_tpd = 4;
        r = run_once(spec);
        CHECK(series(r, 34, "us_plant", "on_hand_t") == doctest::Approx(100 + 4 * 20));
    }
    SUBCASE("with in_transit: lost, cargo under way across the border is lost") {
        spec.shocks[0].in_transit = ShockSpec::InTransit::Lost;
        r = run_once(spec);
        CHECK(kpi(r, "network", "lost_in_transit_t") == doctest::Approx(50)); // days 5-9
        CHECK(series(r, 34, "us_plant", "on_hand_t") == doctest::Approx(50));
    }
}

TEST_CASE("buyers re-source away from a banned supplier and back when the ban lifts") {
    auto spec = base_spec(80, {"sb"});
    add_mine(spec, "cn", "sb", 100).country = "CN";
    add_mine(spec, "mx", "sb", 100).country = "MX";
    auto& m = add_manufacturer(spec, "us", "sb", 10);
    m.country = "US";
    m.inventory_t = {{"sb", 40}};
    auto rep = base_stock("sb", {"cn", "mx"}, 60);
    rep.suppliers[0].share = 0.8;
    rep.suppliers[1].share = 0.2;
    m.replenish.push_back(rep);
    add_route(spec, "cn", "us", 3);
    add_route(spec, "mx", "us", 3);
    auto shock = ban(20, 30);
    shock.commodity = "sb";
    spec.shocks.push_back(shock);
    const auto r = run_once(spec);
    CHECK(kpi(r, "us", "resourced_t") == doctest::Approx(0.8 * 10 * 30).epsilon(0.05));
    CHECK(kpi(r, "us", "fill_rate") == doctest::Approx(1.0));
    // 80 days x 10 t: 80% from CN outside the ban, all from MX during it.
    CHECK(kpi(r, "mx", "shipped_t") == doctest::Approx(0.2 * 10 * 50 + 10 * 30).epsilon(0.05));
}

TEST_CASE("an outage cuts capacity, can destroy stock, and ends") {
    auto spec = base_spec(40, {"ore"});
    add_mine(spec, "mine", "ore", 10);
    ShockSpec out;
    out.type = ShockSpec::Type::Outage;
    out.id = "flood";
    out.nodes = {"mine"};
    out.capacity_factor = 0.5;
    out.destroyed_share = 0.5;
    out.start_day = 10;
    out.duration_days = 10;
    spec.shocks.push_back(out);
    const auto r = run_once(spec);
    // 100 t by day 9; 5 t/day on days 10-19, then 10 t/day again. The destruction lands one tick
    // after the shock starts, after day 10's output: half of 105 t.
    CHECK(kpi(r, "mine", "produced_t") == doctest::Approx(30 * 10 + 10 * 5));
    CHECK(kpi(r, "mine", "destroyed_t") == doctest::Approx(52.5));
    CHECK(series(r, 39, "mine", "on_hand_t") == doctest::Approx(350 - 52.5));
}

namespace {
// A mine reaching a plant directly (10 days) or via a port (3 + 12 days).
ScenarioSpec two_paths(ShockSpec::InTransit fate) {
    auto spec = base_spec(90, {"ore"});
    auto& mine = add_mine(spec, "mine", "ore", 10);
    mine.push_to.push_back(SupplierRef{"plant", 0.0, {}});
    add_node(spec, "port", NodeKind::Port);
    add_manufacturer(spec, "plant", "ore", 0);
    add_route(spec, "mine", "plant", 10);
    add_route(spec, "mine", "port", 3);
    add_route(spec, "port", "plant", 12);
    ShockSpec closure;
    closure.type = ShockSpec::Type::RouteClosure;
    closure.id = "strait";
    closure.route_from = "mine";
    closure.route_to = "plant";
    closure.start_day = 20;
    closure.duration_days = 10;
    closure.in_transit = fate;
    spec.shocks.push_back(closure);
    return spec;
}
} // namespace

TEST_CASE(
    "a lane closure diverts new cargo to open paths and decides the fate of cargo under way") {
    SUBCASE("lost") {
        const auto r = run_once(two_paths(ShockSpec::InTransit::Lost));
        CHECK(kpi(r, "network", "lost_in_transit_t") == doctest::Approx(100)); // left days 10-19
        CHECK(kpi(r, "port", "throughput_t") == doctest::Approx(100));         // left days 20-29
    }
    SUBCASE("held: it waits out the closure, nothing is lost") {
        const auto r = run_once(two_paths(ShockSpec::InTransit::Held));
        CHECK(kpi(r, "network", "lost_in_transit_t") == 0.0);
        CHECK(series(r, 29, "plant", "on_hand_t") == doctest::Approx(100)); // days 0-9 only
        CHECK(series(r, 89, "plant", "on_hand_t") == doctest::Approx(800)); // days 0-79
    }
    SUBCASE("rerouted: it turns back and takes the port") {
        const auto r = run_once(two_paths(ShockSpec::InTransit::Rerouted));
        CHECK(kpi(r, "network", "lost_in_transit_t") == 0.0);
        CHECK(kpi(r, "port", "throughput_t") == doctest::Approx(200));
        CHECK(series(r, 89, "plant", "on_hand_t") == doctest::Approx(800));
    }
}

TEST_CASE("lead-time and demand factors apply while active") {
    auto spec = push_chain();
    add_lead_time_shock(spec, "slow", "cn_mine", "us_plant", 2.0);
    auto r = run_once(spec);
    CHECK(series(r, 9, "us_plant", "on_hand_t") == 0.0);
    CHECK(series(r, 10, "us_plant", "on_hand_t") == doctest::Approx(10));

    auto demand = base_spec(20, {"x"});
    add_manufacturer(demand, "m", "x", 10).inventory_t = {{"x", 1000}};
    ShockSpec surge;
    surge.type = ShockSpec::Type::Demand;
    surge.id = "surge";
    surge.nodes = {"m"};
    surge.factor = 1.5;
    surge.start_day = 10;
    surge.duration_days = 5;
    demand.shocks.push_back(surge);
    r = run_once(demand);
    CHECK(kpi(r, "m", "demand_t") == doctest::Approx(15 * 10 + 5 * 15));
}

namespace {
ScenarioSpec cheapest_two_origins() {
    auto spec = base_spec(40, {"sb"});
    spec.commodities[0].price_usd_per_t = 1000;
    add_mine(spec, "cn", "sb", 100).country = "CN";
    add_mine(spec, "mx", "sb", 100).country = "MX";
    auto& m = add_manufacturer(spec, "us", "sb", 10);
    m.country = "US";
    auto rep = base_stock("sb", {"cn", "mx"}, 40);
    rep.sourcing = ReplenishSpec::Sourcing::Cheapest;
    m.replenish.push_back(rep);
    add_route(spec, "cn", "us", 2);
    add_route(spec, "mx", "us", 2);
    spec.routes[0].cost_usd_per_t = 50;  // China is cheaper to land...
    spec.routes[1].cost_usd_per_t = 100; // ...than Mexico, before any trade measure
    spec.blocs.push_back(BlocSpec{"usmca", {"US", "MX"}, {}});
    return spec;
}
} // namespace

TEST_CASE("tariffs and price floors change landed costs, so cheapest sourcing shifts") {
    auto spec = cheapest_two_origins();
    auto r = run_once(spec);
    CHECK(kpi(r, "mx", "shipped_t") == 0.0);

    ShockSpec tariff;
    tariff.type = ShockSpec::Type::Tariff;
    tariff.id = "tariff";
    tariff.importer = "US";
    tariff.commodity = "sb";
    tariff.origin = "CN";
    tariff.rate = 0.25; // +250 USD/t on Chinese antimony
    tariff.start_day = 20;
    spec.shocks.push_back(tariff);
    r = run_once(spec);
    CHECK(kpi(r, "cn", "shipped_t") > 0.0);
    CHECK(kpi(r, "mx", "shipped_t") > 0.0);
    // Sourcing moved at once: only the cargo already bought from China (2 days) pays the tariff.
    CHECK(kpi(r, "network", "tariff_revenue_usd") == doctest::Approx(250 * 10 * 2));

    spec.shocks[0].type = ShockSpec::Type::PriceFloor;
    spec.shocks[0].floor_usd_per_t = 1500;
    spec.shocks[0].exempt = {"usmca"};
    r = run_once(spec);
    CHECK(kpi(r, "mx", "shipped_t") > 0.0);
    CHECK(kpi(r, "network", "floor_premium_usd") == doctest::Approx((1500 - 1050) * 10 * 2));

    spec.nodes[2].replenish[0].sourcing = ReplenishSpec::Sourcing::Priority; // keeps buying Chinese
    r = run_once(spec);
    // Receipts on days 20-39 (10 t each) land below the floor by 1500 - (1000 + 50).
    CHECK(kpi(r, "us", "cost_floor_premium_usd") == doctest::Approx(20 * 10 * (1500 - 1050)));
}

TEST_CASE("a chained shock starts when the price index crosses its threshold") {
    auto spec = base_spec(60, {"ga"});
    spec.commodities[0].price_usd_per_t = 100;
    spec.market.elasticity = 4.0;
    spec.market.window_days = 3;
    auto& mine = add_mine(spec, "mine", "ga", 10);
    mine.country = "CN";
    mine.push_to.push_back(SupplierRef{"fab", 0.0, {}});
    add_manufacturer(spec, "fab", "ga", 10).country = "US";
    add_route(spec, "mine", "fab", 1);
    auto b = ban(20, 10);
    b.commodity = "ga";
    spec.shocks.push_back(b);
    ShockSpec chained;
    chained.type = ShockSpec::Type::Demand;
    chained.id = "panic_buying";
    chained.nodes = {"fab"};
    chained.factor = 2.0;
    chained.duration_days = 5;
    chained.trigger = TriggerSpec{TriggerSpec::Metric::Price, "ga", "", 250.0, {}};
    spec.shocks.push_back(chained);
    const auto r = run_once(spec);
    CHECK(kpi(r, "ga", "price_peak_usd_per_t") == doctest::Approx(500));
    CHECK(kpi(r, "panic_buying", "starts") == 1.0);
    CHECK(kpi(r, "fab", "demand_t") == doctest::Approx(600 + 5 * 10));
}

TEST_CASE("a quota is shared by all the orders a supplier fills in one pass") {
    auto spec = base_spec(40, {"co"});
    add_mine(spec, "drc", "co", 100).country = "CD";
    for (const char* id : {"a", "b", "c"}) {
        auto& m = add_manufacturer(spec, id, "co", 10);
        m.country = "US";
        m.replenish.push_back(base_stock("co", {"drc"}, 40));
        add_route(spec, "drc", id, 2);
    }
    auto quota = ban(10, 20);
    quota.country = "CD";
    quota.commodity = "co";
    quota.quota_tpd = 10;
    spec.shocks.push_back(quota);
    const auto r = run_once(spec);
    // The mine makes 100 t a day and keeps what it does not ship: what left during the quota
    // (days 10-29) is its stock on day 9 plus 20 days of output minus its stock on day 29. The
    // three plants want 30 t a day; the quota lets 10 t a day through, for all of them together.
    const double shipped =
        series(r, 9, "drc", "on_hand_t") + 20 * 100.0 - series(r, 29, "drc", "on_hand_t");
    CHECK(shipped == doctest::Approx(20 * 10.0));
    CHECK(kpi(r, "network", "shortfall_t") > 0.0);
}

TEST_CASE("a producer that filled its store during a ban ships again when the ban lifts") {
    auto spec = push_chain();
    spec.nodes[0].storage_capacity_t = 50;
    spec.shocks.push_back(ban(10, 20));
    const auto r = run_once(spec);
    // 50 t wait at the mine when the ban lifts on day 30; they land on day 35 with that day's 10 t
    // (the store is full, so nothing was produced on day 30 itself).
    CHECK(series(r, 34, "us_plant", "on_hand_t") == doctest::Approx(100));
    CHECK(series(r, 35, "us_plant", "on_hand_t") == doctest::Approx(150));
    CHECK(series(r, 59, "us_plant", "on_hand_t") == doctest::Approx(150 + 24 * 10));
}
