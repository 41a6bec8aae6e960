// Recursive-descent parser for ARM template expressions. The grammar, as ARM accepts it:
//
//   expression := primary postfix*
//   primary    := 'string' | integer | true | false | null | call
//   call       := name [ '.' name ] '(' [ expression { ',' expression } ] ')'
//   postfix    := '.' member | '[' expression ']'
//
// Strings use single quotes and double them to escape one; integers may carry a leading '-'.
// White space may separate any two tokens.
#include "ztnet/load/arm/expression.h"

#include <algorithm>
#include <limits>

#include "ztnet/support/ascii.h"

namespace ztnet::load::arm {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The length in bytes of the white space character at `pos` (0 when there is none). ARM's parser
// skips what .NET's char.IsWhiteSpace calls white space, so a non-breaking space (U+00A0) pasted
// into an expression separates tokens like any space.
std::size_t space_length(std::string_view text, std::size_t pos) {
    if (is_space(text[pos]))
        return 1;
    auto byte = [&](std::size_t i) {
        return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u;
    };
    if (byte(0) == 0xC2 && (byte(1) == 0xA0 || byte(1) == 0x85))
        return 2; // U+00A0, U+0085
    if (byte(0) == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80)
        return 3; // U+1680
    if (byte(0) == 0xE2 && byte(1) == 0x80 &&
        ((byte(2) >= 0x80 && byte(2) <= 0x8A) || byte(2) == 0xA8 || byte(2) == 0xA9 || byte(2) == 0xAF))
        return 3; // U+2000..U+200A, U+2028, U+2029, U+202F
    if (byte(0) == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F)
        return 3; // U+205F
    if (byte(0) == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80)
        return 3; // U+3000
    return 0;
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
std::size_t utf8_length(unsigned char lead) {
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}
using ascii::is_digit;
bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_start(char c) {
    return is_letter(c) || c == '_';
}
bool is_name_char(char c) {
    return is_letter(c) || is_digit(c) || c == '_';
}
// Member names after '.' may also hold '$' (JSON keys such as "$schema"). They start with a letter,
// '_' or '$', so that "1.5" stays a (rejected) decimal and never reads as a member of 1.
bool is_member_start(char c) {
    return is_name_start(c) || c == '$';
}
bool is_member_char(char c) {
    return is_name_char(c) || c == '$';
}

class Parser {
  public:
    explicit Parser(std::string_view value) : text_(value), end_(value.size() - 1) {}

    Result<Node> parse_whole() {
        pos_ = 1; // after the opening '['
        skip_space();
        if (pos_ == end_)
            return fail("empty expression: expected a function call or a literal between '[' and ']'", pos_);
        auto node = parse_expression();
        if (!node)
            return node;
        skip_space();
        if (pos_ != end_)
            return fail("expected the end of the expression, found " + describe_here(), pos_);
        return node;
    }

  private:
    std::string_view text_;
    std::size_t end_; // index of the closing ']'
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;

    bool at_end() const { return pos_ >= end_; }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }

    void skip_space() {
        while (!at_end()) {
            std::size_t length = space_length(text_.substr(0, end_), pos_);
            if (length == 0)
                return;
            pos_ += length;
        }
    }

    // The character at the current place, whole: a diagnostic never prints part of a UTF-8 sequence.
    std::string describe_here() const {
        if (at_end())
            return "the end of the expression";
        std::size_t length = std::min(utf8_length(static_cast<unsigned char>(text_[pos_])), end_ - pos_);
        for (std::size_t i = 1; i < length; ++i)
            if ((static_cast<unsigned char>(text_[pos_ + i]) & 0xC0) != 0x80)
                length = i;
        std::string character(text_.substr(pos_, length));
        if (length == 1 && static_cast<unsigned char>(character[0]) >= 0x80)
            return "an invalid UTF-8 byte";
        return "'" + character + "'";
    }

    Node make(NodeKind kind, std::size_t offset) const {
        Node node;
        node.kind = kind;
        node.offset = static_cast<std::uint32_t>(offset);
        return node;
    }

    Result<Node> parse_expression() {
        // Each level of nesting passes through here, so this bounds the recursion.
        if (++depth_ > kMaxExpressionDepth)
            return fail("expression nests deeper than " + std::to_string(kMaxExpressionDepth) + " levels",
                        pos_);
        auto node = parse_primary();
        if (node)
            node = parse_postfix(std::move(*node));
        --depth_;
        return node;
    }

    Result<Node> parse_primary() {
        skip_space();
        char c = peek();
        if (at_end())
            return fail("expected a function call or a literal, found the end of the expression", pos_);
        if (c == '\'')
            return parse_string();
        if (is_digit(c) || (c == '-' && pos_ + 1 < end_ && is_digit(text_[pos_ + 1])))
            return parse_integer();
        if (is_name_start(c))
            return parse_name();
        return fail("expected a function call or a literal, found " + describe_here(), pos_);
    }

    Result<Node> parse_string() {
        Node node = make(NodeKind::String, pos_);
        std::size_t open = pos_;
        ++pos_;
        while (true) {
            if (at_end())
                return fail("unterminated string literal: expected a closing quote (')", open);
            char c = text_[pos_];
            if (c == '\'') {
                if (pos_ + 1 < end_ && text_[pos_ + 1] == '\'') {
                    node.text.push_back('\'');
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return node;
            }
            node.text.push_back(c);
            ++pos_;
        }
    }

    Result<Node> parse_integer() {
        Node node = make(NodeKind::Integer, pos_);
        bool negative = text_[pos_] == '-';
        if (negative)
            ++pos_;
        // Accumulate negatively so that the most negative 64-bit value is representable.
        std::int64_t value = 0;
        constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
        while (!at_end() && is_digit(text_[pos_])) {
            int digit = text_[pos_] - '0';
            if (value < (kMin + digit) / 10)
                return fail("integer literal out of range (64-bit)", node.offset);
            value = value * 10 - digit;
            ++pos_;
        }
        if (!negative) {
            if (value == kMin)
                return fail("integer literal out of range (64-bit)", node.offset);
            value = -value;
        }
        if (peek() == '.' && pos_ + 1 < end_ && is_digit(text_[pos_ + 1]))
            return fail("decimal numbers are not supported in expressions; use json('1.5')", node.offset);
        node.integer = value;
        return node;
    }

    std::string read_name() {
        std::size_t start = pos_;
        while (!at_end() && is_name_char(text_[pos_]))
            ++pos_;
        return std::string(text_.substr(start, pos_ - start));
    }

    Result<Node> parse_name() {
        std::size_t start = pos_;
        std::string name = read_name();
        skip_space();
        if (peek() == '(')
            return parse_call(start, "", std::move(name));
        if (peek() == '.') {
            // namespace.function(...): a user-defined function.
            ++pos_;
            skip_space();
            if (at_end() || !is_name_start(peek()))
                return fail("expected a function name after '" + name + ".', found " + describe_here(), pos_);
            std::string member = read_name();
            skip_space();
            if (peek() != '(')
                return fail("expected '(' after '" + name + "." + member + "', found " + describe_here(),
                            pos_);
            return parse_call(start, std::move(name), std::move(member));
        }
        if (ascii::iequals(name, "true") || ascii::iequals(name, "false")) {
            Node node = make(NodeKind::Boolean, start);
            node.boolean = ascii::iequals(name, "true");
            return node;
        }
        if (ascii::iequals(name, "null"))
            return make(NodeKind::Null, start);
        return fail("expected '(' after the function name '" + name + "', found " + describe_here(), pos_);
    }

    Result<Node> parse_call(std::size_t start, std::string name_space, std::string name) {
        Node node = make(NodeKind::Call, start);
        node.name_space = std::move(name_space);
        node.text = std::move(name);
        ++pos_; // '('
        skip_space();
        if (peek() == ')') {
            ++pos_;
            return node;
        }
        while (true) {
            auto argument = parse_expression();
            if (!argument)
                return argument;
            node.children.push_back(std::move(*argument));
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == ')') {
                ++pos_;
                return node;
            }
            return fail("expected ',' or ')' in the arguments of " + node.text + "(), found " +
                            describe_here(),
                        pos_);
        }
    }

    Result<Node> parse_postfix(Node node) {
        while (true) {
            skip_space();
            char c = peek();
            if (at_end())
                return node;
            if (c == '.') {
                std::size_t dot = pos_;
                ++pos_;
                skip_space();
                std::size_t start = pos_;
                if (at_end() || !is_member_start(text_[pos_]))
                    return fail("expected a property name after '.', found " + describe_here(), pos_);
                while (!at_end() && is_member_char(text_[pos_]))
                    ++pos_;
                Node access = make(NodeKind::Property, dot);
                access.text = std::string(text_.substr(start, pos_ - start));
                access.children.push_back(std::move(node));
                node = std::move(access);
                continue;
            }
            if (c == '[') {
                std::size_t open = pos_;
                ++pos_;
                auto index = parse_expression();
                if (!index)
                    return index;
                skip_space();
                if (peek() != ']')
                    return fail("expected ']' to close the index opened at offset " + std::to_string(open) +
                                    ", found " + describe_here(),
                                pos_);
                ++pos_;
                Node access = make(NodeKind::Index, open);
                access.children.push_back(std::move(node));
                access.children.push_back(std::move(*index));
                node = std::move(access);
                continue;
            }
            return node;
        }
    }
};

void append_quoted(std::string& out, std::string_view text) {
    out.push_back('\'');
    for (char c : text) {
        if (c == '\'')
            out.push_back('\'');
        out.push_back(c);
    }
    out.push_back('\'');
}

void append_node(std::string& out, const Node& node) {
    switch (node.kind) {
    case NodeKind::String:
        append_quoted(out, node.text);
        return;
    case NodeKind::Integer:
        out += std::to_string(node.integer);
        return;
    case NodeKind::Boolean:
        out += node.boolean ? "true" : "false";
        return;
    case NodeKind::Null:
        out += "null";
        return;
    case NodeKind::Call:
        if (!node.name_space.empty()) {
            out += node.name_space;
            out.push_back('.');
        }
        out += node.text;
        out.push_back('(');
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            if (i > 0)
                out += ", ";
            append_node(out, node.children[i]);
        }
        out.push_back(')');
        return;
    case NodeKind::Property:
        append_node(out, node.children[0]);
        out.push_back('.');
        out += node.text;
        return;
    case NodeKind::Index:
        append_node(out, node.children[0]);
        out.push_back('[');
        append_node(out, node.children[1]);
        out.push_back(']');
        return;
    }
}

} // namespace

