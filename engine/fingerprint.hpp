#pragma once
/// A run fingerprint: a 64-bit hash of the committed event sequence and the final state.
/// Two runs with the same fingerprint committed the same events in the same order.

#include <bit>
#include <cstdint>
#include <string>

namespace chainshock::engine {

class Fingerprint {
public:
    /// Mixes one 64-bit word into the hash (order-sensitive).
    constexpr void add(std::uint64_t word) {
        state_ = mix(state_ ^ (word + 0x9e3779b97f4a7c15ULL + (state_ << 6) + (state_ >> 2)));
    }
    void add(std::int64_t word) { add(static_cast<std::uint64_t>(word)); }
    void add(double x) { add(std::bit_cast<std::uint64_t>(x)); }
    [[nodiscard]] constexpr std::uint64_t value() const { return state_; }
    /// 16 lowercase hex digits.
    [[nodiscard]] std::string hex() const;

    /// SplitMix64's finaliser: a strong 64-bit mixing function.
    static constexpr std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t state_ = 0x6a09e667f3bcc908ULL;
};

inline std::string Fingerprint::hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    std::uint64_t v = state_;
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
        v >>= 4;
    }
    return out;
}

} // namespace chainshock::engine
