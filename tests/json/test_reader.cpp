#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/support/source.h"

namespace ztnet::json {
namespace {

Value object(std::vector<Object::Member> members) {
    Object o;
    o.members() = std::move(members);
    return Value(std::move(o));
}

Value array(std::vector<Value> elements) {
    return Value(Array(std::move(elements)));
}

ReadLimits with_comments() {
    ReadLimits limits;
    limits.allow_comments = true;
    return limits;
}

// --- valid documents --------------------------------------------------------------------------

struct ValidCase {
    std::string text;
    Value expected;
};

TEST(Read, ValidDocumentsOfEveryKind) {
    const std::vector<ValidCase> cases = {
        {"null", Value()},
        {"true", Value(true)},
        {"false", Value(false)},
        {"0", Value(0)},
        {"-0", Value(0)},
        {"42", Value(42)},
        {"-17", Value(-17)},
        {"1.5", Value(1.5)},
        {"-0.25", Value(-0.25)},
        {"1e3", Value(1000.0)},
        {"1E+2", Value(100.0)},
        {"25e-1", Value(2.5)},
        {"0.0", Value(0.0)},
        {"1e-400", Value(0.0)}, // underflow reads as zero
        {"\"\"", Value("")},
        {"\"plain text\"", Value("plain text")},
        {R"("esc \" \\ \/ \b \f \n \r \t")", Value("esc \" \\ / \b \f \n \r \t")},
        {R"("\u0041\u00e9\u20AC")", Value("A\xC3\xA9\xE2\x82\xAC")},
        {R"("nul\u0000byte")", Value(std::string("nul\0byte", 8))},
        {"[]", array({})},
        {"{}", object({})},
        {" \t\r\n[ 1 , \"two\" , [ ] , { } ] \n", array({1, "two", array({}), object({})})},
        {R"({"a":{"b":[null,{"c":false}]},"d":-1.0})",
         object({{"a", object({{"b", array({Value(), object({{"c", false}})})}})}, {"d", -1.0}})},
        {"\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"", Value("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80")},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        auto result = read(c.text);
        ASSERT_TRUE(result.ok()) << result.error().message << " at " << result.error().offset;
        EXPECT_EQ(*result, c.expected);
        EXPECT_EQ(result->kind(), c.expected.kind());
    }
}

TEST(Read, IntegersAndDoubles) {
    auto max = read("9223372036854775807");
    ASSERT_TRUE(max.ok());
    ASSERT_TRUE(max->is_integer());
    EXPECT_EQ(max->as_integer(), std::numeric_limits<std::int64_t>::max());

    auto min = read("-9223372036854775808");
    ASSERT_TRUE(min.ok());
    ASSERT_TRUE(min->is_integer());
    EXPECT_EQ(min->as_integer(), std::numeric_limits<std::int64_t>::min());

    auto eighteen = read("-999999999999999999");
    ASSERT_TRUE(eighteen.ok());
    EXPECT_EQ(eighteen->as_integer(), -999999999999999999);

    auto over = read("9223372036854775808");
    ASSERT_TRUE(over.ok());
    ASSERT_EQ(over->kind(), Kind::Double);
    EXPECT_EQ(over->as_double(), 9223372036854775808.0);

    auto under = read("-9223372036854775809");
    ASSERT_TRUE(under.ok());
    ASSERT_EQ(under->kind(), Kind::Double);
    EXPECT_EQ(under->as_double(), -9223372036854775808.0);

    auto huge = read("123456789012345678901234567890");
    ASSERT_TRUE(huge.ok());
    ASSERT_EQ(huge->kind(), Kind::Double);
    EXPECT_DOUBLE_EQ(huge->as_double(), 1.2345678901234568e29);

    auto fraction = read("3.0");
    ASSERT_TRUE(fraction.ok());
    EXPECT_EQ(fraction->kind(), Kind::Double);

    auto largest = read("1.7976931348623157e308");
    ASSERT_TRUE(largest.ok());
    EXPECT_EQ(largest->as_double(), std::numeric_limits<double>::max());

    auto tiny = read("4.9e-324");
    ASSERT_TRUE(tiny.ok());
    EXPECT_EQ(tiny->as_double(), std::numeric_limits<double>::denorm_min());

    auto negative_zero = read("-0.0");
    ASSERT_TRUE(negative_zero.ok());
    EXPECT_TRUE(std::signbit(negative_zero->as_double()));

    // Underflow is decided by the magnitude, not by the exponent's sign.
    auto big_mantissa = read("1" + std::string(500, '0') + "e-100");
    ASSERT_FALSE(big_mantissa.ok());
    EXPECT_EQ(big_mantissa.error().message, "number is out of the range of a double");
    auto small_mantissa = read("0." + std::string(500, '0') + "1e100");
    ASSERT_TRUE(small_mantissa.ok());
    EXPECT_EQ(small_mantissa->as_double(), 0.0);
}

// --- offsets ----------------------------------------------------------------------------------

TEST(Read, EveryValueKeepsTheOffsetOfItsFirstCharacter) {
    const std::string text = "{\n"
                             "  \"name\": \"vnet1\",\n"
                             "  \"properties\": {\n"
                             "    \"subnets\": [\n"
                             "      {\"id\": 1},\n"
                             "      [true, null, -2.5e3]\n"
                             "    ]\n"
                             "  }\n"
                             "}\n";
    SourceSet sources;
    const FileId file = sources.add("vnet.json", text);
    auto result = read(text);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const Value& root = *result;

    auto at = [&](const Value& v) {
        const LineColumn lc = sources.line_column(file, v.offset());
        return std::to_string(lc.line) + ":" + std::to_string(lc.column);
    };
    const Value& properties = *root.find("properties");
    const Value& subnets = *properties.find("subnets");
    const Value& inner = subnets.as_array()[1];
    EXPECT_EQ(root.offset(), 0u);
    EXPECT_EQ(at(*root.find("name")), "2:11");
    EXPECT_EQ(at(properties), "3:17");
    EXPECT_EQ(at(subnets), "4:16");
    EXPECT_EQ(at(subnets.as_array()[0]), "5:7");
    EXPECT_EQ(at(*subnets.as_array()[0].find("id")), "5:14");
    EXPECT_EQ(at(inner), "6:7");
    EXPECT_EQ(at(inner.as_array()[0]), "6:8");
    EXPECT_EQ(at(inner.as_array()[1]), "6:14");
    EXPECT_EQ(at(inner.as_array()[2]), "6:20");
    EXPECT_EQ(text.substr(inner.as_array()[2].offset(), 6), "-2.5e3");
}

TEST(Read, OffsetsCountTheByteOrderMark) {
    const std::string text = "\xEF\xBB\xBF[1, \"x\"]";
    auto result = read(text);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->offset(), 3u);
    EXPECT_EQ(result->as_array()[0].offset(), 4u);
    EXPECT_EQ(result->as_array()[1].offset(), 7u);
    EXPECT_EQ(*result, array({1, "x"}));

