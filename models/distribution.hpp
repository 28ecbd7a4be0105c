#pragma once
/// Drawing from the distributions a scenario names: sample() from a DistributionSpec as written,
/// and Distribution, the same spec compiled for the per-event path.

#include "engine/random.hpp"
#include "models/spec_basics.hpp"

namespace chainshock::models {

/// Draws from a DistributionSpec with a given generator.
double sample(const DistributionSpec& dist, engine::Rng& rng);

/// A DistributionSpec ready to draw from many times (a lane's lead time: one draw per shipment).
/// A lognormal's (mu, sigma) are worked out once, by the very expressions
/// engine::Rng::lognormal_mean_sd evaluates at every draw, so every draw is bit-identical to
/// sample(spec, rng) with the same generator.
class Distribution {
public:
    Distribution() = default;
    explicit Distribution(const DistributionSpec& spec);

    [[nodiscard]] const DistributionSpec& spec() const { return spec_; }
    [[nodiscard]] double sample(engine::Rng& rng) const {
        if (!lognormal_) return models::sample(spec_, rng);
        const double x = rng.lognormal_mu_sigma(mu_, sigma_);
        return x < min_ ? min_ : x;
    }

private:
    // What sample() reads for a lognormal first, in one cache line with the fields before it.
    bool lognormal_ = false;
    double mu_ = 0.0;    ///< lognormal: mean of the logarithm
    double sigma_ = 0.0; ///< lognormal: standard deviation of the logarithm
    double min_ = 0.0;   ///< the floor (spec().min), -infinity without one
    DistributionSpec spec_;
};

} // namespace chainshock::models
