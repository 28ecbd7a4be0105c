#include "models/io/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

namespace chainshock::models::io {

namespace {

/// Quoted scalars (`"5"`) carry the tag `!`: they are strings even when they look like numbers.
bool is_plain_scalar(const YAML::Node& node) { return node.IsScalar() && node.Tag() != "!"; }

/// YAML allows a leading `+`; std::from_chars does not.
std::string_view strip_plus(std::string_view text) {
    if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
    return text;
}

template <class T> std::optional<T> parse_whole(std::string_view text) {
    text = strip_plus(text);
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
    return value;
}

std::string bound_text(Bound bound) {
    switch (bound) {
    case Bound::NonNegative:
        return " >= 0";
    case Bound::Positive:
        return " > 0";
    case Bound::Any:
        break;
    }
    return "";
}

bool satisfies(double x, Bound bound) {
    switch (bound) {
    case Bound::NonNegative:
        return x >= 0.0;
    case Bound::Positive:
        return x > 0.0;
    case Bound::Any:
        break;
    }
    return true;
}

bool contains(std::span<const std::string_view> words, std::string_view word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

} // namespace

void fail_at(std::string_view file, SourcePos where, const std::string& path,
             const std::string& message) {
    throw ScenarioError(std::string(file), where.line, where.column, path, message);
}

SourcePos to_pos(const YAML::Mark& mark) {
    if (mark.is_null() || mark.line < 0) return {};
    return {mark.line + 1, mark.column + 1};
}

std::string child_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string format_number(double x) {
    if (x == 0.0) return "0"; // also turns -0 into 0
    std::ostringstream out;
    out.precision(10);
    out << x;
    return out.str();
}

std::string join(std::span<const std::string_view> words) {
    std::string out;
    for (const auto word : words) {
        if (!out.empty()) out += ", ";
        out += word;
    }
    return out;
}

// ---- YamlValue --------------------------------------------------------------------------------

YamlValue::YamlValue(std::string_view file, const YAML::Node& node, std::string path,
                     SourcePos fallback)
    : file_(file), node_(node), path_(std::move(path)), pos_(fallback) {
    if (node_.IsDefined() && !node_.IsNull()) {
        const SourcePos own = to_pos(node_.Mark());
        if (own.line > 0) pos_ = own;
    }
}

void YamlValue::fail(const std::string& message) const { fail_at(file_, pos_, path_, message); }

std::string YamlValue::describe() const {
    if (!node_.IsDefined() || node_.IsNull()) return "an empty value";
    if (node_.IsMap()) return node_.size() == 0 ? "an empty map" : "a map";
    if (node_.IsSequence()) return node_.size() == 0 ? "an empty list" : "a list";
    if (try_number()) return node_.Scalar();
    std::string quoted = "'" + node_.Scalar() + "'";
    // `"5"` is a string in YAML: say so, or "expected a number, got '5'" would puzzle.
    if (!is_plain_scalar(node_) && parse_whole<double>(node_.Scalar()))
        return quoted + " (a quoted string)";
    return quoted;
}

std::optional<double> YamlValue::try_number() const {
    if (!is_plain_scalar(node_)) return std::nullopt;
    const auto value = parse_whole<double>(node_.Scalar());
    if (!value || !std::isfinite(*value)) return std::nullopt;
    return value;
}

double YamlValue::number(Bound bound) const {
    const auto value = try_number();
    if (!value || !satisfies(*value, bound))
        fail("expected a number" + bound_text(bound) + ", got " + describe());
    return *value;
}

std::int64_t YamlValue::integer(std::int64_t min, std::int64_t max) const {
    const auto value =
        is_plain_scalar(node_) ? parse_whole<std::int64_t>(node_.Scalar()) : std::nullopt;
    if (!value || *value < min)
        fail("expected an integer >= " + std::to_string(min) + ", got " + describe());
    if (*value > max) fail("expected an integer <= " + std::to_string(max) + ", got " + describe());
    return *value;
}

int YamlValue::small_integer(int min) const {
    return static_cast<int>(integer(min, std::numeric_limits<int>::max()));
}

std::uint64_t YamlValue::unsigned_integer() const {
    const auto value =
        is_plain_scalar(node_) ? parse_whole<std::uint64_t>(node_.Scalar()) : std::nullopt;
    if (!value || node_.Scalar().starts_with('-'))
        fail("expected an integer >= 0, got " + describe());
    return *value;
}

bool YamlValue::boolean() const {
    if (is_plain_scalar(node_)) {
        const std::string& text = node_.Scalar();
        if (text == "true" || text == "True" || text == "TRUE") return true;
        if (text == "false" || text == "False" || text == "FALSE") return false;
    }
    fail("expected true or false, got " + describe());
}

std::string YamlValue::string() const {
    if (!node_.IsScalar()) fail("expected a string, got " + describe());
    return node_.Scalar();
}

std::string YamlValue::non_empty_string() const {
    if (!node_.IsScalar() || node_.Scalar().empty())
        fail("expected a non-empty string, got " + describe());
    return node_.Scalar();
}

std::string YamlValue::identifier() const {
    std::string text = non_empty_string();
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    if (std::any_of(text.begin(), text.end(), is_space))
        fail("expected an id without whitespace, got " + describe());
    return text;
}

std::vector<YamlValue> YamlValue::list(bool allow_empty) const {
    if (!node_.IsSequence() || (!allow_empty && node_.size() == 0))
        fail(std::string(allow_empty ? "expected a list" : "expected a non-empty list") + ", got " +
             describe());
    std::vector<YamlValue> items;
    items.reserve(node_.size());
    for (std::size_t i = 0; i < node_.size(); ++i)
        items.emplace_back(file_, node_[i], index_path(path_, i), pos_);
    return items;
}

// ---- YamlMap ----------------------------------------------------------------------------------

YamlMap::YamlMap(const YamlValue& value) : value_(value) {
    if (!value.is_map()) value.fail("expected a map, got " + value.describe());
    for (auto it = value.node().begin(); it != value.node().end(); ++it) {
        const YamlValue raw_key(value.file(), it->first, value.path(), value.pos());
        if (!it->first.IsScalar()) raw_key.fail("expected a string key, got " + raw_key.describe());
        std::string name = it->first.Scalar();
        YamlValue key(value.file(), it->first, child_path(value.path(), name), value.pos());
        if (const Entry* first = find_entry(name))
            key.fail("duplicate key '" + name + "' (first defined at line " +
                     std::to_string(first->key.pos().line) + ")");
        YamlValue item(value.file(), it->second, key.path(), key.pos());
        entries_.push_back(Entry{std::move(name), std::move(key), std::move(item)});
    }
}

void YamlMap::check_keys(std::span<const std::string_view> allowed) const {
    check_keys(allowed, {}, {});
}

void YamlMap::check_keys(std::span<const std::string_view> allowed,
                         std::span<const std::string_view> elsewhere,
                         std::string_view variant) const {
    for (const Entry& entry : entries_) {
        if (contains(allowed, entry.name)) continue;
        if (contains(elsewhere, entry.name))
            entry.key.fail("key not allowed for " + std::string(variant) +
                           "; allowed: " + join(allowed));
        entry.key.fail("unknown key; expected one of: " + join(allowed));
    }
}

const YamlMap::Entry* YamlMap::find_entry(std::string_view key) const {
    const auto it = std::find_if(entries_.begin(), entries_.end(),
                                 [key](const Entry& entry) { return entry.name == key; });
    return it == entries_.end() ? nullptr : &*it;
}

std::optional<YamlValue> YamlMap::find(std::string_view key) const {
    const Entry* entry = find_entry(key);
    if (entry == nullptr) return std::nullopt;
    return entry->value;
}

YamlValue YamlMap::get(std::string_view key) const {
    const Entry* entry = find_entry(key);
    if (entry == nullptr) fail_missing(key);
    return entry->value;
}

void YamlMap::fail_missing(std::string_view key, std::string_view detail) const {
    std::string message = "missing required key '" + std::string(key) + "'";
    if (!detail.empty()) message += "; " + std::string(detail);
    fail_at(value_.file(), value_.pos(), child_path(path(), key), message);
}

} // namespace chainshock::models::io
