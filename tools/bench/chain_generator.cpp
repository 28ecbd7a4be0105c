#include "tools/bench/chain_generator.hpp"

#include "engine/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace chainshock::tools::bench {

namespace {

/// Supply is sized at this multiple of the expected demand on every stage.
constexpr double kSupplyMargin = 1.2;
/// Base-stock levels are (lead + 1) x daily use x this factor.
constexpr double kStockFactor = 1.3;
/// t of ore per t of metal at refineries.
constexpr double kOrePerMetal = 2.0;
/// Lane lead-time noise: lognormal with sd = this x the lane's base lead time.
constexpr double kLeadNoise = 0.2;
/// A mine's stockyard holds this many days of capacity (it starts half full).
constexpr double kStockyardDays = 14.0;
/// Refineries make to stock up to this many days of expected sales.
constexpr double kOutputTargetDays = 7.0;

/// One stage of the chain: nodes [first, first + count) of the global numbering.
struct Stage {
    const char* prefix;
    std::uint32_t first;
    std::uint32_t count;
    [[nodiscard]] std::string id(std::uint32_t local) const {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s_%03u", prefix, local + 1);
        return buf;
    }
};

/// Base lead time of the lanes into one stage: uniform on [low, high] days.
struct LaneDays {
    double low;
    double high;
};

/// The drawn structure. Indices are global (mines, refineries, ports, factories).
struct Chain {
    Stage mines, refineries, ports, factories;
    std::vector<std::vector<std::uint32_t>> suppliers; ///< per node, primary first
    std::vector<std::vector<double>> lane_days;        ///< per node, matching `suppliers`
    std::vector<double> sell_tpd; ///< expected sales t/day (output commodity), demand for factories
    std::uint32_t outage_port = 0;
};

double round_to(double x, double step) { return std::round(x / step) * step; }

/// A number as YAML: integers without a point, others with at most 3 decimals.
std::string num(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", x);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

void shuffle(std::vector<std::uint32_t>& v, engine::Rng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.next_u64() % i);
        std::swap(v[i - 1], v[j]);
    }
}

std::vector<std::uint32_t> permutation(std::uint32_t n, engine::Rng& rng) {
    std::vector<std::uint32_t> p(n);
    std::iota(p.begin(), p.end(), 0U);
    shuffle(p, rng);
    return p;
}

/// Suppliers (local upstream indices, primary first) for each of `down` buyers from `up` sellers:
/// every buyer gets at least two distinct suppliers, every seller at least one buyer, and primary
/// roles are spread evenly (seller loads differ by at most one buyer).
std::vector<std::vector<std::uint32_t>> assign(std::uint32_t up, std::uint32_t down,
                                               engine::Rng& rng) {
    const std::uint32_t base = std::max(2U, up / down);
    const std::uint32_t extra = up > base * down ? up - base * down : 0;
    std::vector<std::vector<std::uint32_t>> out(down);
    const std::vector<std::uint32_t> primary = permutation(up, rng);
    std::vector<bool> covered(up, false);
    for (std::uint32_t d = 0; d < down; ++d) {
        out[d].push_back(primary[d % up]);
        covered[primary[d % up]] = true;
    }
    // Candidates: first the sellers nobody has yet, then shuffled rounds of all sellers.
    std::vector<std::uint32_t> queue;
    for (const std::uint32_t u : primary)
        if (!covered[u]) queue.push_back(u);
    std::vector<std::uint32_t> slots; // one entry per secondary slot, by buyer
    const std::vector<std::uint32_t> order = permutation(down, rng);
    for (std::uint32_t i = 0; i < down; ++i) {
        const std::uint32_t want = base + (i < extra ? 1U : 0U);
        for (std::uint32_t k = 1; k < std::min(want, up); ++k) slots.push_back(order[i]);
    }
    shuffle(slots, rng);
    for (const std::uint32_t d : slots) {
        const auto fresh = [&](std::uint32_t u) {
            return std::find(out[d].begin(), out[d].end(), u) == out[d].end();
        };
        auto pick = std::find_if(queue.begin(), queue.end(), fresh);
        if (pick == queue.end()) { // a new round holds every seller, so a fresh one
            const std::vector<std::uint32_t> round = permutation(up, rng);
            queue.insert(queue.end(), round.begin(), round.end());
            pick = std::find_if(queue.begin(), queue.end(), fresh);
        }
        out[d].push_back(*pick);
        queue.erase(pick);
    }
    return out;
}

