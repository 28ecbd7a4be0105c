#pragma once
/// Paired comparison of two runs made with common random numbers (`chainshock compare`): the same
/// seed and replication count give both runs the same (seed, replication, entity, purpose)
/// streams, so replication r of A and replication r of B see the same demand and lead-time draws
/// wherever the two scenarios agree. The difference B - A is then summarised per replication
/// (a paired-t interval), which removes the variation the runs share.

#include "engine/statistics.hpp"
#include "models/run_result.hpp"

#include <string>
#include <vector>

namespace chainshock::models {

/// One KPI present in both runs.
struct PairedDifference {
    std::string entity;
    std::string metric;
    engine::Summary a;          ///< A's summary across replications
    engine::Summary b;          ///< B's summary across replications
    engine::Summary difference; ///< summary of the per-replication differences B - A
    /// Half-width of the 95% interval for mean(B) - mean(A) had the runs been independent
    /// (Welch: standard error sqrt(sd_a^2/n + sd_b^2/n), Welch-Satterthwaite degrees of freedom);
    /// 0 when n < 2 or both standard deviations are 0. Compare with difference.ci_half_width.
    double unpaired_ci_half_width = 0.0;
};

/// The paired differences of every KPI present in both runs (matched by entity and metric), in
/// A's KPI order; KPIs of only one run are left out. The values of each replication are taken in
/// replication order. Throws std::invalid_argument unless both runs hold the same replications
/// (at least one; replication r of A paired with replication r of B) and every replication of a
/// run carries one value per KPI of its summary.
std::vector<PairedDifference> paired_differences(const RunResult& a, const RunResult& b);

} // namespace chainshock::models
