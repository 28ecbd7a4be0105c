#include "models/distribution.hpp"
#include "spec_builder.hpp"

#include <cstdint>
#include <doctest/doctest.h>

using chainshock::engine::Rng;
using chainshock::models::Distribution;
using chainshock::models::DistributionSpec;

namespace {

DistributionSpec lognormal(double mean, double sd) {
    return chainshock::models::testing::mean_sd(DistributionSpec::Kind::Lognormal, mean, sd);
}

/// Whether a compiled Distribution draws exactly what sample() draws, over many draws.
bool draws_match(const DistributionSpec& spec, std::uint64_t seed) {
    const Distribution compiled(spec);
    Rng a(seed);
    Rng b(seed);
    for (int i = 0; i < 10'000; ++i) {
        if (compiled.sample(a) != chainshock::models::sample(spec, b)) return false;
    }
    return a.next_u64() == b.next_u64(); // and leaves the stream in the same place
}

} // namespace

TEST_CASE("a compiled lognormal draws bit-identically to sample()") {
    CHECK(draws_match(lognormal(1.5, 0.3), 1));
    CHECK(draws_match(lognormal(3.9, 0.78), 2));
    CHECK(draws_match(lognormal(0.01, 5.0), 3));
    CHECK(draws_match(lognormal(250.0, 1e-6), 4));
    CHECK(draws_match(lognormal(7.0, 0.0), 5));
}

TEST_CASE("other kinds draw through sample() unchanged") {
    CHECK(draws_match(DistributionSpec::fixed(2.5), 6));
    DistributionSpec normal;
    normal.kind = DistributionSpec::Kind::Normal;
    normal.mean = 8.7;
    normal.sd = 1.74;
    CHECK(draws_match(normal, 7));
    DistributionSpec uniform;
    uniform.kind = DistributionSpec::Kind::Uniform;
    uniform.low = 0.8;
    uniform.high = 1.2;
    CHECK(draws_match(uniform, 8));
    CHECK(Distribution(normal).spec().mean == 8.7);
}
