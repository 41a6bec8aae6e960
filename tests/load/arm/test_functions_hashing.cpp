// uniqueString() and guid(). Expected values come from published sources, cited per test; nothing
// here was produced by this implementation.
#include <array>
#include <string>
#include <string_view>

#include "ztnet/load/arm/functions_hashing.h"

#include "test_functions_helpers.h"

namespace ztnet::load::arm {
namespace {

using testing::Case;
using testing::ErrorCase;
using testing::run_cases;
using testing::run_error_cases;

std::string hex(const std::array<std::uint8_t, 20>& digest) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (std::uint8_t byte : digest) {
        out += kHex[byte >> 4];
        out += kHex[byte & 0x0F];
    }
    return out;
}

// Published uniqueString() input/output pairs:
//  - Azure/terraform-provider-azapi, internal/services/functions/unique_string_function_test.go
//    (Microsoft's provider reproduces ARM's uniqueString for migrations):
//    uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000', 'resource-id') = cwvxuqg24sifi.
//  - microsoft/commercial-marketplace-offer-deploy, ArmFunctionsTests.cs (namespace
//    Modm.Tests.UnitTests), which checks Microsoft's Azure.Deployments.Expression library against a
//    value created by an ARM template. (An earlier revision of that test expected another value for
//    the same input; the later one is the value the library produces.)
TEST(ArmHashingFunctions, UniqueStringPublishedPairs) {
    run_cases({
        {"uniqueString", R"(["/subscriptions/00000000-0000-0000-0000-000000000000", "resource-id"])",
         R"("cwvxuqg24sifi")"},
        {"uniqueString",
         R"(["/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/rg-modm201-20230913120256/providers/Microsoft.Compute/virtualMachines/bobjacmodm201"])",
         R"("yvjxno3je5on2")"},
    });
}

TEST(ArmHashingFunctions, UniqueStringProperties) {
    // Arguments are joined with '-' before hashing.
    EXPECT_EQ(testing::outcome(testing::call("uniqueString", R"(["a", "b"])")),
              testing::outcome(testing::call("uniqueString", R"(["a-b"])")));
    // Case matters, and every result is 13 characters of the lowercase base32 alphabet.
    for (std::string_view input :
         {R"(["abc"])", R"(["ABC"])", R"([""])", R"(["12345678"])", R"(["123456789"])"}) {
        const Result<json::Value> result = testing::call("uniqueString", input);
        ASSERT_TRUE(result.ok()) << input;
        ASSERT_TRUE(result->is_string());
        EXPECT_EQ(result->as_string().size(), 13u) << input;
        EXPECT_EQ(result->as_string().find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"),
                  std::string::npos);
    }
    EXPECT_NE(testing::outcome(testing::call("uniqueString", R"(["abc"])")),
              testing::outcome(testing::call("uniqueString", R"(["ABC"])")));
}

// FIPS 180-2 Appendix A examples.
TEST(ArmHashingFunctions, Sha1KnownAnswers) {
    EXPECT_EQ(hex(detail::sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hex(detail::sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(hex(detail::sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

// RFC 9562 Appendix A.4: version-5 UUID of "www.example.com" in the DNS namespace.
TEST(ArmHashingFunctions, UuidV5KnownAnswer) {
    constexpr std::array<std::uint8_t, 16> kDnsNamespace = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                                            0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    EXPECT_EQ(detail::uuid_v5(kDnsNamespace, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

// guid(): no authoritative Azure input/output pair was found; these check the documented shape and
// the construction (RFC 4122 v5 over the arguments joined by '-' in ARM's namespace).
TEST(ArmHashingFunctions, GuidShapeAndConstruction) {
    constexpr std::array<std::uint8_t, 16> kArmNamespace = {0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd,
                                                            0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30};
    const Result<json::Value> result = testing::call("guid", R"(["/subscriptions/x", "principal", "role"])");
    ASSERT_TRUE(result.ok());
    const std::string& guid = result->as_string();
    EXPECT_EQ(guid, detail::uuid_v5(kArmNamespace, "/subscriptions/x-principal-role"));
    ASSERT_EQ(guid.size(), 36u); // documented: 36 characters
    EXPECT_EQ(guid[8], '-');
    EXPECT_EQ(guid[13], '-');
    EXPECT_EQ(guid[14], '5');                                                   // version 5
    EXPECT_NE(std::string_view("89ab").find(guid[19]), std::string_view::npos); // RFC 4122 variant
    EXPECT_EQ(testing::outcome(testing::call("guid", R"(["a", "b"])")),
              testing::outcome(testing::call("guid", R"(["a-b"])")));
    EXPECT_NE(testing::outcome(testing::call("guid", R"(["a"])")),
              testing::outcome(testing::call("guid", R"(["A"])")));
}

TEST(ArmHashingFunctions, Errors) {
    run_error_cases({
        {"uniqueString", "[]", "uniqueString() expects (string, ...), got ()"},
        {"uniqueString", R"(["a", 1])", "uniqueString() expects (string, ...), got (string, int)"},
        {"guid", "[]", "guid() expects (string, ...), got ()"},
        {"guid", R"([["a"]])", "guid() expects (string, ...), got (array)"},
    });
}

TEST(ArmHashingFunctions, UnknownArguments) {
    run_cases({
        {"uniqueString", R"(["$unknown"])", "unknown"},
        {"guid", R"(["a", "$unknown"])", "unknown"},
    });
    const Result<json::Value> result = testing::call("uniqueString", R"(["x", "$unknown"])");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->as_unknown().reason, "uniqueString() of an unknown value");
}

} // namespace
} // namespace ztnet::load::arm
