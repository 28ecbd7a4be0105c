#pragma once
/// What a run produces: per-replication KPIs and time series, and the across-replication summary.
/// models/io writes these as summary.json, replications.csv and timeseries.csv.

#include "engine/statistics.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace chainshock::models {

/// One KPI of one entity ("network", a country code, or a node id) in one replication.
struct Kpi {
    std::string entity;
    std::string metric;
    double value = 0.0;
};

/// One point of the tidy daily time series.
struct SeriesPoint {
    std::int64_t day = 0;
    std::string entity;
    std::string metric;
    double value = 0.0;
};

struct ReplicationResult {
    std::uint64_t replication = 0;
    std::uint64_t events = 0;
    std::string fingerprint;              ///< 16 hex digits
    std::vector<Kpi> kpis;                ///< in a fixed order: network, countries, nodes
    std::vector<SeriesPoint> series;      ///< empty unless asked for
    std::uint64_t parallel_events = 0;    ///< events run in parallel windows (never in results)
    std::uint64_t peak_queued_events = 0; ///< the engine's queue at its longest (benchmarks)
    std::uint64_t windows = 0;            ///< windows the engine ran (benchmarks)
};

/// The summary of one KPI across replications.
struct KpiSummary {
    std::string entity;
    std::string metric;
    engine::Summary stats;
};

struct RunResult {
    std::string scenario_name;
    std::string scenario_hash;
    std::string version;
    std::uint64_t seed = 0;
    std::uint64_t replications = 0; ///< completed (== runs.size())
    std::uint64_t replications_requested = 0;
    bool complete = true; ///< false when stopped early (e.g. Ctrl-C)
    std::int64_t horizon_days = 0;
    std::int64_t warmup_days = 0;
    /// The scenario changes the run was made with (`--set` and sweep grid values), as
    /// `path=value` in the order applied; empty for the scenario as written.
    std::vector<std::string> overrides;
    /// How replications ran inside: "sequential" or "parallel windows" (see EngineMode). The only
    /// field of the results that may depend on the number of threads.
    std::string engine = "sequential";
    std::string fingerprint;             ///< combined over replications, in replication order
    std::vector<ReplicationResult> runs; ///< in replication order
    std::vector<KpiSummary> summary;     ///< same order as each run's kpis
};

/// The run fingerprint: engine::Fingerprint over each replication's fingerprint (16 hex digits,
/// read as a 64-bit word), in the order given (replication order).
std::string combined_fingerprint(const std::vector<ReplicationResult>& runs);

/// Summarises the runs' KPIs (which must share one KPI list) in replication order.
std::vector<KpiSummary> summarize_runs(const std::vector<ReplicationResult>& runs);

} // namespace chainshock::models
