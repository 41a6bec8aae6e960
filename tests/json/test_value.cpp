#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/value.h"

namespace ztnet::json {
namespace {

Object sample() {
    Object o;
    o.set("name", "vnet1");
    o.set("Location", "westeurope");
    o.set("count", 3);
    return o;
}

TEST(Object, FindIsExactAndFindCiIgnoresAsciiCase) {
    Object o = sample();
    ASSERT_NE(o.find("name"), nullptr);
    EXPECT_EQ(*o.find("name"), Value("vnet1"));
    EXPECT_EQ(o.find("Name"), nullptr);
    EXPECT_EQ(o.find("location"), nullptr);
    ASSERT_NE(o.find_ci("LOCATION"), nullptr);
    EXPECT_EQ(*o.find_ci("location"), Value("westeurope"));
    EXPECT_EQ(o.find_ci("locatio"), nullptr);
    EXPECT_EQ(o.find_ci("missing"), nullptr);

    *o.find("count") = 4;
    EXPECT_EQ(*o.find("count"), Value(4));
    *o.find_ci("NAME") = "vnet2";
    EXPECT_EQ(*o.find("name"), Value("vnet2"));

    const Object& c = o;
    EXPECT_NE(c.find("count"), nullptr);
    EXPECT_NE(c.find_ci("COUNT"), nullptr);
}

TEST(Object, SetReplacesInPlaceOrAppends) {
    Object o = sample();
    o.set("count", "many");
    ASSERT_EQ(o.size(), 3u);
    EXPECT_EQ(o.members()[2].first, "count");
    EXPECT_EQ(o.members()[2].second, Value("many"));
    o.set("extra", true);
    ASSERT_EQ(o.size(), 4u);
    EXPECT_EQ(o.members()[3].first, "extra");
    o.set("NAME", 1); // set is exact, so this is a new key
    EXPECT_EQ(o.size(), 5u);
}

TEST(Object, EraseRemovesTheExactKey) {
    Object o = sample();
    EXPECT_FALSE(o.erase("NAME"));
    EXPECT_TRUE(o.erase("name"));
    EXPECT_EQ(o.size(), 2u);
    EXPECT_EQ(o.find("name"), nullptr);
    EXPECT_EQ(o.members()[0].first, "Location");
    EXPECT_FALSE(o.erase("name"));
    EXPECT_TRUE(o.erase("Location"));
    EXPECT_TRUE(o.erase("count"));
    EXPECT_TRUE(o.empty());
}

TEST(Object, EqualityIgnoresMemberOrder) {
    Object a = sample();
    Object b;
    b.set("count", 3);
    b.set("name", "vnet1");
    b.set("Location", "westeurope");
    EXPECT_EQ(a, b);
    EXPECT_EQ(Value(a), Value(b));

    b.set("count", 4);
    EXPECT_NE(a, b);
    b.set("count", 3);
    b.set("extra", Value());
    EXPECT_NE(a, b);

    Object c;
    c.set("name", "vnet1");
    c.set("location", "westeurope"); // keys compare exactly
    c.set("count", 3);
    EXPECT_NE(a, c);

    // Integer and double are different kinds.
    Object d = sample();
    d.set("count", 3.0);
    EXPECT_NE(a, d);

    // Nested objects compare order-insensitively too.
    Object outer1, outer2;
    outer1.set("x", Value(a));
    outer1.set("y", 1);
    outer2.set("y", 1);
    Object reordered;
    reordered.set("Location", "westeurope");
    reordered.set("count", 3);
    reordered.set("name", "vnet1");
    outer2.set("x", Value(reordered));
    EXPECT_EQ(outer1, outer2);

    // Large objects, reversed.
    Object big1, big2;
    for (int i = 0; i < 100; ++i) {
        big1.set("k" + std::to_string(i), i);
        big2.set("k" + std::to_string(99 - i), 99 - i);
    }
    EXPECT_EQ(big1, big2);
    big2.set("k50", -1);
    EXPECT_NE(big1, big2);
}

TEST(Value, KindsAndAccessors) {
    EXPECT_TRUE(Value().is_null());
    EXPECT_TRUE(Value(nullptr).is_null());
    EXPECT_TRUE(Value(false).is_bool());
    EXPECT_EQ(Value(7).kind(), Kind::Integer);
    EXPECT_EQ(Value(std::int64_t{-7}).as_integer(), -7);
    EXPECT_EQ(Value(2.5).kind(), Kind::Double);
    EXPECT_TRUE(Value(7).is_number());
    EXPECT_TRUE(Value(2.5).is_number());
    EXPECT_FALSE(Value("7").is_number());
    EXPECT_EQ(Value(7).as_double(), 7.0);
    EXPECT_EQ(Value(2.5).as_double(), 2.5);
    EXPECT_EQ(Value(std::int64_t{9007199254740993}).as_double(), 9007199254740992.0);
    EXPECT_EQ(*Value("s").if_string(), "s");
    EXPECT_EQ(Value(1).if_string(), nullptr);
    EXPECT_EQ(Value::unknown("needs a deployment").as_unknown().reason, "needs a deployment");
    EXPECT_EQ(Value(1).offset(), kNoOffset);
}

TEST(Value, FindOnNonObjectsIsNull) {
    Value v(sample());
    ASSERT_NE(v.find("name"), nullptr);
    EXPECT_NE(v.find_ci("LOCATION"), nullptr);
    EXPECT_EQ(v.find("LOCATION"), nullptr);
    EXPECT_EQ(Value(Array{1, 2}).find("name"), nullptr);
    EXPECT_EQ(Value("name").find_ci("name"), nullptr);
}

TEST(Value, ContainsUnknownLooksEverywhere) {
    EXPECT_FALSE(Value(1).contains_unknown());
    EXPECT_TRUE(Value::unknown("x").contains_unknown());
    Object o = sample();
    EXPECT_FALSE(Value(o).contains_unknown());
    o.set("deep", Array{1, Array{Value(), Value::unknown("reference()")}});
    EXPECT_TRUE(Value(o).contains_unknown());
    EXPECT_TRUE(Value(Array{Value(o)}).contains_unknown());
    EXPECT_FALSE(Value(Array{1, "a", Array{}}).contains_unknown());
}

TEST(Value, EqualityIgnoresOffsets) {
    Value a(5), b(5);
    a.set_offset(10);
    b.set_offset(20);
    EXPECT_EQ(a, b);
    EXPECT_NE(Value(1), Value(1.0));
    EXPECT_EQ(Value::unknown("a"), Value::unknown("a"));
    EXPECT_NE(Value::unknown("a"), Value::unknown("b"));
}

TEST(Kind, Names) {
    const std::vector<std::pair<Kind, std::string_view>> names = {
        {Kind::Null, "null"},     {Kind::Bool, "boolean"},    {Kind::Integer, "integer"},
        {Kind::Double, "number"}, {Kind::String, "string"},   {Kind::Array, "array"},
        {Kind::Object, "object"}, {Kind::Unknown, "unknown"},
    };
    for (const auto& [kind, name] : names)
        EXPECT_EQ(to_string(kind), name);
}

TEST(PointerToken, EscapesTildeAndSlash) {
    EXPECT_EQ(pointer_token("plain"), "plain");
    EXPECT_EQ(pointer_token(""), "");
    EXPECT_EQ(pointer_token("a/b"), "a~1b");
    EXPECT_EQ(pointer_token("m~n"), "m~0n");
    EXPECT_EQ(pointer_token("~/~1"), "~0~1~01");
}

} // namespace
} // namespace ztnet::json
