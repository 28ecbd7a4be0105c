// Overrides on the parsed YAML tree. yaml-cpp 0.7 nodes are handles: assigning one Node to
// another that already refers to a node makes that node share the source's data, so walking the
// tree uses reset() (rebind the handle) and a value is written only through its parent
// (`parent[key] = value`), which changes exactly that slot.

#include "models/io/scenario_overrides.hpp"

#include "models/io/yaml_reader.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <yaml-cpp/yaml.h>

namespace chainshock::models::io {

namespace {

/// One step of a path: a map key, or a list element by index or by id.
struct Step {
    bool is_key = true;
    std::string text; ///< the key, or what is between the brackets
};

[[noreturn]] void bad_path(std::string_view path, const std::string& why) {
    throw std::invalid_argument("bad path '" + std::string(path) + "': " + why);
}

bool is_index(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// `a.b[c][0].d` -> key a, key b, element c, element 0, key d.
std::vector<Step> parse_path(std::string_view path) {
    std::vector<Step> steps;
    std::size_t i = 0;
    bool need_key = true;
    while (i < path.size() || need_key) {
        if (need_key) {
            const std::size_t end = std::min(path.find_first_of(".[]", i), path.size());
            if (end == i) bad_path(path, "expected a key at character " + std::to_string(i + 1));
            steps.push_back({true, std::string(path.substr(i, end - i))});
            i = end;
            need_key = false;
        } else if (path[i] == '.') {
            ++i;
            need_key = true;
        } else if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            const std::size_t open = path.find('[', i + 1);
            if (close == std::string_view::npos || open < close)
                bad_path(path, "'[' without a matching ']'");
            if (close == i + 1) bad_path(path, "empty '[]'; expected an index or an id");
            steps.push_back({false, std::string(path.substr(i + 1, close - i - 1))});
            i = close + 1;
        } else {
            bad_path(path, "unexpected '" + std::string(1, path[i]) + "' at character " +
                               std::to_string(i + 1));
        }
    }
    return steps;
}

/// Whether a quote at `i` opens a quoted scalar: only at the start of a YAML token.
bool opens_quote(std::string_view list, std::size_t i) {
    std::size_t k = i;
    while (k > 0 && list[k - 1] == ' ') --k;
    return k == 0 || std::string_view(",[{:").find(list[k - 1]) != std::string_view::npos;
}

/// Top-level commas of `list` (outside brackets and quoted scalars); throws when they do not
/// balance.
std::vector<std::size_t> top_level_commas(std::string_view list) {
    const auto unbalanced = [list](const std::string& what) {
        return std::invalid_argument(what + " in '" + std::string(list) + "'");
    };
    std::vector<std::size_t> commas;
    std::string open; // the brackets still open, innermost last
    char quote = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const char c = list[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if ((c == '"' || c == '\'') && opens_quote(list, i)) {
            quote = c;
        } else if (c == '[' || c == '{') {
            open += c;
        } else if (c == ']' || c == '}') {
            if (open.empty() || open.back() != (c == ']' ? '[' : '{'))
                throw unbalanced("unbalanced '" + std::string(1, c) + "'");
            open.pop_back();
        } else if (c == ',' && open.empty()) {
            commas.push_back(i);
        }
    }
    if (quote != 0) throw unbalanced("unclosed quote");
    if (!open.empty()) throw unbalanced("unclosed '" + open.substr(open.size() - 1) + "'");
    return commas;
}

/// What a node is, for messages.
std::string kind_of(const YAML::Node& node) {
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    if (node.IsScalar()) return "a single value";
    return "empty";
}

/// The keys of a map, `a, b, c`.
std::string keys_of(const YAML::Node& map) {
    std::string out;
    for (auto it = map.begin(); it != map.end(); ++it)
        out += (out.empty() ? "" : ", ") + it->first.Scalar();
    return out.empty() ? "(none)" : out;
}

/// How many times `target` occurs in `tree` (more than once: shared through a YAML alias).
/// Depth-limited, since an alias may refer to a node that contains it.
int uses_of(const YAML::Node& tree, const YAML::Node& target, int depth = 0) {
    if (tree.is(target)) return 1;
    if (depth > 200 || !(tree.IsMap() || tree.IsSequence())) return 0;
    int uses = 0;
    for (auto it = tree.begin(); it != tree.end(); ++it)
        uses += uses_of(tree.IsMap() ? it->second : *it, target, depth + 1);
    return uses;
}

/// Applies one override: walks the tree, then replaces (or adds) the last step's value.
class Applier {
public:
    Applier(YAML::Node& root, const ScenarioOverride& change, const std::string& file)
        : root_(root), change_(change), file_(file) {}

