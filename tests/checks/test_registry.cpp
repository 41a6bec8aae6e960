// The registry itself: ids unique and well formed, every field filled, the whole checklist
// covered, its texts folded into whole sentences; fingerprints stable; suppressions matched and expired as
// documented.
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

TEST(Registry, EveryCheckIsComplete) {
    std::set<std::string_view> ids;
    ASSERT_FALSE(registry().empty());
    for (const Check& c : registry()) {
        EXPECT_TRUE(std::regex_match(std::string(c.id), std::regex("ZT-[A-Z]{2,4}-[0-9]{3}"))) << c.id;
        EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
        EXPECT_FALSE(c.title.empty()) << c.id;
        EXPECT_FALSE(c.principles.empty()) << c.id;
        EXPECT_FALSE(c.guidance.empty()) << c.id;
        EXPECT_FALSE(c.rationale.empty()) << c.id;
        EXPECT_FALSE(c.remediation.empty()) << c.id;
        EXPECT_NE(c.run, nullptr) << c.id;
    }
}

TEST(Registry, FoldProseJoinsWrappedLines) {
    EXPECT_EQ(fold_prose("\n    One sentence\n    wrapped over lines.)"),
              "One sentence wrapped over lines.)");
    EXPECT_EQ(fold_prose("a \n\t b"), "a b");
    EXPECT_EQ(fold_prose("a\r\nb\n\nc"), "a b c");
    // Runs of whitespace without a line break stay as written.
    EXPECT_EQ(fold_prose("two  spaces\tand a tab"), "two  spaces\tand a tab");
    EXPECT_EQ(fold_prose("  padded\t"), "padded");
    EXPECT_EQ(fold_prose(" \n "), "");
    EXPECT_EQ(fold_prose(""), "");
}

TEST(Registry, CatalogueTextIsFoldedOnce) {
    for (const Check& c : registry()) {
        for (const std::string* text : {&c.title, &c.guidance, &c.rationale, &c.remediation}) {
            EXPECT_EQ(text->find('\n'), std::string::npos) << c.id;
            EXPECT_EQ(*text, fold_prose(*text)) << c.id;
        }
    }
}

TEST(Fingerprint, StableAndCaseInsensitiveOnTheResourceId) {
    std::string a = fingerprint("ZT-NET-001", "/subscriptions/S/resourceGroups/RG/x", "rule");
    EXPECT_EQ(a, fingerprint("ZT-NET-001", "/subscriptions/s/resourcegroups/rg/X", "rule"));
    EXPECT_NE(a, fingerprint("ZT-NET-002", "/subscriptions/s/resourcegroups/rg/X", "rule"));
    EXPECT_NE(a, fingerprint("ZT-NET-001", "/subscriptions/s/resourcegroups/rg/X", "other"));
    EXPECT_EQ(a.size(), 32U);
}

TEST(Suppression, MatchesByGlobOnIdOrName) {
    Suppression s{"ZT-NET-00*", "*/networkSecurityGroups/nsg-web", "accepted", "2027-01-01", {}};
    EXPECT_TRUE(suppression_matches(s, "ZT-NET-001",
                                    "/subscriptions/s/resourceGroups/rg/providers/"
                                    "Microsoft.Network/networkSecurityGroups/NSG-WEB",
                                    "nsg-web"));
    EXPECT_FALSE(suppression_matches(s, "ZT-STG-001", "x/networkSecurityGroups/nsg-web", "nsg-web"));
    Suppression by_name{"*", "vm-web-?", "r", "", {}};
    EXPECT_FALSE(suppression_matches(by_name, "ZT-VM-001", "id", "vm-web-1")); // only * is special
    Suppression star{"*", "vm-web-*", "r", "", {}};
    EXPECT_TRUE(suppression_matches(star, "ZT-VM-001", "id", "vm-web-1"));
    EXPECT_TRUE(suppression_expired(s, "2027-01-02"));
    EXPECT_FALSE(suppression_expired(s, "2027-01-01"));
}

} // namespace
} // namespace ztnet::checks
