// The ARM template expression language: which JSON strings are expressions ("[concat('a', 'b')]"),
// and their syntax tree. Evaluation lives in evaluator.h; this file knows nothing about templates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/support/result.h"

namespace ztnet::load::arm {

/// ARM's documented limit on the length of one template expression, in characters.
inline constexpr std::size_t kMaxExpressionLength = 24576;
/// How deeply calls, index and property accesses may nest in one expression: far beyond what real
/// templates use, low enough that evaluating the tree recursively cannot exhaust the stack.
inline constexpr std::size_t kMaxExpressionDepth = 200;

enum class NodeKind : std::uint8_t {
    String,   // 'text' (text holds the value, '' already undone)
    Integer,  // 42, -1
    Boolean,  // true / false written without parentheses
    Null,     // null written without parentheses
    Call,     // name(args) or namespace.name(args)
    Property, // object.name  (children[0] is the object)
    Index,    // object[index] (children[0] the object, children[1] the index)
};

/// One node of an expression's syntax tree.
struct Node {
    NodeKind kind = NodeKind::Null;
    /// Byte offset in the JSON string value the expression came from (0 is its opening '[').
    std::uint32_t offset = 0;
    /// String: the literal's value. Call: the function name. Property: the member name.
    std::string text;
    /// Call: the namespace of a user-defined function, empty for built-in functions.
    std::string name_space;
    std::int64_t integer = 0;
    bool boolean = false;
    /// Call: the arguments. Property: the object. Index: the object, then the index.
    std::vector<Node> children;
};

/// True when ARM evaluates this string value: it starts with '[' but not "[[", and ends with ']'.
bool is_expression(std::string_view value);

/// The value ARM keeps for a string that is not an expression: "[[x]" stands for "[x]" (the doubled
/// bracket escapes an expression-like literal); every other string is kept as it is.
std::string literal_value(std::string_view value);

/// The limit error for an expression string that is too long or nests too deeply, if it breaks one.
/// Separate from parsing so that callers can report limits under their own diagnostic code.
std::optional<Error> check_expression_limits(std::string_view value);

/// Parses an expression string, brackets included ("[parameters('x')]"). On failure the Error's
/// offset is the byte of the string where parsing stopped and its message says what was expected.
Result<Node> parse_expression(std::string_view value);

/// The expression written back in a canonical form (single spaces after commas, no brackets around
/// the whole): used in messages and tests.
std::string to_string(const Node& node);

} // namespace ztnet::load::arm
