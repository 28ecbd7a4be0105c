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

TEST_CASE("`min` raises draws below it, compiled or not, and is the lower bound") {
    DistributionSpec spec = lognormal(1.0, 1.0);
    spec.min = 0.5;
    CHECK(draws_match(spec, 7));
    const Distribution compiled(spec);
    Rng rng(8);
    int at_floor = 0;
    for (int i = 0; i < 10'000; ++i) {
        const double x = compiled.sample(rng);
        CHECK(x >= 0.5);
        at_floor += x == 0.5;
    }
    CHECK(at_floor > 1'000); // P(X < 0.5) is about 0.28 for this lognormal
    CHECK(spec.lower_bound() == 0.5);

    DistributionSpec normal =
        chainshock::models::testing::mean_sd(DistributionSpec::Kind::Normal, 5.0, 2.0);
    CHECK(normal.lower_bound() == 0.0); // draws below 0 are taken as 0
    normal.min = 3.0;
    CHECK(normal.lower_bound() == 3.0);
    CHECK(draws_match(normal, 9));
    Rng r2(10);
    for (int i = 0; i < 1'000; ++i) CHECK(chainshock::models::sample(normal, r2) >= 3.0);

    DistributionSpec uniform;
    uniform.kind = DistributionSpec::Kind::Uniform;
    uniform.low = 2.0;
    uniform.high = 4.0;
    CHECK(uniform.lower_bound() == 2.0);
    uniform.min = 1.0; // below what the kind allows: no effect
    CHECK(uniform.lower_bound() == 2.0);
    DistributionSpec empirical;
    empirical.kind = DistributionSpec::Kind::Empirical;
    empirical.values = {3.0, 1.5, 9.0};
    CHECK(empirical.lower_bound() == 1.5);
    CHECK(DistributionSpec::fixed(4.0).lower_bound() == 4.0);
}