/// Draws the suppliers and lane lead times of the `down` stage from the `up` stage.
void link(Chain& chain, const Stage& up, const Stage& down, LaneDays days, engine::Rng& rng) {
    const auto lists = assign(up.count, down.count, rng);
    for (std::uint32_t d = 0; d < down.count; ++d) {
        const std::uint32_t node = down.first + d;
        for (const std::uint32_t u : lists[d]) {
            chain.suppliers[node].push_back(up.first + u);
            chain.lane_days[node].push_back(round_to(rng.uniform(days.low, days.high), 0.1));
        }
    }
}

/// Expected sales of each node of `up`: the sum of what its primary buyers use (`per_unit` t of
/// its output per t the buyer sells), and at least its buyers' mean use, so that a seller that is
/// only a fallback still holds stock and capacity for one buyer.
void size_stage(Chain& chain, const Stage& up, const Stage& down, double per_unit) {
    std::vector<double> primary_load(up.count, 0.0), all_load(up.count, 0.0);
    std::vector<std::uint32_t> buyers(up.count, 0);
    for (std::uint32_t d = down.first; d < down.first + down.count; ++d) {
        const double use = chain.sell_tpd[d] * per_unit;
        primary_load[chain.suppliers[d].front() - up.first] += use;
        for (const std::uint32_t u : chain.suppliers[d]) {
            all_load[u - up.first] += use;
            ++buyers[u - up.first];
        }
    }
    for (std::uint32_t u = 0; u < up.count; ++u) {
        chain.sell_tpd[up.first + u] = std::max(primary_load[u], all_load[u] / buyers[u]);
    }
}

Chain draw_chain(const ChainParams& params) {
    const StageCounts n = stage_counts(params.nodes);
    Chain chain{{"mine", 0, n.mines},
                {"ref", n.mines, n.refineries},
                {"port", n.mines + n.refineries, n.ports},
                {"fac", n.mines + n.refineries + n.ports, n.factories},
                {},
                {},
                {},
                0};
    chain.suppliers.resize(params.nodes);
    chain.lane_days.resize(params.nodes);
    chain.sell_tpd.assign(params.nodes, 0.0);
    engine::Rng rng = engine::Rng::stream(params.structure_seed, 0, 0, 0);
    link(chain, chain.mines, chain.refineries, {1.0, 4.0}, rng);
    link(chain, chain.refineries, chain.ports, {2.0, 7.0}, rng);
    link(chain, chain.ports, chain.factories, {10.0, 35.0}, rng);
    for (std::uint32_t f = 0; f < n.factories; ++f) {
        chain.sell_tpd[chain.factories.first + f] = round_to(rng.uniform(5.0, 15.0), 0.1);
    }
    size_stage(chain, chain.ports, chain.factories, 1.0);
    size_stage(chain, chain.refineries, chain.ports, 1.0);
    size_stage(chain, chain.mines, chain.refineries, kOrePerMetal);
    // The port that fails is the one with the most primary demand (the first one on ties).
    const auto first = chain.sell_tpd.begin() + chain.ports.first;
    chain.outage_port = static_cast<std::uint32_t>(
        std::max_element(first, first + chain.ports.count) - chain.sell_tpd.begin());
    return chain;
}

double max_lead(const Chain& chain, std::uint32_t node) {
    const auto& d = chain.lane_days[node];
    return *std::max_element(d.begin(), d.end());
}

/// `level_t` of a daily base-stock policy over the slowest supplier's lane.
double base_stock(const Chain& chain, std::uint32_t node, double use_tpd) {
    return std::ceil((max_lead(chain, node) + 1.0) * use_tpd * kStockFactor);
}

std::string node_id(const Chain& chain, std::uint32_t node) {
    for (const Stage* s : {&chain.mines, &chain.refineries, &chain.ports, &chain.factories}) {
        if (node >= s->first && node < s->first + s->count) return s->id(node - s->first);
    }
    throw std::logic_error("node index out of range");
}

