/// The MPI hook of a build without MPI (CHAINSHOCK_MPI=OFF): never an MPI job.

#include "tools/cli_mpi.hpp"

#include <charconv>
#include <string_view>

namespace chainshock::tools {

namespace {

/// The number of processes the launcher says it started (1 when it does not say).
std::uint64_t launcher_size() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
        const char* text = std::getenv(name);
        if (text == nullptr) continue;
        const std::string_view view(text);
        std::uint64_t size = 0;
        const auto [ptr, ec] = std::from_chars(view.data(), view.data() + view.size(), size);
        if (ec == std::errc() && ptr == view.data() + view.size()) return size;
    }
    return 1;
}

} // namespace

std::optional<int> run_job_under_mpi(Job& job, const JobFinish&, const Console&) {
    if (started_by_mpi_launcher() && launcher_size() > 1)
        throw UsageError(job.command,
                         "started by an MPI launcher with " + std::to_string(launcher_size()) +
                             " processes, but this chainshock was built without MPI (configure "
                             "with -DCHAINSHOCK_MPI=ON, or use --shard I/K and merge)");
    return std::nullopt;
}

} // namespace chainshock::tools
