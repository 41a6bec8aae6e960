#include <gtest/gtest.h>

#include "ztnet/support/diagnostic.h"

namespace ztnet {
namespace {

TEST(SourceSet, LineColumnCountsFromOne) {
    SourceSet sources;
    FileId f = sources.add("a.json", "{\n  \"x\": 1\n}\n");
    EXPECT_EQ(sources.line_column(f, 0).line, 1u);
    EXPECT_EQ(sources.line_column(f, 0).column, 1u);
    LineColumn x = sources.line_column(f, 4);
    EXPECT_EQ(x.line, 2u);
    EXPECT_EQ(x.column, 3u);
    EXPECT_EQ(sources.line_column(f, 1000).line, 4u); // clamped to the end
}

TEST(Diagnostic, FormatsFileLineColumnSeverityAndPointer) {
    SourceSet sources;
    FileId f = sources.add("t.json", "[\n 1,\n x]");
    Diagnostic d;
    d.severity = Severity::Error;
    d.code = "json-syntax";
    d.message = "expected a value";
    d.where.file = f;
    d.where.offset = 7;
    d.where.pointer = "/2";
    d.notes.push_back("seen here");
    EXPECT_EQ(format_diagnostic(d, sources),
              "t.json:3:2: error: expected a value (at /2) [json-syntax]\n    note: seen here");
}

TEST(Diagnostic, FormatsAByteOffsetForAFileKnownByNameOnly) {
    SourceSet sources;
    FileId f = sources.add_name_only("PT1H.json");
    EXPECT_FALSE(sources.has_text(f));
    Diagnostic d{Severity::Warning, "flow-tuple-malformed", "field 4 is not a port", {f, 1234, ""}, {}};
    EXPECT_EQ(format_diagnostic(d, sources),
              "PT1H.json (byte 1234): warning: field 4 is not a port [flow-tuple-malformed]");
    d.where.offset = kNoOffset;
    EXPECT_EQ(format_diagnostic(d, sources),
              "PT1H.json: warning: field 4 is not a port [flow-tuple-malformed]");
}

TEST(Diagnostics, CountsBySeverity) {
    Diagnostics diags;
    diags.error("a", "x");
    diags.warning("b", "y");
    diags.note("c", "z");
    EXPECT_EQ(diags.error_count(), 1u);
    EXPECT_EQ(diags.warning_count(), 1u);
    EXPECT_EQ(diags.all().size(), 3u);
    EXPECT_TRUE(diags.has_errors());
}

TEST(Diagnostics, AddOnceKeepsTheFirstOfEqualDiagnostics) {
    Diagnostics diags;
    const Diagnostic d{Severity::Error, "unresolvable-service-tag", "tag 'Sql'", {0, 12, "/rules/0"}, {}};
    EXPECT_TRUE(diags.add_once(d));
    EXPECT_FALSE(diags.add_once(d));
    Diagnostic elsewhere = d;
    elsewhere.where.offset = 40; // the same problem at another place is another diagnostic
    EXPECT_TRUE(diags.add_once(elsewhere));
    EXPECT_EQ(diags.all().size(), 2u);
    EXPECT_EQ(diags.error_count(), 2u);
}

TEST(Diagnostics, TakeHandsEverythingOverAndStartsAgain) {
    Diagnostics diags;
    diags.error("a", "first");
    diags.warning("b", "second");
    EXPECT_TRUE(diags.add_once({Severity::Note, "c", "third", {}, {}}));
    const std::vector<Diagnostic> taken = diags.take();
    ASSERT_EQ(taken.size(), 3u);
    EXPECT_EQ(taken[0].code, "a");
    EXPECT_EQ(taken[2].code, "c");
    EXPECT_TRUE(diags.all().empty());
    EXPECT_EQ(diags.error_count() + diags.warning_count(), 0u);
    EXPECT_FALSE(diags.has_errors());
    EXPECT_TRUE(diags.add_once({Severity::Note, "c", "third", {}, {}})); // forgotten with the rest
}

} // namespace
} // namespace ztnet
