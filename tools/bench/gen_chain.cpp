/// `chainshock-gen`: writes a synthetic mine -> refinery -> port -> factory scenario (the R200
/// benchmark chain, or the same proportions scaled to any node count) as YAML. The text is
/// validated by the scenario loader and the network builder before it is written.
///
///   chainshock-gen --preset r200 --out r200.yaml
///   chainshock-gen --nodes 2000 --days 365 --seed 7 --outage off

#include "models/io/scenario_loader.hpp"
#include "models/network.hpp"
#include "models/scenario_error.hpp"
#include "tools/bench/chain_generator.hpp"

#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace po = boost::program_options;
using chainshock::tools::bench::ChainParams;

namespace {

po::options_description gen_options() {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "preset", po::value<std::string>()->value_name("NAME"),
        "r200: 55 mines -> 25 refineries -> 20 ports -> 100 factories (the default)")(
        "nodes", po::value<std::uint32_t>()->value_name("N"),
        "scaled chain of N nodes (>= 20): 27.5% mines, 12.5% refineries, 10% ports, 50% "
        "factories")("seed", po::value<std::uint64_t>()->default_value(1)->value_name("S"),
                     "seed for drawing the structure (suppliers, lead times, demand rates)")(
        "days", po::value<std::int64_t>()->default_value(3650)->value_name("D"),
        "horizon of one replication, days")(
        "outage", po::value<std::string>()->default_value("on")->value_name("on|off"),
        "one 90-day outage of the busiest port (all its lanes close), from day D/3")(
        "lead-floor", po::value<double>()->default_value(0.25)->value_name("F"),
        "no lane's lead time is drawn below F x its mean (the lognormal's `min`; 0: none); at "
        "0.25 no draw of the 20% noise reaches it in practice")(
        "out,o", po::value<std::string>()->value_name("FILE"), "write here instead of stdout");
    return options;
}

ChainParams read_params(const po::variables_map& v) {
    ChainParams params;
    if (v.count("preset") && v.count("nodes"))
        throw std::invalid_argument("give --preset or --nodes, not both");
    if (v.count("preset") && v["preset"].as<std::string>() != "r200")
        throw std::invalid_argument("--preset: unknown preset '" + v["preset"].as<std::string>() +
                                    "' (known: r200)");
    if (v.count("nodes")) params.nodes = v["nodes"].as<std::uint32_t>();
    params.structure_seed = v["seed"].as<std::uint64_t>();
    params.horizon_days = v["days"].as<std::int64_t>();
    const std::string outage = v["outage"].as<std::string>();
    if (outage != "on" && outage != "off")
        throw std::invalid_argument("--outage: expected on or off, got '" + outage + "'");
    params.outage = outage == "on";
    params.lead_floor = v["lead-floor"].as<double>();
    return params;
}

/// Loads the text as chainshock would and builds its network; throws on any problem.
void check(const std::string& yaml) {
    const chainshock::models::Network network(
        chainshock::models::io::load_scenario_text(yaml, "generated.yaml"));
    (void)network;
}

} // namespace

int main(int argc, char** argv) {
    const po::options_description options = gen_options();
    try {
        po::variables_map values;
        po::store(po::parse_command_line(argc, argv, options), values);
        po::notify(values);
        if (values.count("help")) {
            std::cout << "Usage: chainshock-gen [options]\n\nWrites a synthetic supply-chain "
                         "scenario (YAML) for benchmarks.\n\n"
                      << options << '\n';
            return 0;
        }
        const std::string yaml = chainshock::tools::bench::generate_chain_yaml(read_params(values));
        check(yaml);
        if (values.count("out") == 0) {
            std::cout << yaml;
            return std::cout ? 0 : 1;
        }
        const std::string path = values["out"].as<std::string>();
        std::ofstream file(path, std::ios::binary);
        file << yaml;
        if (!file.flush()) {
            std::cerr << "chainshock-gen: cannot write " << path << '\n';
            return 1;
        }
        return 0;
    } catch (const po::error& e) {
        std::cerr << "chainshock-gen: " << e.what() << "\n\n" << options << '\n';
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "chainshock-gen: " << e.what() << '\n';
        return 2;
    } catch (const chainshock::models::ScenarioError& e) {
        std::cerr << "chainshock-gen: internal error: generated scenario is invalid: " << e.what()
                  << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "chainshock-gen: internal error: " << e.what() << '\n';
        return 1;
    }
}
