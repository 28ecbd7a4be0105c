#pragma once
/// Writing a RunResult: the results directory (summary.json, replications.csv, timeseries.csv) and
/// the key-results text the CLI prints after a run.
///
/// Number formats: doubles are printed as the shortest text that reads back bit-identical. In JSON
/// a non-finite double is `null`; in CSV NaN is an empty field (missing, for pandas and R) and
/// infinities are `inf` / `-inf`.

#include "models/run_result.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace chainshock::models::io {

/// Writes summary.json, replications.csv and timeseries.csv into `out_dir` atomically (see
/// OutputDir): on any error nothing new appears in `out_dir`. Throws std::logic_error when the
/// replications do not share one KPI list.
void write_results(const RunResult& result, const std::filesystem::path& out_dir);

/// summary.json: run identity (scenario, scenario_hash, version, seed, replications, horizon_days,
/// warmup_days, `overrides` (only when there are any: the `path=value` scenario changes),
/// fingerprint, replication_fingerprints), `network` (mean of each network-level KPI
/// by metric name) and `kpis` (entity, metric, mean, sd, ci95_low, ci95_high, ci95_half_width, p5,
/// p50, p95, min, max, n for every KPI, in result.summary order).
void write_summary_json(const RunResult& result, std::ostream& out);

/// replications.csv: header `replication,fingerprint,events,<entity>.<metric>,...` and one row
/// per replication with its KPI values in the shared KPI order.
void write_replications_csv(const RunResult& result, std::ostream& out);

/// timeseries.csv, tidy: header `replication,day,entity,metric,value`, one row per series point.
void write_timeseries_csv(const RunResult& result, std::ostream& out);

/// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, a
/// carriage return or a newline; unchanged otherwise.
std::string csv_field(std::string_view text);

/// One CSV number: shortest round-trip text; NaN as an empty field; infinities as `inf` / `-inf`.
std::string csv_number(double value);

/// The text printed after a run: scenario name, replications, seed and fingerprint, then a table
/// of demand, delivered and shortfall (t) and fill rate (%) for the whole network and for each of
/// `manufacturer_ids` (in the order given), as means over replications with the 95% confidence
/// half-width (`±`) when there is more than one replication. A missing KPI shows as `-`.
std::string format_key_results(const RunResult& result,
                               const std::vector<std::string>& manufacturer_ids);

} // namespace chainshock::models::io
