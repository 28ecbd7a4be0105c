#include "models/io/results_writer.hpp"

#include "models/io/atomic_output.hpp"
#include "models/io/json_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace chainshock::models::io {

namespace {

/// Throws unless every replication reports the same KPIs (entity, metric) in the same order;
/// the CSV columns and the summary depend on it.
void check_shared_kpi_list(const RunResult& result) {
    if (result.runs.empty()) return;
    const std::vector<Kpi>& first = result.runs.front().kpis;
    for (const ReplicationResult& run : result.runs) {
        const bool same = std::equal(run.kpis.begin(), run.kpis.end(), first.begin(), first.end(),
                                     [](const Kpi& a, const Kpi& b) {
                                         return a.entity == b.entity && a.metric == b.metric;
                                     });
        if (!same)
            throw std::logic_error("replication " + std::to_string(run.replication) +
                                   " reports a different KPI list than replication " +
                                   std::to_string(result.runs.front().replication));
    }
}

void write_kpi_summary(JsonWriter& json, const KpiSummary& kpi) {
    const engine::Summary& s = kpi.stats;
    json.begin_object()
        .field("entity", kpi.entity)
        .field("metric", kpi.metric)
        .field("mean", s.mean)
        .field("sd", s.sd)
        .field("ci95_low", s.ci_low)
        .field("ci95_high", s.ci_high)
        .field("ci95_half_width", s.ci_half_width)
        .field("p5", s.p5)
        .field("p50", s.p50)
        .field("p95", s.p95)
        .field("min", s.min)
        .field("max", s.max)
        .field("n", s.n)
        .end_object();
}

/// The network-level means by metric name (first occurrence wins, so keys stay unique).
void write_network_block(JsonWriter& json, const RunResult& result) {
    json.key("network").begin_object();
    std::set<std::string> seen;
    for (const KpiSummary& kpi : result.summary)
        if (kpi.entity == "network" && seen.insert(kpi.metric).second)
            json.field(kpi.metric, kpi.stats.mean);
    json.end_object();
}

/// The KPI columns: from the runs when there are any, else from the summary.
std::vector<std::string> kpi_columns(const RunResult& result) {
    std::vector<std::string> columns;
    auto add = [&columns](const std::string& entity, const std::string& metric) {
        columns.push_back(entity + "." + metric);
    };
    if (!result.runs.empty()) {
        for (const Kpi& kpi : result.runs.front().kpis) add(kpi.entity, kpi.metric);
    } else {
        for (const KpiSummary& kpi : result.summary) add(kpi.entity, kpi.metric);
    }
    return columns;
}

/// One column of the key-results table: a KPI metric, its heading and how to show it.
struct TableColumn {
    const char* metric;
    const char* heading;
    double scale;       ///< fill rate is a fraction, shown in percent
    const char* format; ///< printf format of one scaled number
};

constexpr TableColumn table_columns[] = {
    {"demand_t", "demand (t)", 1.0, "%.1f"},
    {"delivered_t", "delivered (t)", 1.0, "%.1f"},
    {"shortfall_t", "shortfall (t)", 1.0, "%.1f"},
    {"fill_rate", "fill rate (%)", 100.0, "%.2f"},
};

/// A table cell: the mean and, with several replications, the CI half-width, aligned separately
/// so that the `±` signs line up.
struct Cell {
    std::string mean;
    std::string half_width;
};

std::string format_scaled(const TableColumn& column, double value) {
    if (!std::isfinite(value)) return "n/a";
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, column.format, value * column.scale);
    return std::string(buf, static_cast<std::size_t>(std::clamp(n, 0, int(sizeof buf) - 1)));
}

