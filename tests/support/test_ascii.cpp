// ASCII case folding: only A-Z and a-z change, whatever the bytes around them (UTF-8 stays as it
// is), so that ids, tags and enumeration values compare as Azure compares them.
#include <gtest/gtest.h>

#include "ztnet/support/ascii.h"

namespace ztnet {
namespace {

TEST(Ascii, FoldsOnlyAsciiLetters) {
    EXPECT_EQ(ascii::lower("Microsoft.Network/NetworkSecurityGroups"),
              "microsoft.network/networksecuritygroups");
    EXPECT_EQ(ascii::upper("denied: tcp/443"), "DENIED: TCP/443");
    EXPECT_EQ(ascii::lower("\xC3\x89TAT-Z[\\]^_`"),
              "\xC3\x89tat-z[\\]^_`"); // UTF-8 and the bytes between the cases kept
    EXPECT_EQ(ascii::to_lower('@'), '@');
    EXPECT_EQ(ascii::to_upper('{'), '{');
}

TEST(Ascii, ComparesIgnoringCase) {
    EXPECT_TRUE(ascii::iequals("AzurePlatformDNS", "azureplatformdns"));
    EXPECT_TRUE(ascii::iequals("", ""));
    EXPECT_FALSE(ascii::iequals("Internet", "Internet2"));
    EXPECT_FALSE(ascii::iequals("vnet-a", "vnet_a"));
    EXPECT_FALSE(ascii::iequals("\xC3\xA9", "\xC3\x89")); // é and É differ: only ASCII letters fold
    static_assert(ascii::iequals("Tcp", "TCP"));
}

} // namespace
} // namespace ztnet
