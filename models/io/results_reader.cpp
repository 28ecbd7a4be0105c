#include "models/io/results_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace chainshock::models::io {

namespace {

[[noreturn]] void fail(const std::string& name, std::uint64_t line, const std::string& message) {
    throw ResultsReadError(name + ":" + std::to_string(line) + ": " + message);
}

/// A CSV number as csv_number writes it: empty = NaN, `inf` / `-inf`, else shortest round-trip.
std::optional<double> parse_double(const std::string& text) {
    if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

template <class T> std::optional<T> parse_integer(const std::string& text, int base = 10) {
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
    if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

/// Reads the header and checks that it starts with `expected`.
std::vector<std::string> read_header(std::istream& in, const std::string& name, std::uint64_t& line,
                                     const std::vector<std::string>& expected) {
    auto header = read_csv_record(in, name, line);
    if (!header) fail(name, 1, "empty file; expected a header line");
    const bool starts = header->size() >= expected.size() &&
                        std::equal(expected.begin(), expected.end(), header->begin());
    if (!starts) {
        std::string wanted;
        for (const auto& column : expected) wanted += (wanted.empty() ? "" : ",") + column;
        fail(name, line, "unexpected header; expected it to start with '" + wanted + "'");
    }
    return *std::move(header);
}

/// `entity.metric` -> (entity, metric) at the last `.`.
std::pair<std::string, std::string> split_column(const std::string& column, const std::string& name,
                                                 std::uint64_t line) {
    const std::size_t dot = column.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == column.size())
        fail(name, line, "column '" + column + "' is not <entity>.<metric>");
    return {column.substr(0, dot), column.substr(dot + 1)};
}

std::uint64_t replication_field(const std::string& text, const std::string& name,
                                std::uint64_t line) {
    const auto value = parse_integer<std::uint64_t>(text);
    if (!value)
        fail(name, line, "replication: expected a non-negative integer, got '" + text + "'");
    return *value;
}

double number_field(const std::string& text, const std::string& column, const std::string& name,
                    std::uint64_t line) {
    const auto value = parse_double(text);
    if (!value) fail(name, line, column + ": expected a number, got '" + text + "'");
    return *value;
}

} // namespace

std::optional<std::vector<std::string>> read_csv_record(std::istream& in, const std::string& name,
                                                        std::uint64_t& line) {
    if (in.peek() == std::char_traits<char>::eof()) return std::nullopt;
    const std::uint64_t first_line = line + 1;
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (int c = in.get(); c != std::char_traits<char>::eof(); c = in.get()) {
        const char ch = static_cast<char>(c);
        if (quoted) {
            if (ch == '"' && in.peek() == '"') {
                fields.back() += '"';
                in.get();
            } else if (ch == '"') {
                quoted = false;
            } else {
                if (ch == '\n') ++line;
                fields.back() += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            fields.emplace_back();
        } else if (ch == '\n') {
            ++line;
            return fields;
        } else if (ch != '\r') {
            fields.back() += ch;
        }
    }
    if (quoted) fail(name, first_line, "unclosed quote");
    ++line; // a last line without a newline
    return fields;
}

std::vector<ReplicationResult> read_replications_csv(std::istream& in, const std::string& name) {
    std::uint64_t line = 0;
    const std::vector<std::string> header =
        read_header(in, name, line, {"replication", "fingerprint", "events"});
    std::vector<std::pair<std::string, std::string>> kpis;
    for (std::size_t k = 3; k < header.size(); ++k)
        kpis.push_back(split_column(header[k], name, line));
    std::vector<ReplicationResult> runs;
    while (auto record = read_csv_record(in, name, line)) {
        const std::vector<std::string>& fields = *record;
        if (fields.size() != header.size())
            fail(name, line,
                 "expected " + std::to_string(header.size()) + " fields, got " +
                     std::to_string(fields.size()));
        ReplicationResult run;
        run.replication = replication_field(fields[0], name, line);
        run.fingerprint = fields[1];
        const auto events = parse_integer<std::uint64_t>(fields[2]);
        if (fields[1].size() != 16 || !parse_integer<std::uint64_t>(fields[1], 16))
            fail(name, line, "fingerprint: expected 16 hex digits, got '" + fields[1] + "'");
        if (!events) fail(name, line, "events: expected an integer, got '" + fields[2] + "'");
        run.events = *events;
        run.kpis.reserve(kpis.size());
        for (std::size_t k = 0; k < kpis.size(); ++k)
            run.kpis.push_back({kpis[k].first, kpis[k].second,
                                number_field(fields[k + 3], header[k + 3], name, line)});
        runs.push_back(std::move(run));
    }
    return runs;
}

std::map<std::uint64_t, std::vector<SeriesPoint>> read_timeseries_csv(std::istream& in,
                                                                      const std::string& name) {
    std::uint64_t line = 0;
    const std::vector<std::string> header =
        read_header(in, name, line, {"replication", "day", "entity", "metric", "value"});
    if (header.size() != 5) fail(name, line, "expected 5 columns");
    std::map<std::uint64_t, std::vector<SeriesPoint>> series;
    while (auto record = read_csv_record(in, name, line)) {
        const std::vector<std::string>& fields = *record;
        if (fields.size() != 5)
            fail(name, line, "expected 5 fields, got " + std::to_string(fields.size()));
        const std::uint64_t replication = replication_field(fields[0], name, line);
        const auto day = parse_integer<std::int64_t>(fields[1]);
        if (!day) fail(name, line, "day: expected an integer, got '" + fields[1] + "'");
        series[replication].push_back(
            {*day, fields[2], fields[3], number_field(fields[4], "value", name, line)});
    }
    return series;
}

std::vector<ReplicationResult> read_replications_with_series(std::istream& replications,
                                                             const std::string& replications_name,
                                                             std::istream& series,
                                                             const std::string& series_name) {
    std::vector<ReplicationResult> runs = read_replications_csv(replications, replications_name);
    auto points = read_timeseries_csv(series, series_name);
    for (ReplicationResult& run : runs) {
        const auto it = points.find(run.replication);
        if (it == points.end()) continue;
        run.series = std::move(it->second);
        points.erase(it);
    }
    if (!points.empty())
        throw ResultsReadError(series_name + ": replication " +
                               std::to_string(points.begin()->first) + " is not in " +
                               replications_name);
    return runs;
}

} // namespace chainshock::models::io
