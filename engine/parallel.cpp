#include "engine/parallel.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace chainshock::engine {

int available_threads() { return tbb::info::default_concurrency(); }

void parallel_for_index(std::size_t count, int threads,
                        const std::function<void(std::size_t)>& task) {
    if (threads == 1 || count <= 1) {
        for (std::size_t i = 0; i < count; ++i) task(i);
        return;
    }
    // Asking for more threads than the machine has only makes TBB warn; results are the same.
    const int limit = available_threads();
    tbb::task_arena arena(threads > 0 && threads < limit ? threads : limit);
    arena.execute([&] {
        // One index per chunk: replications are coarse and of unequal length.
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i) task(i);
                          });
    });
}

} // namespace chainshock::engine
