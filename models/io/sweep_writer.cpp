#include "models/io/sweep_writer.hpp"

#include "models/io/atomic_output.hpp"
#include "models/io/results_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace chainshock::models::io {

namespace {

/// A column of the printed table: a network KPI and how to show it.
struct SweepColumn {
    const char* metric;
    const char* heading;
    double scale;
    const char* format;
};

constexpr SweepColumn sweep_columns[] = {
    {"fill_rate", "fill rate (%)", 100.0, "%.2f"},
    {"shortfall_t", "shortfall (t)", 1.0, "%.1f"},
    {"cost_total_usd", "cost (USD)", 1.0, "%.0f"},
};

std::string format_one(const char* format, double value) {
    if (!std::isfinite(value)) return "n/a";
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, format, value);
    const std::string text(buf, static_cast<std::size_t>(std::clamp(n, 0, int(sizeof buf) - 1)));
    // Integer digits in groups of three (12,345,678.9), for dollar amounts.
    const std::size_t first = std::min(text.find_first_of("0123456789"), text.size());
    const std::size_t end = std::min(text.find('.'), text.size());
    std::string out = text.substr(0, first);
    for (std::size_t i = first; i < end; ++i) {
        out += text[i];
        if (i + 1 < end && (end - i - 1) % 3 == 0) out += ',';
    }
    return out.append(text, end, std::string::npos);
}

std::string cell(const RunResult& point, const SweepColumn& column) {
    const auto it =
        std::find_if(point.summary.begin(), point.summary.end(), [&](const KpiSummary& k) {
            return k.entity == "network" && k.metric == column.metric;
        });
    if (it == point.summary.end()) return "-";
    std::string text = format_one(column.format, it->stats.mean * column.scale);
    if (it->stats.n > 1)
        text += " \u00b1 " + format_one(column.format, it->stats.ci_half_width * column.scale);
    return text;
}

/// Display width in characters: UTF-8 continuation bytes (like the second byte of `±`) take no
/// column of their own.
std::size_t width_of(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string padded(const std::string& text, std::size_t width, bool right) {
    const std::string pad(width > width_of(text) ? width - width_of(text) : 0, ' ');
    return right ? pad + text : text + pad;
}

} // namespace

void write_sweep_csv(std::span<const GridAxis> grid, const std::vector<RunResult>& points,
                     std::ostream& out) {
    const auto values = grid_points(grid);
    out << "point";
    for (const GridAxis& axis : grid) out << ',' << csv_field(axis.path);
    out << ",entity,metric,mean,sd,ci95_low,ci95_high,p5,p50,p95,n\n";
    for (std::size_t p = 0; p < points.size(); ++p) {
        std::string prefix = std::to_string(p);
        for (const ScenarioOverride& change : values.at(p)) prefix += ',' + csv_field(change.value);
        for (const KpiSummary& kpi : points[p].summary) {
            const engine::Summary& s = kpi.stats;
            out << prefix << ',' << csv_field(kpi.entity) << ',' << csv_field(kpi.metric);
            for (const double v : {s.mean, s.sd, s.ci_low, s.ci_high, s.p5, s.p50, s.p95})
                out << ',' << csv_number(v);
            out << ',' << s.n << '\n';
        }
    }
}

void write_sweep_results(std::span<const GridAxis> grid, const std::vector<RunResult>& points,
                         const std::filesystem::path& out_dir) {
    for (std::size_t p = 0; p < points.size(); ++p)
        write_results(points[p], out_dir / "points" / std::to_string(p));
    OutputDir dir(out_dir);
    write_sweep_csv(grid, points, dir.file("sweep.csv"));
    dir.commit();
}

std::string format_sweep_table(std::span<const GridAxis> grid,
                               const std::vector<RunResult>& points) {
    const auto values = grid_points(grid);
    // Rows of cells: the heading, then one per point.
    std::vector<std::vector<std::string>> rows(points.size() + 1);
    rows[0].push_back("point");
    for (const GridAxis& axis : grid) rows[0].push_back(axis.path);
    for (const SweepColumn& column : sweep_columns) rows[0].push_back(column.heading);
    for (std::size_t p = 0; p < points.size(); ++p) {
        std::vector<std::string>& row = rows[p + 1];
        row.push_back(std::to_string(p));
        for (const ScenarioOverride& change : values.at(p)) row.push_back(change.value);
        for (const SweepColumn& column : sweep_columns) row.push_back(cell(points[p], column));
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], width_of(row[c]));
    const std::size_t numbers_from = 1 + grid.size(); // right-aligned KPI columns
    std::ostringstream out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c)
            line += (c == 0 ? "" : "  ") + padded(row[c], widths[c], c >= numbers_from);
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    }
    return out.str();
}

} // namespace chainshock::models::io
