// The layering rule, checked rather than hoped for (docs/ARCHITECTURE.md):
//     engine <- models <- models/io <- tools      ("<-" reads "may be included by")
// plus which layer may use which external library, and where main() may live.
//
// check_file() is a pure function over (path relative to the repo root, file text), so the rules
// are tested on synthetic inputs first (the checker can fail), then applied to the real tree.

#include <algorithm>
#include <cstddef>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// The project's layers, lowest first; Tests sits above everything production code may include.
enum class Layer { Engine, Models, Io, Tools, Tests };

constexpr std::string_view layer_name(Layer layer) {
    switch (layer) {
    case Layer::Engine:
        return "engine/";
    case Layer::Models:
        return "models/";
    case Layer::Io:
        return "models/io/";
    case Layer::Tools:
        return "tools/";
    case Layer::Tests:
        return "tests/";
    }
    return "?";
}

/// The layer a repo-relative path belongs to, if any ("models/io/" before "models/").
std::optional<Layer> layer_of(std::string_view path) {
    if (path.starts_with("engine/")) return Layer::Engine;
    if (path.starts_with("models/io/")) return Layer::Io;
    if (path.starts_with("models/")) return Layer::Models;
    if (path.starts_with("tools/")) return Layer::Tools;
    if (path.starts_with("tests/")) return Layer::Tests;
    return std::nullopt;
}

struct Violation {
    std::string path;
    int line = 0;
    std::string message;

    [[nodiscard]] std::string str() const {
        return path + ":" + std::to_string(line) + ": " + message;
    }
};

/// Blanks out comments and the contents of string and character literals, keeping every newline,
/// so that line numbers survive and text in comments or strings never counts as code.
/// Raw strings R"d(...)d" are handled; a ' between two hex digits is a digit separator.
std::string strip_comments_and_literals(std::string_view text) {
    std::string out(text);
    const std::size_t n = text.size();
    auto blank = [&out](std::size_t from, std::size_t to) {
        for (std::size_t k = from; k < to; ++k) {
            if (out[k] != '\n') out[k] = ' ';
        }
    };
    auto is_hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    std::size_t i = 0;
    while (i < n) {
        const char c = text[i];
        const char next = i + 1 < n ? text[i + 1] : '\0';
        if (c == '/' && next == '/') {
            const std::size_t end = std::min(text.find('\n', i), n);
            blank(i, end);
            i = end;
        } else if (c == '/' && next == '*') {
            const std::size_t close = text.find("*/", i + 2);
            const std::size_t end = close == std::string_view::npos ? n : close + 2;
            blank(i, end);
            i = end;
        } else if (c == '"' && i > 0 && text[i - 1] == 'R') {
            const std::size_t open = text.find('(', i + 1);
            if (open == std::string_view::npos) break;
            // Built by appending: GCC 12 warns wrongly (-Wrestrict) about ")" + string + "\"".
            std::string close(1, ')');
            close.append(text.substr(i + 1, open - i - 1));
            close.push_back('"');
            const std::size_t found = text.find(close, open + 1);
            const std::size_t end = found == std::string_view::npos ? n : found + close.size();
            blank(i + 1, end - 1);
            i = end;
        } else if (c == '"' || (c == '\'' && !(i > 0 && is_hex(text[i - 1]) && is_hex(next)))) {
            std::size_t j = i + 1;
            while (j < n && text[j] != c && text[j] != '\n') j += text[j] == '\\' ? 2U : 1U;
            const std::size_t end = std::min(j + 1, n);
            blank(i + 1, end - 1);
            i = end;
        } else {
            ++i;
        }
    }
    return out;
}

/// The target of an `#include` directive on this line: ('<' or '"', "path"), or nothing.
std::optional<std::pair<char, std::string>> include_target(std::string_view line) {
    auto skip_blanks = [&line](std::size_t pos) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
        return pos;
    };
    std::size_t pos = skip_blanks(0);
    if (pos >= line.size() || line[pos] != '#') return std::nullopt;
    pos = skip_blanks(pos + 1);
    if (line.substr(pos, 7) != "include") return std::nullopt;
    pos = skip_blanks(pos + 7);
    if (pos >= line.size() || (line[pos] != '<' && line[pos] != '"')) return std::nullopt;
    const char open = line[pos];
    const std::size_t close = line.find(open == '<' ? '>' : '"', pos + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return std::pair{open, std::string(line.substr(pos + 1, close - pos - 1))};
}

