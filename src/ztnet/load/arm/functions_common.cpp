#include "ztnet/load/arm/functions_common.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

namespace ztnet::load::arm::detail {

// ---- Argument checking -------------------------------------------------------------------------

std::string_view kind_name(const json::Value& value) {
    switch (value.kind()) {
    case json::Kind::Null:
        return "null";
    case json::Kind::Bool:
        return "bool";
    case json::Kind::Integer:
        return "int";
    case json::Kind::Double:
        return "float";
    case json::Kind::String:
        return "string";
    case json::Kind::Array:
        return "array";
    case json::Kind::Object:
        return "object";
    case json::Kind::Unknown:
        return "unknown";
    }
    return "invalid";
}

std::string describe_arguments(Arguments arguments) {
    std::string text = "(";
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += kind_name(arguments[i]);
    }
    text += ')';
    return text;
}

Error signature_error(std::string_view function, std::string_view expected, Arguments arguments) {
    std::string message(function);
    message += "() expects ";
    message += expected;
    message += ", got ";
    message += describe_arguments(arguments);
    return fail(std::move(message));
}

Error function_error(std::string_view function, std::string_view message) {
    std::string text(function);
    text += "(): ";
    text += message;
    return fail(std::move(text));
}

namespace {

unsigned kind_bit(const json::Value& value) {
    switch (value.kind()) {
    case json::Kind::Null:
        return kNull;
    case json::Kind::Bool:
        return kBool;
    case json::Kind::Integer:
        return kInt;
    case json::Kind::Double:
        return kFloat;
    case json::Kind::String:
        return kString;
    case json::Kind::Array:
        return kArray;
    case json::Kind::Object:
        return kObject;
    case json::Kind::Unknown:
        return kAny;
    }
    return 0;
}

} // namespace

std::optional<Error> check_signature(std::string_view function, std::string_view expected,
                                     Arguments arguments, std::size_t min, std::size_t max,
                                     std::initializer_list<unsigned> masks, unsigned rest) {
    if (arguments.size() < min || arguments.size() > max)
        return signature_error(function, expected, arguments);
    std::size_t i = 0;
    for (unsigned mask : masks) {
        if (i >= arguments.size())
            break;
        if ((kind_bit(arguments[i]) & mask) == 0)
            return signature_error(function, expected, arguments);
        ++i;
    }
    for (; i < arguments.size(); ++i) {
        if ((kind_bit(arguments[i]) & rest) == 0)
            return signature_error(function, expected, arguments);
    }
    return std::nullopt;
}

bool any_unknown(Arguments arguments) {
    for (const json::Value& argument : arguments) {
        if (argument.is_unknown())
            return true;
    }
    return false;
}

bool any_contains_unknown(Arguments arguments) {
    for (const json::Value& argument : arguments) {
        if (argument.contains_unknown())
            return true;
    }
    return false;
}

