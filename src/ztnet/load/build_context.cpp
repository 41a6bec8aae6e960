#include "ztnet/load/detail/build_context.h"

#include <charconv>

namespace ztnet::load::detail {

// Inside an unknown value everything is unknown too (a member of an object that is a parameter
// without a value): the child cursor keeps the unknown value, with its own pointer.
Cursor Cursor::operator[](std::string_view key) const {
    const json::Value* child = value && value->is_unknown() ? value : value ? value->find_ci(key) : nullptr;
    return Cursor{child, pointer + "/" + json::pointer_token(key), resource_where};
}

Cursor Cursor::at(std::size_t index) const {
    const json::Value* child = value && value->is_unknown() ? value : nullptr;
    if (value && value->is_array() && index < value->as_array().size())
        child = &value->as_array()[index];
    return Cursor{child, pointer + "/" + std::to_string(index), resource_where};
}

std::vector<Cursor> Cursor::elements() const {
    std::vector<Cursor> out;
    if (!value || !value->is_array())
        return out;
    out.reserve(value->as_array().size());
    for (std::size_t i = 0; i < value->as_array().size(); ++i)
        out.push_back(at(i));
    return out;
}

SourceLocation Cursor::where() const {
    SourceLocation loc;
    if (resource_where) {
        loc = *resource_where;
        if (loc.address.empty())
            loc.pointer += pointer;
    }
    if (value && value->offset() != kNoOffset)
        loc.offset = value->offset();
    return loc;
}

bool FieldReader::note_unknown(const Cursor& c) {
    if (!c.value || !c.value->is_unknown())
        return false;
    if (unknown_fields_)
        unknown_fields_->push_back(c.pointer);
    return true;
}

void FieldReader::unrecognised(const Cursor& c, std::string_view property, const std::string& text,
                               const std::string& expected) {
    warning(c, "unrecognised-value",
            "'" + text + "' is not a value Azure documents for " + std::string(property) + " (expected " +
                expected + "); the setting is treated as unknown");
    if (unknown_fields_)
        unknown_fields_->push_back(c.pointer);
}

model::Setting<bool> FieldReader::bool_setting(const Cursor& c, model::ResourceKind kind,
                                               std::string_view property) {
    model::Setting<bool> out;
    out.where = c.where();
    if (std::optional<bool> value = boolean(c)) {
        out.value = *value;
        return out;
    }
    out.defaulted = &model::setting_default(kind, property);
    out.value = model::default_value(*out.defaulted, api_version_) == "true";
    return out;
}

model::Setting<std::string> FieldReader::text_setting(const Cursor& c, model::ResourceKind kind,
                                                      std::string_view property) {
    model::Setting<std::string> out;
    out.where = c.where();
    if (std::optional<std::string> value = string(c)) {
        out.value = *value;
        return out;
    }
    out.defaulted = &model::setting_default(kind, property);
    out.value = std::string(model::default_value(*out.defaulted, api_version_));
    return out;
}

void FieldReader::error(const Cursor& c, std::string code, std::string message) {
    diagnostics_.error(std::move(code), std::move(message), c.where());
}

void FieldReader::warning(const Cursor& c, std::string code, std::string message) {
    diagnostics_.warning(std::move(code), std::move(message), c.where());
}

std::optional<std::string> FieldReader::string(const Cursor& c) {
    if (!c || note_unknown(c))
        return std::nullopt;
    // Resource providers read a number where a string is expected as its decimal text (a port written
    // as 22, a priority as "100"), and ARM passes such properties through unchanged.
    if (c.value->is_integer())
        return std::to_string(c.value->as_integer());
    if (!c.value->is_string()) {
        error(c, "wrong-type", "expected a string, got " + std::string(json::to_string(c.value->kind())));
        return std::nullopt;
    }
    return c.value->as_string();
}

std::string FieldReader::string_or(const Cursor& c, std::string fallback) {
    auto s = string(c);
    return s ? *s : std::move(fallback);
}

std::optional<bool> FieldReader::boolean(const Cursor& c) {
    if (!c || note_unknown(c))
        return std::nullopt;
    if (c.value->is_bool())
        return c.value->as_bool();
    if (c.value->is_string()) {
        // ARM accepts "true"/"false" strings for booleans (case-insensitive).
        std::string s = c.value->as_string();
        for (char& ch : s)
            ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        if (s == "true")
            return true;
        if (s == "false")
            return false;
    }
    error(c, "wrong-type", "expected a boolean, got " + std::string(json::to_string(c.value->kind())));
    return std::nullopt;
}

bool FieldReader::boolean_or(const Cursor& c, bool fallback) {
    auto b = boolean(c);
    return b ? *b : fallback;
}

std::optional<std::int64_t> FieldReader::integer(const Cursor& c) {
    if (!c || note_unknown(c))
        return std::nullopt;
    if (c.value->is_integer())
        return c.value->as_integer();
    if (c.value->is_string()) {
        const std::string& s = c.value->as_string();
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return n;
    }
    error(c, "wrong-type", "expected an integer, got " + std::string(json::to_string(c.value->kind())));
    return std::nullopt;
}

std::vector<std::string> FieldReader::strings(const Cursor& c) {
    std::vector<std::string> out;
    if (!c || note_unknown(c))
        return out;
    if (c.value->is_string() || c.value->is_integer()) {
        out.push_back(*string(c));
        return out;
    }
    if (!c.value->is_array()) {
        error(c, "wrong-type",
              "expected a string or an array of strings, got " +
                  std::string(json::to_string(c.value->kind())));
        return out;
    }
    for (const Cursor& e : c.elements()) {
        if (auto s = string(e))
            out.push_back(std::move(*s));
    }
    return out;
}

std::optional<std::string> FieldReader::reference_id(const Cursor& c) {
    if (!c || note_unknown(c))
        return std::nullopt;
    if (!c.value->is_object()) {
        error(c, "wrong-type",
              "expected a reference object {\"id\": …}, got " +
                  std::string(json::to_string(c.value->kind())));
        return std::nullopt;
    }
    Cursor id = c["id"];
    if (!id) {
        error(c, "missing-field", "reference object has no \"id\"");
        return std::nullopt;
    }
    return string(id);
}

std::vector<std::string> FieldReader::reference_ids(const Cursor& c) {
    std::vector<std::string> out;
    if (!c || note_unknown(c))
        return out;
    if (!c.value->is_array()) {
        error(c, "wrong-type", "expected an array of {\"id\": …} objects");
        return out;
    }
    for (const Cursor& e : c.elements()) {
        if (auto id = reference_id(e))
            out.push_back(std::move(*id));
    }
    return out;
}

std::string last_segment(std::string_view name) {
    const std::size_t slash = name.rfind('/');
    return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

} // namespace ztnet::load::detail
