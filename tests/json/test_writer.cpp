#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"

namespace ztnet::json {
namespace {

Value object(std::vector<Object::Member> members) {
    Object o;
    o.members() = std::move(members);
    return Value(std::move(o));
}

TEST(Write, IndentedOutputIsDeterministic) {
    const Value v = object({
        {"name", "vnet1"},
        {"tags", object({})},
        {"prefixes", Array{"10.0.0.0/16", "10.1.0.0/16"}},
        {"empty", Array{}},
        {"props", object({{"enabled", true}, {"count", 3}, {"ratio", 0.5}, {"none", Value()}})},
    });
    EXPECT_EQ(write(v), "{\n"
                        "  \"name\": \"vnet1\",\n"
                        "  \"tags\": {},\n"
                        "  \"prefixes\": [\n"
                        "    \"10.0.0.0/16\",\n"
                        "    \"10.1.0.0/16\"\n"
                        "  ],\n"
                        "  \"empty\": [],\n"
                        "  \"props\": {\n"
                        "    \"enabled\": true,\n"
                        "    \"count\": 3,\n"
                        "    \"ratio\": 0.5,\n"
                        "    \"none\": null\n"
                        "  }\n"
                        "}");
    EXPECT_EQ(write(v, WriteOptions{0}),
              R"({"name":"vnet1","tags":{},"prefixes":["10.0.0.0/16","10.1.0.0/16"],"empty":[],)"
              R"("props":{"enabled":true,"count":3,"ratio":0.5,"none":null}})");
    EXPECT_EQ(write(Array{1, Array{2}}, WriteOptions{4}), "[\n    1,\n    [\n        2\n    ]\n]");
    EXPECT_EQ(write(Value(), WriteOptions{0}), "null");
}

TEST(Write, MembersKeepStoredOrder) {
    EXPECT_EQ(write(object({{"b", 1}, {"a", 2}}), WriteOptions{0}), R"({"b":1,"a":2})");
}

TEST(Write, StringEscapes) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"plain", R"("plain")"},
        {"quote \" backslash \\ slash /", R"("quote \" backslash \\ slash /")"},
        {"\n\r\t\b\f", R"("\u000a\u000d\u0009\u0008\u000c")"},
        {std::string("\0\x1f\x7f", 3), "\"\\u0000\\u001f\x7f\""},
        {"caf\xC3\xA9 \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xF0\x9F\x98\x80\""},
        {"bad \xFF byte \xC3", "\"bad \xEF\xBF\xBD byte \xEF\xBF\xBD\""},
        {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
    };
    for (const auto& [input, expected] : cases) {
        SCOPED_TRACE(expected);
        EXPECT_EQ(write(Value(input), WriteOptions{0}), expected);
    }
    EXPECT_EQ(write(object({{"k\"\n", 1}}), WriteOptions{0}), R"({"k\"\u000a":1})");
}

