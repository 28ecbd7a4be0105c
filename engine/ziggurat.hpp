#pragma once
/// The tables of the ziggurat method for the standard normal (Marsaglia & Tsang, "The ziggurat
/// method for generating random variables", J. Statistical Software 5(8), 2000, with the
/// one-uniform layout of Doornik, "An improved ziggurat method to generate normal random samples",
/// 2005).
///
/// The area under f(x) = exp(-x^2 / 2), x >= 0, is covered by `kLayers` layers of equal area `v`:
/// layer 0 is the rectangle [0, r] x [0, f(r)] plus the tail beyond r; layer i >= 1 is the
/// rectangle [0, x_i] x [f(x_i), f(x_{i+1})], with x_1 = r and x_kLayers = 0. A draw picks a layer
/// and a point in it; the point lies inside the curve without any test whenever its x is below the
/// next layer's edge, which is ~99% of draws.
///
/// The tables are computed at compile time with the arithmetic below, not with <cmath>: they are
/// the same on every platform and compiler, and there is no initialisation order to get wrong.

#include <array>
#include <cstddef>

namespace chainshock::engine::ziggurat {

/// Number of layers (a power of two: the layer is 7 bits of the draw).
inline constexpr std::size_t kLayers = 128;
/// The right edge of the base rectangle: where the tail starts.
inline constexpr double kTailStart = 3.442619855899;
/// The area of each layer, for kLayers and kTailStart (Marsaglia & Tsang's constants).
inline constexpr double kLayerArea = 9.91256303526217e-3;

namespace cx {
inline constexpr double kLn2 = 0.693147180559945309417;

/// exp(x) for |x| <~ 40: x = k ln2 + t with |t| <= ln2 / 2, a Taylor series for exp(t), then k
/// exact doublings or halvings. Within 1e-14 relative of <cmath> (tested).
constexpr double exp(double x) {
    const double shifted = x / kLn2;
    const long k = long(shifted < 0 ? shifted - 0.5 : shifted + 0.5);
    const double t = x - double(k) * kLn2;
    double term = 1.0;
    double sum = 1.0;
    for (int n = 1; n < 30; ++n) {
        term *= t / n;
        sum += term;
    }
    for (long i = 0; i < k; ++i) sum *= 2.0;
    for (long i = 0; i > k; --i) sum *= 0.5;
    return sum;
}

/// log(a) for a > 0: a = m 2^e with m in [sqrt(1/2), sqrt(2)), then
/// log(m) = 2 atanh((m - 1) / (m + 1)) as a series.
constexpr double log(double a) {
    double m = a;
    long e = 0;
    while (m >= 1.4142135623730951) {
        m *= 0.5;
        ++e;
    }
    while (m < 0.7071067811865476) {
        m *= 2.0;
        --e;
    }
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double power = s;
    double sum = 0.0;
    for (int n = 1; n < 60; n += 2) {
        sum += power / n;
        power *= s2;
    }
    return double(e) * kLn2 + 2.0 * sum;
}

/// sqrt(y) for y >= 0 by Newton's iteration, stopped when it no longer moves.
constexpr double sqrt(double y) {
    if (y == 0.0) return 0.0;
    double x = y > 1.0 ? y : 1.0;
    for (int i = 0; i < 200; ++i) {
        const double next = 0.5 * (x + y / x);
        if (next == x) break;
        x = next;
    }
    return x;
}

constexpr double density(double x) { return exp(-0.5 * x * x); }
} // namespace cx

/// The tables a draw reads. For layer i: `width[i]` scales a uniform on (-1, 1) to the layer's
/// width (for layer 0, the width of a rectangle of the layer's whole area, v / f(r));
/// `inner[i]` = width[i + 1] / width[i], below which |u| needs no test; `height[i]` = f(width[i]).
struct Tables {
    std::array<double, kLayers + 1> width{};
    std::array<double, kLayers> inner{};
    std::array<double, kLayers + 1> height{};
};

constexpr Tables make_tables() {
    Tables t;
    t.width[0] = kLayerArea / cx::density(kTailStart);
    t.width[1] = kTailStart;
    for (std::size_t i = 1; i + 1 < kLayers; ++i) {
        t.width[i + 1] =
            cx::sqrt(-2.0 * cx::log(kLayerArea / t.width[i] + cx::density(t.width[i])));
    }
    t.width[kLayers] = 0.0;
    for (std::size_t i = 0; i < kLayers; ++i) t.inner[i] = t.width[i + 1] / t.width[i];
    for (std::size_t i = 0; i <= kLayers; ++i) t.height[i] = cx::density(t.width[i]);
    return t;
}

inline constexpr Tables kTables = make_tables();

} // namespace chainshock::engine::ziggurat
