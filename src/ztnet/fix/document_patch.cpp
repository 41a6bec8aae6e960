#include "ztnet/fix/document_patch.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "ztnet/json/reader.h"

namespace ztnet::fix {
namespace {

json::ReadLimits arm_dialect() {
    return {.allow_comments = true, .allow_trailing_commas = true, .allow_control_characters = true};
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The end of a comment starting at `at` ("//" or "/*"), or `at` when none starts there.
std::size_t skip_comment(std::string_view text, std::size_t at) {
    if (at + 1 >= text.size() || text[at] != '/')
        return at;
    if (text[at + 1] == '/') {
        std::size_t end = text.find('\n', at);
        return end == std::string_view::npos ? text.size() : end;
    }
    if (text[at + 1] == '*') {
        std::size_t end = text.find("*/", at + 2);
        return end == std::string_view::npos ? text.size() : end + 2;
    }
    return at;
}

std::size_t string_end(std::string_view text, std::size_t open_quote) {
    for (std::size_t i = open_quote + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
    }
    return text.size();
}

// One past the last character of the value that starts at `begin`.
std::size_t value_end(std::string_view text, std::size_t begin) {
    if (text[begin] == '"')
        return string_end(text, begin);
    if (text[begin] != '{' && text[begin] != '[') {
        std::size_t i = begin;
        while (i < text.size() && !is_space(text[i]) && text[i] != ',' && text[i] != '}' && text[i] != ']' &&
               text[i] != '/')
            ++i;
        return i;
    }
    int depth = 0;
    for (std::size_t i = begin; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            i = string_end(text, i) - 1;
        } else if (c == '/') {
            std::size_t after = skip_comment(text, i);
            if (after != i)
                i = after - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return text.size();
}

// Where the key of the member whose value starts at `value_begin` starts.
std::size_t key_begin(std::string_view text, std::size_t value_begin) {
    std::size_t i = value_begin;
    while (i > 0 && (is_space(text[i - 1]) || text[i - 1] == ':'))
        --i;
    // text[i - 1] is the key's closing quote; find its opening one.
    for (std::size_t j = i - 1; j-- > 0;) {
        if (text[j] != '"')
            continue;
        std::size_t backslashes = 0;
        while (j > backslashes && text[j - 1 - backslashes] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return j;
    }
    return 0;
}

std::size_t line_start(std::string_view text, std::size_t at) {
    std::size_t newline = text.rfind('\n', at == 0 ? 0 : at - 1);
    return at == 0 || newline == std::string_view::npos ? 0 : newline + 1;
}

// The whitespace that starts the line holding `at`.
std::string line_indent(std::string_view text, std::size_t at) {
    std::size_t start = line_start(text, at);
    std::size_t end = start;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t'))
        ++end;
    return std::string(text.substr(start, end - start));
}

bool same_line(std::string_view text, std::size_t a, std::size_t b) {
    return text.substr(std::min(a, b), a > b ? a - b : b - a).find('\n') == std::string_view::npos;
}

// `value` written for a place whose line starts with `indent`, nesting by `step`.
std::string render(const json::Value& value, const std::string& indent, const std::string& step,
                   bool compact) {
    std::string written = json::write(value, {.indent = compact ? 0 : static_cast<int>(step.size())});
    if (compact)
        return written;
    std::string out;
    out.reserve(written.size());
    for (char c : written) {
        out += c;
        if (c == '\n')
            out += indent;
    }
    return out;
}

std::string quoted(std::string_view key) {
    return json::write(json::Value(key), {.indent = 0});
}

std::string unescape_token(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            out += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

// An array element by index or by `[name]`.
std::optional<std::size_t> element_index(const json::Array& array, std::string_view token) {
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
        std::string_view name = token.substr(1, token.size() - 2);
        for (std::size_t i = 0; i < array.size(); ++i) {
            const std::string* n = array[i].find("name") ? array[i].find("name")->if_string() : nullptr;
            if (n != nullptr && *n == name)
                return i;
        }
        return std::nullopt;
    }
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (ec != std::errc() || end != token.data() + token.size() || index >= array.size())
        return std::nullopt;
    return index;
}

bool is_expression(const json::Value& value) {
    const std::string* s = value.if_string();
    return s != nullptr && s->starts_with('[') && !s->starts_with("[[") && s->ends_with(']');
}

// How far a path resolves in the document: the values along it (the root first), each token's
// exact spelling, and why it stops when it stops before the end for a reason other than a missing
// object member.
struct Walk {
    std::vector<const json::Value*> values;
    std::vector<std::string> exact;
    std::optional<Error> blocked;
};

Walk walk(const json::Value& root, const std::vector<std::string>& tokens) {
    Walk w;
    w.values.push_back(&root);
    for (const std::string& token : tokens) {
        const json::Value& at = *w.values.back();
        std::string where = "/";
        for (const std::string& e : w.exact)
            where += json::pointer_token(e) + "/";
        if (at.is_object()) {
            const json::Object& object = at.as_object();
            auto member = std::find_if(object.begin(), object.end(), [&](const json::Object::Member& m) {
                return m.first.size() == token.size() &&
                       std::equal(m.first.begin(), m.first.end(), token.begin(), [](char a, char b) {
                           return std::tolower(static_cast<unsigned char>(a)) ==
                                  std::tolower(static_cast<unsigned char>(b));
                       });
            });
            if (member == object.end())
                return w;
            w.exact.push_back(member->first);
            w.values.push_back(&member->second);
        } else if (at.is_array()) {
            std::optional<std::size_t> index = element_index(at.as_array(), token);
            if (!index) {
                w.blocked = fail(fmt::format("{} has no element {}", where, token), at.offset());
                return w;
            }
            w.exact.push_back(std::to_string(*index));
            w.values.push_back(&at.as_array()[*index]);
        } else {
            w.blocked = fail(
                is_expression(at)
                    ? fmt::format("{} is computed by an expression ({})", where, at.as_string())
                    : fmt::format("{} is a {}, not an object or array", where, json::to_string(at.kind())),
                at.offset());
            return w;
        }
    }
    return w;
}

// The step of indentation between a container's line and its members' lines ("  " when unknown).
std::string indent_step(const std::string& outer, const std::string& inner) {
    if (inner.size() > outer.size() && inner.starts_with(outer))
        return inner.substr(outer.size());
    return "  ";
}

} // namespace

std::vector<std::string> path_tokens(std::string_view path) {
    std::vector<std::string> tokens;
    if (path.empty())
        return tokens;
    std::size_t at = path.front() == '/' ? 1 : 0;
    while (at <= path.size()) {
        std::size_t slash = path.find('/', at);
        if (slash == std::string_view::npos)
            slash = path.size();
        tokens.push_back(unescape_token(path.substr(at, slash - at)));
        at = slash + 1;
    }
    return tokens;
}

Result<DocumentPatch> DocumentPatch::open(std::string text) {
    std::vector<Error> warnings;
    Result<json::Value> root = json::read(text, arm_dialect(), &warnings);
    if (!root)
        return root.error();
    // The tree keeps one of a repeated key's values: an edit there would leave the other in the text.
    if (!warnings.empty())
        return fail(fmt::format("the document cannot be edited safely: {}", warnings.front().message),
                    warnings.front().offset);
    return DocumentPatch(std::move(text), std::move(*root));
}

Result<bool> DocumentPatch::replace_span(std::size_t begin, std::size_t end, std::string_view with) {
    std::string patched = text_.substr(0, begin);
    patched += with;
    patched += std::string_view(text_).substr(end);
    Result<json::Value> reread = json::read(patched, arm_dialect());
    if (!reread)
        return fail(
            fmt::format("internal error: the edit made the document unreadable ({})", reread.error().message),
            begin);
    text_ = std::move(patched);
    root_ = std::move(*reread);
    return true;
}

Result<std::string> DocumentPatch::resolve(std::string_view path) const {
    std::vector<std::string> tokens = path_tokens(path);
    Walk w = walk(root_, tokens);
    if (w.blocked)
        return *w.blocked;
    if (w.exact.size() < tokens.size())
        return fail(fmt::format("{} is not in the document", path));
    std::string pointer;
    for (const std::string& e : w.exact)
        pointer += "/" + json::pointer_token(e);
    return pointer;
}

Result<bool> DocumentPatch::set(std::string_view path, const json::Value& value) {
    std::vector<std::string> tokens = path_tokens(path);
    Walk w = walk(root_, tokens);
    if (w.blocked)
        return *w.blocked;
    if (w.exact.size() == tokens.size()) { // replace the value in place
        const json::Value& old = *w.values.back();
        std::size_t begin = old.offset();
        std::size_t end = value_end(text_, begin);
        std::string indent = line_indent(text_, begin);
        return replace_span(begin, end, render(value, indent, "  ", false));
    }
    // Build what is missing, innermost first, and add it as a member of the last object found.
    const json::Value& container = *w.values.back();
    if (!container.is_object())
        return fail(fmt::format("{} is not an object", path), container.offset());
    json::Value missing = value;
    for (std::size_t i = tokens.size(); i-- > w.exact.size() + 1;) {
        json::Object wrap;
        wrap.set(tokens[i], std::move(missing));
        missing = json::Value(std::move(wrap));
    }
    const std::string& key = tokens[w.exact.size()];
    std::size_t open = container.offset();
    std::size_t close = value_end(text_, open) - 1;
    std::string outer = line_indent(text_, open);
    const json::Object& object = container.as_object();
    if (object.empty()) {
        std::string inner = outer + "  ";
        return replace_span(open + 1, close,
                            "\n" + inner + quoted(key) + ": " + render(missing, inner, "  ", false) + "\n" +
                                outer);
    }
    const json::Value& last = object.members().back().second;
    std::size_t last_key = key_begin(text_, last.offset());
    std::size_t last_end = value_end(text_, last.offset());
    if (same_line(text_, open, last_key))
        return replace_span(last_end, last_end, ", " + quoted(key) + ": " + render(missing, "", "", true));
    std::string inner = line_indent(text_, last_key);
    return replace_span(last_end, last_end,
                        ",\n" + inner + quoted(key) + ": " +
                            render(missing, inner, indent_step(outer, inner), false));
}

Result<bool> DocumentPatch::remove(std::string_view path) {
    std::vector<std::string> tokens = path_tokens(path);
    if (tokens.empty())
        return fail("cannot remove the whole document");
    Walk w = walk(root_, tokens);
    if (w.blocked)
        return *w.blocked;
    if (w.exact.size() < tokens.size())
        return false;
    const json::Value& parent = *w.values[w.values.size() - 2];
    std::vector<std::size_t> begins; // where each item starts (a member at its key)
    std::vector<std::size_t> ends;
    std::size_t target = 0;
    if (parent.is_object()) {
        for (const auto& [key, member] : parent.as_object()) {
            if (&member == w.values.back())
                target = begins.size();
            begins.push_back(key_begin(text_, member.offset()));
            ends.push_back(value_end(text_, member.offset()));
        }
    } else {
        for (const json::Value& element : parent.as_array()) {
            if (&element == w.values.back())
                target = begins.size();
            begins.push_back(element.offset());
            ends.push_back(value_end(text_, element.offset()));
        }
    }
    if (begins.size() == 1) // the only item: leave the brackets empty
        return replace_span(parent.offset() + 1, value_end(text_, parent.offset()) - 1, "");
    if (target > 0) // from the end of the one before (its comma goes with this one)
        return replace_span(ends[target - 1], ends[target], "");
    return replace_span(begins[0], begins[1], "");
}

Result<bool> DocumentPatch::append(std::string_view path, const json::Value& value) {
    std::vector<std::string> tokens = path_tokens(path);
    Walk w = walk(root_, tokens);
    if (w.blocked)
        return *w.blocked;
    if (w.exact.size() < tokens.size())
        return set(path, json::Value(json::Array{value}));
    const json::Value& array = *w.values.back();
    if (!array.is_array())
        return fail(fmt::format("{} is not an array", path), array.offset());
    return insert(path, array.as_array().size(), value);
}

Result<bool> DocumentPatch::insert(std::string_view path, std::size_t before, const json::Value& value) {
    Walk w = walk(root_, path_tokens(path));
    if (w.blocked)
        return *w.blocked;
    if (w.exact.size() < path_tokens(path).size() || !w.values.back()->is_array())
        return fail(fmt::format("{} is not an array in the document", path));
    const json::Value& array = *w.values.back();
    const json::Array& items = array.as_array();
    if (before > items.size())
        return fail(fmt::format("{} has no element {}", path, before));
    std::size_t open = array.offset();
    std::string outer = line_indent(text_, open);
    if (items.empty()) {
        std::string inner = outer + "  ";
        return replace_span(open + 1, value_end(text_, open) - 1,
                            "\n" + inner + render(value, inner, "  ", false) + "\n" + outer);
    }
    const json::Value& neighbour = before < items.size() ? items[before] : items.back();
    bool compact = same_line(text_, open, neighbour.offset());
    std::string inner = compact ? std::string() : line_indent(text_, neighbour.offset());
    std::string written = render(value, inner, indent_step(outer, inner), compact);
    if (before < items.size()) { // in front of the element, then what separated it from the one before
        std::string separator = compact ? ", " : ",\n" + inner;
        return replace_span(neighbour.offset(), neighbour.offset(), written + separator);
    }
    std::size_t last_end = value_end(text_, neighbour.offset());
    return replace_span(last_end, last_end, (compact ? ", " : ",\n" + inner) + written);
}

} // namespace ztnet::fix
