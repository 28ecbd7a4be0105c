#pragma once
/// Bad input: an error in a scenario that names where it is and what was expected. The CLI turns it
/// into exit status 2. Anything else thrown is an internal error (exit status 1).

#include <stdexcept>
#include <string>
#include <utility>

namespace chainshock::models {

class ScenarioError : public std::runtime_error {
public:
    /// `key` is the dotted path of the offending key, e.g. `nodes[2].capacity_tpd`.
    ScenarioError(std::string file, int line, int column, std::string key, std::string message)
        : std::runtime_error(format(file, line, column, key, message)), file_(std::move(file)),
          line_(line), column_(column), key_(std::move(key)), message_(std::move(message)) {}

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] int line() const { return line_; }
    [[nodiscard]] int column() const { return column_; }
    [[nodiscard]] const std::string& key() const { return key_; }
    [[nodiscard]] const std::string& message() const { return message_; }

    /// `file:line:column: error: key: message` (the position is left out when unknown).
    static std::string format(const std::string& file, int line, int column, const std::string& key,
                              const std::string& message) {
        // Appended piecewise: g++ 12 warns falsely (-Wrestrict) on long operator+ chains.
        std::string out = file;
        if (line > 0) {
            out.append(":").append(std::to_string(line));
            out.append(":").append(std::to_string(column));
        }
        out.append(": error: ");
        if (!key.empty()) out.append(key).append(": ");
        out.append(message);
        return out;
    }

private:
    std::string file_;
    int line_;
    int column_;
    std::string key_;
    std::string message_;
};

} // namespace chainshock::models
