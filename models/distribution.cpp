#include "models/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chainshock::models {

namespace {
double draw(const DistributionSpec& dist, engine::Rng& rng) {
    using Kind = DistributionSpec::Kind;
    switch (dist.kind) {
    case Kind::Fixed:
        return dist.value;
    case Kind::Uniform:
        return rng.uniform(dist.low, dist.high);
    case Kind::Triangular:
        return rng.triangular(dist.low, dist.mode, dist.high);
    case Kind::Normal:
        return rng.normal(dist.mean, dist.sd);
    case Kind::Lognormal:
        return rng.lognormal_mean_sd(dist.mean, dist.sd);
    case Kind::Exponential:
        return rng.exponential(dist.mean);
    case Kind::Poisson:
        return double(rng.poisson(dist.mean));
    case Kind::Empirical: {
        if (dist.weights.empty()) {
            const auto i = static_cast<std::size_t>(rng.uniform01() * double(dist.values.size()));
            return dist.values[std::min(i, dist.values.size() - 1)];
        }
        return dist.values[rng.discrete(dist.weights)];
    }
    }
    return 0.0;
}
} // namespace

double sample(const DistributionSpec& dist, engine::Rng& rng) {
    const double x = draw(dist, rng);
    return dist.min && x < *dist.min ? *dist.min : x;
}

Distribution::Distribution(const DistributionSpec& spec)
    : lognormal_(spec.kind == DistributionSpec::Kind::Lognormal),
      min_(spec.min.value_or(-std::numeric_limits<double>::infinity())), spec_(spec) {
    if (!lognormal_) return;
    // As engine::Rng::lognormal_mean_sd computes them (the distribution_test checks the draws).
    const double sigma2 = std::log1p((spec.sd * spec.sd) / (spec.mean * spec.mean));
    mu_ = std::log(spec.mean) - 0.5 * sigma2;
    sigma_ = std::sqrt(sigma2);
}

} // namespace chainshock::models