    /// Returns the path in the loader's form (elements by index).
    std::string apply() {
        const std::vector<Step> steps = parse_path(change_.path);
        const YAML::Node value = parse_value();
        YAML::Node cur;
        cur.reset(root_);
        for (std::size_t s = 0; s + 1 < steps.size(); ++s) {
            YAML::Node next = steps[s].is_key ? find_key(cur, steps[s].text)
                                              : cur[find_element(cur, steps[s].text)];
            if (uses_of(root_, next) > 1)
                fail("'" + shown_ +
                     "' is shared with other keys through a YAML alias; set all of "
                     "it instead (" +
                     change_.origin + " " + shown_ + "=...)");
            cur.reset(next);
        }
        const Step& last = steps.back();
        if (last.is_key) {
            set_key(cur, last.text, value);
        } else {
            const std::size_t index = find_element(cur, last.text);
            if (uses_of(root_, cur[index]) > 1)
                fail("'" + shown_ +
                     "' is shared with other keys through a YAML alias; set the "
                     "list that holds it instead");
            cur[index] = value;
        }
        return loader_path_;
    }

private:
    [[noreturn]] void fail(const std::string& message) const {
        throw ScenarioError(file_, 0, 0, change_.origin + " " + change_.path, message);
    }

    [[noreturn]] void fail_not_a_map(const YAML::Node& node) const {
        if (shown_.empty()) fail("the scenario is not a map");
        fail("'" + shown_ + "' is " + kind_of(node) + ", not a map" +
             (node.IsSequence() ? "; select an element with [index] or [id]" : ""));
    }

    /// `where` for messages: `at the top level` or `in 'nodes[spr_us]'`.
    [[nodiscard]] std::string where() const {
        return shown_.empty() ? "at the top level" : "in '" + shown_ + "'";
    }

    YAML::Node parse_value() const {
        try {
            return YAML::Load(change_.value);
        } catch (const YAML::Exception& e) {
            fail("invalid YAML value '" + change_.value + "': " + e.msg);
        }
    }

    void advance_key(const std::string& key) {
        shown_ = child_path(shown_, key);
        loader_path_ = child_path(loader_path_, key);
    }

    YAML::Node find_key(const YAML::Node& map, const std::string& key) {
        if (!map.IsMap()) fail_not_a_map(map);
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == key) {
                advance_key(key);
                return it->second;
            }
        }
        const std::string added = child_path(shown_, key);
        fail("no key '" + key + "' " + where() + " (to add it, set '" + added +
             "' as a whole); keys there: " + keys_of(map));
    }

    /// The last step: replace the key's value, or add the key (the loader checks it is allowed).
    void set_key(YAML::Node& map, const std::string& key, const YAML::Node& value) {
        if (!map.IsMap() && !map.IsNull()) fail_not_a_map(map);
        bool shared = false;
        for (auto it = map.begin(); it != map.end(); ++it)
            if (it->first.IsScalar() && it->first.Scalar() == key)
                shared = uses_of(root_, it->second) > 1;
        // A value shared through an alias is left alone for its other uses: this key gets a
        // fresh slot (moved to the end of the map, which changes nothing the loader reads).
        if (shared) map.remove(key);
        advance_key(key);
        map[key] = value;
    }

