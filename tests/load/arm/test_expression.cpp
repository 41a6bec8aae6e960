// The ARM expression parser: which strings are expressions, the syntax tree, and where and why a
// malformed expression is rejected.
#include <string>

#include <gtest/gtest.h>

#include "ztnet/load/arm/expression.h"

namespace ztnet::load::arm {
namespace {

TEST(Expression, RecognisesExpressionStrings) {
    struct Case {
        const char* text;
        bool expression;
    };
    const Case cases[] = {
        {"[parameters('x')]", true},
        {"[concat('a', 'b')]", true},
        {"[]", true},            // an (empty, invalid) expression
        {"[[literal]", false},   // escaped
        {"[test] value", false}, // does not end with ']'
        {"plain", false},
        {"", false},
        {"[", false},
        {"]", false},
        {" [x()]", false}, // white space before '[' makes it a literal
    };
    for (const auto& c : cases)
        EXPECT_EQ(is_expression(c.text), c.expression) << c.text;
}

TEST(Expression, LiteralValueUndoesTheEscape) {
    EXPECT_EQ(literal_value("[[test value]"), "[test value]");
    EXPECT_EQ(literal_value("[[x"), "[[x"); // no closing bracket: nothing to escape
    EXPECT_EQ(literal_value("[test] value"), "[test] value");
    EXPECT_EQ(literal_value("plain"), "plain");
}

TEST(Expression, ParsesToTheCanonicalForm) {
    struct Case {
        const char* text;
        const char* canonical;
    };
    const Case cases[] = {
        {"[parameters('x')]", "parameters('x')"},
        {"[concat('a','b')]", "concat('a', 'b')"},
        {"[ concat( 'a' , 'b' ) ]", "concat('a', 'b')"},
        {"[f()]", "f()"},
        {"['it''s']", "'it''s'"},
        {"['']", "''"},
        {"['a]b']", "'a]b'"},
        {"[add(1, -2)]", "add(1, -2)"},
        {"[-9223372036854775808]", "-9223372036854775808"},
        {"[true]", "true"},
        {"[FALSE]", "false"},
        {"[null]", "null"},
        {"[true()]", "true()"},
        {"[resourceGroup().location]", "resourceGroup().location"},
        {"[reference(x()).a.b]", "reference(x()).a.b"},
        {"[variables('v')[0]]", "variables('v')[0]"},
        {"[variables('v')['key'].x[1]]", "variables('v')['key'].x[1]"},
        {"[ns.fn(1)]", "ns.fn(1)"},
        {"[ns . fn ( 1 ) ]", "ns.fn(1)"},
        {"[f().$schema]", "f().$schema"},
        {"[if(equals(1, 1), 'a', json('null'))]", "if(equals(1, 1), 'a', json('null'))"},
        {"[concat('a',\n\t'b')]", "concat('a', 'b')"},
    };
    for (const auto& c : cases) {
        auto node = parse_expression(c.text);
        ASSERT_TRUE(node.ok()) << c.text << ": " << node.error().message;
        EXPECT_EQ(to_string(*node), c.canonical) << c.text;
    }
}

TEST(Expression, TreeHoldsKindsValuesAndOffsets) {
    auto node = parse_expression("[ns.f('a''b', -12, x().p[3])]");
    ASSERT_TRUE(node.ok());
    EXPECT_EQ(node->kind, NodeKind::Call);
    EXPECT_EQ(node->name_space, "ns");
    EXPECT_EQ(node->text, "f");
    EXPECT_EQ(node->offset, 1u);
    ASSERT_EQ(node->children.size(), 3u);

    const Node& string = node->children[0];
    EXPECT_EQ(string.kind, NodeKind::String);
    EXPECT_EQ(string.text, "a'b");
    EXPECT_EQ(string.offset, 6u);

    const Node& integer = node->children[1];
    EXPECT_EQ(integer.kind, NodeKind::Integer);
    EXPECT_EQ(integer.integer, -12);
    EXPECT_EQ(integer.offset, 14u);

    const Node& index = node->children[2];
    EXPECT_EQ(index.kind, NodeKind::Index);
    EXPECT_EQ(index.offset, 24u);
    ASSERT_EQ(index.children.size(), 2u);
    EXPECT_EQ(index.children[1].integer, 3);
    const Node& property = index.children[0];
    EXPECT_EQ(property.kind, NodeKind::Property);
    EXPECT_EQ(property.text, "p");
    EXPECT_EQ(property.offset, 22u);
    EXPECT_EQ(property.children[0].kind, NodeKind::Call);
    EXPECT_EQ(property.children[0].text, "x");
    EXPECT_TRUE(property.children[0].name_space.empty());
}

TEST(Expression, BareLiteralsAreNotCalls) {
    auto node = parse_expression("[createArray(true, null, false)]");
    ASSERT_TRUE(node.ok());
    ASSERT_EQ(node->children.size(), 3u);
    EXPECT_EQ(node->children[0].kind, NodeKind::Boolean);
    EXPECT_TRUE(node->children[0].boolean);
    EXPECT_EQ(node->children[1].kind, NodeKind::Null);
    EXPECT_EQ(node->children[2].kind, NodeKind::Boolean);
    EXPECT_FALSE(node->children[2].boolean);
}

TEST(Expression, ReportsEachSyntaxErrorWhereItIs) {
    struct Case {
        const char* text;
        std::size_t offset;
        const char* message; // a part of the message
    };
    const Case cases[] = {
        {"[]", 1, "empty expression"},
        {"[   ]", 4, "empty expression"},
        {"[concat('a']", 11, "expected ',' or ')'"},
        {"[concat('a' 'b')]", 12, "expected ',' or ')'"},
        {"[concat('a',)]", 12, "expected a function call or a literal, found ')'"},
        {"[concat(,)]", 8, "expected a function call or a literal, found ','"},
        {"['abc]", 1, "unterminated string literal"},
        {"[concat('abc)]", 8, "unterminated string literal"},
        {"[foo]", 4, "expected '(' after the function name 'foo'"},
        {"[foo bar()]", 5, "expected '(' after the function name 'foo'"},
        {"[f() g()]", 5, "expected the end of the expression, found 'g'"},
        {"[f()]]", 4, "expected the end of the expression, found ']'"},
        {"[f().]", 5, "expected a property name after '.'"},
        {"[f().1]", 5, "expected a property name after '.'"},
        {"[f()[0]", 6, "expected ']' to close the index"},
        {"[f()[]]", 5, "expected a function call or a literal, found ']'"},
        {"[ns.]", 4, "expected a function name after 'ns.'"},
        {"[ns.f]", 5, "expected '(' after 'ns.f'"},
        {"[1.5]", 1, "decimal numbers are not supported"},
        {"[add(1, 2.5)]", 8, "decimal numbers are not supported"},
        {"[99999999999999999999]", 1, "integer literal out of range"},
        {"[9223372036854775808]", 1, "integer literal out of range"},
        {"[-]", 1, "expected a function call or a literal, found '-'"},
        {"[\"x\"]", 1, "expected a function call or a literal, found '\"'"},
        {"[#]", 1, "found '#'"},
        {"[[escaped]", 0, "not an expression"},
    };
    for (const auto& c : cases) {
        auto node = parse_expression(c.text);
        ASSERT_FALSE(node.ok()) << c.text << " parsed as " << to_string(*node);
        EXPECT_EQ(node.error().offset, c.offset) << c.text << ": " << node.error().message;
        EXPECT_NE(node.error().message.find(c.message), std::string::npos)
            << c.text << ": got \"" << node.error().message << "\"";
    }
}

TEST(Expression, EnforcesTheLengthLimit) {
    std::string at_limit = "['" + std::string(kMaxExpressionLength - 4, 'x') + "']";
    ASSERT_EQ(at_limit.size(), kMaxExpressionLength);
    EXPECT_TRUE(parse_expression(at_limit).ok());
    EXPECT_FALSE(check_expression_limits(at_limit).has_value());

    std::string over = "['" + std::string(kMaxExpressionLength - 3, 'x') + "']";
    auto limit = check_expression_limits(over);
    ASSERT_TRUE(limit.has_value());
    EXPECT_NE(limit->message.find("24576"), std::string::npos);
    auto parsed = parse_expression(over);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().offset, 0u);
}

std::string nested_calls(std::size_t depth) {
    std::string text = "[";
    for (std::size_t i = 0; i < depth; ++i)
        text += "f(";
    text += "1";
    text += std::string(depth, ')');
    return text + "]";
}

TEST(Expression, EnforcesTheDepthLimit) {
    EXPECT_TRUE(parse_expression(nested_calls(kMaxExpressionDepth - 1)).ok());
    std::string deep = nested_calls(kMaxExpressionDepth + 1);
    auto limit = check_expression_limits(deep);
    ASSERT_TRUE(limit.has_value());
    EXPECT_NE(limit->message.find("deeper than 200"), std::string::npos);
    auto parsed = parse_expression(deep);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message.find("deeper than 200"), std::string::npos);
    // Brackets inside string literals do not count.
    std::string quoted = "['" + std::string(500, '(') + "']";
    EXPECT_FALSE(check_expression_limits(quoted).has_value());
    EXPECT_TRUE(parse_expression(quoted).ok());
}

TEST(Expression, IndexNestingCountsTowardsDepth) {
    std::string text = "[x()";
    for (std::size_t i = 0; i <= kMaxExpressionDepth; ++i)
        text += "[x()";
    text += std::string(kMaxExpressionDepth + 1, ']') + "]";
    EXPECT_FALSE(parse_expression(text).ok());
}

} // namespace
} // namespace ztnet::load::arm
