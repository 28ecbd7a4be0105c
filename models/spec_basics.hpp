#pragma once
/// The small types every spec uses: source positions, distributions and node kinds.

#include <optional>
#include <string>
#include <vector>

namespace chainshock::models {

/// A position in the scenario file (1-based; 0 = unknown), kept so that errors found after parsing
/// (e.g. an unreachable supplier) still point at the right line.
struct SourcePos {
    int line = 0;
    int column = 0;
};

/// A probability distribution as written in a scenario. YAML: a plain number is `fixed`;
/// otherwise a map `{dist: <kind>, ...}` with the parameters named below.
struct DistributionSpec {
    enum class Kind {
        Fixed,
        Uniform,
        Triangular,
        Normal,
        Lognormal,
        Exponential,
        Poisson,
        Empirical
    };
    Kind kind = Kind::Fixed;
    double value = 0.0;          ///< fixed: `value`
    double mean = 0.0;           ///< normal, lognormal, exponential, poisson: `mean`
    double sd = 0.0;             ///< normal, lognormal: `sd` (of the variable itself)
    double low = 0.0;            ///< uniform, triangular: `low`
    double mode = 0.0;           ///< triangular: `mode`
    double high = 0.0;           ///< uniform, triangular: `high`
    std::vector<double> values;  ///< empirical: `values`
    std::vector<double> weights; ///< empirical: `weights` (optional; equal when absent)
    /// `min` (any kind, optional): draws below it are raised to it. A floor a lognormal lead
    /// time is known never to go under is what lets the windowed engine run long windows.
    std::optional<double> min;

    /// The distribution's mean (used for forecasts, days-of-cover targets and path lengths).
    [[nodiscard]] double mean_value() const;
    /// The least value a draw can take (the floor, or what the kind allows; a draw below 0 of
    /// a time or a quantity is taken as 0, so a normal's is 0).
    [[nodiscard]] double lower_bound() const;
    [[nodiscard]] static DistributionSpec fixed(double v) {
        DistributionSpec d;
        d.value = v;
        return d;
    }
};

/// `kind`. A warehouse (distributor) holds one commodity, buys it with `replenish` and resells it
/// to buyers: the stockholding middle stages of a multi-echelon chain (e.g. the beer game).
enum class NodeKind { Mine, Refinery, Port, Manufacturer, Stockpile, Warehouse };

} // namespace chainshock::models
