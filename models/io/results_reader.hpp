#pragma once
/// Reading back the CSV files that results_writer writes, to merge the partial results of
/// sharded runs. The writer prints every double as the shortest text that reads back
/// bit-identical (NaN as an empty field, infinities as `inf` / `-inf`), so what is read here is
/// exactly what was computed.

#include "models/run_result.hpp"

#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace chainshock::models::io {

/// A results file that does not read back: the message names `file:line` and the problem.
class ResultsReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The fields of the next CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and
/// newlines), or nullopt at the end of the input. `line` counts physical lines read so far and is
/// advanced past the record. Throws ResultsReadError on an unclosed quote.
[[nodiscard]] std::optional<std::vector<std::string>>
read_csv_record(std::istream& in, const std::string& name, std::uint64_t& line);

/// replications.csv (`replication,fingerprint,events,<entity>.<metric>,...`): one
/// ReplicationResult per row, in file order, with its KPIs in column order and no series. A
/// column name is split at its last `.` (metric names hold none). `name` names the file in
/// messages.
[[nodiscard]] std::vector<ReplicationResult> read_replications_csv(std::istream& in,
                                                                   const std::string& name);

/// timeseries.csv (`replication,day,entity,metric,value`): each replication's points, in file
/// order.
[[nodiscard]] std::map<std::uint64_t, std::vector<SeriesPoint>>
read_timeseries_csv(std::istream& in, const std::string& name);

/// A replications.csv and the timeseries.csv beside it read together: each replication (in the
/// file order of `replications`) with its daily series. Throws ResultsReadError also when the
/// series name a replication that `replications` lacks.
[[nodiscard]] std::vector<ReplicationResult>
read_replications_with_series(std::istream& replications, const std::string& replications_name,
                              std::istream& series, const std::string& series_name);

} // namespace chainshock::models::io
