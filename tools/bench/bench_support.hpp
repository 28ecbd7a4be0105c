#pragma once
/// Small helpers shared by the benchmarks: wall-clock timing, lists of counts on the command line,
/// and the process's resident memory as Linux reports it in /proc/self/status.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chainshock::tools::bench {

/// Seconds elapsed on the steady clock since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// CPU time consumed so far by the whole process (all threads) and by the calling thread, seconds.
/// On a shared machine these are what the benchmark itself used, unlike wall time.
[[nodiscard]] double process_cpu_seconds();
[[nodiscard]] double thread_cpu_seconds();

/// "1,2,4" -> {1, 2, 4}. Throws std::invalid_argument on anything but positive integers.
[[nodiscard]] std::vector<std::uint64_t> parse_counts(const std::string& text,
                                                      const std::string& option);

/// Resident memory of this process, KiB: now (VmRSS) and the peak since start or the last
/// reset_peak_rss() (VmHWM). Empty when /proc/self/status is not readable.
struct ResidentMemory {
    std::int64_t rss_kib = 0;
    std::int64_t peak_kib = 0;
};
[[nodiscard]] std::optional<ResidentMemory> resident_memory();

/// Returns the allocator's free memory to the operating system (glibc malloc_trim), so that memory
/// freed earlier (e.g. while loading a scenario) counts again in the resident set once reused.
void release_free_memory();

/// Resets the peak (VmHWM) to the current RSS by writing "5" to /proc/self/clear_refs (Linux
/// >= 4.0). Returns false when that is not possible; the peak then counts from process start.
bool reset_peak_rss();

} // namespace chainshock::tools::bench
