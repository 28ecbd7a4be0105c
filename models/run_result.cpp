#include "models/run_result.hpp"

#include "engine/fingerprint.hpp"

#include <stdexcept>

namespace chainshock::models {

std::string combined_fingerprint(const std::vector<ReplicationResult>& runs) {
    engine::Fingerprint combined;
    for (const ReplicationResult& run : runs)
        combined.add(static_cast<std::uint64_t>(std::stoull(run.fingerprint, nullptr, 16)));
    return combined.hex();
}

std::vector<KpiSummary> summarize_runs(const std::vector<ReplicationResult>& runs) {
    std::vector<KpiSummary> out;
    if (runs.empty()) return out;
    const auto& first = runs.front().kpis;
    std::vector<double> values(runs.size());
    for (std::size_t k = 0; k < first.size(); ++k) {
        for (std::size_t r = 0; r < runs.size(); ++r) {
            const Kpi& kpi = runs[r].kpis.at(k);
            if (kpi.entity != first[k].entity || kpi.metric != first[k].metric) {
                throw std::logic_error("chainshock: replications report different KPI lists");
            }
            values[r] = kpi.value;
        }
        out.push_back(KpiSummary{first[k].entity, first[k].metric, engine::summarize(values)});
    }
    return out;
}

} // namespace chainshock::models