    auto bom_only = read("\xEF\xBB\xBF");
    ASSERT_FALSE(bom_only.ok());
    EXPECT_EQ(bom_only.error().message, "expected a value");
    EXPECT_EQ(bom_only.error().offset, 3u);

    auto late_bom = read(" \xEF\xBB\xBF 1");
    ASSERT_FALSE(late_bom.ok());
    EXPECT_EQ(late_bom.error().offset, 1u);
}

// --- errors -----------------------------------------------------------------------------------

struct ErrorCase {
    std::string text;
    std::string message;
    std::size_t offset;
    bool comments = false;
};

TEST(Read, ErrorsSayWhatWasExpectedAndWhere) {
    const std::vector<ErrorCase> cases = {
        {R"({"a":1 "b":2})", "expected ',' or '}' after an object member", 7},
        {R"({"a":1)", "expected ',' or '}' after an object member", 6},
        {"[1 2]", "expected ',' or ']' after an array element", 3},
        {"[1,2", "expected ',' or ']' after an array element", 4},
        {"[1}", "expected ',' or ']' after an array element", 2},
        {"", "expected a value", 0},
        {"   ", "expected a value", 3},
        {R"({"a":})", "expected a value", 5},
        {R"({"a":)", "expected a value", 5},
        {"[,1]", "expected a value", 1},
        {"tru", "expected a value", 0},
        {"[nul]", "expected a value", 1},
        {"fals", "expected a value", 0},
        {"NaN", "expected a value", 0},
        {"Infinity", "expected a value", 0},
        {"+1", "expected a value", 0},
        {".5", "expected a value", 0},
        {"[1,]", "expected a value after ',' (trailing commas are not allowed)", 3},
        {R"({"a":1,})", "expected a string key after ',' (trailing commas are not allowed)", 7},
        {"['a']", "expected a value (JSON strings use double quotes)", 1},
        {"{'a':1}", "expected a string key (JSON strings use double quotes)", 1},
        {"{1:2}", "expected a string key", 1},
        {"{", "expected a string key", 1},
        {R"({"a" 1})", "expected ':' after an object key", 5},
        {R"({"a")", "expected ':' after an object key", 4},
        {R"("abc)", "unterminated string", 0},
        {R"(["ok", "abc\)", "unterminated string", 7},
        {R"(["abc\"])", "unterminated string", 1},
        {R"(["a\qb"])", "invalid escape '\\q' in string", 3},
        {R"("\x")", "invalid escape '\\x' in string", 1},
        {"\"\\\x01\"", "invalid escape in string: '\\' must be followed by one of \"\\/bfnrtu", 1},
        {R"("a\u12")", "invalid escape in string: '\\u' must be followed by four hex digits", 2},
        {R"("a\u12G4")", "invalid escape in string: '\\u' must be followed by four hex digits", 2},
        {R"("a\u12)", "invalid escape in string: '\\u' must be followed by four hex digits", 2},
        {"\"a\tb\"", "unescaped control character U+0009 in string", 2},
        {"\"line\nbreak\"", "unescaped control character U+000A in string", 5},
        {"\"\\n\x1F\"", "unescaped control character U+001F in string", 3},
        {"{} x", "unexpected content after the document", 3},
        {"nulll", "unexpected content after the document", 4},
        {"1 2", "unexpected content after the document", 2},
        {"truex", "unexpected content after the document", 4},
        {"01", "leading zeros are not allowed in numbers", 0},
        {"-01", "leading zeros are not allowed in numbers", 1},
        {"[00]", "leading zeros are not allowed in numbers", 1},
        {"-", "expected a digit after '-'", 1},
        {"-Infinity", "expected a digit after '-'", 1},
        {"[-a]", "expected a digit after '-'", 2},
        {"1.", "expected a digit after the decimal point", 2},
        {"1.e5", "expected a digit after the decimal point", 2},
        {"1e", "expected a digit in the exponent", 2},
        {"1e+", "expected a digit in the exponent", 3},
        {"[1E-x]", "expected a digit in the exponent", 4},
        {"[1, 1e400]", "number is out of the range of a double", 4},
        {"-1e400", "number is out of the range of a double", 0},
        {"/* note */ 1", "comments are not allowed in plain JSON", 0},
        {"[1, // note\n 2]", "comments are not allowed in plain JSON", 4},
        {"/* note 1", "unterminated block comment", 0, true},
        {"[1 /* note */ /* x ", "unterminated block comment", 14, true},
        {"/ 1", "expected '//' or '/*' to start a comment", 0, true},
        {"1 /", "expected '//' or '/*' to start a comment", 2, true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        ReadLimits limits;
        limits.allow_comments = c.comments;
        auto result = read(c.text, limits);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().message, c.message);
        EXPECT_EQ(result.error().offset, c.offset);
    }
}

