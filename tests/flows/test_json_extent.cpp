// The byte-level record splitter and its byte masks: SSE2 against the portable references on
// random bytes, and the extents of strings, escapes, brackets and depth.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/flows/detail/byte_mask.h"
#include "ztnet/flows/detail/json_extent.h"

namespace ztnet::flows::detail {
namespace {

TEST(ByteMask, AgreesWithThePortableWayOnRandomBytes) {
    std::mt19937_64 rng(11);
    std::string bytes(64, '\0');
    for (int round = 0; round < 20000; ++round) {
        for (char& c : bytes)
            c = round % 2 == 0 ? static_cast<char>(rng()) : "\",\\{}[] a"[rng() % 9];
        for (char c : {'"', ',', '\\', '\x80', '\0'})
            ASSERT_EQ(byte_mask(bytes.data(), c), byte_mask_portable(bytes.data(), c)) << int(c);
    }
    std::string sample(64, 'x');
    sample[0] = sample[17] = sample[63] = '"';
    EXPECT_EQ(byte_mask(sample.data(), '"'), (1ull << 0) | (1ull << 17) | (1ull << 63));
}

TEST(ByteClasses, AgreesWithAByteAtATimeOnRandomBytes) {
    std::mt19937_64 rng(13);
    std::string bytes(64, '\0');
    for (int round = 0; round < 20000; ++round) {
        for (char& c : bytes)
            c = round % 2 == 0 ? static_cast<char>(rng()) : "0123456789.,/:\x80\xff"[rng() % 16];
        const ByteClasses fast = byte_classes(bytes.data());
        const ByteClasses slow = byte_classes_portable(bytes.data());
        ASSERT_EQ(fast.commas, slow.commas);
        ASSERT_EQ(fast.dots, slow.dots);
        ASSERT_EQ(fast.digits, slow.digits);
    }
    std::string sample(64, 'x');
    sample[1] = '0';
    sample[2] = '9';
    sample[3] = '/';
    sample[4] = ':';
    sample[63] = '5';
    EXPECT_EQ(byte_classes(sample.data()).digits, (1ull << 1) | (1ull << 2) | (1ull << 63));
}

// The scanner reads 64 bytes past the text's end: the text is padded as PaddedText pads it.
struct Padded {
    explicit Padded(std::string text) : storage(std::move(text)), size(storage.size()) {
        storage.append(64, ' ');
    }
    std::string_view text() const { return {storage.data(), size}; }
    std::string storage;
    std::size_t size;
};

TEST(JsonScanner, FindsTheEndOfEachKindOfValue) {
    const Padded p(R"({"a":"x}\"]","b":[1,{"c":"\\"}],"d":true} 42 "s\\\"" [] )");
    JsonScanner scanner(p.text(), 8);
    const Extent object = scanner.value(0);
    ASSERT_TRUE(object);
    EXPECT_EQ(p.text()[object.end - 1], '}');
    EXPECT_EQ(p.text().substr(scanner.skip_space(object.end), 2), "42");
    const Extent number = scanner.value(scanner.skip_space(object.end));
    ASSERT_TRUE(number);
    const std::size_t string_begin = scanner.skip_space(number.end);
    const Extent string = scanner.value(string_begin);
    ASSERT_TRUE(string);
    EXPECT_EQ(p.text().substr(string_begin, string.end - string_begin),
              R"("s\\\"")"); // an escaped backslash, then quote
    const Extent array = scanner.value(scanner.skip_space(string.end));
    ASSERT_TRUE(array);
    EXPECT_EQ(scanner.skip_space(array.end), p.text().size());
}

TEST(JsonScanner, LongStringsAndEscapesAcrossBlocks) {
    const std::string body(150, 'x');
    const Padded p("\"" + body + "\\\\\\\"" + body + "\"  ");
    JsonScanner scanner(p.text(), 8);
    EXPECT_EQ(scanner.string_end(0), p.size - 2);
    const Padded open("\"" + body);
    JsonScanner truncated(open.text(), 8);
    EXPECT_EQ(truncated.string_end(0), std::string_view::npos);
}

TEST(JsonScanner, ReportsBrokenValuesWithTheirPlace) {
    const Padded mismatch(R"({"a":[1,2}])");
    JsonScanner a(mismatch.text(), 8);
    const Extent bad = a.value(0);
    EXPECT_EQ(bad.error, ExtentError::Mismatch);
    EXPECT_EQ(bad.error_offset, 9u);

    const Padded cut("{\"a\":\"abc\n{\"b\":1}\n");
    JsonScanner b(cut.text(), 8);
    EXPECT_FALSE(b.value(0)); // the string runs on into the next line
    const Extent strict = b.value_strict(0);
    EXPECT_EQ(strict.error, ExtentError::Control);
    EXPECT_EQ(strict.error_offset, 9u);

    const Padded unclosed("{\"a\":1\n{\"b\":1}\n");
    JsonScanner c(unclosed.text(), 8);
    EXPECT_EQ(c.value_strict(0).error, ExtentError::NewLine);
    EXPECT_EQ(c.value_strict(0).error_offset, 6u);

    const Padded deep(R"([[[[[1]]]]] 2)");
    JsonScanner d(deep.text(), 3);
    const Extent too_deep = d.value(0);
    EXPECT_EQ(too_deep.error, ExtentError::TooDeep);
    EXPECT_EQ(too_deep.end, 11u); // still found, so only this value is lost
    EXPECT_EQ(too_deep.error_offset, 3u);
}

TEST(MemberCursor, WalksMembersAndStopsAtSyntaxErrors) {
    const Padded p(R"({ "records" : [1], "x":"y" })");
    JsonScanner scanner(p.text(), 8);
    MemberCursor members(scanner, 0);
    std::string_view key;
    std::size_t value = 0;
    ASSERT_TRUE(members.next(key, value));
    EXPECT_EQ(key, "records");
    EXPECT_EQ(p.text()[value], '[');
    members.resume(scanner.value(value).end);
    ASSERT_TRUE(members.next(key, value));
    EXPECT_EQ(key, "x");
    members.resume(scanner.value(value).end);
    EXPECT_FALSE(members.next(key, value));
    EXPECT_FALSE(members.failed());
    EXPECT_EQ(members.end(), p.size);

    const Padded broken(R"({"a" 1})");
    JsonScanner s2(broken.text(), 8);
    MemberCursor bad(s2, 0);
    EXPECT_FALSE(bad.next(key, value));
    EXPECT_TRUE(bad.failed());
    EXPECT_EQ(bad.error_offset(), 5u);
}

} // namespace
} // namespace ztnet::flows::detail
