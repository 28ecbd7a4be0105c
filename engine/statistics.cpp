#include "engine/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <vector>

namespace chainshock::engine {

double RunningStats::variance() const { return n_ < 2 ? 0.0 : m2_ / double(n_ - 1); }

void TimeIntegral::reset(std::int64_t now) {
    last_ = now;
    area_ = 0.0;
}

double TimeIntegral::area(std::int64_t now) const { return area_ + level_ * double(now - last_); }

double student_t_quantile(double p, double df) {
    const boost::math::students_t dist(df);
    return boost::math::quantile(dist, p);
}

double percentile_sorted(std::span<const double> sorted, double p) {
    if (sorted.empty()) return 0.0;
    const double pos = p * double(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - double(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Summary summarize(std::span<const double> values, double level) {
    Summary s;
    RunningStats stats;
    for (double v : values) stats.add(v);
    s.n = stats.count();
    if (s.n == 0) return s;
    s.mean = stats.mean();
    s.sd = std::sqrt(stats.variance());
    s.min = stats.min();
    s.max = stats.max();
    if (s.n >= 2) {
        const double t = student_t_quantile(0.5 + level / 2.0, double(s.n - 1));
        s.ci_half_width = t * s.sd / std::sqrt(double(s.n));
    }
    s.ci_low = s.mean - s.ci_half_width;
    s.ci_high = s.mean + s.ci_half_width;
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    s.p5 = percentile_sorted(sorted, 0.05);
    s.p50 = percentile_sorted(sorted, 0.50);
    s.p95 = percentile_sorted(sorted, 0.95);
    return s;
}

} // namespace chainshock::engine