TEST(Read, ErrorOffsetsMapToLineAndColumn) {
    const std::string text = "{\n  \"a\": [1, 2,],\n  \"b\": 2\n}";
    SourceSet sources;
    const FileId file = sources.add("t.json", text);
    auto result = read(text);
    ASSERT_FALSE(result.ok());
    const LineColumn lc = sources.line_column(file, static_cast<std::uint32_t>(result.error().offset));
    EXPECT_EQ(lc.line, 2u);
    EXPECT_EQ(lc.column, 14u); // the ] after the trailing comma
}

// --- strings ----------------------------------------------------------------------------------

TEST(Read, SurrogatePairsDecodeToUtf8) {
    auto pair = read(R"("\ud83d\ude00 \uD834\uDD1E")");
    ASSERT_TRUE(pair.ok()) << pair.error().message;
    EXPECT_EQ(pair->as_string(), "\xF0\x9F\x98\x80 \xF0\x9D\x84\x9E");

    auto highest = read(R"("\uDBFF\uDFFF")");
    ASSERT_TRUE(highest.ok());
    EXPECT_EQ(highest->as_string(), "\xF4\x8F\xBF\xBF");

    const std::vector<ErrorCase> lone = {
        {R"("\ud800")", "unpaired surrogate '\\ud800' in string", 1},
        {R"("ab\uDC00")", "unpaired surrogate '\\uDC00' in string", 3},
        {R"("\ud800\u0041")", "unpaired surrogate '\\ud800' in string", 1},
        {R"("\ud800\ud800")", "unpaired surrogate '\\ud800' in string", 1},
        {R"("\ud800x")", "unpaired surrogate '\\ud800' in string", 1},
        {R"("\ud800\n")", "unpaired surrogate '\\ud800' in string", 1},
        {R"("\ud800)", "unpaired surrogate '\\ud800' in string", 1},
    };
    for (const auto& c : lone) {
        SCOPED_TRACE(c.text);
        auto result = read(c.text);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().message, c.message);
        EXPECT_EQ(result.error().offset, c.offset);
    }
}

