#include "models/network.hpp"
#include "models/scenario_error.hpp"
#include "spec_builder.hpp"

#include <doctest/doctest.h>

using namespace chainshock::models;
using namespace chainshock::models::testing;

namespace {
ScenarioSpec chain() {
    auto spec = base_spec(10, {"ore"});
    add_mine(spec, "mine", "ore", 10).country = "AU";
    add_node(spec, "port_a", NodeKind::Port, "US");
    add_node(spec, "port_b", NodeKind::Port, "US");
    auto& m = add_manufacturer(spec, "mfg", "ore", 1);
    m.country = "US";
    m.replenish.push_back(base_stock("ore", {"mine"}, 10));
    add_route(spec, "mine", "port_a", 20);
    add_route(spec, "mine", "port_b", 15);
    add_route(spec, "port_a", "mfg", 1);
    add_route(spec, "port_b", "mfg", 3);
    return spec;
}
} // namespace

TEST_CASE("the network is a Boost graph with one vertex per node and one edge per route") {
    const Network net(chain());
    CHECK(boost::num_vertices(net.graph()) == 4);
    CHECK(boost::num_edges(net.graph()) == 4);
    CHECK(net.graph()[2].id == "port_b");
    CHECK(net.graph()[2].kind == NodeKind::Port);
    CHECK(net.node_index("mfg") == 3);
    CHECK_FALSE(net.find_node("nowhere").has_value());
    CHECK(net.countries() == std::vector<std::string>{"AU", "US"});
    CHECK(net.country_of(3) == 1);
}

TEST_CASE("shipments take the quickest path (Dijkstra over mean lead times)") {
    const Network net(chain());
    const auto& path = net.path(0, 3);
    REQUIRE(path.size() == 2);
    CHECK(net.route(path[0]).to == "port_b"); // 15 + 3 beats 20 + 1
    CHECK(net.path_lead_time_days(0, 3) == doctest::Approx(18.0));
}

TEST_CASE("a supplier with no path to its buyer is bad input with a position") {
    auto spec = chain();
    spec.routes.pop_back();
    spec.routes.pop_back();
    spec.nodes[3].replenish[0].suppliers[0].where = SourcePos{12, 7};
    try {
        Network net(spec);
        FAIL("expected ScenarioError");
    } catch (const ScenarioError& e) {
        CHECK(std::string(e.what()) ==
              "test.yaml:12:7: error: nodes[3].replenish[0].suppliers[0]: no route path from "
              "'mine' to 'mfg'; expected routes connecting them (directly or via ports)");
    }
}
