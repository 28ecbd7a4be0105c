#pragma once
/// Random streams. There is no global generator: every stream is derived from
/// (seed, replication, entity, purpose) by SplitMix64 hashing, so a number never depends on which
/// thread drew it, and two scenario variants run with one seed draw the same numbers for the same
/// (entity, purpose) (common random numbers).
///
/// The variates are computed here rather than with <random>'s distributions, whose algorithms are
/// implementation-defined: results must be bit-identical across standard libraries.

#include "engine/ziggurat.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <span>

namespace chainshock::engine {

/// One SplitMix64 step: advances `state` and returns a well-mixed 64-bit word.
std::uint64_t splitmix64(std::uint64_t& state);

/// The seed of the stream for (seed, replication, entity, purpose).
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
                          std::uint64_t purpose);

/// xoshiro256** generator (Blackman & Vigna), seeded through SplitMix64.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 0);
    /// A stream for (seed, replication, entity, purpose).
    static Rng stream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
                      std::uint64_t purpose) {
        return Rng(stream_seed(seed, replication, entity, purpose));
    }

    // The generator step and the uniforms are inline: they run several times per event.
    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    /// Uniform on [0, 1) with 53 random bits.
    double uniform01() { return double(next_u64() >> 11) * 0x1.0p-53; }
    /// Uniform on (0, 1]: safe to take the logarithm of.
    double uniform_open0() { return double((next_u64() >> 11) + 1) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
    double exponential(double mean);
    /// Normal variate, by the ziggurat method (engine/ziggurat.hpp). One 64-bit word gives the
    /// layer (its low 7 bits) and a signed uniform (its high 53); about 99% of draws end at the
    /// first comparison, so that path is inline and the rest is out of line.
    double normal(double mean, double sd) { return mean + sd * standard_normal(); }
    /// Normal variate with mean 0 and standard deviation 1.
    double standard_normal() {
        const std::uint64_t word = next_u64();
        const std::size_t layer = layer_of(word);
        const double u = signed_uniform_of(word);
        if (std::abs(u) < ziggurat::kTables.inner[layer]) {
            return u * ziggurat::kTables.width[layer];
        }
        return normal_edge(layer, u);
    }
    /// exp(N(mu, sigma)).
    double lognormal_mu_sigma(double mu, double sigma) { return std::exp(normal(mu, sigma)); }
    /// Lognormal parameterised by its own mean and standard deviation (not the log's).
    double lognormal_mean_sd(double mean, double sd);
    double triangular(double lo, double mode, double hi);
    /// Poisson variate: inversion for small means, Hormann's PTRS for mean >= 10.
    std::int64_t poisson(double mean);
    /// Index drawn with the given (non-negative, not all zero) weights.
    std::size_t discrete(std::span<const double> weights);

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    /// A normal draw's layer: the word's low bits.
    static std::size_t layer_of(std::uint64_t word) {
        return std::size_t(word & (ziggurat::kLayers - 1));
    }
    /// A normal draw's uniform on [-1, 1): the word's high 53 bits, signed.
    static double signed_uniform_of(std::uint64_t word) {
        return double(std::int64_t(word) >> 11) * 0x1.0p-52;
    }
    /// The rest of standard_normal() for a point outside its layer's inner rectangle: the tail
    /// for layer 0, otherwise the test against the curve, then standard_normal() again if it fails.
    double normal_edge(std::size_t layer, double u);

    std::array<std::uint64_t, 4> s_{};
};

} // namespace chainshock::engine