TEST(Read, InvalidUtf8IsRejectedWithItsOffset) {
    const std::vector<ErrorCase> cases = {
        {"\"a\xC3(\"", "invalid UTF-8 in a string", 2},
        {"\"\xC0\x80\"", "invalid UTF-8 in a string", 1},                 // overlong NUL
        {"\"\xE0\x80\xAF\"", "invalid UTF-8 in a string", 1},             // overlong '/'
        {"\"\xED\xA0\x80\"", "invalid UTF-8 in a string", 1},             // encoded surrogate
        {"\"\xF4\x90\x80\x80\"", "invalid UTF-8 in a string", 1},         // above U+10FFFF
        {"\"\xF5\x80\x80\x80\"", "invalid UTF-8 in a string", 1},         // invalid lead
        {"\"\x80\"", "invalid UTF-8 in a string", 1},                     // lone continuation
        {"\"abcdefghijklmn\xFF\"", "invalid UTF-8 in a string", 15},      // found by the word-wise scan
        {"\"\xE2\x82", "invalid UTF-8 in a string", 1},                   // truncated by the end
        {"\"\\n\xC3\xA9\xC3\"", "invalid UTF-8 in a string", 5},          // after an escape
        {"{\"k\xFF\": 1}", "invalid UTF-8 in a string", 3},               // in a key
        {"// \xFF\n1", "invalid UTF-8 in a comment", 3, true},            // in a line comment
        {"/* \xC3\xA9 \xC3 */ 1", "invalid UTF-8 in a comment", 6, true}, // in a block comment
        {"\xC3\xA9", "expected a value", 0},                              // outside a string
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        ReadLimits limits;
        limits.allow_comments = c.comments;
        auto result = read(c.text, limits);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().message, c.message);
        EXPECT_EQ(result.error().offset, c.offset);
    }
}

// The word-wise scan must find a special byte at any position within and across 8-byte words.
TEST(Read, StringsOfEveryLengthWithAnEscapeAnywhere) {
    for (std::size_t length = 0; length <= 40; ++length) {
        const std::string plain(length, 'x');
        auto whole = read("\"" + plain + "\"");
        ASSERT_TRUE(whole.ok());
        EXPECT_EQ(whole->as_string(), plain);
        for (std::size_t at = 0; at <= length; ++at) {
            SCOPED_TRACE(std::to_string(length) + "/" + std::to_string(at));
            std::string expected = plain;
            expected.insert(at, "\"");
            std::string text = "\"" + plain + "\"";
            text.insert(1 + at, "\\\"");
            auto escaped = read(text);
            ASSERT_TRUE(escaped.ok());
            EXPECT_EQ(escaped->as_string(), expected);

            std::string with_utf8 = plain;
            with_utf8.insert(at, "\xE2\x82\xAC");
            auto utf8 = read("\"" + with_utf8 + "\"");
            ASSERT_TRUE(utf8.ok());
            EXPECT_EQ(utf8->as_string(), with_utf8);

            std::string with_control = "\"" + plain + "\"";
            with_control.insert(1 + at, "\x01");
            auto control = read(with_control);
            ASSERT_FALSE(control.ok());
            EXPECT_EQ(control.error().offset, 1 + at);
        }
    }
}