// GCC 12 misreads the variant move below as reading an alternative that was never constructed; the
// warning is silenced here, in one out-of-line place, instead of at every return of a value.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
[[gnu::noinline]] Result<json::Value> value_result(json::Value value) {
    return Result<json::Value>(std::move(value));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

json::Value unknown_result(std::string_view function) {
    std::string reason(function);
    reason += "() of an unknown value";
    return json::Value::unknown(std::move(reason));
}

// ---- Equality ----------------------------------------------------------------------------------

namespace {

// An integer and a double are equal when the double holds exactly that integer.
bool integer_equals_double(std::int64_t i, double d) {
    if (!std::isfinite(d) || d != std::trunc(d))
        return false;
    // 2^63 is exactly representable; anything at or beyond it is outside int64.
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return false;
    return static_cast<std::int64_t>(d) == i;
}

Tri combine(Tri acc, Tri next) {
    if (acc == Tri::False || next == Tri::False)
        return Tri::False;
    if (acc == Tri::Unknown || next == Tri::Unknown)
        return Tri::Unknown;
    return Tri::True;
}

} // namespace

Tri equals3(const json::Value& a, const json::Value& b) {
    if (a.is_unknown() || b.is_unknown())
        return Tri::Unknown;
    if (a.is_number() && b.is_number()) {
        if (a.is_integer() && b.is_integer())
            return a.as_integer() == b.as_integer() ? Tri::True : Tri::False;
        if (a.is_integer())
            return integer_equals_double(a.as_integer(), b.as_double()) ? Tri::True : Tri::False;
        if (b.is_integer())
            return integer_equals_double(b.as_integer(), a.as_double()) ? Tri::True : Tri::False;
        return a.as_double() == b.as_double() ? Tri::True : Tri::False;
    }
    if (a.kind() != b.kind())
        return Tri::False;
    switch (a.kind()) {
    case json::Kind::Null:
        return Tri::True;
    case json::Kind::Bool:
        return a.as_bool() == b.as_bool() ? Tri::True : Tri::False;
    case json::Kind::String:
        return a.as_string() == b.as_string() ? Tri::True : Tri::False;
    case json::Kind::Array: {
        const json::Array& x = a.as_array();
        const json::Array& y = b.as_array();
        if (x.size() != y.size())
            return Tri::False;
        Tri result = Tri::True;
        for (std::size_t i = 0; i < x.size() && result != Tri::False; ++i)
            result = combine(result, equals3(x[i], y[i]));
        return result;
    }
    case json::Kind::Object: {
        const json::Object& x = a.as_object();
        const json::Object& y = b.as_object();
        if (x.size() != y.size())
            return Tri::False;
        Tri result = Tri::True;
        for (const auto& [key, value] : x) {
            const json::Value* other = y.find(key);
            if (other == nullptr)
                return Tri::False;
            result = combine(result, equals3(value, *other));
            if (result == Tri::False)
                return result;
        }
        return result;
    }
    default:
        return Tri::False;
    }
}

// ---- UTF-8 / UTF-16 ----------------------------------------------------------------------------

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at `i` (advancing it); malformed input yields U+FFFD and skips one byte.
char32_t decode_utf8(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead >= 0xC2 && lead < 0xE0) {
        length = 2;
        cp = lead & 0x1Fu;
        min = 0x80;
    } else if (lead >= 0xE0 && lead < 0xF0) {
        length = 3;
        cp = lead & 0x0Fu;
        min = 0x800;
    } else if (lead >= 0xF0 && lead < 0xF5) {
        length = 4;
        cp = lead & 0x07u;
        min = 0x10000;
    } else {
        ++i;
        return kReplacement;
    }
    if (i + length > text.size()) {
        ++i;
        return kReplacement;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const unsigned char c = byte(i + k);
        if ((c & 0xC0u) != 0x80u) {
            ++i;
            return kReplacement;
        }
        cp = (cp << 6) | (c & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kReplacement;
    }
    i += length;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace

std::u16string to_utf16(std::string_view text) {
    std::u16string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char32_t cp = decode_utf8(text, i);
        if (cp >= 0x10000) {
            const char32_t v = cp - 0x10000;
            out += static_cast<char16_t>(0xD800 + (v >> 10));
            out += static_cast<char16_t>(0xDC00 + (v & 0x3FF));
        } else {
            out += static_cast<char16_t>(cp);
        }
    }
    return out;
}

std::string to_utf8(std::u16string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char16_t c = text[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 &&
            text[i + 1] <= 0xDFFF) {
            const char32_t cp = 0x10000 + ((static_cast<char32_t>(c) - 0xD800) << 10) +
                                (static_cast<char32_t>(text[i + 1]) - 0xDC00);
            append_utf8(out, cp);
            ++i;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            append_utf8(out, kReplacement);
        } else {
            append_utf8(out, c);
        }
    }
    return out;
}

// ---- Case mapping ------------------------------------------------------------------------------

