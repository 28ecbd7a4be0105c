#include "models/io/yaml_reader.hpp"

#include <array>
#include <doctest/doctest.h>
#include <string>

using namespace chainshock::models;
using namespace chainshock::models::io;

namespace {

/// The value of `key: <text>` in a one-line document, as the loader would see it.
YamlValue value_of(const std::string& text) {
    static const std::string kFile = "r.yaml";
    const YAML::Node root = YAML::Load("key: " + text);
    return YamlMap(YamlValue(kFile, root, "", {1, 1})).get("key");
}

template <class F> std::string error_of(F&& read) {
    try {
        read();
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("numbers: plain scalars only, finite, bounded") {
    CHECK(value_of("2.5").number() == 2.5);
    CHECK(value_of("+5").number() == 5.0);
    CHECK(value_of("1e3").number(Bound::Positive) == 1000.0);
    CHECK(value_of("-3").number() == -3.0);
    CHECK(value_of("0").number(Bound::NonNegative) == 0.0);
    CHECK(error_of([] { (void)value_of("0").number(Bound::Positive); }) ==
          "r.yaml:1:6: error: key: expected a number > 0, got 0");
    CHECK(error_of([] { (void)value_of("-1").number(Bound::NonNegative); }) ==
          "r.yaml:1:6: error: key: expected a number >= 0, got -1");
    CHECK(error_of([] { (void)value_of("\"5\"").number(); }) ==
          "r.yaml:1:6: error: key: expected a number, got '5' (a quoted string)");
    CHECK(error_of([] { (void)value_of(".inf").number(); }) ==
          "r.yaml:1:6: error: key: expected a number, got '.inf'");
    CHECK(error_of([] { (void)value_of("nan").number(); }) ==
          "r.yaml:1:6: error: key: expected a number, got 'nan'");
    CHECK(error_of([] { (void)value_of("[1]").number(); }) ==
          "r.yaml:1:6: error: key: expected a number, got a list");
}

TEST_CASE("integers") {
    CHECK(value_of("42").integer(0) == 42);
    CHECK(value_of("18446744073709551615").unsigned_integer() == 18446744073709551615ULL);
    CHECK(error_of([] { (void)value_of("1.5").integer(0); }) ==
          "r.yaml:1:6: error: key: expected an integer >= 0, got 1.5");
    CHECK(error_of([] { (void)value_of("0").integer(1); }) ==
          "r.yaml:1:6: error: key: expected an integer >= 1, got 0");
    CHECK(error_of([] { (void)value_of("3000000000").small_integer(1); }) ==
          "r.yaml:1:6: error: key: expected an integer <= 2147483647, got 3000000000");
    CHECK(error_of([] { (void)value_of("-1").unsigned_integer(); }) ==
          "r.yaml:1:6: error: key: expected an integer >= 0, got -1");
    CHECK(error_of([] { (void)value_of("99999999999999999999").integer(0); }) ==
          "r.yaml:1:6: error: key: expected an integer >= 0, got 99999999999999999999");
}

TEST_CASE("booleans, strings and ids") {
    CHECK(value_of("true").boolean());
    CHECK_FALSE(value_of("False").boolean());
    CHECK(error_of([] { (void)value_of("yes").boolean(); }) ==
          "r.yaml:1:6: error: key: expected true or false, got 'yes'");
    CHECK(value_of("42").string() == "42");
    CHECK(error_of([] { (void)value_of("{a: 1}").string(); }) ==
          "r.yaml:1:6: error: key: expected a string, got a map");
    CHECK(error_of([] { (void)value_of("''").non_empty_string(); }) ==
          "r.yaml:1:6: error: key: expected a non-empty string, got ''");
    CHECK(error_of([] { (void)value_of("'a b'").identifier(); }) ==
          "r.yaml:1:6: error: key: expected an id without whitespace, got 'a b'");
}

TEST_CASE("an empty value is reported at its key") {
    CHECK(error_of([] { (void)value_of("").number(); }) ==
          "r.yaml:1:1: error: key: expected a number, got an empty value");
}

TEST_CASE("lists and choices") {
    const auto items = value_of("[a, b]").list(false);
    REQUIRE(items.size() == 2);
    CHECK(items[1].path() == "key[1]");
    CHECK(items[1].pos().column == 10);
    CHECK(error_of([] { (void)value_of("[]").list(false); }) ==
          "r.yaml:1:6: error: key: expected a non-empty list, got an empty list");
    CHECK(error_of([] { (void)value_of("3").list(); }) ==
          "r.yaml:1:6: error: key: expected a list, got 3");
    enum class Colour { Red, Blue };
    constexpr std::array colours{std::pair{std::string_view("red"), Colour::Red},
                                 std::pair{std::string_view("blue"), Colour::Blue}};
    CHECK(value_of("blue").choice(colours) == Colour::Blue);
    CHECK(error_of([&] { (void)value_of("green").choice(colours); }) ==
          "r.yaml:1:6: error: key: expected one of: red, blue; got 'green'");
}

TEST_CASE("maps: keys checked, unique, found by name") {
    const std::string file = "m.yaml";
    const auto map_of = [&file](const std::string& text) {
        return YamlMap(YamlValue(file, YAML::Load(text), "top", {1, 1}));
    };
    constexpr std::array<std::string_view, 2> allowed{"a", "b"};
    constexpr std::array<std::string_view, 1> elsewhere{"c"};
    const YamlMap ok = map_of("a: 1\nb: 2\n");
    CHECK(ok.get("b").number() == 2.0);
    CHECK(ok.get("b").path() == "top.b");
    CHECK_FALSE(ok.find("c").has_value());
    CHECK(error_of([&] { ok.check_keys(allowed); }).empty());
    CHECK(error_of([&] { (void)ok.get("c"); }) ==
          "m.yaml:1:1: error: top.c: missing required key 'c'");
    CHECK(error_of([&] { map_of("a: 1\nz: 2\n").check_keys(allowed); }) ==
          "m.yaml:2:1: error: top.z: unknown key; expected one of: a, b");
    CHECK(error_of([&] { map_of("a: 1\nc: 2\n").check_keys(allowed, elsewhere, "kind x"); }) ==
          "m.yaml:2:1: error: top.c: key not allowed for kind x; allowed: a, b");
    CHECK(error_of([&] { (void)map_of("a: 1\na: 2\n"); }) ==
          "m.yaml:2:1: error: top.a: duplicate key 'a' (first defined at line 1)");
    CHECK(error_of([&] { (void)map_of("[1, 2]"); }) ==
          "m.yaml:1:1: error: top: expected a map, got a list");
    CHECK(error_of([&] { (void)map_of("? [1]\n: 2\n"); }) ==
          "m.yaml:1:3: error: top: expected a string key, got a list");
}

TEST_CASE("formatting helpers") {
    CHECK(format_number(0.9) == "0.9");
    CHECK(format_number(-5) == "-5");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(0.1 + 0.2 + 0.3) == "0.6");
    CHECK(child_path("", "a") == "a");
    CHECK(child_path("a", "b") == "a.b");
    CHECK(index_path("a", 3) == "a[3]");
    CHECK(to_pos(YAML::Mark::null_mark()).line == 0);
}
