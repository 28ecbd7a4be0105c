#include "tools/bench/bench_support.hpp"

#include <charconv>
#include <ctime>
#include <fstream>
#include <malloc.h>
#include <sstream>
#include <stdexcept>

namespace chainshock::tools::bench {

namespace {
double cpu_seconds(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
} // namespace

double process_cpu_seconds() { return cpu_seconds(CLOCK_PROCESS_CPUTIME_ID); }
double thread_cpu_seconds() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }

std::vector<std::uint64_t> parse_counts(const std::string& text, const std::string& option) {
    std::vector<std::uint64_t> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        std::uint64_t value = 0;
        const char* end = item.data() + item.size();
        const auto [ptr, ec] = std::from_chars(item.data(), end, value);
        if (item.empty() || ec != std::errc() || ptr != end || value == 0)
            throw std::invalid_argument(std::string("--").append(option).append(
                ": expected positive integers separated by commas, got '" + text + "'"));
        out.push_back(value);
    }
    if (out.empty()) throw std::invalid_argument("--" + option + ": empty list");
    return out;
}

std::optional<ResidentMemory> resident_memory() {
    std::ifstream status("/proc/self/status");
    if (!status) return std::nullopt;
    ResidentMemory m;
    bool rss = false, peak = false;
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") rss = static_cast<bool>(status >> m.rss_kib);
        if (key == "VmHWM:") peak = static_cast<bool>(status >> m.peak_kib);
        status.ignore(1 << 12, '\n');
    }
    if (!rss || !peak) return std::nullopt;
    return m;
}

void release_free_memory() { malloc_trim(0); }

bool reset_peak_rss() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

} // namespace chainshock::tools::bench
