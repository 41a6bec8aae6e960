// Internal to the ARM function library: the per-category function tables, argument checking, the
// Unknown rules, three-valued equality, and the string helpers (UTF-16 positions, .NET-style case
// folding, compact JSON) that ARM's .NET semantics need. Not part of the evaluator's interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ztnet/json/value.h"
#include "ztnet/load/arm/functions.h"
#include "ztnet/support/result.h"

namespace ztnet::load::arm::detail {

/// One entry of a function table: the ARM name as documented (matched case-insensitively) and its body.
struct FunctionEntry {
    std::string_view name;
    PureFunction function;
};

/// The tables of each category, merged by find_pure_function().
std::span<const FunctionEntry> string_functions();
std::span<const FunctionEntry> collection_functions();
std::span<const FunctionEntry> logic_functions();
std::span<const FunctionEntry> numeric_functions();
std::span<const FunctionEntry> cidr_functions();
std::span<const FunctionEntry> hashing_functions();
std::span<const FunctionEntry> date_functions();

// ---- Argument checking -------------------------------------------------------------------------

/// Bit masks of accepted kinds. An Unknown argument matches every mask: its kind is not known yet.
enum : unsigned {
    kNull = 1u << 0,
    kBool = 1u << 1,
    kInt = 1u << 2,
    kFloat = 1u << 3,
    kString = 1u << 4,
    kArray = 1u << 5,
    kObject = 1u << 6,
    kAny = kNull | kBool | kInt | kFloat | kString | kArray | kObject,
};

/// The short kind name used in messages: null, bool, int, float, string, array, object, unknown.
std::string_view kind_name(const json::Value& value);

/// "(string, int)": the kinds of the arguments actually passed.
std::string describe_arguments(Arguments arguments);

/// "substring() expects (string, int[, int]), got (string, string)".
Error signature_error(std::string_view function, std::string_view expected, Arguments arguments);

/// "name(): message" for failures that are not about the signature.
Error function_error(std::string_view function, std::string_view message);

/// Checks the count (min..max) and the kind of each argument (`masks`, then `rest` for the others).
/// Unknown arguments pass every kind check. Returns the signature error, or nothing when they fit.
std::optional<Error> check_signature(std::string_view function, std::string_view expected,
                                     Arguments arguments, std::size_t min, std::size_t max,
                                     std::initializer_list<unsigned> masks, unsigned rest = kAny);

/// True when any argument is itself Unknown (not merely containing one).
bool any_unknown(Arguments arguments);
/// True when any argument is or contains an Unknown.
bool any_contains_unknown(Arguments arguments);

/// The Unknown a function returns when an unknown argument decides its result.
json::Value unknown_result(std::string_view function);

/// Wraps a value in a Result out of line. Building a Result from a scalar json::Value inline makes
/// GCC 12 at -O2 report a false "may be used uninitialized" (the variant's other alternatives).
Result<json::Value> value_result(json::Value value);

// ---- Equality ----------------------------------------------------------------------------------

enum class Tri : std::uint8_t { False, True, Unknown };

/// ARM equality in three values: Unknown only when the known parts do not already decide it.
Tri equals3(const json::Value& a, const json::Value& b);

// ---- Strings -----------------------------------------------------------------------------------

/// UTF-8 to UTF-16 (ARM counts and indexes strings in UTF-16 code units). Malformed bytes become U+FFFD.
std::u16string to_utf16(std::string_view text);
/// UTF-16 to UTF-8; an unpaired surrogate becomes U+FFFD.
std::string to_utf8(std::u16string_view text);

/// Invariant-culture simple case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic;
/// other characters map to themselves.
char16_t to_upper_invariant(char16_t c);
char16_t to_lower_invariant(char16_t c);
std::u16string to_upper_invariant(std::u16string_view text);
std::u16string to_lower_invariant(std::u16string_view text);

/// .NET char.IsWhiteSpace for UTF-16 code units.
bool is_white_space(char16_t c);

/// Position of `needle` in `haystack` compared OrdinalIgnoreCase (npos when absent); `from_end` finds
/// the last occurrence.
std::size_t find_ignore_case(std::u16string_view haystack, std::u16string_view needle, bool from_end);

/// Ordering of two strings like .NET's culture-aware default comparison, which the comparison
/// functions use (greater('A', 'a') is true): letters compare case-insensitively first, lower case
/// sorts before upper case only as a tie-break, punctuation before digits before letters.
/// Approximated for ASCII; other characters compare by code point.
int compare_strings(std::string_view a, std::string_view b);

/// A value serialised like Newtonsoft's compact form (Formatting.None), which string() uses for
/// arrays and objects. The caller ensures the value contains no Unknown.
std::string compact_json(const json::Value& value);

/// What string() returns: strings unchanged, True/False for booleans, empty for null, decimal
/// numbers, compact JSON for arrays and objects.
std::string display_string(const json::Value& value);

/// A double as .NET's round-trip ToString() writes it ("1.5", "1E+21", "1E-05").
std::string format_double(double value);

/// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);
/// Decodes base64 as .NET does (white space ignored, whole groups of four with padding); nothing when
/// malformed.
std::optional<std::string> base64_decode(std::string_view text);

/// Copies a value with every offset cleared (values made from strings have no place in a file).
json::Value without_offsets(json::Value value);

} // namespace ztnet::load::arm::detail
