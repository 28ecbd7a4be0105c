#pragma once
/// A small streaming JSON writer: objects, arrays, strings, integers, doubles, booleans and null,
/// pretty-printed with a fixed indentation. Output is deterministic: doubles are printed with
/// the shortest text that reads back bit-identical (std::to_chars), and non-finite doubles (which
/// JSON cannot represent) are written as `null`.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace chainshock::models::io {

/// `text` as a quoted JSON string: `"` and `\` are escaped, control characters become `\n`, `\t`,
/// ... or `\u00XX`. Other bytes (UTF-8 included) pass through unchanged.
std::string json_quote(std::string_view text);

/// `value` as a JSON number that round-trips (shortest_double), or `null` when it is NaN or
/// infinite. The shortest decimal text that reads back as exactly `value` (std::to_chars); finite
/// values.
std::string shortest_double(double value);

std::string json_number(double value);

/// Writes one JSON document to a stream as it goes. Misuse (a value where a key is expected, a
/// key outside an object, unbalanced end_*, a second top-level value) throws std::logic_error.
///
///     JsonWriter json(out);
///     json.begin_object().field("seed", 42).key("kpis").begin_array().end_array().end_object();
class JsonWriter {
public:
    /// `indent` spaces per nesting level.
    explicit JsonWriter(std::ostream& out, int indent = 2);

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    /// The key of the next member of the current object.
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(bool flag);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(std::uint64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(double number);
    JsonWriter& null();

    /// key(name).value(v)
    template <typename T> JsonWriter& field(std::string_view name, const T& v) {
        return key(name).value(v);
    }

    /// True once the top-level value is complete (a newline has then been written).
    [[nodiscard]] bool done() const { return done_; }

private:
    enum class Container { Object, Array };
    struct Level {
        Container container;
        bool empty = true;
    };

    void before_value();
    void open(Container container, char bracket);
    void close(Container container, char bracket);
    void newline_indent();
    void write_raw(std::string_view text);
    JsonWriter& scalar(std::string_view text);

    std::ostream& out_;
    int indent_;
    std::vector<Level> stack_;
    bool key_pending_ = false;
    bool done_ = false;
};

} // namespace chainshock::models::io
