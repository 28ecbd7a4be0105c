#pragma once
/// Writing a sweep: the results of every grid point, the tidy sweep.csv and the table the CLI
/// prints. Point k is the k-th element of grid_points(grid) (first axis slowest).

#include "models/io/scenario_overrides.hpp"
#include "models/run_result.hpp"

#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace chainshock::models::io {

/// sweep.csv, tidy (one row per point and KPI, ready for pandas or R): header
/// `point,<one column per grid path>,entity,metric,mean,sd,ci95_low,ci95_high,p5,p50,p95,n`;
/// the grid columns hold the point's values as given. Numbers as in replications.csv.
void write_sweep_csv(std::span<const GridAxis> grid, const std::vector<RunResult>& points,
                     std::ostream& out);

/// Writes DIR/points/<k>/{summary.json, replications.csv, timeseries.csv} for every point, then
/// DIR/sweep.csv; each directory atomically (OutputDir). Throws std::runtime_error when it cannot
/// be written.
void write_sweep_results(std::span<const GridAxis> grid, const std::vector<RunResult>& points,
                         const std::filesystem::path& out_dir);

/// The table printed after a sweep: one line per point with its grid values and the network's
/// fill rate (%), shortfall (t) and total cost (USD), as means with the 95% confidence
/// half-width when there are several replications.
[[nodiscard]] std::string format_sweep_table(std::span<const GridAxis> grid,
                                             const std::vector<RunResult>& points);

} // namespace chainshock::models::io