/// The repo-relative path a project include names. Project headers are included from the repo
/// root ("engine/time.hpp"); a quoted include without a layer prefix is resolved against the
/// including file's own folder ("time.hpp", "../network.hpp").
std::string resolve_include(std::string_view including_path, char open, const std::string& target) {
    if (open == '<' || layer_of(target)) return target;
    const fs::path joined = fs::path(including_path).parent_path() / target;
    return joined.lexically_normal().generic_string();
}

/// One external-library rule: includes starting with `prefix` are allowed only in `allowed`.
struct LibraryRule {
    std::string_view prefix;
    Layer allowed;
    std::string_view what;
};

constexpr LibraryRule kLibraryRules[] = {
    {"yaml-cpp/", Layer::Io, "yaml-cpp"},
    {"boost/program_options", Layer::Tools, "Boost.Program_options"},
    {"tbb/", Layer::Engine, "TBB"},
    {"oneapi/tbb", Layer::Engine, "TBB"},
};

void check_include(const std::string& path, int line_no, Layer layer, char open,
                   const std::string& target, std::vector<Violation>& out) {
    const std::string resolved = resolve_include(path, open, target);
    if (const auto to = layer_of(resolved); to && *to > layer) {
        out.push_back({path, line_no,
                       "includes \"" + target + "\": " + std::string(layer_name(layer)) +
                           " may not include " + std::string(layer_name(*to)) +
                           " (engine <- models <- models/io <- tools)"});
    }
    for (const LibraryRule& rule : kLibraryRules) {
        if (target.starts_with(rule.prefix) && layer != rule.allowed) {
            out.push_back({path, line_no,
                           "includes <" + target + ">: " + std::string(rule.what) +
                               " is allowed only in " + std::string(layer_name(rule.allowed))});
        }
    }
    // MPI lives in one file, so that a build without it (CHAINSHOCK_MPI=OFF) has none.
    if ((target == "mpi.h" || target.starts_with("openmpi/")) && path != "tools/cli_mpi.cpp") {
        out.push_back(
            {path, line_no, "includes <" + target + ">: MPI is allowed only in tools/cli_mpi.cpp"});
    }
    // engine/ is domain-free: the standard library and TBB, plus Boost.Math for Student-t
    // quantiles in statistics.cpp (the one deliberate exception).
    if (layer == Layer::Engine && target.starts_with("boost/") &&
        !target.starts_with("boost/math/")) {
        out.push_back({path, line_no,
                       "includes <" + target + ">: engine/ may use only boost/math/ from Boost"});
    }
}

bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// True if `line` (already stripped of comments and literals) declares or defines `int main(`.
bool defines_main(std::string_view line) {
    for (std::size_t pos = line.find("main"); pos != std::string_view::npos;
         pos = line.find("main", pos + 1)) {
        const std::size_t end = pos + 4;
        if ((pos > 0 && is_ident_char(line[pos - 1])) ||
            (end < line.size() && is_ident_char(line[end]))) {
            continue; // part of a longer identifier
        }
        const std::size_t paren = line.find_first_not_of(" \t", end);
        if (paren == std::string_view::npos || line[paren] != '(') continue;
        if (pos == 0) continue;
        const std::size_t last = line.find_last_not_of(" \t", pos - 1);
        if (last == std::string_view::npos || last < 2) continue;
        const bool int_before =
            line.substr(last - 2, 3) == "int" && (last == 2 || !is_ident_char(line[last - 3]));
        if (int_before) return true;
    }
    return false;
}

/// All layering violations in one file. `path` is relative to the repo root with '/' separators;
/// files outside engine/, models/ and tools/ have no rules.
std::vector<Violation> check_file(const std::string& path, std::string_view text) {
    std::vector<Violation> out;
    const auto layer = layer_of(path);
    if (!layer || *layer == Layer::Tests) return out;
    // Includes are read from the raw text, where the quotes of "engine/x.hpp" are still intact,
    // but only on lines that are code once comments are stripped.
    const std::string code = strip_comments_and_literals(text);
    std::istringstream raw_lines{std::string(text)};
    std::istringstream code_lines{code};
    std::string raw;
    std::string stripped;
    int line_no = 0;
    while (std::getline(raw_lines, raw) && std::getline(code_lines, stripped)) {
        ++line_no;
        if (include_target(stripped)) { // a directive in code (its "target" is blanked here)
            if (const auto inc = include_target(raw)) {
                check_include(path, line_no, *layer, inc->first, inc->second, out);
            }
        } else if (*layer != Layer::Tools && defines_main(stripped)) {
            out.push_back({path, line_no, "defines int main(): main() belongs in tools/"});
        }
    }
    return out;
}

