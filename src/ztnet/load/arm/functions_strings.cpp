// String functions: base64, base64ToJson, base64ToString, dataUri, dataUriToString, startsWith,
// endsWith, format, join, json, padLeft, replace, split, string, substring, toLower, toUpper, trim,
// uri, uriComponent, uriComponentToString. Positions and lengths are in UTF-16 code units and case
// rules are .NET's invariant ones, because ARM evaluates templates in .NET.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "ztnet/json/reader.h"
#include "ztnet/load/arm/functions_common.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::arm::detail {

namespace {

// Longest string padLeft() and format() alignment/precision may build: far beyond any real template
// (a template is at most 4 MiB), small enough never to exhaust memory.
constexpr std::int64_t kMaxBuiltLength = std::int64_t{4} << 20;

std::string quoted(std::string_view text) {
    std::string out = "'";
    out += text;
    out += '\'';
    return out;
}

// ---- base64 / data URIs -------------------------------------------------------------------------

Result<json::Value> fn_base64(Arguments arguments) {
    if (auto error = check_signature("base64", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("base64");
    return value_result(base64_encode(arguments[0].as_string()));
}

// Bytes decoded from base64 read as UTF-8, malformed sequences replaced (as .NET's UTF8 decoder does).
std::string bytes_as_text(const std::string& bytes) {
    return to_utf8(to_utf16(bytes));
}

Result<json::Value> fn_base64_to_string(Arguments arguments) {
    if (auto error = check_signature("base64ToString", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("base64ToString");
    const auto bytes = base64_decode(arguments[0].as_string());
    if (!bytes)
        return function_error("base64ToString", quoted(arguments[0].as_string()) + " is not valid base64");
    return value_result(bytes_as_text(*bytes));
}

// Newtonsoft, which ARM uses to read json() arguments, also accepts single-quoted strings
// ({'one': 'a'} in the base64ToJson example). Rewrites them as standard JSON strings.
std::string requote_single_quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t start = i++;
            while (i < text.size() && text[i] != '"')
                i += text[i] == '\\' ? 2 : 1;
            i = std::min(i + 1, text.size());
            out.append(text.substr(start, i - start));
        } else if (c == '\'') {
            out += '"';
            ++i;
            while (i < text.size() && text[i] != '\'') {
                if (text[i] == '\\' && i + 1 < text.size()) {
                    if (text[i + 1] == '\'')
                        out += '\'';
                    else
                        out.append(text.substr(i, 2));
                    i += 2;
                } else {
                    if (text[i] == '"')
                        out += '\\';
                    out += text[i++];
                }
            }
            out += '"';
            ++i;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

Result<json::Value> parse_json_text(std::string_view function, std::string_view text) {
    Result<json::Value> parsed = json::read(text);
    if (!parsed.ok() && text.find('\'') != std::string_view::npos) {
        Result<json::Value> lenient = json::read(requote_single_quoted(text));
        if (lenient.ok())
            return without_offsets(std::move(lenient).value());
    }
    if (!parsed.ok())
        return function_error(function, "the string is not valid JSON: " + parsed.error().message);
    return without_offsets(std::move(parsed).value());
}

Result<json::Value> fn_base64_to_json(Arguments arguments) {
    if (auto error = check_signature("base64ToJson", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("base64ToJson");
    const auto bytes = base64_decode(arguments[0].as_string());
    if (!bytes)
        return function_error("base64ToJson", quoted(arguments[0].as_string()) + " is not valid base64");
    return parse_json_text("base64ToJson", bytes_as_text(*bytes));
}

Result<json::Value> fn_json(Arguments arguments) {
    if (auto error = check_signature("json", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("json");
    return parse_json_text("json", arguments[0].as_string());
}

Result<json::Value> fn_data_uri(Arguments arguments) {
    if (auto error = check_signature("dataUri", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("dataUri");
    return value_result("data:text/plain;charset=utf8;base64," + base64_encode(arguments[0].as_string()));
}

using ascii::hex_value;

// %XX sequences decoded; anything malformed is kept as written (as Uri.UnescapeDataString does).
std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (to_lower_invariant(static_cast<char16_t>(static_cast<unsigned char>(text[i]))) !=
            to_lower_invariant(static_cast<char16_t>(static_cast<unsigned char>(prefix[i]))))
            return false;
    }
    return true;
}

bool ends_with_ignore_case(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           starts_with_ignore_case(text.substr(text.size() - suffix.size()), suffix);
}

Result<json::Value> fn_data_uri_to_string(Arguments arguments) {
    if (auto error = check_signature("dataUriToString", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("dataUriToString");
    const std::string& text = arguments[0].as_string();
    const std::size_t comma = text.find(',');
    if (!starts_with_ignore_case(text, "data:") || comma == std::string::npos)
        return function_error("dataUriToString", quoted(text) + " is not a data URI");
    const std::string_view metadata = std::string_view(text).substr(5, comma - 5);
    const std::string_view data = std::string_view(text).substr(comma + 1);
    if (ends_with_ignore_case(metadata, ";base64")) {
        const auto bytes = base64_decode(data);
        if (!bytes)
            return function_error("dataUriToString", "the data of " + quoted(text) + " is not valid base64");
        return value_result(bytes_as_text(*bytes));
    }
    return value_result(bytes_as_text(percent_decode(data)));
}

// ---- URIs ---------------------------------------------------------------------------------------

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

Result<json::Value> fn_uri_component(Arguments arguments) {
    if (auto error = check_signature("uriComponent", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("uriComponent");
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (char c : arguments[0].as_string()) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_unreserved(byte)) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return value_result(std::move(out));
}

Result<json::Value> fn_uri_component_to_string(Arguments arguments) {
    if (auto error = check_signature("uriComponentToString", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("uriComponentToString");
    return value_result(bytes_as_text(percent_decode(arguments[0].as_string())));
}

// RFC 3986 §3 components of a URI reference.
struct UriParts {
    std::string scheme; // without ':'; empty for a relative reference
    bool has_authority = false;
    std::string authority;
    std::string path;
    bool has_query = false;
    std::string query;
    bool has_fragment = false;
    std::string fragment;
};

UriParts split_uri(std::string_view text) {
    UriParts parts;
    if (const std::size_t hash = text.find('#'); hash != std::string_view::npos) {
        parts.has_fragment = true;
        parts.fragment = text.substr(hash + 1);
        text = text.substr(0, hash);
    }
    if (const std::size_t question = text.find('?'); question != std::string_view::npos) {
        parts.has_query = true;
        parts.query = text.substr(question + 1);
        text = text.substr(0, question);
    }
    const std::size_t colon = text.find(':');
    const std::size_t slash = text.find('/');
    if (colon != std::string_view::npos && colon > 0 && (slash == std::string_view::npos || colon < slash)) {
        bool valid = true;
        for (std::size_t i = 0; i < colon; ++i) {
            const char c = text[i];
            const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
                valid = false;
        }
        if (valid) {
            parts.scheme = text.substr(0, colon);
            text = text.substr(colon + 1);
        }
    }
    if (text.starts_with("//")) {
        text.remove_prefix(2);
        const std::size_t end = text.find('/');
        parts.has_authority = true;
        parts.authority = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end);
    }
    parts.path = text;
    return parts;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view input) {
    std::string output;
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.remove_prefix(3);
        } else if (input.starts_with("./") || input.starts_with("/./")) {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.starts_with("/../") || input == "/..") {
            input = input.size() == 3 ? std::string_view("/") : input.substr(3);
            const std::size_t last = output.rfind('/');
            output.erase(last == std::string::npos ? 0 : last);
        } else if (input == "." || input == "..") {
            input = {};
        } else {
            const std::size_t start = input.front() == '/' ? 1 : 0;
            const std::size_t end = input.find('/', start);
            output.append(input.substr(0, end));
            input = end == std::string_view::npos ? std::string_view() : input.substr(end);
        }
    }
    return output;
}

Result<json::Value> fn_uri(Arguments arguments) {
    if (auto error = check_signature("uri", "(string, string)", arguments, 2, 2, {kString, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("uri");
    const UriParts base = split_uri(arguments[0].as_string());
    if (base.scheme.empty())
        return function_error("uri",
                              "the base " + quoted(arguments[0].as_string()) + " is not an absolute URI");
    const UriParts reference = split_uri(arguments[1].as_string());
    // RFC 3986 §5.2.2, strict.
    UriParts target;
    if (!reference.scheme.empty()) {
        target = reference;
        target.path = remove_dot_segments(reference.path);
    } else {
        target.scheme = base.scheme;
        if (reference.has_authority) {
            target.has_authority = true;
            target.authority = reference.authority;
            target.path = remove_dot_segments(reference.path);
            target.has_query = reference.has_query;
            target.query = reference.query;
        } else {
            target.has_authority = base.has_authority;
            target.authority = base.authority;
            if (reference.path.empty()) {
                target.path = base.path;
                target.has_query = reference.has_query || base.has_query;
                target.query = reference.has_query ? reference.query : base.query;
            } else {
                if (reference.path.front() == '/') {
                    target.path = remove_dot_segments(reference.path);
                } else {
                    std::string merged;
                    if (base.has_authority && base.path.empty()) {
                        merged = "/" + reference.path;
                    } else {
                        const std::size_t last = base.path.rfind('/');
                        merged = (last == std::string::npos ? std::string() : base.path.substr(0, last + 1)) +
                                 reference.path;
                    }
                    target.path = remove_dot_segments(merged);
                }
                target.has_query = reference.has_query;
                target.query = reference.query;
            }
        }
    }
    target.has_fragment = reference.has_fragment;
    target.fragment = reference.fragment;
    std::string out = target.scheme + ':';
    if (target.has_authority) {
        out += "//" + target.authority;
        if (target.path.empty())
            out += '/'; // .NET writes the root path of a hierarchical URI
    }
    out += target.path;
    if (target.has_query)
        out += '?' + target.query;
    if (target.has_fragment)
        out += '#' + target.fragment;
    return value_result(std::move(out));
}

// ---- Searching and case -------------------------------------------------------------------------

Result<json::Value> fn_starts_with(Arguments arguments) {
    if (auto error = check_signature("startsWith", "(string, string)", arguments, 2, 2, {kString, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("startsWith");
    const std::u16string text = to_upper_invariant(to_utf16(arguments[0].as_string()));
    const std::u16string prefix = to_upper_invariant(to_utf16(arguments[1].as_string()));
    return value_result(text.starts_with(prefix));
}

Result<json::Value> fn_ends_with(Arguments arguments) {
    if (auto error = check_signature("endsWith", "(string, string)", arguments, 2, 2, {kString, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("endsWith");
    const std::u16string text = to_upper_invariant(to_utf16(arguments[0].as_string()));
    const std::u16string suffix = to_upper_invariant(to_utf16(arguments[1].as_string()));
    return value_result(text.ends_with(suffix));
}

Result<json::Value> fn_to_lower(Arguments arguments) {
    if (auto error = check_signature("toLower", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("toLower");
    return value_result(to_utf8(to_lower_invariant(to_utf16(arguments[0].as_string()))));
}

Result<json::Value> fn_to_upper(Arguments arguments) {
    if (auto error = check_signature("toUpper", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("toUpper");
    return value_result(to_utf8(to_upper_invariant(to_utf16(arguments[0].as_string()))));
}

Result<json::Value> fn_trim(Arguments arguments) {
    if (auto error = check_signature("trim", "(string)", arguments, 1, 1, {kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("trim");
    const std::u16string text = to_utf16(arguments[0].as_string());
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && is_white_space(text[begin]))
        ++begin;
    while (end > begin && is_white_space(text[end - 1]))
        --end;
    return value_result(to_utf8(std::u16string_view(text).substr(begin, end - begin)));
}

// ---- Building strings --------------------------------------------------------------------------

Result<json::Value> fn_pad_left(Arguments arguments) {
    constexpr std::string_view kExpected = "(string or int, int[, string])";
    if (auto error = check_signature("padLeft", kExpected, arguments, 2, 3, {kString | kInt, kInt, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("padLeft");
    const std::u16string value = to_utf16(display_string(arguments[0]));
    const std::int64_t total = arguments[1].as_integer();
    if (total < 0)
        return function_error("padLeft", "totalLength must not be negative, got " + std::to_string(total));
    if (total > kMaxBuiltLength)
        return function_error("padLeft", "totalLength " + std::to_string(total) +
                                             " is beyond the supported " + std::to_string(kMaxBuiltLength));
    char16_t padding = u' ';
    if (arguments.size() == 3) {
        const std::u16string pad = to_utf16(arguments[2].as_string());
        if (pad.size() != 1)
            return function_error("padLeft", "paddingCharacter must be a single character, got " +
                                                 quoted(arguments[2].as_string()));
        padding = pad[0];
    }
    if (static_cast<std::int64_t>(value.size()) >= total)
        return value_result(to_utf8(value));
    std::u16string out(static_cast<std::size_t>(total) - value.size(), padding);
    out += value;
    return value_result(to_utf8(out));
}

Result<json::Value> fn_replace(Arguments arguments) {
    if (auto error = check_signature("replace", "(string, string, string)", arguments, 3, 3,
                                     {kString, kString, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("replace");
    const std::string& text = arguments[0].as_string();
    const std::string& old_value = arguments[1].as_string();
    const std::string& new_value = arguments[2].as_string();
    if (old_value.empty())
        return function_error("replace", "oldString must not be empty");
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t found = text.find(old_value, start);
        if (found == std::string::npos)
            break;
        out.append(text, start, found - start);
        out += new_value;
        start = found + old_value.size();
    }
    out.append(text, start, std::string::npos);
    return value_result(std::move(out));
}

Result<json::Value> fn_split(Arguments arguments) {
    if (auto error = check_signature("split", "(string, string or array of strings)", arguments, 2, 2,
                                     {kString, kString | kArray}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("split");
    std::vector<std::string_view> delimiters;
    if (arguments[1].is_string()) {
        delimiters.push_back(arguments[1].as_string());
    } else {
        for (const json::Value& delimiter : arguments[1].as_array()) {
            if (delimiter.is_unknown())
                return unknown_result("split");
            if (!delimiter.is_string())
                return signature_error("split", "(string, string or array of strings)", arguments);
            delimiters.push_back(delimiter.as_string());
        }
    }
    const std::string& text = arguments[0].as_string();
    json::Array out;
    if (delimiters.empty()) {
        // .NET splits on white space when given no separators at all.
        const std::u16string wide = to_utf16(text);
        std::size_t start = 0;
        for (std::size_t i = 0; i < wide.size(); ++i) {
            if (is_white_space(wide[i])) {
                out.emplace_back(to_utf8(std::u16string_view(wide).substr(start, i - start)));
                start = i + 1;
            }
        }
        out.emplace_back(to_utf8(std::u16string_view(wide).substr(start)));
        return value_result(std::move(out));
    }
    // At each position the first delimiter (in the given order) that matches wins; empty ones never do.
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t matched = 0;
        for (std::string_view delimiter : delimiters) {
            if (!delimiter.empty() && std::string_view(text).substr(i).starts_with(delimiter)) {
                matched = delimiter.size();
                break;
            }
        }
        if (matched == 0) {
            ++i;
            continue;
        }
        out.emplace_back(text.substr(start, i - start));
        i += matched;
        start = i;
    }
    out.emplace_back(text.substr(start));
    return value_result(std::move(out));
}

Result<json::Value> fn_string(Arguments arguments) {
    if (auto error = check_signature("string", "(any)", arguments, 1, 1, {kAny}))
        return *error;
    if (any_contains_unknown(arguments))
        return unknown_result("string");
    return value_result(display_string(arguments[0]));
}

Result<json::Value> fn_substring(Arguments arguments) {
    if (auto error =
            check_signature("substring", "(string[, int[, int]])", arguments, 1, 3, {kString, kInt, kInt}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("substring");
    const std::u16string text = to_utf16(arguments[0].as_string());
    const auto length = static_cast<std::int64_t>(text.size());
    const std::int64_t start = arguments.size() > 1 ? arguments[1].as_integer() : 0;
    if (start < 0 || start > length)
        return function_error("substring",
                              "the index parameter must refer to a location within the string. The "
                              "index parameter: '" +
                                  std::to_string(start) + "', the length of the string parameter: '" +
                                  std::to_string(length) + "'.");
    const std::int64_t count = arguments.size() > 2 ? arguments[2].as_integer() : length - start;
    if (count < 0 || count > length - start)
        return function_error(
            "substring", "the index and length parameters must refer to a location within the string. The "
                         "index parameter: '" +
                             std::to_string(start) + "', the length parameter: '" + std::to_string(count) +
                             "', the length of the string parameter: '" + std::to_string(length) + "'.");
    return value_result(to_utf8(
        std::u16string_view(text).substr(static_cast<std::size_t>(start), static_cast<std::size_t>(count))));
}

Result<json::Value> fn_join(Arguments arguments) {
    if (auto error =
            check_signature("join", "(array of strings, string)", arguments, 2, 2, {kArray, kString}))
        return *error;
    if (any_unknown(arguments))
        return unknown_result("join");
    std::string out;
    bool first = true;
    for (const json::Value& element : arguments[0].as_array()) {
        if (element.is_unknown())
            return unknown_result("join");
        if (!element.is_string())
            return function_error("join",
                                  "expects an array of strings, found " + std::string(kind_name(element)));
        if (!first)
            out += arguments[1].as_string();
        first = false;
        out += element.as_string();
    }
    return value_result(std::move(out));
}

// ---- format() -----------------------------------------------------------------------------------

std::string group_thousands(const std::string& digits) {
    std::string out;
    const std::size_t lead = digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (i - lead) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string magnitude_digits(std::int64_t value) {
    const std::uint64_t magnitude =
        value < 0 ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
    return std::to_string(magnitude);
}

// An integer formatted by a .NET standard numeric format (D, N, F, X, G with an optional precision)
// or by a custom one made only of '0', '#' and grouping ','. Nothing for other formats.
std::optional<std::string> format_integer(std::int64_t value, std::string_view spec) {
    const std::string sign = value < 0 ? "-" : "";
    if (spec.empty())
        return std::to_string(value);
    const char kind = spec.front();
    const bool standard = ((kind >= 'A' && kind <= 'Z') || (kind >= 'a' && kind <= 'z'));
    if (standard) {
        std::optional<std::int64_t> precision;
        if (spec.size() > 1) {
            std::int64_t p = 0;
            const auto [end, error] = std::from_chars(spec.data() + 1, spec.data() + spec.size(), p);
            if (error != std::errc() || end != spec.data() + spec.size() || p < 0 || p > kMaxBuiltLength)
                return std::nullopt;
            precision = p;
        }
        const std::string digits = magnitude_digits(value);
        switch (kind) {
        case 'D':
        case 'd': {
            const auto width = static_cast<std::size_t>(precision.value_or(0));
            return sign + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
        }
        case 'N':
        case 'n':
        case 'F':
        case 'f': {
            const auto decimals = static_cast<std::size_t>(precision.value_or(2));
            std::string out = sign + ((kind == 'N' || kind == 'n') ? group_thousands(digits) : digits);
            if (decimals > 0)
                out += '.' + std::string(decimals, '0');
            return out;
        }
        case 'X':
        case 'x': {
            std::array<char, 17> hex{};
            const auto [end, error] =
                std::to_chars(hex.data(), hex.data() + 16, static_cast<std::uint64_t>(value), 16);
            (void)error;
            std::string out(hex.data(), end);
            if (kind == 'X') {
                for (char& c : out)
                    c = (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
            }
            const auto width = static_cast<std::size_t>(precision.value_or(0));
            return std::string(width > out.size() ? width - out.size() : 0, '0') + out;
        }
        case 'G':
        case 'g':
            if (precision && *precision > 0 && static_cast<std::size_t>(*precision) < digits.size())
                return std::nullopt; // would switch to scientific notation
            return std::to_string(value);
        default:
            return std::nullopt;
        }
    }
    // Custom: digit placeholders with optional grouping commas between them.
    if (spec.find_first_not_of("0#,") != std::string_view::npos || spec.back() == ',' || spec.front() == ',')
        return std::nullopt;
    std::size_t minimum = 0;
    bool counting = false;
    for (char c : spec) {
        if (c == '0')
            counting = true;
        if (counting && c != ',')
            ++minimum;
    }
    std::string digits = value == 0 ? std::string() : magnitude_digits(value);
    if (digits.size() < minimum)
        digits.insert(0, minimum - digits.size(), '0');
    if (spec.find(',') != std::string_view::npos)
        digits = group_thousands(digits);
    return sign + digits;
}

std::optional<std::string> format_float(double value, std::string_view spec) {
    if (spec.empty())
        return format_double(value);
    const char kind = spec.front();
    if (kind != 'F' && kind != 'f' && kind != 'N' && kind != 'n')
        return std::nullopt;
    int decimals = 2;
    if (spec.size() > 1) {
        const auto [end, error] = std::from_chars(spec.data() + 1, spec.data() + spec.size(), decimals);
        if (error != std::errc() || end != spec.data() + spec.size() || decimals < 0 || decimals > 99)
            return std::nullopt;
    }
    if (!std::isfinite(value))
        return format_double(value);
    const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);
    if (size < 0)
        return std::nullopt;
    std::string text(static_cast<std::size_t>(size) + 1, '\0');
    std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
    text.resize(static_cast<std::size_t>(size));
    if (kind == 'F' || kind == 'f')
        return text;
    const bool negative = !text.empty() && text.front() == '-';
    const std::size_t digits_start = negative ? 1 : 0;
    const std::size_t dot = text.find('.');
    const std::string integer = text.substr(digits_start, dot - digits_start);
    return (negative ? "-" : "") + group_thousands(integer) +
           (dot == std::string::npos ? "" : text.substr(dot));
}

Result<json::Value> fn_format(Arguments arguments) {
    if (auto error = check_signature("format", "(string, any, ...)", arguments, 1, SIZE_MAX, {kString}))
        return *error;
    if (arguments[0].is_unknown())
        return unknown_result("format"); // only the arguments the format string uses matter
    const std::string& pattern = arguments[0].as_string();
    const Arguments values = arguments.subspan(1);
    std::string out;
    std::size_t i = 0;
    while (i < pattern.size()) {
        const char c = pattern[i];
        if (c == '}') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '}') {
                out += '}';
                i += 2;
                continue;
            }
            return function_error("format",
                                  "the format string has an unmatched '}' at position " + std::to_string(i));
        }
        if (c != '{') {
            out += c;
            ++i;
            continue;
        }
        if (i + 1 < pattern.size() && pattern[i + 1] == '{') {
            out += '{';
            i += 2;
            continue;
        }
        // A format item: {index[,alignment][:formatString]}
        const std::size_t close = pattern.find('}', i);
        if (close == std::string::npos)
            return function_error("format",
                                  "the format item at position " + std::to_string(i) + " is not closed");
        std::string_view item = std::string_view(pattern).substr(i + 1, close - i - 1);
        std::string_view spec;
        if (const std::size_t colon = item.find(':'); colon != std::string_view::npos) {
            spec = item.substr(colon + 1);
            item = item.substr(0, colon);
        }
        std::int64_t alignment = 0;
        if (const std::size_t comma = item.find(','); comma != std::string_view::npos) {
            std::string_view alignment_text = item.substr(comma + 1);
            while (!alignment_text.empty() && alignment_text.front() == ' ')
                alignment_text.remove_prefix(1);
            while (!alignment_text.empty() && alignment_text.back() == ' ')
                alignment_text.remove_suffix(1);
            const auto [end, error] = std::from_chars(
                alignment_text.data(), alignment_text.data() + alignment_text.size(), alignment);
            if (alignment_text.empty() || error != std::errc() ||
                end != alignment_text.data() + alignment_text.size() || alignment > kMaxBuiltLength ||
                alignment < -kMaxBuiltLength)
                return function_error("format",
                                      "the format item {" + std::string(item) + "} has a bad alignment");
            item = item.substr(0, comma);
        }
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), index);
        if (item.empty() || error != std::errc() || end != item.data() + item.size())
            return function_error("format", "the format item at position " + std::to_string(i) +
                                                " does not start with an argument index");
        if (index >= values.size())
            return function_error("format", "the format string refers to argument " + std::to_string(index) +
                                                " but only " + std::to_string(values.size()) + " were given");
        const json::Value& value = values[index];
        if (value.contains_unknown())
            return unknown_result("format");
        std::optional<std::string> text;
        switch (value.kind()) {
        case json::Kind::Integer:
            text = format_integer(value.as_integer(), spec);
            break;
        case json::Kind::Double:
            text = format_float(value.as_double(), spec);
            break;
        case json::Kind::String:
        case json::Kind::Bool:
        case json::Kind::Null:
            text = display_string(value); // not formattable: .NET ignores the format string
            break;
        default:
            return function_error("format", "argument " + std::to_string(index) + " is " +
                                                std::string(kind_name(value)) +
                                                "; expected a string, int or bool");
        }
        if (!text)
            return function_error("format", "the format string '" + std::string(spec) +
                                                "' is not supported for argument " + std::to_string(index));
        const std::size_t width = static_cast<std::size_t>(alignment < 0 ? -alignment : alignment);
        const std::size_t length = to_utf16(*text).size();
        if (length < width) {
            if (alignment > 0)
                text->insert(0, width - length, ' ');
            else
                text->append(width - length, ' ');
        }
        out += *text;
        i = close + 1;
    }
    return value_result(std::move(out));
}

constexpr FunctionEntry kStringFunctions[] = {
    {"base64", fn_base64},
    {"base64ToJson", fn_base64_to_json},
    {"base64ToString", fn_base64_to_string},
    {"dataUri", fn_data_uri},
    {"dataUriToString", fn_data_uri_to_string},
    {"endsWith", fn_ends_with},
    {"format", fn_format},
    {"join", fn_join},
    {"json", fn_json},
    {"padLeft", fn_pad_left},
    {"replace", fn_replace},
    {"split", fn_split},
    {"startsWith", fn_starts_with},
    {"string", fn_string},
    {"substring", fn_substring},
    {"toLower", fn_to_lower},
    {"toUpper", fn_to_upper},
    {"trim", fn_trim},
    {"uri", fn_uri},
    {"uriComponent", fn_uri_component},
    {"uriComponentToString", fn_uri_component_to_string},
};

} // namespace

std::span<const FunctionEntry> string_functions() {
    return kStringFunctions;
}

} // namespace ztnet::load::arm::detail
