#include "engine/random.hpp"

#include <cmath>
#include <numbers>

namespace chainshock::engine {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
                          std::uint64_t purpose) {
    // Chain the four coordinates through SplitMix64 so that neighbouring tuples land far apart.
    std::uint64_t state = seed;
    std::uint64_t h = splitmix64(state);
    for (std::uint64_t part : {replication, entity, purpose}) {
        state = h ^ (part * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
        h = splitmix64(state);
    }
    return h;
}

Rng::Rng(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitmix64(state);
}

double Rng::exponential(double mean) { return -mean * std::log(uniform_open0()); }

double Rng::normal_edge(std::size_t layer, double u) {
    if (layer == 0) {
        // The tail beyond r (Marsaglia, 1964): x = r + a with a exponential of rate r, kept with
        // probability exp(-a^2 / 2).
        double a = 0.0;
        double b = 0.0;
        do {
            a = -std::log(uniform_open0()) / ziggurat::kTailStart;
            b = -std::log(uniform_open0());
        } while (b + b < a * a);
        return u < 0.0 ? -(ziggurat::kTailStart + a) : ziggurat::kTailStart + a;
    }
    // A wedge: x lies between the next layer's edge and this one's; keep it if a height drawn
    // uniformly across the layer falls under the curve, else start again with a fresh draw.
    const auto& t = ziggurat::kTables;
    const double x = u * t.width[layer];
    const double y = t.height[layer] + uniform01() * (t.height[layer + 1] - t.height[layer]);
    if (y < std::exp(-0.5 * x * x)) return x;
    return standard_normal();
}

double Rng::lognormal_mean_sd(double mean, double sd) {
    const double sigma2 = std::log1p((sd * sd) / (mean * mean));
    return lognormal_mu_sigma(std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2));
}

double Rng::triangular(double lo, double mode, double hi) {
    const double u = uniform01();
    const double cut = (mode - lo) / (hi - lo);
    if (u < cut) return lo + std::sqrt(u * (hi - lo) * (mode - lo));
    return hi - std::sqrt((1.0 - u) * (hi - lo) * (hi - mode));
}

std::int64_t Rng::poisson(double mean) {
    if (mean <= 0.0) return 0;
    if (mean < 10.0) {
        // Inversion by sequential search.
        const double u = uniform01();
        double p = std::exp(-mean);
        double cdf = p;
        std::int64_t k = 0;
        while (u > cdf && k < 1000) {
            ++k;
            p *= mean / double(k);
            cdf += p;
        }
        return k;
    }
    // PTRS: Hormann (1993), "The transformed rejection method for generating Poisson random
    // variables", Insurance: Mathematics and Economics 12(1).
    const double slam = std::sqrt(mean);
    const double loglam = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = uniform01() - 0.5;
        const double v = uniform01();
        const double us = 0.5 - std::fabs(u);
        const double kd = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(kd);
        if (kd < 0.0 || (us < 0.013 && v > us)) continue;
        if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
            -mean + kd * loglam - std::lgamma(kd + 1.0)) {
            return static_cast<std::int64_t>(kd);
        }
    }
}

std::size_t Rng::discrete(std::span<const double> weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    double u = uniform01() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    return weights.size() - 1;
}

} // namespace chainshock::engine
