#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"

namespace ztnet::json {
namespace {

// The example document of RFC 6901, section 5.
const char* const kDocument = R"({
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\j": 5,
  "k\"l": 6,
  " ": 7,
  "m~n": 8,
  "nested": {"list": [{"x/y~z": [10, 11]}]}
})";

TEST(AtPointer, ResolvesEscapedKeysAndIndices) {
    auto doc = read(kDocument);
    ASSERT_TRUE(doc.ok()) << doc.error().message;
    const Value& root = *doc;

    EXPECT_EQ(at_pointer(root, ""), &root);
    ASSERT_NE(at_pointer(root, "/foo"), nullptr);
    EXPECT_EQ(*at_pointer(root, "/foo"), Value(Array{"bar", "baz"}));

    const std::vector<std::pair<std::string, Value>> found = {
        {"/foo/0", "bar"}, {"/foo/1", "baz"}, {"/", 0},     {"/a~1b", 1},
        {"/c%d", 2},       {"/e^f", 3},       {"/g|h", 4},  {"/i\\j", 5},
        {"/k\"l", 6},      {"/ ", 7},         {"/m~0n", 8}, {"/nested/list/0/x~1y~0z/1", 11},
    };
    for (const auto& [pointer, expected] : found) {
        SCOPED_TRACE(pointer);
        const Value* v = at_pointer(root, pointer);
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(*v, expected);
    }
    // The pointer finds the very value, offset included.
    EXPECT_EQ(at_pointer(root, "/m~0n")->offset(), std::string(kDocument).find("8"));
}

TEST(AtPointer, MissingOrMalformedIsNull) {
    auto doc = read(kDocument);
    ASSERT_TRUE(doc.ok());
    const Value& root = *doc;
    for (const char* pointer : {
             "foo",      // must start with '/'
             "/missing", //
             "/foo/2",   // past the end
             "/foo/-",   // the element after the last: never present
             "/foo/01",  // leading zero
             "/foo/-1",  //
             "/foo/+1",  //
             "/foo/1x",  //
             "/foo/",    // empty index
             "/foo/0/x", // into a string
             "/m~2n",    // bad escape
             "/m~",      // dangling escape
             "/a/b",     // "a/b" must be written a~1b
             "/m~n",     // unescaped '~'
             "/nested/list/0/x~1y~0z/99999999999999999999",
         }) {
        SCOPED_TRACE(pointer);
        EXPECT_EQ(at_pointer(root, pointer), nullptr);
    }
}

TEST(AtPointer, PointerTokenRoundTrips) {
    Object o;
    const std::vector<std::string> keys = {"plain", "a/b", "~", "~1", "/~/", "", "x~0y"};
    for (std::size_t i = 0; i < keys.size(); ++i)
        o.set(keys[i], static_cast<int>(i));
    const Value root(Array{Value(o)});
    for (std::size_t i = 0; i < keys.size(); ++i) {
        SCOPED_TRACE(keys[i]);
        const Value* v = at_pointer(root, "/0/" + pointer_token(keys[i]));
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(*v, Value(static_cast<int>(i)));
    }
}

} // namespace
} // namespace ztnet::json
