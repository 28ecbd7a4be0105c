// Unit tests of the results writers in models/io: JSON, atomic output, CSV, results files, DOT.

#include "models/io/atomic_output.hpp"
#include "models/io/graph_writer.hpp"
#include "models/io/json_writer.hpp"
#include "models/io/results_writer.hpp"
#include "models/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace chainshock::models;
using namespace chainshock::models::io;

/// A fresh empty directory under the system temp dir, removed with everything in it at the end.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "chainshock-writers-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ScratchDir(ScratchDir&&) = delete;
    ScratchDir& operator=(ScratchDir&&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Names of the entries of `dir`, sorted.
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::uint64_t bits_of(double x) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
}

} // namespace

TEST_CASE("json_quote escapes quotes, backslashes and every control character") {
    CHECK(json_quote("plain") == "\"plain\"");
    CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json_quote("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
    CHECK(json_quote(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
    CHECK(json_quote(std::string("a\0b", 3)) == "\"a\\u0000b\"");
    CHECK(json_quote("\x7f") == "\"\x7f\""); // DEL needs no escape in JSON
    CHECK(json_quote("caf\xc3\xa9 \xe2\x80\x94") == "\"caf\xc3\xa9 \xe2\x80\x94\""); // UTF-8 as is
}

TEST_CASE("json_number round-trips doubles and writes non-finite values as null") {
    const double values[] = {0.0,
                             -0.0,
                             0.1,
                             1.0 / 3.0,
                             2.0 / 3.0,
                             1e-300,
                             -2.5e300,
                             123456789.123456789,
                             std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::epsilon()};
    for (const double x : values) {
        const std::string text = json_number(x);
        CAPTURE(text);
        CHECK(bits_of(std::strtod(text.c_str(), nullptr)) == bits_of(x));
    }
    CHECK(json_number(42.0) == "42");
    CHECK(json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
    CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
    CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("JsonWriter writes nested documents with an indentation of 2") {
    std::ostringstream out;
    JsonWriter json(out);
    json.begin_object()
        .field("name", "x\"y")
        .field("n", std::uint64_t{18446744073709551615ULL})
        .field("neg", std::int64_t{-3})
        .field("ok", true)
        .field("nan", std::nan(""));
    json.key("list").begin_array().value(1).value(0.5).null().end_array();
    json.key("empty_object").begin_object().end_object();
    json.key("empty_array").begin_array().end_array();
    json.key("nested").begin_array().begin_object().field("k", "v").end_object().end_array();
    json.end_object();
    CHECK(json.done());
    CHECK(out.str() == R"({
  "name": "x\"y",
  "n": 18446744073709551615,
  "neg": -3,
  "ok": true,
  "nan": null,
  "list": [
    1,
    0.5,
    null
  ],
  "empty_object": {},
  "empty_array": [],
  "nested": [
    {
      "k": "v"
    }
  ]
}
)");
}

TEST_CASE("JsonWriter rejects misuse") {
    std::ostringstream out;
    SUBCASE("value without key in an object") {
        JsonWriter json(out);
        json.begin_object();
        CHECK_THROWS_AS(json.value(1), std::logic_error);
    }
    SUBCASE("key in an array") {
        JsonWriter json(out);
        json.begin_array();
        CHECK_THROWS_AS(json.key("k"), std::logic_error);
    }
    SUBCASE("mismatched end") {
        JsonWriter json(out);
        json.begin_array();
        CHECK_THROWS_AS(json.end_object(), std::logic_error);
    }
    SUBCASE("dangling key") {
        JsonWriter json(out);
        json.begin_object().key("k");
        CHECK_THROWS_AS(json.end_object(), std::logic_error);
    }
    SUBCASE("second document") {
        JsonWriter json(out);
        json.begin_array().end_array();
        CHECK_THROWS_AS(json.value(1), std::logic_error);
    }
}

TEST_CASE("OutputDir leaves nothing behind when it is not committed") {
    const ScratchDir scratch;
    const fs::path final_dir = scratch.path() / "nested" / "results";
    {
        OutputDir dir(final_dir);
        dir.file("summary.json") << "{}";
        dir.file("replications.csv") << "partial";
        CHECK(fs::exists(dir.temp_dir()));
        CHECK(dir.temp_dir().parent_path() == final_dir.parent_path());
        CHECK(dir.temp_dir().filename().string().starts_with("results.tmp-"));
    }
    CHECK_FALSE(fs::exists(final_dir));
    CHECK(entries(scratch.path() / "nested").empty());
}

TEST_CASE("OutputDir that never opens a file creates nothing") {
    const ScratchDir scratch;
    { OutputDir dir(scratch.path() / "r"); }
    CHECK(entries(scratch.path()).empty());
}

TEST_CASE("OutputDir commit moves every file into a new directory") {
    const ScratchDir scratch;
    const fs::path final_dir = scratch.path() / "r";
    {
        OutputDir dir(final_dir);
        dir.file("a.txt") << "alpha\n";
        dir.file("b.txt") << "beta\n";
        dir.file("a.txt") << "more\n"; // the same stream again
        dir.commit();
        CHECK(dir.committed());
        CHECK_THROWS_AS(dir.commit(), std::logic_error);
        CHECK_THROWS_AS(dir.file("c.txt"), std::logic_error);
    }
    CHECK(entries(scratch.path()) == std::vector<std::string>{"r"});
    CHECK(entries(final_dir) == std::vector<std::string>{"a.txt", "b.txt"});
    CHECK(read_text(final_dir / "a.txt") == "alpha\nmore\n");
    CHECK(read_text(final_dir / "b.txt") == "beta\n");
}

TEST_CASE("OutputDir commit into an existing directory replaces same-named files only") {
    const ScratchDir scratch;
    const fs::path final_dir = scratch.path() / "r";
    fs::create_directories(final_dir);
    std::ofstream(final_dir / "a.txt") << "old";
    std::ofstream(final_dir / "keep.txt") << "kept";
    {
        OutputDir dir(final_dir.string() + "/"); // a trailing separator names the same directory
        dir.file("a.txt") << "new";
        dir.commit();
    }
    CHECK(entries(scratch.path()) == std::vector<std::string>{"r"});
    CHECK(entries(final_dir) == std::vector<std::string>{"a.txt", "keep.txt"});
    CHECK(read_text(final_dir / "a.txt") == "new");
    CHECK(read_text(final_dir / "keep.txt") == "kept");
}

TEST_CASE("OutputDir rejects file names with a directory part") {
    const ScratchDir scratch;
    OutputDir dir(scratch.path() / "r");
    CHECK_THROWS_AS(dir.file("../escape.txt"), std::invalid_argument);
    CHECK_THROWS_AS(dir.file("a/b"), std::invalid_argument);
    CHECK_THROWS_AS(dir.file(".."), std::invalid_argument);
    CHECK_THROWS_AS(dir.file(""), std::invalid_argument);
}

TEST_CASE("write_file_atomically writes, replaces and leaves no temporary file") {
    const ScratchDir scratch;
    const fs::path file = scratch.path() / "sub" / "g.dot";
    write_file_atomically(file, "digraph G {}\n");
    CHECK(read_text(file) == "digraph G {}\n");
    write_file_atomically(file, "second");
    CHECK(read_text(file) == "second");
    CHECK(entries(scratch.path() / "sub") == std::vector<std::string>{"g.dot"});
}

TEST_CASE("csv_field quotes only fields that need it") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("cr\r") == "\"cr\r\"");
}

TEST_CASE("csv_number: shortest round-trip text, NaN empty, infinities spelled out") {
    CHECK(csv_number(0.1) == "0.1");
    CHECK(csv_number(10.0) == "10");
    CHECK(csv_number(std::nan("")).empty());
    CHECK(csv_number(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(csv_number(-std::numeric_limits<double>::infinity()) == "-inf");
}

namespace {

chainshock::engine::Summary stats(double mean, double half_width, std::uint64_t n) {
    chainshock::engine::Summary s;
    s.n = n;
    s.mean = mean;
    s.sd = 1.5;
    s.ci_half_width = half_width;
    s.ci_low = mean - half_width;
    s.ci_high = mean + half_width;
    s.p5 = s.min = mean - 2.0;
    s.p50 = mean;
    s.p95 = s.max = mean + 2.0;
    return s;
}

/// Two replications, KPIs for the network, a country and two nodes (one id with a comma).
RunResult sample_result() {
    RunResult r;
    r.scenario_name = "demo \"chain\"";
    r.scenario_hash = "0123456789abcdef";
    r.version = "0.1.0";
    r.seed = 7;
    r.replications = 2;
    r.horizon_days = 365;
    r.warmup_days = 30;
    r.fingerprint = "fedcba9876543210";
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"network", "demand_t"},  {"network", "delivered_t"}, {"network", "shortfall_t"},
        {"network", "fill_rate"}, {"XA", "demand_t"},         {"fab,1", "demand_t"},
        {"fab,1", "delivered_t"}, {"fab,1", "shortfall_t"},   {"fab,1", "fill_rate"},
        {"fab_2", "demand_t"},
    };
    for (std::uint64_t rep = 0; rep < 2; ++rep) {
        ReplicationResult run;
        run.replication = rep;
        run.events = 1000 + rep;
        run.fingerprint = rep == 0 ? "00000000000000aa" : "00000000000000bb";
        double v = 0.25 + double(rep);
        for (const auto& [entity, metric] : keys) run.kpis.push_back({entity, metric, v += 1.0});
        run.series.push_back({0, "fab,1", "inventory_t", 110.0});
        run.series.push_back({1, "fab,1", "inventory_t", 0.1});
        r.runs.push_back(run);
    }
    double mean = 0.0;
    for (const auto& [entity, metric] : keys)
        r.summary.push_back({entity, metric, stats(mean += 100.0, 2.5, 2)});
    r.summary[3].stats = stats(0.975, 0.0125, 2); // network fill rate, a fraction
    r.summary[3].stats.sd = std::nan("");         // non-finite values become null
    r.summary[8].stats = stats(0.9, 0.05, 2);     // fab,1 fill rate
    return r;
}

} // namespace

TEST_CASE("replications.csv: header of KPI columns and one row per replication") {
    std::ostringstream out;
    write_replications_csv(sample_result(), out);
    const std::vector<std::string> lines = lines_of(out.str());
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "replication,fingerprint,events,network.demand_t,network.delivered_t,"
                      "network.shortfall_t,network.fill_rate,XA.demand_t,\"fab,1.demand_t\","
                      "\"fab,1.delivered_t\",\"fab,1.shortfall_t\",\"fab,1.fill_rate\","
                      "fab_2.demand_t");
    CHECK(lines[1] == "0,00000000000000aa,1000,1.25,2.25,3.25,4.25,5.25,6.25,7.25,8.25,9.25,10.25");
    CHECK(lines[2] ==
          "1,00000000000000bb,1001,2.25,3.25,4.25,5.25,6.25,7.25,8.25,9.25,10.25,11.25");
}

TEST_CASE("replications.csv refuses replications with different KPI lists") {
    RunResult r = sample_result();
    r.runs[1].kpis.pop_back();
    std::ostringstream out;
    CHECK_THROWS_AS(write_replications_csv(r, out), std::logic_error);
    const ScratchDir scratch;
    CHECK_THROWS_AS(write_results(r, scratch.path() / "r"), std::logic_error);
    CHECK(entries(scratch.path()).empty());
}

TEST_CASE("timeseries.csv is tidy") {
    std::ostringstream out;
    write_timeseries_csv(sample_result(), out);
    CHECK(out.str() == "replication,day,entity,metric,value\n"
                       "0,0,\"fab,1\",inventory_t,110\n"
                       "0,1,\"fab,1\",inventory_t,0.1\n"
                       "1,0,\"fab,1\",inventory_t,110\n"
                       "1,1,\"fab,1\",inventory_t,0.1\n");
}

TEST_CASE("summary.json carries the run identity, the network block and every KPI") {
    std::ostringstream out;
    write_summary_json(sample_result(), out);
    const std::string json = out.str();
    CHECK(json.starts_with("{\n  \"scenario\": \"demo \\\"chain\\\"\",\n"
                           "  \"scenario_hash\": \"0123456789abcdef\",\n"
                           "  \"version\": \"0.1.0\",\n  \"seed\": 7,\n  \"replications\": 2,\n"
                           "  \"replications_requested\": 2,\n  \"complete\": true,\n"
                           "  \"horizon_days\": 365,\n  \"warmup_days\": 30,\n"
                           "  \"engine\": \"sequential\",\n"
                           "  \"fingerprint\": \"fedcba9876543210\",\n"
                           "  \"replication_fingerprints\": [\n    \"00000000000000aa\",\n"
                           "    \"00000000000000bb\"\n  ],\n"));
    CHECK(json.find("  \"network\": {\n    \"demand_t\": 100,\n    \"delivered_t\": 200,\n"
                    "    \"shortfall_t\": 300,\n    \"fill_rate\": 0.975\n  },\n") !=
          std::string::npos);
    CHECK(json.find("    {\n      \"entity\": \"fab,1\",\n      \"metric\": \"demand_t\",\n"
                    "      \"mean\": 600,\n      \"sd\": 1.5,\n      \"ci95_low\": 597.5,\n"
                    "      \"ci95_high\": 602.5,\n      \"ci95_half_width\": 2.5,\n"
                    "      \"p5\": 598,\n      \"p50\": 600,\n      \"p95\": 602,\n"
                    "      \"min\": 598,\n      \"max\": 602,\n      \"n\": 2\n    }") !=
          std::string::npos);
    CHECK(json.find("\"sd\": null") != std::string::npos);
    CHECK(json.ends_with("  ]\n}\n"));
}

TEST_CASE("write_results writes the three files atomically") {
    const ScratchDir scratch;
    const fs::path out = scratch.path() / "results" / "demo";
    write_results(sample_result(), out);
    CHECK(entries(scratch.path() / "results") == std::vector<std::string>{"demo"});
    CHECK(entries(out) ==
          std::vector<std::string>{"replications.csv", "summary.json", "timeseries.csv"});
    std::ostringstream json;
    write_summary_json(sample_result(), json);
    CHECK(read_text(out / "summary.json") == json.str());
}

TEST_CASE("format_key_results: identity, then an aligned table of the four KPIs") {
    const std::string text = format_key_results(sample_result(), {"fab,1", "fab_2", "absent"});
    CHECK(text ==
          "scenario      demo \"chain\"\n"
          "replications  2\n"
          "seed          7\n"
          "fingerprint   fedcba9876543210\n"
          "\n"
          "entity     demand (t)  delivered (t)  shortfall (t)  fill rate (%)\n"
          "network   100.0 \u00b1 2.5    200.0 \u00b1 2.5    300.0 \u00b1 2.5   97.50 \u00b1 1.25\n"
          "fab,1     600.0 \u00b1 2.5    700.0 \u00b1 2.5    800.0 \u00b1 2.5   90.00 \u00b1 5.00\n"
          "fab_2    1000.0 \u00b1 2.5        -              -             -\n"
          "absent        -              -              -             -\n"
          "\n"
          "(mean \u00b1 95% confidence half-width over 2 replications)\n");
}

TEST_CASE("format_key_results: no CI with one replication") {
    RunResult r = sample_result();
    r.replications = 1;
    const std::string text = format_key_results(r, {});
    CHECK(text.find("\u00b1") == std::string::npos);
    CHECK(text.find("entity   demand (t)  delivered (t)  shortfall (t)  fill rate (%)\n"
                    "network       100.0          200.0          300.0          97.50\n") !=
          std::string::npos);
}

TEST_CASE("write_dot: a digraph with labelled, shaped nodes and routes") {
    ScenarioSpec spec;
    spec.name = "tiny";
    spec.horizon_days = 10;
    spec.commodities.push_back({"ore", "t", 100.0, {}});
    NodeSpec mine;
    mine.id = "m\"1";
    mine.kind = NodeKind::Mine;
    mine.country = "XA";
    mine.commodity = "ore";
    mine.capacity_tpd = 1.0;
    NodeSpec pile;
    pile.id = "pile";
    pile.kind = NodeKind::Stockpile;
    pile.country = "XB";
    pile.commodity = "ore";
    pile.capacity_t = 10.0;
    spec.nodes = {mine, pile};
    RouteSpec route;
    route.from = "m\"1";
    route.to = "pile";
    route.mode = "rail";
    route.lead_time_days = DistributionSpec::fixed(2.5);
    spec.routes = {route};
    const Network network(spec);
    std::ostringstream out;
    write_dot(network, out);
    const std::string dot = out.str();
    CAPTURE(dot);
    CHECK(dot.starts_with("digraph"));
    CHECK(dot.find("0[label=\"m\\\"1\\nmine (XA)\", shape=invtriangle];") != std::string::npos);
    CHECK(dot.find("1[label=\"pile\\nstockpile (XB)\", shape=cylinder];") != std::string::npos);
    CHECK(dot.find("0->1 [label=\"rail\\n2.5 d\"];") != std::string::npos);
    CHECK(dot_shape(NodeKind::Refinery) == "box");
    CHECK(dot_shape(NodeKind::Port) == "ellipse");
    CHECK(dot_shape(NodeKind::Manufacturer) == "house");
    CHECK(dot_shape(NodeKind::Warehouse) == "box3d");
}