void write_replenish(std::ostream& y, const Chain& chain, std::uint32_t node, const char* commodity,
                     double level) {
    y << "    replenish:\n      - commodity: " << commodity << "\n        suppliers: [";
    for (std::size_t i = 0; i < chain.suppliers[node].size(); ++i) {
        y << (i ? ", " : "") << node_id(chain, chain.suppliers[node][i]);
    }
    y << "]\n        sourcing: priority\n"
      << "        policy: {type: base_stock, level_t: " << num(level)
      << ", review: periodic, period_days: 1}\n";
}

void write_mine(std::ostream& y, const Chain& chain, std::uint32_t n) {
    const double cap = round_to(kSupplyMargin * chain.sell_tpd[n], 0.1);
    y << "  - {id: " << node_id(chain, n) << ", kind: mine, country: XA, commodity: ore, "
      << "capacity_tpd: " << num(cap) << ",\n     yield_factor: {dist: uniform, low: 0.8, "
      << "high: 1.2}, storage_capacity_t: " << num(kStockyardDays * cap)
      << ", inventory: {ore: " << num(kStockyardDays / 2 * cap) << "}}\n";
}

void write_refinery(std::ostream& y, const Chain& chain, std::uint32_t n) {
    const double sell = chain.sell_tpd[n];
    const double ore = base_stock(chain, n, kOrePerMetal * sell);
    const double target = std::ceil(kOutputTargetDays * sell);
    y << "  - id: " << node_id(chain, n) << "\n    kind: refinery\n    country: XB\n"
      << "    output: metal\n    recipe: {ore: " << num(kOrePerMetal) << "}\n"
      << "    capacity_tpd: " << num(round_to(kSupplyMargin * sell, 0.1))
      << "\n    lines: 1\n    processing_days: 1\n    output_target_t: " << num(target)
      << "\n    inventory: {ore: " << num(ore) << ", metal: " << num(target) << "}\n";
    write_replenish(y, chain, n, "ore", ore);
}

void write_port(std::ostream& y, const Chain& chain, std::uint32_t n) {
    const double level = base_stock(chain, n, chain.sell_tpd[n]);
    y << "  - id: " << node_id(chain, n) << "\n    kind: warehouse   # a port with stock\n"
      << "    country: XC\n    commodity: metal\n    inventory: {metal: " << num(level)
      << "}\n    costs: {holding_usd_per_t_day: 0.5}\n";
    write_replenish(y, chain, n, "metal", level);
}

void write_factory(std::ostream& y, const Chain& chain, std::uint32_t n) {
    const double d = chain.sell_tpd[n];
    const double level = base_stock(chain, n, d);
    y << "  - id: " << node_id(chain, n) << "\n    kind: manufacturer\n    country: XD\n"
      << "    demand: {commodity: metal, per_day: {dist: normal, mean: " << num(d)
      << ", sd: " << num(round_to(0.2 * d, 0.01)) << "}}\n    backorders: false\n"
      << "    inventory: {metal: " << num(level) << "}\n"
      << "    costs: {holding_usd_per_t_day: 1, lost_sale_usd_per_t: 5000}\n";
    write_replenish(y, chain, n, "metal", level);
}

void write_nodes(std::ostream& y, const Chain& chain) {
    using Writer = void (*)(std::ostream&, const Chain&, std::uint32_t);
    const auto each = [&](const Stage& stage, Writer write) {
        for (std::uint32_t n = stage.first; n < stage.first + stage.count; ++n) write(y, chain, n);
    };
    y << "nodes:\n";
    each(chain.mines, write_mine);
    each(chain.refineries, write_refinery);
    each(chain.ports, write_port);
    each(chain.factories, write_factory);
}

void write_routes(std::ostream& y, const Chain& chain, const ChainParams& params) {
    y << "routes:\n";
    for (std::uint32_t n = 0; n < chain.suppliers.size(); ++n) {
        const bool factory = n >= chain.factories.first;
        const bool port = !factory && n >= chain.ports.first;
        const char* mode = factory ? "sea" : port ? "road" : "rail";
        const double cost = factory ? 60.0 : port ? 20.0 : 5.0;
        for (std::size_t i = 0; i < chain.suppliers[n].size(); ++i) {
            const double base = chain.lane_days[n][i];
            y << "  - {from: " << node_id(chain, chain.suppliers[n][i])
              << ", to: " << node_id(chain, n) << ", mode: " << mode
              << ", lead_time_days: {dist: lognormal, mean: " << num(base)
              << ", sd: " << num(round_to(kLeadNoise * base, 0.01));
            // Rounded down to what num() writes, so the floor is never above the fraction.
            if (params.lead_floor > 0.0)
                y << ", min: " << num(std::floor(params.lead_floor * base * 1000.0) / 1000.0);
            y << "}, cost_usd_per_t: " << num(cost) << "}\n";
        }
    }
}

