#include "engine/parallel.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace chainshock::engine {

namespace {

// One index per chunk: callers hand out coarse tasks of unequal length (replications, or chunks of
// a window's entities) and balance them themselves.
void for_each_index(std::size_t count, const std::function<void(std::size_t)>& task) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i) task(i);
                      });
}

} // namespace

int available_threads() { return tbb::info::default_concurrency(); }

int current_concurrency() { return tbb::this_task_arena::max_concurrency(); }

void parallel_for_index(std::size_t count, int threads,
                        const std::function<void(std::size_t)>& task) {
    if (threads == 1 || count == 0) {
        for (std::size_t i = 0; i < count; ++i) task(i);
        return;
    }
    // Asking for more threads than the machine has only makes TBB warn; results are the same.
    // Even one task runs inside the arena, so that its nested work gets `threads` threads.
    const int limit = available_threads();
    tbb::task_arena arena(threads > 0 && threads < limit ? threads : limit);
    arena.execute([&] { for_each_index(count, task); });
}

void parallel_for_nested(std::size_t count, const std::function<void(std::size_t)>& task) {
    if (count <= 1) {
        if (count == 1) task(0);
        return;
    }
    for_each_index(count, task);
}

} // namespace chainshock::engine
