#include "spec_builder.hpp"

#include <doctest/doctest.h>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {
// An ample mine supplying one manufacturer over a route of `lead` days.
ScenarioSpec single_stage(double demand_tpd, double lead, PolicySpec policy) {
    auto spec = base_spec(60, {"x"});
    add_mine(spec, "src", "x", 1e6).storage_capacity_t = 1e6;
    auto& m = add_manufacturer(spec, "mfg", "x", demand_tpd);
    m.backorders = true;
    auto rep = base_stock("x", {"src"}, 0);
    rep.policy = policy;
    m.replenish.push_back(rep);
    add_route(spec, "src", "mfg", lead);
    return spec;
}

double inventory_position(const ReplicationResult& r, std::int64_t day) {
    return series(r, day, "mfg", "on_hand_t") + series(r, day, "mfg", "on_order_t") -
           series(r, day, "mfg", "backorders_t");
}
} // namespace

TEST_CASE("periodic base stock: the position is S after each review, S - demand at day end") {
    PolicySpec p;
    p.level_t = 40;
    const auto r = run_once(single_stage(5, 3, p));
    for (std::int64_t day = 0; day < 60; ++day)
        CHECK(inventory_position(r, day) == doctest::Approx(35));
    // Order before demand: an order placed on day t arrives before day t+3's demand, so the
    // level protects L+1 = 4 days: end-of-day on hand settles at 40 - 4 x 5.
    CHECK(series(r, 30, "mfg", "on_hand_t") == doctest::Approx(20));
    CHECK(kpi(r, "mfg", "orders_placed") == 60);
}

TEST_CASE("periodic review every 7 days orders once a week") {
    PolicySpec p;
    p.level_t = 100;
    p.period_days = 7;
    const auto r = run_once(single_stage(5, 2, p));
    CHECK(kpi(r, "mfg", "orders_placed") == 9); // days 0, 7, ..., 56
}

TEST_CASE("(s, S) orders up to S only when the position is at or below s") {
    PolicySpec p;
    p.type = PolicySpec::Type::MinMax;
    p.min_t = 10;
    p.max_t = 50;
    const auto r = run_once(single_stage(5, 1, p));
    // Position falls 5 a day from 50 to 10 (8 days), then back to 50: an order every 8 days.
    CHECK(kpi(r, "mfg", "orders_placed") == doctest::Approx(60.0 / 8.0).epsilon(0.15));
    for (std::int64_t day = 0; day < 60; ++day) {
        const double ip = inventory_position(r, day);
        CHECK(ip >= 5.0 - 1e-9);
        CHECK(ip <= 45.0 + 1e-9);
    }
}

TEST_CASE("(r, Q) orders whole multiples of Q") {
    PolicySpec p;
    p.type = PolicySpec::Type::ReorderPointQuantity;
    p.reorder_point_t = 20;
    p.quantity_t = 25;
    const auto r = run_once(single_stage(5, 2, p));
    // 300 t demanded over 60 days in lots of 25; the first review orders 25 (position 0 -> 25).
    CHECK(kpi(r, "mfg", "received_t") / 25.0 ==
          doctest::Approx(std::round(kpi(r, "mfg", "received_t") / 25.0)));
    CHECK(kpi(r, "mfg", "orders_placed") == doctest::Approx(300.0 / 25.0).epsilon(0.1));
}

TEST_CASE("days of cover sets the level from expected use") {
    PolicySpec p;
    p.type = PolicySpec::Type::DaysOfCover;
    p.cover_days = 6;
    const auto r = run_once(single_stage(5, 2, p));
    CHECK(inventory_position(r, 20) == doctest::Approx(6 * 5 - 5));
}

TEST_CASE("continuous review one-for-one orders after every demand") {
    PolicySpec p;
    p.review = PolicySpec::Review::Continuous;
    p.level_t = 30;
    const auto r = run_once(single_stage(5, 2, p));
    CHECK(kpi(r, "mfg", "orders_placed") == 60); // one per daily demand
    // Orders of the last two days are in transit, so on hand = S - demand over the lead time.
    CHECK(series(r, 40, "mfg", "on_hand_t") == doctest::Approx(30 - 2 * 5));
}

namespace {
ScenarioSpec two_suppliers(ReplenishSpec::Sourcing sourcing) {
    auto spec = base_spec(50, {"x"});
    add_mine(spec, "a", "x", 1000);
    add_mine(spec, "b", "x", 1000);
    auto& m = add_manufacturer(spec, "mfg", "x", 10);
    auto rep = base_stock("x", {"a", "b"}, 30);
    rep.suppliers[0].share = 0.7;
    rep.suppliers[1].share = 0.3;
    rep.sourcing = sourcing;
    m.replenish.push_back(rep);
    add_route(spec, "a", "mfg", 1);
    add_route(spec, "b", "mfg", 1);
    spec.routes[0].cost_usd_per_t = 50;
    spec.routes[1].cost_usd_per_t = 20;
    return spec;
}
} // namespace

TEST_CASE(
    "sourcing: shares split orders, priority takes the first, cheapest the lowest landed cost") {
    auto r = run_once(two_suppliers(ReplenishSpec::Sourcing::Shares));
    CHECK(kpi(r, "a", "shipped_t") / (kpi(r, "a", "shipped_t") + kpi(r, "b", "shipped_t")) ==
          doctest::Approx(0.7).epsilon(0.001));
    r = run_once(two_suppliers(ReplenishSpec::Sourcing::Priority));
    CHECK(kpi(r, "b", "shipped_t") == 0.0);
    r = run_once(two_suppliers(ReplenishSpec::Sourcing::Cheapest));
    CHECK(kpi(r, "a", "shipped_t") == 0.0);
    CHECK(kpi(r, "mfg", "cost_transport_usd") == doctest::Approx(20 * kpi(r, "mfg", "received_t")));
}

TEST_CASE("rationing at a short supplier: first in first out, or pro rata") {
    auto spec = base_spec(3, {"x"});
    add_mine(spec, "mine", "x", 30); // 30 t/day for two buyers wanting 40 t each
    for (const char* id : {"m1", "m2"}) {
        auto& m = add_manufacturer(spec, id, "x", 0);
        m.replenish.push_back(base_stock("x", {"mine"}, 40));
        add_route(spec, "mine", id, 1);
    }
    auto r = run_once(spec);
    // FIFO: m1's order (placed first) is served first: 30 then 10 more on day 1.
    CHECK(series(r, 1, "m1", "on_hand_t") == doctest::Approx(30));
    CHECK(series(r, 1, "m2", "on_hand_t") == 0.0);
    spec.nodes[0].rationing = Rationing::ProRata;
    r = run_once(spec);
    CHECK(series(r, 1, "m1", "on_hand_t") == doctest::Approx(15));
    CHECK(series(r, 1, "m2", "on_hand_t") == doctest::Approx(15));
}
