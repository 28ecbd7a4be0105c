#pragma once
/// `mpirun -n K chainshock run|sweep ...` (CMake option CHAINSHOCK_MPI). Rank i of K runs shard
/// i/K of the job, exactly the replications `--shard i/K` would run, on its own TBB threads; each
/// rank packs its shard into bytes (models::io::pack_shard), rank 0 gathers them (MPI_Gatherv),
/// merges them as `chainshock merge` does and writes the results: byte-identical to one process's.
/// The ranks save to the checkpoint in `<out>/.checkpoint`, so `--resume` continues an interrupted
/// MPI job, with any number of ranks or none.
///
/// cli_mpi.cpp makes every MPI call; a build without MPI compiles cli_mpi_off.cpp instead, and
/// includes no MPI header and links no MPI library.

#include "tools/cli.hpp"
#include "tools/cli_job.hpp"

#include <cstdlib>
#include <optional>

namespace chainshock::tools {

/// True when a process launcher of an MPI job started this process: Open MPI's mpirun sets
/// OMPI_COMM_WORLD_SIZE, PMI and PMIx launchers (e.g. Slurm's srun) set PMI_SIZE or PMIX_RANK.
inline bool started_by_mpi_launcher() {
    return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
           std::getenv("PMIX_RANK") != nullptr;
}

/// When this process is a rank of an MPI job, runs its share of `job` with the other ranks; rank 0
/// calls `finish` with the merged results; returns the exit status (the same on every rank).
/// Returns nullopt when no MPI launcher started the process. Throws UsageError when job.manifest
/// has a slice (`--shard` is not for MPI jobs), and in a build without MPI when the launcher
/// started more than one process (each would run the whole job).
std::optional<int> run_job_under_mpi(Job& job, const JobFinish& finish, const Console& console);

} // namespace chainshock::tools
