/// `chainshock merge --out DIR SHARD_DIR...`: the shards of one `run --shard` or `sweep --shard`
/// job merged into exactly the files the unsharded job writes.

#include "models/io/results_writer.hpp"
#include "models/io/shard.hpp"
#include "models/io/sweep_writer.hpp"
#include "tools/cli.hpp"

namespace chainshock::tools {

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace io = models::io;

namespace {

constexpr std::string_view merge_description =
    "Merges the shard directories of one `run --shard I/K` or `sweep --shard I/K` job (every\n"
    "shard 0..K-1 exactly once) into DIR: the same summary.json, replications.csv and\n"
    "timeseries.csv (or sweep.csv and points/<k>/) as the unsharded job, byte for byte. Shards\n"
    "that are missing, repeated, or from another job (scenario, seed, replications, K,\n"
    "overrides, grid or chainshock version) are bad input (exit status 2).";

po::options_description merge_options() {
    po::options_description options("Options");
    options.add_options()("help,h", "show this help and exit")(
        "out,o", po::value<std::string>()->value_name("DIR"),
        "results directory for the merged results (required)")(
        "quiet,q", "print only where the results were written");
    return options;
}

struct MergeArgs {
    bool help = false;
    bool quiet = false;
    fs::path out;
    std::vector<fs::path> shards;
};

MergeArgs parse_merge(const std::vector<std::string>& args,
                      const po::options_description& options) {
    po::options_description all;
    all.add(options).add_options()("shard-dir", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("shard-dir", -1);
    po::variables_map values;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
        po::notify(values);
    } catch (const po::error& e) {
        throw UsageError("merge", e.what());
    }
    MergeArgs parsed;
    parsed.help = values.count("help") > 0;
    if (parsed.help) return parsed;
    parsed.quiet = values.count("quiet") > 0;
    if (values.count("out") == 0) throw UsageError("merge", "missing --out DIR");
    parsed.out = values["out"].as<std::string>();
    if (parsed.out.empty()) throw UsageError("merge", "--out: must not be empty");
    if (values.count("shard-dir") == 0) throw UsageError("merge", "missing SHARD_DIR arguments");
    for (const std::string& dir : values["shard-dir"].as<std::vector<std::string>>())
        parsed.shards.emplace_back(dir);
    return parsed;
}

} // namespace

int merge_command(const std::vector<std::string>& args, const Console& console) {
    const po::options_description options = merge_options();
    const MergeArgs parsed = parse_merge(args, options);
    if (parsed.help) {
        print_command_help(console.out, "merge --out DIR SHARD_DIR...", merge_description, options);
        return 0;
    }
    io::MergedShards merged;
    try {
        merged = io::merge_shards(parsed.shards);
    } catch (const io::ShardError& e) {
        console.err << "chainshock merge: error: " << e.what() << '\n';
        return 2;
    }
    const io::ShardManifest& job = merged.manifest;
    const bool sweep = job.kind == "sweep";
    write_output(parsed.out.string(), [&] {
        if (sweep)
            io::write_sweep_results(job.grid, merged.points, parsed.out);
        else
            io::write_results(merged.points.front(), parsed.out);
    });
    if (!parsed.quiet) {
        console.out << "merged " << job.slice.count << " shard" << (job.slice.count > 1 ? "s" : "")
                    << " of " << (sweep ? "a sweep of " : "") << job.points.front().scenario_name
                    << "\n\n";
        console.out << (sweep ? io::format_sweep_table(job.grid, merged.points)
                              : io::format_key_results(merged.points.front(), {}))
                    << '\n';
    }
    console.out << "results written to " << parsed.out.string() << '\n';
    return 0;
}

} // namespace chainshock::tools
