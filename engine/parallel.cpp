#include "engine/parallel.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#if defined(__SANITIZE_THREAD__)
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace chainshock::engine {

namespace {

#if defined(__SANITIZE_THREAD__)
// Under ThreadSanitizer, plain std::threads stand in for TBB's scheduler. Debian's libtbb is not
// built with -fsanitize=thread, so TSan cannot see the synchronisation inside it and reports races
// in TBB's own task hand-offs; with std::thread every hand-off is visible, and what TSan checks is
// exactly the engine and model code that runs in parallel. Same tasks, same results.
thread_local int arena_threads = 0; // the "arena" of the calling thread, 0 = none

void fork_join(std::size_t count, int threads, TaskRef task) {
    const auto workers = static_cast<std::size_t>(std::max(1, threads));
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    const auto work = [&] {
        arena_threads = threads;
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                task(i);
            } catch (...) {
                const std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < std::min(workers, count); ++k) pool.emplace_back(work);
    const int outer = arena_threads;
    work();
    arena_threads = outer;
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}
#else
// One index per chunk: callers hand out coarse tasks of unequal length (replications, or chunks of
// a window's entities) and balance them themselves.
void for_each_index(std::size_t count, TaskRef task) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i) task(i);
                      });
}
#endif

} // namespace

int available_threads() { return tbb::info::default_concurrency(); }

int current_concurrency() {
#if defined(__SANITIZE_THREAD__)
    return arena_threads > 0 ? arena_threads : available_threads();
#else
    return tbb::this_task_arena::max_concurrency();
#endif
}

void parallel_for_index(std::size_t count, int threads, TaskRef task) {
    if (threads == 1 || count == 0) {
        for (std::size_t i = 0; i < count; ++i) task(i);
        return;
    }
    // Asking for more threads than the machine has only makes TBB warn; results are the same.
    // Even one task runs inside the arena, so that its nested work gets `threads` threads.
    const int limit = available_threads();
    const int size = threads > 0 && threads < limit ? threads : limit;
#if defined(__SANITIZE_THREAD__)
    fork_join(count, threads > 0 ? threads : limit, task);
    (void)size;
#else
    tbb::task_arena arena(size);
    arena.execute([&] { for_each_index(count, task); });
#endif
}

void parallel_for_nested(std::size_t count, TaskRef task) {
    if (count <= 1) {
        if (count == 1) task(0);
        return;
    }
#if defined(__SANITIZE_THREAD__)
    fork_join(count, current_concurrency(), task);
#else
    for_each_index(count, task);
#endif
}

} // namespace chainshock::engine
