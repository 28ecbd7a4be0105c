#pragma once
/// One mass per day of the horizon (a manufacturer's daily demand or shortfall), in half the
/// memory while it can: 4 bytes a day as long as every value fits in 32 bits (up to 2,147,483 t
/// a day), 8 bytes a day from the first value that does not. Values are exact either way.

#include "models/quantity.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace chainshock::models {

class DailyKg {
public:
    /// `days` days, each `value`.
    void assign(std::size_t days, Kg value) {
        wide_.clear();
        narrow_.clear();
        if (fits(value)) {
            narrow_.assign(days, static_cast<std::int32_t>(value));
        } else {
            wide_.assign(days, value);
        }
    }
    [[nodiscard]] Kg operator[](std::size_t day) const {
        return narrow_.empty() ? wide_[day] : Kg{narrow_[day]};
    }
    /// Adds `qty` to day `day`.
    void add(std::size_t day, Kg qty) {
        // Days come in order, a cache line holds 16 of them, and a manufacturer's line is cold
        // by the time its next day arrives: fetch the one the days two lines ahead will use.
        if (day + kAhead < narrow_.size()) __builtin_prefetch(narrow_.data() + day + kAhead, 1);
        const Kg value = (*this)[day] + qty;
        if (!narrow_.empty() && fits(value)) {
            narrow_[day] = static_cast<std::int32_t>(value);
            return;
        }
        if (!narrow_.empty()) widen();
        wide_[day] = value;
    }
    [[nodiscard]] std::size_t size() const {
        return narrow_.empty() ? wide_.size() : narrow_.size();
    }
    [[nodiscard]] bool empty() const { return size() == 0; }

private:
    static constexpr std::size_t kAhead = 32;

    static bool fits(Kg value) {
        return value >= std::numeric_limits<std::int32_t>::min() &&
               value <= std::numeric_limits<std::int32_t>::max();
    }
    void widen() {
        wide_.assign(narrow_.begin(), narrow_.end());
        narrow_.clear();
        narrow_.shrink_to_fit();
    }

    std::vector<std::int32_t> narrow_;
    std::vector<Kg> wide_;
};

} // namespace chainshock::models