char16_t to_upper_invariant(char16_t c) {
    if (c < 0x80)
        return c >= u'a' && c <= u'z' ? static_cast<char16_t>(c - 0x20) : c;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return static_cast<char16_t>(c - 0x20);
    if (c == 0xFF)
        return 0x178;
    if (c >= 0x100 && c <= 0x17F) {
        const bool even_upper = (c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
        const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (even_upper && (c & 1) == 1)
            return static_cast<char16_t>(c - 1);
        if (odd_upper && (c & 1) == 0)
            return static_cast<char16_t>(c - 1);
        return c;
    }
    if (c >= 0x3B1 && c <= 0x3C9)
        return c == 0x3C2 ? char16_t{0x3A3} : static_cast<char16_t>(c - 0x20);
    if (c >= 0x430 && c <= 0x44F)
        return static_cast<char16_t>(c - 0x20);
    if (c >= 0x450 && c <= 0x45F)
        return static_cast<char16_t>(c - 0x50);
    return c;
}

char16_t to_lower_invariant(char16_t c) {
    if (c < 0x80)
        return c >= u'A' && c <= u'Z' ? static_cast<char16_t>(c + 0x20) : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return static_cast<char16_t>(c + 0x20);
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17F) {
        const bool even_upper = (c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
        const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (even_upper && (c & 1) == 0)
            return static_cast<char16_t>(c + 1);
        if (odd_upper && (c & 1) == 1)
            return static_cast<char16_t>(c + 1);
        return c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return static_cast<char16_t>(c + 0x20);
    if (c >= 0x410 && c <= 0x42F)
        return static_cast<char16_t>(c + 0x20);
    if (c >= 0x400 && c <= 0x40F)
        return static_cast<char16_t>(c + 0x50);
    return c;
}

std::u16string to_upper_invariant(std::u16string_view text) {
    std::u16string out(text);
    for (char16_t& c : out)
        c = to_upper_invariant(c);
    return out;
}

std::u16string to_lower_invariant(std::u16string_view text) {
    std::u16string out(text);
    for (char16_t& c : out)
        c = to_lower_invariant(c);
    return out;
}

bool is_white_space(char16_t c) {
    if (c == u' ' || (c >= 0x09 && c <= 0x0D))
        return true;
    if (c < 0x80)
        return false;
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::size_t find_ignore_case(std::u16string_view haystack, std::u16string_view needle, bool from_end) {
    if (needle.size() > haystack.size())
        return std::u16string_view::npos;
    const std::u16string h = to_upper_invariant(haystack);
    const std::u16string n = to_upper_invariant(needle);
    return from_end ? h.rfind(n) : h.find(n);
}

// ---- Culture-like comparison -------------------------------------------------------------------

namespace {

// Primary sort class: 0 symbols and spaces, 1 digits, 2 letters, 3 everything outside ASCII.
int primary_class(char16_t c) {
    if (c >= u'0' && c <= u'9')
        return 1;
    if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'))
        return 2;
    if (c < 0x80)
        return 0;
    return 3;
}

int compare_primary(char16_t a, char16_t b) {
    const int ca = primary_class(a);
    const int cb = primary_class(b);
    if (ca != cb)
        return ca < cb ? -1 : 1;
    const char16_t ua = to_upper_invariant(a);
    const char16_t ub = to_upper_invariant(b);
    if (ua != ub)
        return ua < ub ? -1 : 1;
    return 0;
}

} // namespace

int compare_strings(std::string_view a, std::string_view b) {
    const std::u16string x = to_utf16(a);
    const std::u16string y = to_utf16(b);
    const std::size_t common = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < common; ++i) {
        const int primary = compare_primary(x[i], y[i]);
        if (primary != 0)
            return primary;
    }
    if (x.size() != y.size())
        return x.size() < y.size() ? -1 : 1;
    // Equal but for case: the first difference decides, lower case first.
    for (std::size_t i = 0; i < common; ++i) {
        if (x[i] != y[i]) {
            const bool x_lower = to_upper_invariant(x[i]) != x[i];
            const bool y_lower = to_upper_invariant(y[i]) != y[i];
            if (x_lower != y_lower)
                return x_lower ? -1 : 1;
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

// ---- Serialisation -----------------------------------------------------------------------------

std::string format_double(double value) {
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "Infinity" : "-Infinity";
    if (value == 0)
        return std::signbit(value) ? "-0" : "0";
    std::array<char, 64> buffer{};
    const auto [end, error] =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
    if (error != std::errc())
        return "0";
    // "d.ddde±x": split into sign, digits and the decimal exponent of the first digit.
    std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
    const bool negative = text.front() == '-';
    if (negative)
        text.remove_prefix(1);
    const std::size_t e = text.find('e');
    std::string digits;
    for (char c : text.substr(0, e)) {
        if (c != '.')
            digits += c;
    }
    int exponent = 0;
    const std::string_view exponent_text = text.substr(e + 1);
    std::from_chars(exponent_text.data() + (exponent_text.front() == '+' ? 1 : 0),
                    exponent_text.data() + exponent_text.size(), exponent);
    std::string out;
    if (negative)
        out.push_back('-');
    if (exponent > -5 && exponent < 15) {
        if (exponent < 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-exponent - 1), '0');
            out += digits;
        } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
            out += digits;
            out.append(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
        } else {
            out += digits.substr(0, static_cast<std::size_t>(exponent) + 1);
            out += '.';
            out += digits.substr(static_cast<std::size_t>(exponent) + 1);
        }
        return out;
    }
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
        out += '.';
        out += digits.substr(1);
    }
    out += 'E';
    out += exponent < 0 ? '-' : '+';
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10)
        out += '0';
    out += std::to_string(magnitude);
    return out;
}

namespace {

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                std::array<char, 8> escape{};
                std::snprintf(escape.data(), escape.size(), "\\u%04x", static_cast<unsigned>(c));
                out += escape.data();
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void append_compact(std::string& out, const json::Value& value) {
    switch (value.kind()) {
    case json::Kind::Null:
        out += "null";
        return;
    case json::Kind::Bool:
        out += value.as_bool() ? "true" : "false";
        return;
    case json::Kind::Integer:
        out += std::to_string(value.as_integer());
        return;
    case json::Kind::Double: {
        std::string text = format_double(value.as_double());
        // Newtonsoft keeps a double recognisable as one.
        if (text.find_first_of(".EN") == std::string::npos && text != "Infinity" && text != "-Infinity")
            text += ".0";
        out += text;
        return;
    }
    case json::Kind::String:
        append_json_string(out, value.as_string());
        return;
    case json::Kind::Array: {
        out += '[';
        bool first = true;
        for (const json::Value& element : value.as_array()) {
            if (!first)
                out += ',';
            first = false;
            append_compact(out, element);
        }
        out += ']';
        return;
    }
    case json::Kind::Object: {
        out += '{';
        bool first = true;
        for (const auto& [key, member] : value.as_object()) {
            if (!first)
                out += ',';
            first = false;
            append_json_string(out, key);
            out += ':';
            append_compact(out, member);
        }
        out += '}';
        return;
    }
    case json::Kind::Unknown:
        append_json_string(out, "<unknown: " + value.as_unknown().reason + ">");
        return;
    }
}

} // namespace

std::string compact_json(const json::Value& value) {
    std::string out;
    append_compact(out, value);
    return out;
}

std::string display_string(const json::Value& value) {
    switch (value.kind()) {
    case json::Kind::Null:
        return "";
    case json::Kind::Bool:
        return value.as_bool() ? "True" : "False";
    case json::Kind::Integer:
        return std::to_string(value.as_integer());
    case json::Kind::Double:
        return format_double(value.as_double());
    case json::Kind::String:
        return value.as_string();
    default:
        return compact_json(value);
    }
}

// ---- Base64 ------------------------------------------------------------------------------------

namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_digit(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

} // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += kBase64Alphabet[(n >> 6) & 63];
        out += kBase64Alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t n = byte(i) << 16;
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const std::uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8);
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += kBase64Alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    // As .NET's Convert.FromBase64String: white space is ignored, the rest must be whole groups of
    // four characters, the last of which may end in one or two '='.
    std::string compact;
    compact.reserve(text.size());
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            compact += c;
    }
    if (compact.size() % 4 != 0)
        return std::nullopt;
    std::size_t length = compact.size();
    std::size_t padding = 0;
    while (length > 0 && compact[length - 1] == '=' && padding < 2) {
        --length;
        ++padding;
    }
    std::string out;
    out.reserve(length / 4 * 3 + 2);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < length; ++i) {
        const int digit = base64_digit(compact[i]);
        if (digit < 0)
            return std::nullopt;
        buffer = ((buffer << 6) | static_cast<std::uint32_t>(digit)) & 0xFFFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFFu);
        }
    }
    return out;
}

json::Value without_offsets(json::Value value) {
    value.set_offset(kNoOffset);
    if (value.is_array()) {
        for (json::Value& element : value.as_array())
            element = without_offsets(std::move(element));
    } else if (value.is_object()) {
        for (auto& member : value.as_object())
            member.second = without_offsets(std::move(member.second));
    }
    return value;
}

} // namespace ztnet::load::arm::detail
