#pragma once
/// The engine's one door to TBB: run independent, indexed tasks on a bounded number of threads.
/// Callers write each task's result into its own slot and reduce afterwards in index order, so
/// results never depend on the number of threads or on scheduling.

#include <cstddef>
#include <functional>

namespace chainshock::engine {

/// Hardware threads available to this process.
int available_threads();

/// Calls task(i) for every i in [0, count), using at most `threads` threads (0 = all). Runs inside
/// its own tbb::task_arena, so a caller already inside a TBB pool does not oversubscribe. The
/// first exception thrown by a task is rethrown here after the others finish.
void parallel_for_index(std::size_t count, int threads,
                        const std::function<void(std::size_t)>& task);

} // namespace chainshock::engine