std::string pad_left(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string pad_right(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

using KpiIndex = std::map<std::pair<std::string, std::string>, const engine::Summary*>;

KpiIndex index_kpis(const std::vector<KpiSummary>& summary) {
    KpiIndex index;
    for (const KpiSummary& kpi : summary)
        index.emplace(std::pair(kpi.entity, kpi.metric), &kpi.stats);
    return index;
}

Cell make_cell(const KpiIndex& index, const std::string& entity, const TableColumn& column,
               bool with_ci) {
    const auto it = index.find(std::pair(entity, std::string(column.metric)));
    if (it == index.end()) return Cell{"-", ""};
    const engine::Summary& s = *it->second;
    return Cell{format_scaled(column, s.mean),
                with_ci ? format_scaled(column, s.ci_half_width) : std::string()};
}

/// The rendered column: heading and cells padded to one display width.
std::vector<std::string> render_column(const TableColumn& column, const std::vector<Cell>& cells) {
    std::size_t mean_width = 0;
    std::size_t hw_width = 0;
    for (const Cell& c : cells) {
        mean_width = std::max(mean_width, c.mean.size());
        hw_width = std::max(hw_width, c.half_width.size());
    }
    const std::size_t body_width = mean_width + (hw_width > 0 ? 3 + hw_width : 0); // " ± "
    const std::size_t width = std::max(body_width, std::string_view(column.heading).size());
    std::vector<std::string> out{pad_left(column.heading, width)};
    for (const Cell& c : cells) {
        std::string body = pad_left(c.mean, mean_width);
        if (hw_width > 0)
            body += c.half_width.empty() ? std::string(3 + hw_width, ' ')
                                         : " \u00b1 " + pad_left(c.half_width, hw_width);
        out.push_back(std::string(width - body_width, ' ') + body);
    }
    return out;
}

/// The table: a heading line, then one line per entity.
std::vector<std::string> key_results_table(const RunResult& result,
                                           const std::vector<std::string>& entities, bool with_ci) {
    const KpiIndex index = index_kpis(result.summary);
    std::size_t entity_width = std::string_view("entity").size();
    for (const std::string& e : entities) entity_width = std::max(entity_width, e.size());
    std::vector<std::string> lines{pad_right("entity", entity_width)};
    for (const std::string& e : entities) lines.push_back(pad_right(e, entity_width));
    for (const TableColumn& column : table_columns) {
        std::vector<Cell> cells;
        cells.reserve(entities.size());
        for (const std::string& e : entities) cells.push_back(make_cell(index, e, column, with_ci));
        const std::vector<std::string> rendered = render_column(column, cells);
        for (std::size_t r = 0; r < lines.size(); ++r) lines[r] += "  " + rendered[r];
    }
    for (std::string& line : lines) line.erase(line.find_last_not_of(' ') + 1); // missing KPIs
    return lines;
}

} // namespace

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_number(double value) {
    if (std::isnan(value)) return "";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return shortest_double(value);
}

void write_summary_json(const RunResult& result, std::ostream& out) {
    JsonWriter json(out);
    json.begin_object()
        .field("scenario", result.scenario_name)
        .field("scenario_hash", result.scenario_hash)
        .field("version", result.version)
        .field("seed", result.seed)
        .field("replications", result.replications)
        .field("replications_requested",
               std::max(result.replications_requested, result.replications))
        .field("complete", result.complete)
        .field("horizon_days", result.horizon_days)
        .field("warmup_days", result.warmup_days)
        .field("engine", result.engine);
    if (!result.overrides.empty()) {
        json.key("overrides").begin_array();
        for (const std::string& override_text : result.overrides) json.value(override_text);
        json.end_array();
    }
    json.field("fingerprint", result.fingerprint);
    json.key("replication_fingerprints").begin_array();
    for (const ReplicationResult& run : result.runs) json.value(run.fingerprint);
    json.end_array();
    write_network_block(json, result);
    json.key("kpis").begin_array();
    for (const KpiSummary& kpi : result.summary) write_kpi_summary(json, kpi);
    json.end_array();
    json.end_object();
}

void write_replications_csv(const RunResult& result, std::ostream& out) {
    check_shared_kpi_list(result);
    out << "replication,fingerprint,events";
    for (const std::string& column : kpi_columns(result)) out << ',' << csv_field(column);
    out << '\n';
    for (const ReplicationResult& run : result.runs) {
        out << run.replication << ',' << csv_field(run.fingerprint) << ',' << run.events;
        for (const Kpi& kpi : run.kpis) out << ',' << csv_number(kpi.value);
        out << '\n';
    }
}

void write_timeseries_csv(const RunResult& result, std::ostream& out) {
    out << "replication,day,entity,metric,value\n";
    for (const ReplicationResult& run : result.runs)
        for (const SeriesPoint& point : run.series)
            out << run.replication << ',' << point.day << ',' << csv_field(point.entity) << ','
                << csv_field(point.metric) << ',' << csv_number(point.value) << '\n';
}

std::string format_key_results(const RunResult& result,
                               const std::vector<std::string>& manufacturer_ids) {
    std::ostringstream out;
    out << "scenario      " << result.scenario_name << '\n'
        << "replications  " << result.replications << '\n'
        << "seed          " << result.seed << '\n'
        << "fingerprint   " << result.fingerprint << "\n\n";
    std::vector<std::string> entities{"network"};
    entities.insert(entities.end(), manufacturer_ids.begin(), manufacturer_ids.end());
    const bool with_ci = result.replications > 1;
    for (const std::string& line : key_results_table(result, entities, with_ci))
        out << line << '\n';
    if (with_ci)
        out << "\n(mean \u00b1 95% confidence half-width over " << result.replications
            << " replications)\n";
    return out.str();
}

void write_results(const RunResult& result, const std::filesystem::path& out_dir) {
    check_shared_kpi_list(result); // before anything is created
    OutputDir dir(out_dir);
    write_summary_json(result, dir.file("summary.json"));
    write_replications_csv(result, dir.file("replications.csv"));
    write_timeseries_csv(result, dir.file("timeseries.csv"));
    dir.commit();
}

} // namespace chainshock::models::io
