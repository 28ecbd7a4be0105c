#include "models/io/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace chainshock::models::io {

namespace {

/// The JSON escape of one byte, or an empty view when it stands for itself.
std::string_view short_escape(char c) {
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    default:
        return {};
    }
}

} // namespace

std::string json_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        if (const std::string_view esc = short_escape(c); !esc.empty()) {
            out += esc;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

std::string shortest_double(double value) {
    // The shortest text that reads back as exactly the same double.
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    return shortest_double(value);
}

JsonWriter::JsonWriter(std::ostream& out, int indent) : out_(out), indent_(indent) {}

void JsonWriter::write_raw(std::string_view text) {
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void JsonWriter::newline_indent() {
    out_.put('\n');
    const auto width = static_cast<std::size_t>(indent_) * stack_.size();
    for (std::size_t i = 0; i < width; ++i) out_.put(' ');
}

/// Separators and checks shared by every value (scalars and containers alike).
void JsonWriter::before_value() {
    if (done_) throw std::logic_error("JsonWriter: value after the end of the document");
    if (stack_.empty()) return;
    Level& top = stack_.back();
    if (top.container == Container::Object) {
        if (!key_pending_) throw std::logic_error("JsonWriter: object member without a key");
        key_pending_ = false;
        return; // key() already wrote the separator and indentation
    }
    if (!top.empty) out_.put(',');
    top.empty = false;
    newline_indent();
}

JsonWriter& JsonWriter::key(std::string_view name) {
    if (stack_.empty() || stack_.back().container != Container::Object)
        throw std::logic_error("JsonWriter: key outside an object");
    if (key_pending_) throw std::logic_error("JsonWriter: two keys in a row");
    Level& top = stack_.back();
    if (!top.empty) out_.put(',');
    top.empty = false;
    newline_indent();
    write_raw(json_quote(name));
    write_raw(": ");
    key_pending_ = true;
    return *this;
}

void JsonWriter::open(Container container, char bracket) {
    before_value();
    out_.put(bracket);
    stack_.push_back(Level{container});
}

void JsonWriter::close(Container container, char bracket) {
    if (stack_.empty() || stack_.back().container != container || key_pending_)
        throw std::logic_error("JsonWriter: unbalanced end of object or array");
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) newline_indent();
    out_.put(bracket);
    if (stack_.empty()) {
        done_ = true;
        out_.put('\n');
    }
}

JsonWriter& JsonWriter::begin_object() {
    open(Container::Object, '{');
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    close(Container::Object, '}');
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    open(Container::Array, '[');
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    close(Container::Array, ']');
    return *this;
}

JsonWriter& JsonWriter::scalar(std::string_view text) {
    before_value();
    write_raw(text);
    if (stack_.empty()) {
        done_ = true;
        out_.put('\n');
    }
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) { return scalar(json_quote(text)); }
JsonWriter& JsonWriter::value(bool flag) { return scalar(flag ? "true" : "false"); }
JsonWriter& JsonWriter::value(std::int64_t number) { return scalar(std::to_string(number)); }
JsonWriter& JsonWriter::value(std::uint64_t number) { return scalar(std::to_string(number)); }
JsonWriter& JsonWriter::value(double number) { return scalar(json_number(number)); }
JsonWriter& JsonWriter::null() { return scalar("null"); }

} // namespace chainshock::models::io