    /// The index of the element `[selector]` of the list `list`.
    std::size_t find_element(const YAML::Node& list, const std::string& selector) {
        if (!list.IsSequence())
            fail("'" + shown_ + "' is " + kind_of(list) + ", not a list; cannot select [" +
                 selector + "]");
        const std::size_t size = list.size();
        const std::string range =
            size == 0 ? "the list is empty" : "0 to " + std::to_string(size - 1);
        std::size_t index = size;
        if (is_index(selector)) {
            index = selector.size() > 18 ? size : std::stoull(selector);
            if (index >= size)
                fail("no element [" + selector + "] in '" + shown_ + "' (" + range + ")");
        } else {
            std::string ids; // the first 20, for the message
            std::size_t id_count = 0;
            for (std::size_t i = 0; i < size && index == size; ++i) {
                if (!list[i].IsMap()) continue;
                const YAML::Node id = list[i]["id"];
                if (!id.IsDefined() || !id.IsScalar()) continue;
                if (id.Scalar() == selector) index = i;
                if (++id_count <= 20) ids += (ids.empty() ? "" : ", ") + id.Scalar();
            }
            if (id_count > 20) ids += ", ... (" + std::to_string(id_count) + " in all)";
            if (index == size) {
                std::string message = "no element with id '" + selector + "' in '" + shown_ + "'";
                if (size == 0)
                    message += " (the list is empty)";
                else if (ids.empty())
                    message += " (its elements have no id; select one by index, " + range + ")";
                else
                    message += "; ids there: " + ids;
                fail(message);
            }
        }
        shown_ += "[" + selector + "]";
        loader_path_ = index_path(loader_path_, index);
        return index;
    }

    YAML::Node& root_;
    const ScenarioOverride& change_;
    const std::string& file_;
    std::string shown_;       ///< the path walked so far, as the user wrote it
    std::string loader_path_; ///< the same, with elements by index
};

/// `a` is `b` or lies inside it: `b`, `b.x`, `b[0]`.
bool within(std::string_view a, std::string_view b) {
    return a.starts_with(b) && (a.size() == b.size() || a[b.size()] == '.' || a[b.size()] == '[');
}

} // namespace

ScenarioOverride parse_override(std::string_view text) {
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos)
        throw std::invalid_argument("expected PATH=VALUE, got '" + std::string(text) + "'");
    ScenarioOverride change{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
    if (change.path.empty())
        throw std::invalid_argument("expected PATH=VALUE, got '" + std::string(text) +
                                    "' (no path)");
    (void)parse_path(change.path);
    return change;
}

GridAxis parse_grid_axis(std::string_view text) {
    const ScenarioOverride first = parse_override(text);
    GridAxis axis{first.path, {}};
    const std::string_view list = std::string_view(text).substr(first.path.size() + 1);
    std::size_t start = 0;
    std::vector<std::size_t> ends = top_level_commas(list);
    ends.push_back(list.size());
    for (const std::size_t end : ends) {
        std::string_view value = list.substr(start, end - start);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        if (value.empty())
            throw std::invalid_argument("empty value in '" + std::string(text) +
                                        "'; expected PATH=V1,V2,...");
        axis.values.emplace_back(value);
        start = end + 1;
    }
    return axis;
}

std::vector<std::vector<ScenarioOverride>> grid_points(std::span<const GridAxis> axes) {
    std::vector<std::vector<ScenarioOverride>> points{{}};
    for (const GridAxis& axis : axes) {
        std::vector<std::vector<ScenarioOverride>> next;
        next.reserve(points.size() * axis.values.size());
        for (const auto& point : points) {
            for (const std::string& value : axis.values) {
                next.push_back(point);
                next.back().push_back({axis.path, value, "--grid"});
            }
        }
        points = std::move(next);
    }
    return points;
}

std::vector<std::string> apply_overrides(YAML::Node& root,
                                         std::span<const ScenarioOverride> overrides,
                                         const std::string& file_name) {
    std::vector<std::string> loader_paths;
    loader_paths.reserve(overrides.size());
    for (const ScenarioOverride& change : overrides)
        loader_paths.push_back(Applier(root, change, file_name).apply());
    return loader_paths;
}

std::optional<ScenarioError> attribute_to_override(const ScenarioError& error,
                                                   std::span<const std::string> loader_paths,
                                                   std::span<const ScenarioOverride> overrides) {
    // The innermost override that holds the error's key; among equals the later one, which
    // replaced the earlier.
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < loader_paths.size() && i < overrides.size(); ++i)
        if (within(error.key(), loader_paths[i]) &&
            (!best || loader_paths[i].size() >= loader_paths[*best].size()))
            best = i;
    if (!best) return std::nullopt;
    return ScenarioError(error.file(), 0, 0, error.key(),
                         error.message() + " (value from " + overrides[*best].origin + " " +
                             overrides[*best].text() + ")");
}

} // namespace chainshock::models::io
