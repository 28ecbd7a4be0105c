#pragma once
/// Writing results so that an interrupted or failed run never leaves a half-written file: files are
/// written under a temporary name next to their destination and renamed into place only when all
/// of them are complete (rename is atomic on POSIX file systems).

#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chainshock::models::io {

/// A results directory written as a unit. Files go to a sibling temporary directory
/// `<final>.tmp-<pid>-<n>` (created on the first file() call, together with any missing parent
/// directories); commit() moves them into `final_dir`. When `final_dir` does not exist yet the
/// whole temporary directory is renamed onto it, so it appears complete or not at all; otherwise
/// each file replaces the one of the same name (other files in it are left alone). Destroying an
/// OutputDir that was not committed removes the temporary directory and everything in it.
class OutputDir {
public:
    explicit OutputDir(std::filesystem::path final_dir);
    ~OutputDir();
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;
    OutputDir(OutputDir&&) = delete;
    OutputDir& operator=(OutputDir&&) = delete;

    /// The stream of file `name` (a plain file name: no directory part, not `.` or `..`), opened on
    /// first use; later calls with the same name return the same stream. Throws
    /// std::invalid_argument for a bad name, std::runtime_error when the file cannot be created,
    /// std::logic_error after commit().
    std::ostream& file(const std::string& name);

    /// Flushes and closes every file, syncs it to disk and moves it into final_dir (created if
    /// missing). Throws std::runtime_error (write errors) or std::filesystem::filesystem_error; the
    /// temporary directory is then still removed by the destructor. Calling it twice throws
    /// std::logic_error.
    void commit();

    [[nodiscard]] const std::filesystem::path& final_dir() const { return final_dir_; }
    /// The temporary directory (empty until the first file() call).
    [[nodiscard]] const std::filesystem::path& temp_dir() const { return temp_dir_; }
    [[nodiscard]] bool committed() const { return committed_; }

private:
    void ensure_temp_dir();
    void close_all();

    std::filesystem::path final_dir_;
    std::filesystem::path temp_dir_;
    std::vector<std::pair<std::string, std::unique_ptr<std::ofstream>>> files_; // creation order
    bool committed_ = false;
};

/// Writes `content` to `path` atomically: a temporary file `<path>.tmp-<pid>-<n>` in the same
/// directory (created if missing), synced, then renamed onto `path`. Readers see the old file or
/// the new one, never a mix. Throws std::runtime_error or std::filesystem::filesystem_error; no
/// temporary file is left behind on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

} // namespace chainshock::models::io
