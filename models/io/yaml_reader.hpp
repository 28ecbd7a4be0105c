#pragma once
/// Typed reads over yaml-cpp nodes. Every read either returns a checked value or throws a
/// ScenarioError naming the file, the 1-based line and column of the offending key or value, the
/// key path (e.g. `nodes[2].capacity_tpd`) and what was expected. Internal to models/io.

#include "models/scenario_error.hpp"
#include "models/scenario_spec.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace chainshock::models::io {

/// Throws the ScenarioError for `message` at `where` (line 0 = position unknown).
[[noreturn]] void fail_at(std::string_view file, SourcePos where, const std::string& path,
                          const std::string& message);

/// The 1-based position of a yaml-cpp mark (which is 0-based); {0, 0} for a null mark.
[[nodiscard]] SourcePos to_pos(const YAML::Mark& mark);

/// `path.key`, or `key` at the top level.
[[nodiscard]] std::string child_path(const std::string& path, std::string_view key);
/// `path[index]`.
[[nodiscard]] std::string index_path(const std::string& path, std::size_t index);

/// A number as messages print it: up to 10 significant digits, no trailing zeros (`0.9`, `-5`).
[[nodiscard]] std::string format_number(double x);
/// `a, b, c`.
[[nodiscard]] std::string join(std::span<const std::string_view> words);

/// Lower bound on a number read from a scenario.
enum class Bound {
    Any,         ///< any finite number
    NonNegative, ///< >= 0
    Positive     ///< > 0
};

/// One YAML node, with the key path that leads to it and the file it came from. Cheap to copy
/// (yaml-cpp nodes are handles), never assigned. `file` must outlive the value.
class YamlValue {
public:
    /// `fallback` is used where the node has no useful mark of its own (an empty value is marked
    /// at the next token, so the loader passes the key's position instead).
    YamlValue(std::string_view file, const YAML::Node& node, std::string path,
              SourcePos fallback = {});
    YamlValue(const YamlValue&) = default;
    YamlValue(YamlValue&&) = default;
    /// Deleted: assigning a YAML::Node to a non-empty one rewrites the document (yaml-cpp makes the
    /// target node an alias of the source), so a value is never reassigned.
    YamlValue& operator=(const YamlValue&) = delete;
    YamlValue& operator=(YamlValue&&) = delete;
    ~YamlValue() = default;

    [[nodiscard]] const YAML::Node& node() const { return node_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string_view file() const { return file_; }
    [[nodiscard]] SourcePos pos() const { return pos_; }

    /// Throws a ScenarioError at this value's position for its path.
    [[noreturn]] void fail(const std::string& message) const;
    /// What the value is, for `got ...`: `a map`, `a list`, `an empty value`, `-5` or `'abc'`.
    [[nodiscard]] std::string describe() const;

    [[nodiscard]] bool is_map() const { return node_.IsMap(); }
    [[nodiscard]] bool is_list() const { return node_.IsSequence(); }
    /// A plain (unquoted) scalar that reads as a finite number.
    [[nodiscard]] std::optional<double> try_number() const;

    /// A finite number obeying `bound` (quoted scalars are strings, not numbers).
    [[nodiscard]] double number(Bound bound = Bound::Any) const;
    /// An integer in [`min`, `max`].
    [[nodiscard]] std::int64_t
    integer(std::int64_t min, std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    /// An integer in [`min`, INT_MAX] (counts of days, lines, periods).
    [[nodiscard]] int small_integer(int min) const;
    /// An integer in [0, 2^64).
    [[nodiscard]] std::uint64_t unsigned_integer() const;
    /// `true` or `false` (YAML 1.2; `yes`/`no` are rejected as ambiguous).
    [[nodiscard]] bool boolean() const;
    /// Any scalar, as written.
    [[nodiscard]] std::string string() const;
    [[nodiscard]] std::string non_empty_string() const;
    /// A non-empty string without whitespace (commodity and node ids).
    [[nodiscard]] std::string identifier() const;
    /// The list's items with paths `path[i]`; `allow_empty = false` rejects `[]`.
    [[nodiscard]] std::vector<YamlValue> list(bool allow_empty = true) const;

    /// One of `options` by name; otherwise `expected one of: a, b; got 'c'`.
    template <class E, std::size_t N>
    [[nodiscard]] E choice(const std::array<std::pair<std::string_view, E>, N>& options) const {
        const std::string text = string();
        for (const auto& [name, value] : options)
            if (name == text) return value;
        std::vector<std::string_view> names;
        names.reserve(N);
        for (const auto& option : options) names.push_back(option.first);
        fail("expected one of: " + join(names) + "; got " + describe());
    }

private:
    std::string_view file_;
    YAML::Node node_;
    std::string path_;
    SourcePos pos_;
};

/// A YAML map read as a spec: keys are strings, unique, and checked against an allowed set.
class YamlMap {
public:
    /// One `key: value` entry; `key`'s path names the key (`nodes[0].inventory.li2co3`).
    struct Entry {
        std::string name;
        YamlValue key;
        YamlValue value;
    };

    /// Fails with `expected a map` unless `value` is one; fails at a repeated or non-string key.
    explicit YamlMap(const YamlValue& value);

    [[nodiscard]] const YamlValue& value() const { return value_; }
    [[nodiscard]] const std::string& path() const { return value_.path(); }
    [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

    /// Fails at the first key not in `allowed`: `unknown key; expected one of: ...`.
    void check_keys(std::span<const std::string_view> allowed) const;
    /// As above, but a key in `elsewhere` (valid in another variant) fails with
    /// `key not allowed for <variant>; allowed: ...`.
    void check_keys(std::span<const std::string_view> allowed,
                    std::span<const std::string_view> elsewhere, std::string_view variant) const;

    [[nodiscard]] const Entry* find_entry(std::string_view key) const;
    [[nodiscard]] bool has(std::string_view key) const { return find_entry(key) != nullptr; }
    [[nodiscard]] std::optional<YamlValue> find(std::string_view key) const;
    /// The value of a required key; fails at this map with `missing required key '<key>'`.
    [[nodiscard]] YamlValue get(std::string_view key) const;
    /// Fails at this map for the missing `key`, with `detail` appended after `; ` when non-empty.
    [[noreturn]] void fail_missing(std::string_view key, std::string_view detail = {}) const;

private:
    YamlValue value_;
    std::vector<Entry> entries_;
};

} // namespace chainshock::models::io