/// The port outage: every lane into and out of the port closes for the duration, so its buyers
/// re-source to their other supplier and cargo under way waits at the lane.
void write_outage(std::ostream& y, const Chain& chain, const ChainParams& params) {
    const std::uint32_t port = chain.outage_port;
    const std::int64_t start = params.horizon_days / 3;
    const std::int64_t duration = std::min(params.outage_days, params.horizon_days - start);
    const std::string id = node_id(chain, port);
    y << "# Outage of " << id << " from day " << start << " for " << duration
      << " days: all its lanes close.\nshocks:\n";
    int k = 0;
    const auto closure = [&](std::uint32_t from, std::uint32_t to) {
        y << "  - {type: route_closure, id: " << id << "_outage_" << ++k
          << ", route: {from: " << node_id(chain, from) << ", to: " << node_id(chain, to)
          << "}, start_day: " << start << ", duration_days: " << duration << "}\n";
    };
    for (const std::uint32_t r : chain.suppliers[port]) closure(r, port);
    for (std::uint32_t f = chain.factories.first; f < chain.suppliers.size(); ++f) {
        const auto& s = chain.suppliers[f];
        if (std::find(s.begin(), s.end(), port) != s.end()) closure(port, f);
    }
}

void write_header(std::ostream& y, const ChainParams& params, const StageCounts& n) {
    y << "# Synthetic benchmark chain generated by chainshock-gen (tools/bench/gen_chain.cpp):\n"
      << "#   chainshock-gen --nodes " << params.nodes << " --seed " << params.structure_seed
      << " --days " << params.horizon_days << " --outage " << (params.outage ? "on" : "off")
      << "\n# " << n.mines << " mines -> " << n.refineries << " refineries -> " << n.ports
      << " ports (warehouse nodes) -> " << n.factories << " factories; each buyer has two or more\n"
      << "# suppliers (priority sourcing: the first one that is up). Illustrative numbers.\n"
      << "# See docs/performance.md.\n"
      << "schema_version: 1\nname: synthetic_chain_" << params.nodes << "\n"
      << "description: synthetic benchmark chain (tools/bench), illustrative numbers\n"
      << "horizon_days: " << params.horizon_days
      << "\nwarmup_days: " << std::min<std::int64_t>(60, params.horizon_days / 10)
      << "\nseed: 1\nreplications: 10\noutput: {timeseries: false}\n"
      << "commodities:\n  - {id: ore, unit: t, price_usd_per_t: 100}\n"
      << "  - {id: metal, unit: t, price_usd_per_t: 2000}\n";
}

} // namespace

StageCounts stage_counts(std::uint32_t nodes) {
    StageCounts c;
    const auto share = [&](double f) {
        return static_cast<std::uint32_t>(std::lround(f * static_cast<double>(nodes)));
    };
    c.mines = share(0.275);
    c.refineries = share(0.125);
    c.ports = share(0.10);
    c.factories = nodes - c.mines - c.refineries - c.ports;
    return c;
}

std::string generate_chain_yaml(const ChainParams& params) {
    if (params.nodes < 20) throw std::invalid_argument("--nodes: at least 20 nodes");
    if (params.nodes > 1000000) throw std::invalid_argument("--nodes: at most 1000000 nodes");
    if (params.horizon_days < 2) throw std::invalid_argument("--days: at least 2 days");
    if (!(params.lead_floor >= 0.0 && params.lead_floor < 1.0))
        throw std::invalid_argument("--lead-floor: expected a fraction in [0, 1)");
    const Chain chain = draw_chain(params);
    std::ostringstream y;
    write_header(y, params, stage_counts(params.nodes));
    write_nodes(y, chain);
    write_routes(y, chain, params);
    if (params.outage) write_outage(y, chain, params);
    return y.str();
}

} // namespace chainshock::tools::bench