bool is_expression(std::string_view value) {
    return value.size() >= 2 && value.front() == '[' && value.back() == ']' && value[1] != '[';
}

std::string literal_value(std::string_view value) {
    if (value.size() >= 2 && value[0] == '[' && value[1] == '[' && value.back() == ']')
        return std::string(value.substr(1));
    return std::string(value);
}

std::optional<Error> check_expression_limits(std::string_view value) {
    if (value.size() > kMaxExpressionLength)
        return fail("expression is " + std::to_string(value.size()) +
                        " characters long; ARM allows at most " + std::to_string(kMaxExpressionLength),
                    0);
    // Count open parentheses and brackets outside string literals ('' inside a literal toggles the
    // state twice, which leaves it right).
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 1; i + 1 < value.size(); ++i) {
        char c = value[i];
        if (c == '\'') {
            in_string = !in_string;
        } else if (in_string) {
            continue;
        } else if (c == '(' || c == '[') {
            if (++depth > kMaxExpressionDepth)
                return fail("expression nests deeper than " + std::to_string(kMaxExpressionDepth) + " levels",
                            i);
        } else if ((c == ')' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

Result<Node> parse_expression(std::string_view value) {
    if (!is_expression(value))
        return fail("not an expression: expressions start with '[' (not \"[[\") and end with ']'", 0);
    if (auto limit = check_expression_limits(value))
        return *limit;
    return Parser(value).parse_whole();
}

std::string to_string(const Node& node) {
    std::string out;
    append_node(out, node);
    return out;
}

} // namespace ztnet::load::arm
