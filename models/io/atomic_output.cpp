#include "models/io/atomic_output.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace chainshock::models::io {

namespace fs = std::filesystem;

namespace {

std::runtime_error io_error(const std::string& what, const fs::path& path, int err) {
    return std::runtime_error(what + " " + path.string() + ": " + std::strerror(err));
}

/// `<target>.tmp-<pid>-<n>` for the n-th try. The pid keeps concurrent processes apart; the
/// counter, advanced until an exclusive create succeeds, keeps writers within a process apart
/// without any shared state.
fs::path temp_sibling(const fs::path& target, unsigned attempt) {
    fs::path name = target.filename();
    name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
    return target.parent_path() / name;
}

/// `target` without a trailing separator, so that `out/` and `out` name the same directory.
fs::path normalized(fs::path target) {
    if (!target.empty() && !target.has_filename()) target = target.parent_path();
    return target;
}

void create_parent(const fs::path& target) {
    const fs::path parent = target.parent_path();
    if (!parent.empty()) fs::create_directories(parent);
}

bool valid_file_name(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\0') == std::string::npos;
}

/// fsync(2) on a file that is already written and closed; so that a crash after the rename cannot
/// leave an empty file under the final name.
void sync_file(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw io_error("cannot open", path, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) throw io_error("cannot sync", path, err);
}

/// Writes all of `content` to `fd`, retrying short writes and interrupted calls.
void write_all(int fd, std::string_view content, const fs::path& path) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw io_error("cannot write", path, errno);
        content.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

OutputDir::OutputDir(fs::path final_dir) : final_dir_(normalized(std::move(final_dir))) {
    if (final_dir_.empty()) throw std::invalid_argument("OutputDir: empty directory name");
}

OutputDir::~OutputDir() {
    if (committed_ || temp_dir_.empty()) return;
    files_.clear(); // close the streams before removing their files
    std::error_code ignored;
    fs::remove_all(temp_dir_, ignored);
}

void OutputDir::ensure_temp_dir() {
    if (!temp_dir_.empty()) return;
    create_parent(final_dir_);
    for (unsigned attempt = 0;; ++attempt) {
        fs::path candidate = temp_sibling(final_dir_, attempt);
        if (fs::create_directory(candidate)) {
            temp_dir_ = std::move(candidate);
            return;
        }
    }
}

std::ostream& OutputDir::file(const std::string& name) {
    if (committed_) throw std::logic_error("OutputDir: file() after commit()");
    if (!valid_file_name(name))
        throw std::invalid_argument("OutputDir: bad file name '" + name + "'");
    for (auto& [existing, stream] : files_)
        if (existing == name) return *stream;
    ensure_temp_dir();
    const fs::path path = temp_dir_ / name;
    auto stream = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*stream) throw io_error("cannot create", path, errno);
    files_.emplace_back(name, std::move(stream));
    return *files_.back().second;
}

void OutputDir::close_all() {
    for (auto& [name, stream] : files_) {
        stream->close();
        if (stream->fail())
            throw std::runtime_error("error writing " + (temp_dir_ / name).string());
        sync_file(temp_dir_ / name);
    }
}

void OutputDir::commit() {
    if (committed_) throw std::logic_error("OutputDir: commit() called twice");
    ensure_temp_dir(); // an OutputDir with no files still produces its (empty) directory
    close_all();
    std::error_code ec;
    if (!fs::exists(final_dir_)) {
        // The whole directory appears at once. A concurrent writer may have created final_dir_
        // since the check; the rename then fails and the per-file moves below take over.
        fs::rename(temp_dir_, final_dir_, ec);
        if (!ec) {
            committed_ = true;
            return;
        }
    }
    fs::create_directories(final_dir_);
    for (const auto& entry : files_) fs::rename(temp_dir_ / entry.first, final_dir_ / entry.first);
    fs::remove(temp_dir_);
    committed_ = true;
}

void write_file_atomically(const fs::path& path, std::string_view content) {
    const fs::path target = normalized(path);
    if (target.empty()) throw std::invalid_argument("write_file_atomically: empty file name");
    create_parent(target);
    fs::path temp;
    int fd = -1;
    for (unsigned attempt = 0; fd < 0; ++attempt) {
        temp = temp_sibling(target, attempt);
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) throw io_error("cannot create", temp, errno);
    }
    try {
        write_all(fd, content, temp);
        if (::fsync(fd) != 0) throw io_error("cannot sync", temp, errno);
        if (::close(fd) != 0) {
            fd = -1;
            throw io_error("cannot close", temp, errno);
        }
        fd = -1;
        fs::rename(temp, target);
    } catch (...) {
        if (fd >= 0) ::close(fd);
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
}

} // namespace chainshock::models::io