bool any_mentions(const std::vector<Violation>& vs, std::string_view needle) {
    return std::any_of(vs.begin(), vs.end(), [needle](const Violation& v) {
        return v.message.find(needle) != std::string::npos;
    });
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

bool is_source(const fs::path& file) {
    const std::string ext = file.extension().string();
    return ext == ".hpp" || ext == ".cpp" || ext == ".h" || ext == ".cc" || ext == ".ipp";
}

} // namespace

TEST_CASE("layering: each layer may include itself and the layers below it") {
    CHECK(check_file("engine/a.hpp", "#include \"engine/time.hpp\"\n#include <vector>\n").empty());
    CHECK(check_file("models/a.cpp", "#include \"engine/time.hpp\"\n#include \"models/b.hpp\"\n")
              .empty());
    CHECK(check_file("models/io/a.cpp",
                     "#include \"engine/x.hpp\"\n#include \"models/y.hpp\"\n"
                     "#include \"models/io/z.hpp\"\n#include <yaml-cpp/yaml.h>\n")
              .empty());
    CHECK(check_file("tools/main.cpp",
                     "#include \"models/io/z.hpp\"\n#include <boost/program_options.hpp>\n"
                     "int main(int argc, char** argv) { return 0; }\n")
              .empty());
    CHECK(check_file("engine/parallel.hpp", "#include <oneapi/tbb/parallel_for.h>\n").empty());
    CHECK(
        check_file("engine/statistics.cpp", "#include <boost/math/distributions/students_t.hpp>\n")
            .empty());
    CHECK(check_file("models/network.hpp", "#include <boost/graph/adjacency_list.hpp>\n").empty());
    CHECK(check_file("tests/engine/x_test.cpp", "#include \"tools/cli.hpp\"\nint main() {}\n")
              .empty());
}

TEST_CASE("layering: an include from a higher layer is caught, with file and line") {
    const auto v =
        check_file("engine/scheduler.hpp", "#pragma once\n\n#include \"models/network.hpp\"\n");
    REQUIRE(v.size() == 1);
    CHECK(v[0].path == "engine/scheduler.hpp");
    CHECK(v[0].line == 3);
    CHECK(v[0].str().starts_with("engine/scheduler.hpp:3: "));
    CHECK(any_mentions(v, "engine/ may not include models/"));

    CHECK(any_mentions(check_file("models/a.cpp", "#include \"models/io/scenario_loader.hpp\"\n"),
                       "models/ may not include models/io/"));
    CHECK(any_mentions(check_file("models/a.cpp", "#  include   \"tools/cli.hpp\"\n"),
                       "models/ may not include tools/"));
    CHECK(any_mentions(check_file("models/io/a.cpp", "#include \"tools/cli.hpp\"\n"),
                       "models/io/ may not include tools/"));
    CHECK(any_mentions(check_file("tools/a.cpp", "#include \"tests/helpers.hpp\"\n"),
                       "tools/ may not include tests/"));
    CHECK(any_mentions(check_file("engine/a.hpp", "#include <models/network.hpp>\n"),
                       "engine/ may not include models/"));
}

TEST_CASE("layering: relative includes are resolved against the including file") {
    CHECK(check_file("models/io/a.cpp", "#include \"../network.hpp\"\n").empty());
    CHECK(check_file("engine/a.cpp", "#include \"time.hpp\"\n").empty());
    CHECK(any_mentions(check_file("engine/a.cpp", "#include \"../models/io/b.hpp\"\n"),
                       "engine/ may not include models/io/"));
    CHECK(any_mentions(check_file("models/a.cpp", "#include \"io/yaml_reader.hpp\"\n"),
                       "models/ may not include models/io/"));
}

