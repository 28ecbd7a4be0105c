#include "models/compare.hpp"

#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

namespace chainshock::models {

namespace {

/// Checks that every replication of `r` carries one value per summarised KPI.
void check_shape(const RunResult& r, const char* which) {
    for (const ReplicationResult& run : r.runs) {
        if (run.kpis.size() != r.summary.size()) {
            throw std::invalid_argument(std::string("paired_differences: run ") + which +
                                        " has replications with different KPI lists");
        }
    }
}

/// Welch's 95% half-width for the difference of two independent means of n values each.
double welch_half_width(const engine::Summary& a, const engine::Summary& b) {
    if (a.n < 2 || b.n < 2) return 0.0;
    const double va = a.sd * a.sd / double(a.n);
    const double vb = b.sd * b.sd / double(b.n);
    const double se2 = va + vb;
    if (!(se2 > 0.0)) return 0.0;
    const double df = se2 * se2 / (va * va / double(a.n - 1) + vb * vb / double(b.n - 1));
    return engine::student_t_quantile(0.975, df) * std::sqrt(se2);
}

} // namespace

std::vector<PairedDifference> paired_differences(const RunResult& a, const RunResult& b) {
    if (a.runs.empty() || a.runs.size() != b.runs.size()) {
        throw std::invalid_argument("paired_differences: the runs must have the same number of "
                                    "replications (at least one)");
    }
    check_shape(a, "A");
    check_shape(b, "B");
    for (std::size_t r = 0; r < a.runs.size(); ++r) {
        if (a.runs[r].replication != b.runs[r].replication) {
            throw std::invalid_argument("paired_differences: the runs hold different replications");
        }
    }
    std::map<std::pair<std::string, std::string>, std::size_t> in_b; // (entity, metric) -> index
    for (std::size_t k = 0; k < b.summary.size(); ++k) {
        in_b.emplace(std::pair{b.summary[k].entity, b.summary[k].metric}, k);
    }
    std::vector<PairedDifference> out;
    std::vector<double> differences(a.runs.size());
    for (std::size_t ka = 0; ka < a.summary.size(); ++ka) {
        const KpiSummary& kpi = a.summary[ka];
        const auto match = in_b.find({kpi.entity, kpi.metric});
        if (match == in_b.end()) continue;
        const std::size_t kb = match->second;
        for (std::size_t r = 0; r < a.runs.size(); ++r) {
            differences[r] = b.runs[r].kpis[kb].value - a.runs[r].kpis[ka].value;
        }
        PairedDifference d{
            kpi.entity, kpi.metric, kpi.stats, b.summary[kb].stats, engine::summarize(differences),
            0.0};
        d.unpaired_ci_half_width = welch_half_width(d.a, d.b);
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace chainshock::models
