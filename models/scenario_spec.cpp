#include "models/scenario_spec.hpp"

#include <algorithm>
#include <numeric>

namespace chainshock::models {

double DistributionSpec::mean_value() const {
    switch (kind) {
    case Kind::Fixed:
        return value;
    case Kind::Uniform:
        return (low + high) / 2.0;
    case Kind::Triangular:
        return (low + mode + high) / 3.0;
    case Kind::Normal:
    case Kind::Lognormal:
    case Kind::Exponential:
    case Kind::Poisson:
        return mean;
    case Kind::Empirical: {
        if (values.empty()) return 0.0;
        if (weights.empty()) {
            return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
        }
        double total = 0.0;
        double weighted = 0.0;
        for (std::size_t i = 0; i < values.size(); ++i) {
            total += weights[i];
            weighted += weights[i] * values[i];
        }
        return total > 0.0 ? weighted / total : 0.0;
    }
    }
    return 0.0;
}

double DistributionSpec::lower_bound() const {
    double least = 0.0;
    switch (kind) {
    case Kind::Fixed:
        least = value;
        break;
    case Kind::Uniform:
    case Kind::Triangular:
        least = low;
        break;
    case Kind::Empirical:
        if (!values.empty()) least = *std::min_element(values.begin(), values.end());
        break;
    case Kind::Normal:
    case Kind::Lognormal:
    case Kind::Exponential:
    case Kind::Poisson:
        break;
    }
    return std::max({least, min.value_or(0.0), 0.0});
}

double DemandSpec::mean_tpd() const {
    switch (process) {
    case Process::Daily:
        return per_day.mean_value();
    case Process::PoissonProcess:
        return rate_per_day * unit_t;
    case Process::Series:
        return series_tpd.empty() ? 0.0
                                  : std::accumulate(series_tpd.begin(), series_tpd.end(), 0.0) /
                                        double(series_tpd.size());
    }
    return 0.0;
}

} // namespace chainshock::models
