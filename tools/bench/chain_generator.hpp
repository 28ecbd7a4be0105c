#pragma once
/// Synthetic supply chains for benchmarks: mines -> refineries -> ports -> factories, each node fed
/// by (at least) two upstream suppliers, written as a chainshock scenario (YAML text).
///
/// The proportions are those of the R200 benchmark chain (55 mines, 25 refineries, 20 ports, 100
/// factories): 27.5% / 12.5% / 10% / 50%. "Ports" are `warehouse` nodes (a stockholding middle
/// stage that buys from refineries and sells to factories): chainshock's `port` kind is a
/// pass-through and cannot be a supplier. See docs/performance.md.

#include <cstdint>
#include <string>

namespace chainshock::tools::bench {

/// What to generate. The structure (who supplies whom, lane lead times, demand rates, which port
/// fails) is drawn from `structure_seed` only; the scenario's own `seed` is 1.
struct ChainParams {
    std::uint32_t nodes = 200;        ///< total node count, >= 20
    std::uint64_t structure_seed = 1; ///< seed for drawing the structure
    std::int64_t horizon_days = 3650; ///< length of one replication
    bool outage = true;               ///< one 90-day port outage (closure of all its lanes)
    std::int64_t outage_days = 90;    ///< duration of the outage
    /// A lane's lead time is never drawn below this fraction of its mean (the lognormal's `min`;
    /// 0: no floor). At 0.25 the floor is 6.9 sd of the noise's logarithm below its mean, so a
    /// draw reaches it about once in 4 x 10^11: the runs are those of the plain lognormal, but
    /// the windowed engine knows each lane takes at least a quarter of its mean.
    double lead_floor = 0.25;
};

/// Node counts per stage for `nodes` in total (rounded; factories take the remainder).
struct StageCounts {
    std::uint32_t mines = 0, refineries = 0, ports = 0, factories = 0;
};
[[nodiscard]] StageCounts stage_counts(std::uint32_t nodes);

/// The scenario as YAML text. Throws std::invalid_argument for parameters out of range.
[[nodiscard]] std::string generate_chain_yaml(const ChainParams& params);

} // namespace chainshock::tools::bench
