#pragma once
/// A run fingerprint: a 64-bit hash of the committed event sequence and the final state.
/// Two runs with the same fingerprint committed the same events in the same order.

#include "engine/event_key.hpp"

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

namespace chainshock::engine {

class Fingerprint {
public:
    /// Mixes one 64-bit word into the hash (order-sensitive).
    constexpr void add(std::uint64_t word) { state_ = combine(state_, word); }
    void add(std::int64_t word) { add(static_cast<std::uint64_t>(word)); }
    void add(double x) { add(std::bit_cast<std::uint64_t>(x)); }
    [[nodiscard]] constexpr std::uint64_t value() const { return state_; }
    /// 16 lowercase hex digits.
    [[nodiscard]] std::string hex() const;

    /// One step of the chain: the hash `h` with `word` mixed in.
    static constexpr std::uint64_t combine(std::uint64_t h, std::uint64_t word) {
        return mix(h ^ (word + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
    }

    /// SplitMix64's finaliser: a strong 64-bit mixing function.
    static constexpr std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t state_ = 0x6a09e667f3bcc908ULL;
};

/// One order-sensitive hash chain per entity, folded in entity order at the end.
///
/// Each entity's chain covers the keys of the events it processed, in the order it processed them.
/// That is what determinism means for a discrete-event engine: every entity sees the same events in
/// the same order. It is also what a parallel engine can compute without serialising: different
/// entities' chains are written by different threads, and the fold does not depend on which
/// entity finished first.
class EntityFingerprints {
public:
    explicit EntityFingerprints(std::size_t entities) : chains_(entities, kSeed) {}

    /// Adds a processed event's key to its target's chain: two multiply-rotate rounds per event
    /// (the engine does this for every event, so it is kept cheap); the fold runs every chain
    /// through the full mixing function.
    void commit(const EventKey& k) {
        std::uint64_t& h = chains_[k.target];
        h = std::rotl((h ^ (static_cast<std::uint64_t>(k.time.value) << 16 | k.phase)) *
                          0x9e3779b97f4a7c15ULL,
                      29);
        h = std::rotl((h ^ (std::uint64_t{k.origin} << 40 ^ k.seq)) * 0xbf58476d1ce4e5b9ULL, 31);
    }

    /// All chains folded in entity order.
    [[nodiscard]] Fingerprint combined() const {
        Fingerprint out;
        for (std::uint64_t h : chains_) out.add(Fingerprint::mix(h));
        return out;
    }

private:
    static constexpr std::uint64_t kSeed = 0x243f6a8885a308d3ULL;
    std::vector<std::uint64_t> chains_;
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
