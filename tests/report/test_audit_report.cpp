// The shapes of the audit's JSON and SARIF reports, on check results made by hand: every finding
// is written with its fields, SARIF rules and results point at each other, levels follow the
// severities, suppressions and the result cap are written as SARIF says.
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/checks/runner.h"
#include "ztnet/report/audit_report.h"

namespace ztnet::report {
namespace {

using checks::Finding;
using checks::Severity;

// The first registered check of `severity`.
const checks::Check& check_of(Severity severity) {
    for (const checks::Check& c : checks::registry()) {
        if (c.severity == severity)
            return c;
    }
    throw std::logic_error("no check of that severity");
}

Finding finding(const checks::Check& check, const std::string& resource,
                const std::string& discriminator = "") {
    Finding f;
    f.check_id = std::string(check.id);
    f.resource_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/x/" + resource;
    f.resource_name = resource;
    f.message = std::string(check.id) + " on " + resource;
    f.discriminator = discriminator;
    f.fingerprint = checks::fingerprint(f.check_id, f.resource_id, discriminator);
    f.evidence.push_back({"evidence for " + resource, {}, std::nullopt});
    return f;
}

struct Fixture {
    model::Estate estate;
    SourceSet sources;
    checks::AuditResult result;
    const checks::Check& high = check_of(Severity::High);
    const checks::Check& medium = check_of(Severity::Medium);
    const checks::Check& low = check_of(Severity::Low);

    Fixture() {
        result.run.checks = {std::string(high.id), std::string(medium.id), std::string(low.id)};
        result.run.findings = {finding(high, "a"), finding(high, "b"), finding(medium, "a", "one"),
                               finding(medium, "a", "two"), finding(low, "c")};
        result.run.findings[4].suppressed_by = "accepted until the migration";
        result.scores = checks::principle_scores(result.run);
    }
    AuditInputs inputs() const { return AuditInputs{estate, sources, "", nullptr}; }
};

const json::Value& at(const json::Value& v, std::string_view key) {
    const json::Value* found = v.find(key);
    if (!found)
        throw std::logic_error("no member " + std::string(key));
    return *found;
}

TEST(AuditJson, WritesEveryFindingWithItsFields) {
    Fixture f;
    const json::Value root = audit_json(f.result, f.inputs());
    EXPECT_EQ(at(root, "tool").as_string(), "ztnet");
    EXPECT_EQ(at(root, "version").as_string(), std::string(kVersion));
    const json::Array& findings = at(root, "findings").as_array();
    ASSERT_EQ(findings.size(), f.result.run.findings.size());
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& want = f.result.run.findings[i];
        const json::Value& got = findings[i];
        EXPECT_EQ(at(got, "checkId").as_string(), want.check_id);
        EXPECT_EQ(at(got, "resourceId").as_string(), want.resource_id);
        EXPECT_EQ(at(got, "message").as_string(), want.message);
        EXPECT_EQ(at(got, "fingerprint").as_string(), want.fingerprint);
        EXPECT_EQ(at(got, "severity").as_string(),
                  std::string(checks::severity_name(checks::find_check(want.check_id)->severity)));
        EXPECT_EQ(at(got, "evidence").as_array().size(), 1u);
        EXPECT_EQ(at(got, "suppressed").is_null(), !want.suppressed_by.has_value());
    }
    EXPECT_EQ(at(at(root, "summary"), "suppressed").as_integer(), 1);
    EXPECT_EQ(at(root, "scores").as_array().size(), 3u);
    EXPECT_EQ(at(root, "checks").as_array().size(), 3u);
}

TEST(AuditSarif, RulesAndResultsPointAtEachOther) {
    Fixture f;
    const json::Value root = audit_sarif(f.result, f.inputs());
    EXPECT_EQ(at(root, "version").as_string(), "2.1.0");
    const json::Array& runs = at(root, "runs").as_array();
    ASSERT_EQ(runs.size(), 1u);
    const json::Value& driver = at(at(runs[0], "tool"), "driver");
    const json::Array& rules = at(driver, "rules").as_array();
    ASSERT_EQ(rules.size(), 3u);
    const json::Array& results = at(runs[0], "results").as_array();
    // One result per check and resource (and suppressed or not): the two medium findings on `a`
    // are one result.
    ASSERT_EQ(results.size(), 4u);
    for (const json::Value& r : results) {
        const auto index = static_cast<std::size_t>(at(r, "ruleIndex").as_integer());
        ASSERT_LT(index, rules.size());
        EXPECT_EQ(at(rules[index], "id").as_string(), at(r, "ruleId").as_string());
        const Severity severity = checks::find_check(at(r, "ruleId").as_string())->severity;
        const std::string level = at(r, "level").as_string();
        EXPECT_EQ(level, severity == Severity::High || severity == Severity::Critical ? "error"
                         : severity == Severity::Medium                               ? "warning"
                                                                                      : "note");
        EXPECT_TRUE(at(r, "partialFingerprints").find("ztnet/v1"));
    }
    const json::Value& grouped = results[2];
    EXPECT_EQ(at(grouped, "ruleId").as_string(), std::string(f.medium.id));
    EXPECT_NE(at(at(grouped, "message"), "text").as_string().find("and 1 more"), std::string::npos);
    EXPECT_EQ(at(at(grouped, "properties"), "findingFingerprints").as_array().size(), 2u);
    const json::Value& suppressed = results[3];
    ASSERT_TRUE(suppressed.find("suppressions"));
    EXPECT_EQ(at(at(suppressed, "suppressions").as_array()[0], "kind").as_string(), "external");
    EXPECT_FALSE(results[0].find("suppressions"));
}

TEST(AuditSarif, TheCapKeepsTheMostSevereAndSaysWhatItLeftOut) {
    Fixture f;
    AuditInputs in = f.inputs();
    in.max_results = 2;
    const json::Value root = audit_sarif(f.result, in);
    const json::Value& run = at(root, "runs").as_array()[0];
    const json::Array& results = at(run, "results").as_array();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(at(results[0], "ruleId").as_string(), std::string(f.high.id));
    EXPECT_EQ(at(results[1], "ruleId").as_string(), std::string(f.high.id));
    const json::Value& invocation = at(run, "invocations").as_array()[0];
    const json::Array& notes = at(invocation, "toolExecutionNotifications").as_array();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(at(at(notes[0], "message"), "text").as_string().find("2 result(s)"), std::string::npos);
}

TEST(AuditSarif, TheSourceRootIsWrittenOnlyWhenGiven) {
    Fixture f;
    AuditInputs in = f.inputs();
    EXPECT_FALSE(at(audit_sarif(f.result, in), "runs").as_array()[0].find("originalUriBaseIds"));
    in.source_root_uri = "file:///repo/";
    const json::Value root = audit_sarif(f.result, in);
    const json::Value& run = at(root, "runs").as_array()[0];
    EXPECT_EQ(at(at(at(run, "originalUriBaseIds"), "%SRCROOT%"), "uri").as_string(), "file:///repo/");
}

} // namespace
} // namespace ztnet::report
