#pragma once
/// The engine's one door to TBB: run independent, indexed tasks on a bounded number of threads.
/// Callers write each task's result into its own slot and reduce afterwards in index order, so
/// results never depend on the number of threads or on scheduling.

#include <cstddef>
#include <memory>
#include <type_traits>

namespace chainshock::engine {

/// A non-owning reference to a callable taking a task index: what the parallel helpers take
/// instead of std::function, which would allocate for any lambda capturing more than two words
/// (once per parallel window, in the windowed engine). The callable must outlive the call it is
/// passed to, as a lambda written in the call's argument list does.
class TaskRef {
public:
    template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, TaskRef> &&
             std::is_invocable_v<F&, std::size_t>) TaskRef(F&& f)
    noexcept // NOLINT(google-explicit-constructor): stands in for a callable
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
          call_([](void* object, std::size_t i) {
              (*static_cast<std::remove_reference_t<F>*>(object))(i);
          }) {}

    void operator()(std::size_t i) const { call_(object_, i); }

private:
    void* object_;
    void (*call_)(void*, std::size_t);
};

/// Hardware threads available to this process.
int available_threads();

/// Calls task(i) for every i in [0, count), using at most `threads` threads (0 = all). Runs inside
/// its own tbb::task_arena (even for one task, so that the task's nested parallel_for_nested work
/// gets those threads), so a caller already inside a TBB pool does not oversubscribe. With
/// threads == 1 everything runs on the calling thread. The first exception thrown by a task is
/// rethrown here after the others finish.
void parallel_for_index(std::size_t count, int threads, TaskRef task);

/// The number of threads of the calling thread's TBB arena (all cores outside any arena).
int current_concurrency();

/// Calls task(i) for every i in [0, count) on the calling thread's TBB arena, without creating a
/// new one: called from inside a task of parallel_for_index, nested work shares that pool of
/// threads instead of oversubscribing the machine. Outside any arena it uses TBB's default one.
/// The first exception thrown by a task is rethrown here after the others finish.
void parallel_for_nested(std::size_t count, TaskRef task);

} // namespace chainshock::engine
