#pragma once
/// Statistics used by every model: running moments, time-weighted averages of a level, and the
/// across-replication summary (mean, standard deviation, Student-t confidence interval,
/// percentiles).

#include <algorithm>
#include <cstdint>
#include <span>

namespace chainshock::engine {

/// Running mean and variance (Welford), plus extremes.
class RunningStats {
public:
    /// Inline: the model adds daily values for every node every day.
    void add(double x) {
        ++n_;
        if (n_ == 1) {
            min_ = max_ = x;
        } else {
            min_ = std::min(min_, x);
            max_ = std::max(max_, x);
        }
        const double delta = x - mean_;
        mean_ += delta / double(n_);
        m2_ += delta * (x - mean_);
    }
    [[nodiscard]] std::uint64_t count() const { return n_; }
    [[nodiscard]] double mean() const { return mean_; }
    /// Sample variance (n - 1 denominator); 0 with fewer than two values.
    [[nodiscard]] double variance() const;
    [[nodiscard]] double min() const { return min_; }
    [[nodiscard]] double max() const { return max_; }

private:
    std::uint64_t n_ = 0;
    double mean_ = 0.0;
    double m2_ = 0.0;
    double min_ = 0.0;
    double max_ = 0.0;
};

/// Integral over time of a piecewise-constant level, in level x ticks. Time is integer ticks;
/// only the accumulated area is floating point.
class TimeIntegral {
public:
    /// The level changes to `level` at `now` (now must not go backwards).
    /// Inline: the model calls it whenever a node's stock changes.
    void set(std::int64_t now, double level) {
        area_ += level_ * double(now - last_);
        last_ = now;
        level_ = level;
    }
    /// Starts (or restarts) accumulation at `now`, discarding area so far (warm-up cut-off).
    void reset(std::int64_t now);
    /// Area accumulated up to `now`.
    [[nodiscard]] double area(std::int64_t now) const;
    [[nodiscard]] double level() const { return level_; }

private:
    std::int64_t last_ = 0;
    double level_ = 0.0;
    double area_ = 0.0;
};

/// The across-replication summary of one KPI.
struct Summary {
    std::uint64_t n = 0;
    double mean = 0.0;
    double sd = 0.0;
    /// Half-width of the two-sided Student-t interval at `level` (0 when n < 2).
    double ci_half_width = 0.0;
    double ci_low = 0.0;
    double ci_high = 0.0;
    double p5 = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
    double min = 0.0;
    double max = 0.0;
};

/// Summarises values given in replication order; the result does not depend on the thread that
/// produced each value, since the sums run in the given order.
Summary summarize(std::span<const double> values, double level = 0.95);

/// Quantile of Student's t distribution with `df` degrees of freedom (Boost.Math).
double student_t_quantile(double p, double df);

/// Percentile by linear interpolation between order statistics (NumPy's default), p in [0, 1].
double percentile_sorted(std::span<const double> sorted, double p);

} // namespace chainshock::engine
