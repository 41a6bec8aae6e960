#include <gtest/gtest.h>

#include "ztnet/load/suppressions_reader.h"

namespace ztnet::load {
namespace {

struct Read {
    SourceSet sources;
    Diagnostics diagnostics;
    std::optional<std::vector<model::Suppression>> result;

    explicit Read(std::string text) {
        FileId file = sources.add("s.yaml", std::move(text));
        result = read_suppressions(sources, file, diagnostics);
    }
    std::string first_error() const {
        for (const Diagnostic& d : diagnostics.all()) {
            if (d.severity == Severity::Error) {
                LineColumn lc = sources.line_column(d.where.file, d.where.offset);
                return std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " + d.message;
            }
        }
        return "";
    }
};

TEST(SuppressionsReader, ReadsEveryField) {
    Read r("suppressions:\n"
           "  - check: ZT-NET-003\n"
           "    resource: \"*/networkSecurityGroups/nsg-orders-web\"\n"
           "    reason: replaced in the Q1 migration\n"
           "    expires: 2027-03-31\n"
           "  - { check: '*', resource: vm-web-*, reason: lab VMs, expires: 2026-12-01 }\n");
    ASSERT_TRUE(r.result) << r.first_error();
    ASSERT_EQ(r.result->size(), 2U);
    EXPECT_EQ((*r.result)[0].check_id, "ZT-NET-003");
    EXPECT_EQ((*r.result)[0].resource, "*/networkSecurityGroups/nsg-orders-web");
    EXPECT_EQ((*r.result)[0].reason, "replaced in the Q1 migration");
    EXPECT_EQ((*r.result)[0].expires, "2027-03-31");
    EXPECT_EQ((*r.result)[1].check_id, "*");
    EXPECT_EQ(r.sources.line_column((*r.result)[1].where.file, (*r.result)[1].where.offset).line, 6U);
}

TEST(SuppressionsReader, AnEmptyListIsFine) {
    Read r("suppressions:\n");
    ASSERT_TRUE(r.result);
    EXPECT_TRUE(r.result->empty());
}

TEST(SuppressionsReader, ErrorsNameThePlace) {
    EXPECT_EQ(Read("suppressions:\n  - { check: ZT-NET-001, resource: x, reason: y }\n").first_error(),
              "2:5 missing 'expires'");
    EXPECT_EQ(
        Read("suppressions:\n  - { check: A, resource: x, reason: y, expires: 31/12/2026 }\n").first_error(),
        "2:50 '31/12/2026' is not a date; expected YYYY-MM-DD");
    EXPECT_EQ(
        Read("suppressions:\n  - { check: A, resource: x, reason: y, expires: 2026-13-01 }\n").first_error(),
        "2:50 '2026-13-01' is not a date; expected YYYY-MM-DD");
    EXPECT_EQ(Read("suppression:\n  - {}\n").first_error(),
              "1:1 unknown key 'suppression'; expected 'suppressions'");
    EXPECT_EQ(
        Read("suppressions:\n  - { check: A, owner: me, resource: x, reason: y, expires: 2026-01-01 }\n")
            .first_error(),
        "2:17 unknown key 'owner'; expected check, resource, reason or expires");
    EXPECT_EQ(Read("suppressions: [1, 2]\n").first_error(),
              "1:16 each suppression is a mapping with check, resource, reason and expires");
    EXPECT_EQ(Read("suppressions: {a: [}\n").first_error().substr(0, 4), "1:20");
}

TEST(SuppressionsReader, LimitsHold) {
    std::string deep = "suppressions: " + std::string(100, '[') + std::string(100, ']') + "\n";
    Read r(deep);
    EXPECT_FALSE(r.result);
    EXPECT_NE(r.first_error().find("deeper than the limit"), std::string::npos) << r.first_error();
    Read alias("suppressions:\n  - &a { check: A, resource: x, reason: y, expires: 2026-01-01 }\n  - *a\n");
    EXPECT_FALSE(alias.result);
    EXPECT_NE(alias.first_error().find("aliases"), std::string::npos);
}

} // namespace
} // namespace ztnet::load
