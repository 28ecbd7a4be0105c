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
/// its own tbb::task_arena (even for one task, so that the task's nested parallel_for_nested work
/// gets those threads), so a caller already inside a TBB pool does not oversubscribe. With
/// threads == 1 everything runs on the calling thread. The first exception thrown by a task is
/// rethrown here after the others finish.
void parallel_for_index(std::size_t count, int threads,
                        const std::function<void(std::size_t)>& task);

/// The number of threads of the calling thread's TBB arena (all cores outside any arena).
int current_concurrency();

/// Calls task(i) for every i in [0, count) on the calling thread's TBB arena, without creating a
/// new one: called from inside a task of parallel_for_index, nested work shares that pool of
/// threads instead of oversubscribing the machine. Outside any arena it uses TBB's default one.
/// The first exception thrown by a task is rethrown here after the others finish.
void parallel_for_nested(std::size_t count, const std::function<void(std::size_t)>& task);

} // namespace chainshock::engine