TEST_CASE("layering: external libraries stay in their layer") {
    CHECK(any_mentions(check_file("models/a.cpp", "#include <yaml-cpp/yaml.h>\n"), "yaml-cpp"));
    CHECK(any_mentions(check_file("tools/a.cpp", "#include \"yaml-cpp/yaml.h\"\n"), "yaml-cpp"));
    CHECK(any_mentions(check_file("models/io/a.cpp", "#include <boost/program_options.hpp>\n"),
                       "Boost.Program_options"));
    CHECK(any_mentions(
        check_file("engine/a.cpp", "#include <boost/program_options/options_description.hpp>\n"),
        "Boost.Program_options"));
    CHECK(any_mentions(check_file("models/a.cpp", "#include <tbb/parallel_for.h>\n"), "TBB"));
    CHECK(any_mentions(check_file("tools/a.cpp", "#include <oneapi/tbb.h>\n"), "TBB"));
    CHECK(any_mentions(check_file("engine/a.hpp", "#include <boost/graph/adjacency_list.hpp>\n"),
                       "only boost/math/"));
}

TEST_CASE("layering: MPI only in tools/cli_mpi.cpp") {
    CHECK(check_file("tools/cli_mpi.cpp", "#include <mpi.h>\n").empty());
    CHECK(any_mentions(check_file("tools/cli_run.cpp", "#include <mpi.h>\n"), "cli_mpi.cpp"));
    CHECK(any_mentions(check_file("engine/parallel.cpp", "#include \"mpi.h\"\n"), "MPI"));
    CHECK(check_file("tools/cli_run.cpp", "#include \"tools/cli_mpi.hpp\"\n").empty());
}

TEST_CASE("layering: main() only in tools/") {
    CHECK(any_mentions(check_file("models/a.cpp", "int main() { return 0; }\n"), "main()"));
    CHECK(any_mentions(check_file("engine/a.cpp", "static int  main (int, char**);\n"), "main()"));
    CHECK(check_file("models/a.cpp", "int mainline(int x);\nint domain(int y);\n").empty());
    CHECK(check_file("models/a.cpp", "void print(int main_count);\nint maint();\n").empty());
}

TEST_CASE("layering: comments and string literals do not count") {
    CHECK(check_file("engine/a.hpp", "// #include \"models/network.hpp\"\n").empty());
    CHECK(check_file("engine/a.hpp", "/* the tool's\n#include <yaml-cpp/yaml.h>\n*/\n").empty());
    CHECK(check_file("engine/a.cpp", "/// no int main() here\n").empty());
    CHECK(check_file("engine/a.cpp", "const char* s = \"int main() /*\";\n"
                                     "#include \"engine/time.hpp\"\n")
              .empty());
    CHECK(
        check_file("engine/a.cpp", "auto s = R\"x(\n#include <yaml-cpp/yaml.h>\n)x\";\n").empty());
    CHECK(check_file("engine/a.cpp", "long n = 1'000'000; char q = '\"';\n").empty());
    // ... while code after a comment on the same line still counts.
    const auto v =
        check_file("engine/a.cpp", "/* x */ int y;\nconst char c = '/'; int main() {}\n");
    REQUIRE(v.size() == 1);
    CHECK(v[0].line == 2);
}

TEST_CASE("layering: the real tree has no violations") {
    const fs::path root = CHAINSHOCK_SOURCE_DIR;
    std::vector<fs::path> files;
    for (const char* top : {"engine", "models", "tools"}) {
        if (!fs::is_directory(root / top)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            if (entry.is_regular_file() && is_source(entry.path())) files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::size_t engine_files = 0;
    std::size_t model_files = 0;
    std::vector<Violation> all;
    for (const fs::path& file : files) {
        const std::string rel = file.lexically_relative(root).generic_string();
        engine_files += rel.starts_with("engine/") ? 1U : 0U;
        model_files += rel.starts_with("models/") ? 1U : 0U;
        for (Violation& v : check_file(rel, read_text(file))) all.push_back(std::move(v));
    }
    // A wrong CHAINSHOCK_SOURCE_DIR must not pass by scanning nothing.
    CHECK(engine_files > 0);
    CHECK(model_files > 0);
    for (const Violation& v : all) FAIL_CHECK(v.str());
    CHECK(all.empty());
    MESSAGE("scanned " << files.size() << " files under engine/, models/, tools/");
}