// --- comments ---------------------------------------------------------------------------------

TEST(Read, CommentsAreWhitespaceWhenAllowed) {
    const std::string text = "// ARM template\n"
                             "{\n"
                             "  /* block\n     comment */ \"a\" /* before colon */ : // after colon\n"
                             "    [1, /* between */ 2 /**/, \"// not a comment\", \"/* nor this */\"],\n"
                             "  \"b\": {} // trailing\n"
                             "} /* end */ // last line without a newline";
    auto result = read(text, with_comments());
    ASSERT_TRUE(result.ok()) << result.error().message << " at " << result.error().offset;
    EXPECT_EQ(*result,
              object({{"a", array({1, 2, "// not a comment", "/* nor this */"})}, {"b", object({})}}));
    EXPECT_EQ(text.substr(result->find("b")->offset(), 2), "{}");

    auto plain = read(text);
    ASSERT_FALSE(plain.ok());
    EXPECT_EQ(plain.error().message, "comments are not allowed in plain JSON");
    EXPECT_EQ(plain.error().offset, 0u);

    auto comment_only = read("/* nothing */", with_comments());
    ASSERT_FALSE(comment_only.ok());
    EXPECT_EQ(comment_only.error().message, "expected a value");
    EXPECT_EQ(comment_only.error().offset, 13u);

    auto star_slash = read("/***/ 1 /* a * / b **/", with_comments());
    ASSERT_TRUE(star_slash.ok());
    EXPECT_EQ(*star_slash, Value(1));
}

// --- duplicate keys ---------------------------------------------------------------------------

TEST(Read, DuplicateKeysKeepTheLastValueAndWarn) {
    const std::string text = R"({"a": 1, "b": 2, "a": 3, "c": {"x": 1, "x": 2}, "a": 4})";
    std::vector<Error> warnings;
    auto result = read(text, {}, &warnings);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(*result, object({{"a", 4}, {"b", 2}, {"c", object({{"x", 2}})}}));
    // The first key's place is kept.
    EXPECT_EQ(result->as_object().members()[0].first, "a");
    EXPECT_EQ(result->as_object().members()[0].second.offset(), text.find("4"));
    ASSERT_EQ(warnings.size(), 3u);
    EXPECT_EQ(warnings[0].message, "duplicate key \"a\" in an object; the last value is kept");
    EXPECT_EQ(warnings[0].offset, text.find("\"a\": 3"));
    EXPECT_EQ(warnings[1].message, "duplicate key \"x\" in an object; the last value is kept");
    EXPECT_EQ(warnings[1].offset, text.find("\"x\": 2"));
    EXPECT_EQ(warnings[2].offset, text.find("\"a\": 4"));

    // Without a warnings vector the outcome is the same.
    auto quiet = read(text);
    ASSERT_TRUE(quiet.ok());
    EXPECT_EQ(*quiet, *result);
}

TEST(Read, DuplicateKeysInLargeObjects) {
    std::string text = "{";
    Object expected;
    for (int i = 0; i < 40; ++i) {
        text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
        expected.set("k" + std::to_string(i), i);
    }
    text += "\"k7\": \"late\", \"k\\u0033\": true, \"k39\": null}";
    expected.set("k7", "late");
    expected.set("k3", true);
    expected.set("k39", Value());
    std::vector<Error> warnings;
    auto result = read(text, {}, &warnings);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*result, Value(expected));
    ASSERT_EQ(result->as_object().size(), 40u);
    EXPECT_EQ(result->as_object().members()[7].first, "k7");
    ASSERT_EQ(warnings.size(), 3u);
    EXPECT_EQ(warnings[0].offset, text.find("\"k7\": \"late\""));
    EXPECT_EQ(warnings[1].message, "duplicate key \"k3\" in an object; the last value is kept");
    EXPECT_EQ(warnings[2].offset, text.find("\"k39\": null"));
}

