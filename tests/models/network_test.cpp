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

TEST_CASE("precomputed paths are the ones a full Dijkstra run finds, ties and parallel lanes "
          "included") {
    // Layers of ports with lead times of 1-3 days, so that many paths tie; some lanes doubled.
    auto spec = base_spec(10, {"ore"});
    std::uint64_t state = 12345;
    const auto draw = [&state](std::uint64_t n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % n;
    };
    constexpr int kLayers = 5;
    constexpr int kWidth = 6;
    const auto port = [](int layer, int k) {
        return "p" + std::to_string(layer) + "_" + std::to_string(k);
    };
    for (int i = 0; i < 6; ++i) add_mine(spec, "m" + std::to_string(i), "ore", 10);
    for (int layer = 0; layer < kLayers; ++layer) {
        for (int k = 0; k < kWidth; ++k) add_node(spec, port(layer, k), NodeKind::Port);
    }
    for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 2; ++j) {
            add_route(spec, "m" + std::to_string(i), port(0, (i + j) % kWidth), 1 + double(j));
        }
    }
    for (int layer = 0; layer + 1 < kLayers; ++layer) {
        for (int k = 0; k < kWidth; ++k) {
            for (int j = 0; j < 3; ++j) {
                const double lead = 1 + double(draw(3));
                add_route(spec, port(layer, k), port(layer + 1, (k + j * 2) % kWidth), lead);
                if (draw(4) == 0) {
                    add_route(spec, port(layer, k), port(layer + 1, (k + j * 2) % kWidth), lead);
                    spec.routes.back().mode = "rail";
                }
            }
        }
    }
    for (int i = 0; i < 6; ++i) {
        const std::string id = "f" + std::to_string(i);
        auto& m = add_manufacturer(spec, id, "ore", 1);
        m.replenish.push_back(base_stock("ore", {"m0", "m" + std::to_string(i), "m5"}, 10));
        add_route(spec, port(kLayers - 1, i % kWidth), id, 2);
        add_route(spec, port(kLayers - 1, (i + 3) % kWidth), id, 2);
    }
    const Network net(spec);
    int multi_hop = 0;
    for (int i = 0; i < 6; ++i) {
        const NodeIndex buyer = net.node_index("f" + std::to_string(i));
        for (const auto& supplier : net.node(buyer).replenish[0].suppliers) {
            const NodeIndex from = net.node_index(supplier.node);
            const auto full = net.shortest_path(from, buyer);
            REQUIRE(full.has_value());
            CHECK(net.path(from, buyer) == *full);
            if (full->size() > 2) ++multi_hop;
        }
    }
    CHECK(multi_hop > 0);
}
