/// `chainshock run SCENARIO --modes none,independent,coordinated`: the same scenario and seed once
/// per stockpile-policy mode (common random numbers: the modes see the same shocks and demand),
/// each run written to DIR/<mode>/, then the resilience KPIs side by side and DIR/comparison.csv.

#include "models/io/atomic_output.hpp"
#include "models/io/results_writer.hpp"
#include "tools/cli.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace chainshock::tools {

namespace fs = std::filesystem;

namespace {

// Rows of the table: (entity, metric) pairs worth comparing, in this order, where they exist.
std::vector<std::pair<std::string, std::string>> comparison_rows(const models::RunResult& r) {
    std::vector<std::string> entities;
    for (const auto& k : r.summary) {
        if (k.metric == "time_to_survive_days" &&
            std::find(entities.begin(), entities.end(), k.entity) == entities.end()) {
            entities.push_back(k.entity);
        }
    }
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& entity : entities) {
        for (const char* metric : {"time_to_survive_days", "time_to_recover_days", "shortfall_t",
                                   "fill_rate", "cost_total_usd"}) {
            rows.emplace_back(entity, metric);
        }
    }
    for (const char* metric : {"stockpile_released_t", "cost_shortage_usd"}) {
        rows.emplace_back("network", metric);
    }
    return rows;
}

const engine::Summary* find(const models::RunResult& r, const std::string& entity,
                            const std::string& metric) {
    for (const auto& k : r.summary) {
        if (k.entity == entity && k.metric == metric) return &k.stats;
    }
    return nullptr;
}

std::string cell(const engine::Summary* s) {
    if (s == nullptr) return "-";
    char buf[64];
    if (s->n > 1) {
        std::snprintf(buf, sizeof buf, "%.4g ± %.2g", s->mean, s->ci_half_width);
    } else {
        std::snprintf(buf, sizeof buf, "%.4g", s->mean);
    }
    return buf;
}

std::string comparison_table(const std::vector<models::RunResult>& results,
                             const std::vector<std::string>& names) {
    std::ostringstream out;
    const auto rows = comparison_rows(results.front());
    out << std::left << std::setw(40) << "entity.metric (mean ± 95% CI)";
    for (const auto& name : names) out << std::setw(24) << name;
    out << '\n';
    for (const auto& [entity, metric] : rows) {
        out << std::setw(40) << (entity + "." + metric);
        for (const auto& r : results) out << std::setw(24) << cell(find(r, entity, metric));
        out << '\n';
    }
    return out.str();
}

void write_comparison_csv(std::ostream& out, const std::vector<models::RunResult>& results,
                          const std::vector<std::string>& names) {
    out << "mode,entity,metric,mean,ci95_low,ci95_high,p5,p50,p95\n";
    for (std::size_t m = 0; m < results.size(); ++m) {
        for (const auto& k : results[m].summary) {
            const auto& s = k.stats;
            out << names[m] << ',' << models::io::csv_field(k.entity) << ','
                << models::io::csv_field(k.metric);
            for (double v : {s.mean, s.ci_low, s.ci_high, s.p5, s.p50, s.p95}) {
                out << ',' << models::io::csv_number(v);
            }
            out << '\n';
        }
    }
}

} // namespace

int run_modes(const models::Network& network, const models::RunOptions& options,
              const std::vector<models::StockpilePolicySpec::Mode>& modes,
              const std::vector<std::string>& names, const fs::path& out_dir, bool quiet,
              const Console& console) {
    if (network.spec().stockpile_policies.empty()) {
        throw UsageError("run", "--modes: the scenario has no stockpile_policies to vary");
    }
    std::vector<models::RunResult> results;
    for (const auto mode : modes) {
        models::ScenarioSpec spec = network.spec();
        for (auto& policy : spec.stockpile_policies) policy.mode = mode;
        const models::Network variant(std::move(spec));
        results.push_back(models::run_scenario(variant, options));
    }
    write_output(out_dir.string(), [&] {
        for (std::size_t m = 0; m < results.size(); ++m) {
            models::io::write_results(results[m], out_dir / names[m]);
        }
        models::io::OutputDir dir(out_dir);
        write_comparison_csv(dir.file("comparison.csv"), results, names);
        dir.commit();
    });
    if (!quiet) {
        console.out << network.spec().name << ": " << options.replications
                    << " replications per mode, seed " << options.seed
                    << " (common random numbers)\n\n"
                    << comparison_table(results, names) << '\n';
    }
    console.out << "results written to " << out_dir.string() << " (one folder per mode, and "
                << "comparison.csv)\n";
    return 0;
}

} // namespace chainshock::tools