// --- limits -----------------------------------------------------------------------------------

TEST(Read, SizeLimit) {
    ReadLimits limits;
    limits.max_bytes = 10;
    auto over = read("[1, 2, 3, 4]", limits);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().message, "input is 12 bytes, over the 10-byte limit");
    EXPECT_EQ(over.error().offset, 0u);
    EXPECT_TRUE(read("[1, 2, 3]", limits).ok());

    limits.max_bytes = std::size_t{2} << 20;
    const std::string three_mib = "\"" + std::string((std::size_t{3} << 20) - 2, 'x') + "\"";
    auto mib = read(three_mib, limits);
    ASSERT_FALSE(mib.ok());
    EXPECT_EQ(mib.error().message, "input is 3 MiB, over the 2 MiB limit");
    EXPECT_EQ(mib.error().offset, 0u);

    const std::string just_over = "\"" + std::string((std::size_t{2} << 20) - 1, 'x') + "\"";
    auto fraction = read(just_over, limits);
    ASSERT_FALSE(fraction.ok());
    EXPECT_EQ(fraction.error().message, "input is 2.0 MiB (2097153 bytes), over the 2 MiB limit");
}

std::string nested_arrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

TEST(Read, DepthLimit) {
    auto deep = read(nested_arrays(500));
    ASSERT_FALSE(deep.ok());
    EXPECT_EQ(deep.error().message, "nesting deeper than 256 levels");
    EXPECT_EQ(deep.error().offset, 256u); // the 257th bracket

    EXPECT_TRUE(read(nested_arrays(256)).ok());

    ReadLimits larger;
    larger.max_depth = 1000;
    auto accepted = read(nested_arrays(500), larger);
    ASSERT_TRUE(accepted.ok());
    const Value* v = &*accepted;
    std::size_t levels = 0;
    while (v->is_array() && !v->as_array().empty()) {
        v = &v->as_array()[0];
        ++levels;
    }
    EXPECT_EQ(levels, 499u);

    std::string objects;
    for (int i = 0; i < 300; ++i)
        objects += "{\"a\":";
    objects += "1" + std::string(300, '}');
    auto deep_objects = read(objects);
    ASSERT_FALSE(deep_objects.ok());
    EXPECT_EQ(deep_objects.error().offset, 256u * 5);

    ReadLimits flat;
    flat.max_depth = 0;
    EXPECT_TRUE(read("\"scalar\"", flat).ok());
    auto none = read("[]", flat);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().message, "nesting deeper than 0 levels");
}

TEST(Read, HundredThousandDeepInputIsRejectedWithoutACrash) {
    auto arrays = read(std::string(100000, '['));
    ASSERT_FALSE(arrays.ok());
    EXPECT_EQ(arrays.error().offset, 256u);

    std::string mixed;
    for (int i = 0; i < 50000; ++i)
        mixed += "[{\"k\":";
    auto objects = read(mixed);
    ASSERT_FALSE(objects.ok());
    EXPECT_EQ(objects.error().message, "nesting deeper than 256 levels");

    // The reader itself has no recursion: with the limit raised, the error is the truncation.
    ReadLimits unlimited;
    unlimited.max_depth = 200000;
    auto truncated = read(std::string(100000, '['), unlimited);
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().message, "expected a value");
    EXPECT_EQ(truncated.error().offset, 100000u);
}

TEST(Read, TrailingCommasOnlyWhenAllowed) {
    ReadLimits arm;
    arm.allow_trailing_commas = true;
    auto lenient = read(R"({"a": [1, 2,], "b": {"c": 3,},})", arm);
    ASSERT_TRUE(lenient.ok()) << lenient.error().message;
    EXPECT_EQ(lenient->find("a")->as_array().size(), 2u);
    EXPECT_EQ(lenient->find("b")->find("c")->as_integer(), 3);
    EXPECT_FALSE(read(R"([1, 2,])").ok());
    EXPECT_FALSE(read(R"([,])", arm).ok()); // a comma still needs a value before it
}

} // namespace
} // namespace ztnet::json