TEST(Write, Numbers) {
    const std::vector<std::pair<Value, std::string>> cases = {
        {Value(0), "0"},
        {Value(std::numeric_limits<std::int64_t>::max()), "9223372036854775807"},
        {Value(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808"},
        {Value(1.0), "1.0"},
        {Value(-0.0), "-0.0"},
        {Value(0.1), "0.1"},
        {Value(1e21), "1e+21"},
        {Value(1.5e-7), "1.5e-07"},
        {Value(123456789012345683968.0), "123456789012345683968.0"},
        {Value(std::numeric_limits<double>::max()), "1.7976931348623157e+308"},
        {Value(std::numeric_limits<double>::denorm_min()), "5e-324"},
        {Value(std::nan("")), "null"},
        {Value(std::numeric_limits<double>::infinity()), "null"},
    };
    for (const auto& [value, expected] : cases) {
        EXPECT_EQ(write(value), expected);
        if (std::isfinite(value.is_number() ? value.as_double() : 0.0)) {
            auto back = read(expected);
            ASSERT_TRUE(back.ok()) << expected;
            EXPECT_EQ(back->kind(), value.kind()) << expected;
            EXPECT_EQ(*back, value) << expected;
        }
    }
}

TEST(Write, UnknownIsAString) {
    EXPECT_EQ(write(Value::unknown("reference() needs a deployment"), WriteOptions{0}),
              R"("<unknown: reference() needs a deployment>")");
    EXPECT_EQ(write(Array{Value::unknown("a\"b")}, WriteOptions{0}), R"(["<unknown: a\"b>"])");
}

// --- round trip on random trees ---------------------------------------------------------------

class TreeGenerator {
  public:
    explicit TreeGenerator(std::uint64_t seed) : rng_(seed) {}

    Value tree(int depth) {
        const int kind = pick(depth > 0 ? 8 : 6);
        switch (kind) {
        case 0:
            return Value();
        case 1:
            return Value(pick(2) == 0);
        case 2:
            return Value(integer());
        case 3:
            return Value(floating());
        case 4:
        case 5:
            return Value(string());
        case 6: {
            Array elements;
            const int count = pick(6);
            for (int i = 0; i < count; ++i)
                elements.push_back(tree(depth - 1));
            return Value(std::move(elements));
        }
        default: {
            Object members;
            std::set<std::string> keys;
            const int count = pick(6);
            for (int i = 0; i < count; ++i) {
                std::string key = string();
                if (keys.insert(key).second)
                    members.members().emplace_back(std::move(key), tree(depth - 1));
            }
            return Value(std::move(members));
        }
        }
    }

  private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

    std::int64_t integer() {
        switch (pick(4)) {
        case 0:
            return std::numeric_limits<std::int64_t>::min() + pick(3);
        case 1:
            return std::numeric_limits<std::int64_t>::max() - pick(3);
        case 2:
            return pick(2001) - 1000;
        default:
            return static_cast<std::int64_t>(rng_());
        }
    }

    double floating() {
        if (pick(2) == 0)
            return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
        for (;;) { // any finite bit pattern: subnormals, huge exponents, -0.0
            const std::uint64_t bits = rng_();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            if (std::isfinite(d))
                return d;
        }
    }

    // Code points chosen to exercise every escape and every UTF-8 length.
    std::string string() {
        static const std::vector<std::uint32_t> kInteresting = {
            0,     1,     0x1F,   '"',    '\\',   '/',    '~',     0x7F,    0x80,
            0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
        std::string out;
        const int length = pick(12);
        for (int i = 0; i < length; ++i) {
            std::uint32_t cp = 0;
            switch (pick(4)) {
            case 0:
                cp = kInteresting[static_cast<std::size_t>(pick(static_cast<int>(kInteresting.size())))];
                break;
            case 1:
                cp = static_cast<std::uint32_t>(0x80 + pick(0xD800 - 0x80));
                break;
            default:
                cp = static_cast<std::uint32_t>(' ' + pick(95));
                break;
            }
            append(out, cp);
        }
        return out;
    }

    static void append(std::string& out, std::uint32_t cp) {
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

    std::mt19937_64 rng_;
};

bool same_kinds(const Value& a, const Value& b) {
    if (a.kind() != b.kind())
        return false;
    if (a.is_array()) {
        for (std::size_t i = 0; i < a.as_array().size(); ++i) {
            if (!same_kinds(a.as_array()[i], b.as_array()[i]))
                return false;
        }
    }
    if (a.is_object()) {
        for (const auto& [key, member] : a.as_object()) {
            if (!same_kinds(member, *b.find(key)))
                return false;
        }
    }
    return true;
}

TEST(Write, RandomTreesRoundTrip) {
    TreeGenerator generator(20240601);
    for (int i = 0; i < 1500; ++i) {
        const Value tree = generator.tree(5);
        for (int indent : {2, 0}) {
            const std::string text = write(tree, WriteOptions{indent});
            auto back = read(text);
            ASSERT_TRUE(back.ok()) << "tree " << i << ": " << back.error().message << " at "
                                   << back.error().offset << " in " << text;
            ASSERT_EQ(*back, tree) << "tree " << i << ":\n" << text;
            ASSERT_TRUE(same_kinds(*back, tree)) << "tree " << i << ":\n" << text;
            ASSERT_EQ(write(*back, WriteOptions{indent}), text) << "tree " << i;
        }
    }
}

} // namespace
} // namespace ztnet::json
