// FlowLogReader on bad input: each kind of problem is reported with its code and place, counted,
// and skipped, and what follows it is still read.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "flow_test_support.h"

namespace ztnet::flows {
namespace {

using testing::read_text;

std::string sample_text(const char* name) {
    std::ifstream in(std::filesystem::path(ZTNET_SOURCE_DIR) / "tests/data/flowlogs" / name,
                     std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The byte offset of the opening brace of the record whose "time" member is the n-th (0-based).
std::size_t record_start(const std::string& text, int n) {
    std::size_t at = 0;
    for (int i = 0; i <= n; ++i)
        at = text.find("\"time\"", at + 1);
    return text.rfind('{', at);
}

TEST(BadFlowLog, ATruncatedFileKeepsTheRecordsBeforeTheCut) {
    const std::string whole = sample_text("nsg-flow-log-v1-sample.json");
    const std::size_t third = record_start(whole, 2);
    const auto r = read_text(whole.substr(0, third + 300), {}, "PT1H.json");
    EXPECT_EQ(r->counts.records, 2u);
    EXPECT_EQ(r->counts.tuples, 9u); // 5 + 4
    EXPECT_EQ(r->counts.skipped_records, 1u);
    ASSERT_EQ(r->codes(), std::vector<std::string>{"flow-record-malformed"});
    const Diagnostic& d = r->diagnostics.all()[0];
    EXPECT_EQ(d.where.offset, third);
    EXPECT_NE(d.message.find("record 2 (byte " + std::to_string(third) + ")"), std::string::npos)
        << d.message;
    EXPECT_NE(d.message.find("the text ends inside it"), std::string::npos) << d.message;
    EXPECT_EQ(r->printed(0).rfind("PT1H.json (byte " + std::to_string(third) + "): warning: ", 0), 0u)
        << r->printed(0);
}

TEST(BadFlowLog, AMalformedRecordIsSkippedAndTheNextOnesRead) {
    std::string broken = testing::vnet_record({testing::kVnetTuple});
    broken.replace(broken.find(R"("rule":"AllowWeb",)"), 18, R"("rule":"AllowWeb" )"); // a comma missing
    const std::string text = R"({"records":[)" + testing::vnet_record({testing::kVnetTuple}) + ",\n" +
                             broken + ",\n" +
                             testing::vnet_record({testing::kVnetTuple, testing::kVnetTuple}) + "]}";
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.records, 2u);
    EXPECT_EQ(r->counts.tuples, 3u);
    EXPECT_EQ(r->counts.skipped_records, 1u);
    ASSERT_EQ(r->codes(), std::vector<std::string>{"flow-record-malformed"});
    const std::size_t begin = text.find(broken);
    EXPECT_GE(r->diagnostics.all()[0].where.offset, begin);
    EXPECT_LT(r->diagnostics.all()[0].where.offset, begin + broken.size());
    EXPECT_NE(r->diagnostics.all()[0].message.find("record 1 "), std::string::npos);
}

TEST(BadFlowLog, UnknownVersionsAreSkipped) {
    std::string old_vnet = testing::vnet_record({testing::kVnetTuple});
    old_vnet.replace(old_vnet.find("\"flowLogVersion\":4"), 18, "\"flowLogVersion\":3");
    std::string nsg_v3 = testing::nsg_record(3, {testing::kNsgV2Tuple});
    std::string nsg_text_version = testing::nsg_record(2, {testing::kNsgV2Tuple});
    nsg_text_version.replace(nsg_text_version.find("\"Version\":2"), 11, "\"Version\":\"2\"");
    const std::string text = old_vnet + "\n" + nsg_v3 + "\n" +
                             testing::nsg_record(2, {testing::kNsgV2Tuple}) + "\n" + nsg_text_version + "\n";
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.records, 1u);
    EXPECT_EQ(r->counts.skipped_records, 3u);
    EXPECT_EQ(r->counts.tuples, 1u);
    EXPECT_EQ(r->codes(), (std::vector<std::string>{"flow-version-unknown", "flow-version-unknown",
                                                    "flow-version-unknown"}));
    EXPECT_NE(r->diagnostics.all()[0].message.find("flowLogVersion 3"), std::string::npos);
    EXPECT_EQ(r->diagnostics.all()[0].where.pointer, "/flowLogVersion");
    EXPECT_NE(r->diagnostics.all()[1].message.find("properties.Version 3"), std::string::npos);
    EXPECT_EQ(r->diagnostics.all()[1].where.pointer, "/properties/Version");
}

TEST(BadFlowLog, BadTuplesAreSkippedOneByOne) {
    const std::vector<std::string> tuples = {
        testing::kVnetTuple,
        "1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2", // a field short
        "1663146003606,10.0.0.6,10.0.1.4,70000,443,6,O,E,NX,3,767,2,1580",
        "1663146003606,10.0.0.6,10.0.1.999,23956,443,6,O,E,NX,3,767,2,1580",
        "1663146003606,10.0.0.6,10.0.1.4,23956,443,300,O,E,NX,3,767,2,1580",
        testing::kVnetTuple,
    };
    const std::string text = testing::vnet_record(tuples);
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.records, 1u);
    EXPECT_EQ(r->counts.tuples, 2u);
    EXPECT_EQ(r->counts.skipped_tuples, 4u);
    ASSERT_EQ(r->codes(), std::vector<std::string>(4, "flow-tuple-malformed"));
    const char* expected[] = {"does not have the 13 fields", "field 4 (source port) is not a port",
                              "field 3 (destination address) is not an IPv4 or IPv6 address",
                              "field 6 (protocol) is not a protocol"};
    for (std::size_t i = 0; i < 4; ++i) {
        const Diagnostic& d = r->diagnostics.all()[i];
        EXPECT_NE(d.message.find(expected[i]), std::string::npos) << d.message;
        EXPECT_EQ(text.compare(d.where.offset, tuples[i + 1].size() + 1, "\"" + tuples[i + 1]), 0)
            << d.message;
        EXPECT_EQ(d.where.pointer, "/flowRecords/flows/0/flowGroups/0/flowTuples/" + std::to_string(i + 1));
        EXPECT_EQ(d.severity, Severity::Warning);
    }
}

TEST(BadFlowLog, ATupleThatIsNotAStringIsSkipped) {
    std::string text = testing::vnet_record({testing::kVnetTuple});
    text.replace(text.find("\"flowTuples\":["), 14, "\"flowTuples\":[42,{\"a\":1},");
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.tuples, 1u);
    EXPECT_EQ(r->counts.skipped_tuples, 2u);
    EXPECT_EQ(r->codes(), std::vector<std::string>(2, "flow-tuple-malformed"));
}

TEST(BadFlowLog, ATruncatedJsonLineCostsOnlyItsRecord) {
    const std::string good = testing::nsg_record(2, {testing::kNsgV2Tuple});
    const std::string cut = good.substr(0, good.size() / 2);
    const std::string text = good + "\n" + cut + "\n" + good + "\n" + good + "\n";
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.records, 3u);
    EXPECT_EQ(r->counts.skipped_records, 1u);
    EXPECT_EQ(r->counts.tuples, 3u);
    ASSERT_EQ(r->codes(), std::vector<std::string>{"flow-record-malformed"});
    EXPECT_EQ(r->diagnostics.all()[0].where.offset, good.size() + 1);
    EXPECT_NE(r->diagnostics.all()[0].message.find("raw control character"), std::string::npos)
        << r->diagnostics.all()[0].message;
}

TEST(BadFlowLog, WhatIsNotAFlowRecordIsSaid) {
    const std::string text = "{\"category\":\"AuditEvent\",\"properties\":{\"flows\":[]}}\n{\"foo\":1}\n" +
                             testing::vnet_record({testing::kVnetTuple}) + "\n";
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.records, 1u);
    EXPECT_EQ(r->counts.skipped_records, 2u);
    EXPECT_EQ(r->codes(), (std::vector<std::string>{"flow-version-unknown", "flow-record-malformed"}));
    EXPECT_NE(r->diagnostics.all()[1].message.find("not a flow log record"), std::string::npos);
}

// Names a store could not keep as keys (too long for PostgreSQL's unique index, or holding a NUL or
// another control character) cost their record, not the ingest.
TEST(BadFlowLog, ARecordWithAnUnkeepableNameIsSkipped) {
    const std::string good = testing::vnet_record({testing::kVnetTuple});
    const std::string text = testing::vnet_record({testing::kVnetTuple}, std::string(3000, 'r')) + "\n" +
                             testing::vnet_record({testing::kVnetTuple}, "Allow\\u0000Web") + "\n" +
                             testing::vnet_record({testing::kVnetTuple}, "Allow\\tWeb") + "\n" +
                             testing::vnet_record({testing::kVnetTuple}, std::string(1024, 'r')) + "\n" +
                             good;
    const auto r = read_text(text);
    EXPECT_EQ(r->counts.records, 2u);
    EXPECT_EQ(r->counts.skipped_records, 3u);
    ASSERT_EQ(r->codes(), (std::vector<std::string>{"flow-record-malformed", "flow-record-malformed",
                                                    "flow-record-malformed"}));
    EXPECT_NE(r->diagnostics.all()[0].message.find("a name of 3000 bytes"), std::string::npos)
        << r->diagnostics.all()[0].message;
    EXPECT_NE(r->diagnostics.all()[1].message.find("control character U+0000"), std::string::npos)
        << r->diagnostics.all()[1].message;
    EXPECT_NE(r->diagnostics.all()[2].message.find("U+0009"), std::string::npos);
}

TEST(BadFlowLog, GarbageBetweenRecordsIsPassedOver) {
    const std::string record = testing::vnet_record({testing::kVnetTuple});
    const auto r = read_text("garbage\n" + record + "\n]]\n" + record + "\n{\"records\":[" + record + " " +
                             record + "]}\n" + record);
    EXPECT_EQ(r->counts.records, 4u);
    EXPECT_EQ(r->codes(),
              (std::vector<std::string>{"flow-log-malformed", "flow-log-malformed", "flow-log-malformed"}));
}

TEST(BadFlowLog, LimitsAreEnforcedEachWithItsCode) {
    const std::string big = testing::vnet_record(std::vector<std::string>(100, testing::kVnetTuple));
    const std::string small = testing::vnet_record({testing::kVnetTuple});
    ReadLimits limits;
    limits.max_record_bytes = 2000;
    const auto large = read_text(R"({"records":[)" + big + "," + small + "]}", limits);
    EXPECT_EQ(large->codes(), std::vector<std::string>{"flow-record-too-large"});
    EXPECT_EQ(large->counts.records, 1u);
    EXPECT_EQ(large->counts.skipped_records, 1u);

    limits = ReadLimits{};
    limits.max_depth = 5; // records nest 7 levels
    const auto deep = read_text(R"({"records":[)" + small + "," + small + "]}\n" + small, limits);
    EXPECT_EQ(deep->codes(), std::vector<std::string>(3, "flow-record-too-deep"));
    EXPECT_EQ(deep->counts.skipped_records, 3u);

    limits = ReadLimits{};
    limits.max_file_bytes = 100;
    const auto file = read_text(small, limits);
    EXPECT_EQ(file->codes(), std::vector<std::string>{"flow-file-too-large"});
    EXPECT_EQ(file->diagnostics.all()[0].severity, Severity::Error);
    EXPECT_EQ(file->counts.records, 0u);
}

TEST(BadFlowLog, ProblemsPastTheLimitAreCountedNotEachShown) {
    const std::vector<std::string> tuples(30, "1,2,3");
    const auto r = read_text(testing::vnet_record(tuples) + "\n" + testing::vnet_record(tuples));
    EXPECT_EQ(r->counts.skipped_tuples, 60u);
    ASSERT_EQ(r->diagnostics.all().size(), 21u);
    EXPECT_EQ(r->diagnostics.all()[19].code, "flow-tuple-malformed");
    EXPECT_EQ(r->diagnostics.all()[20].code, "flow-more-problems");
    EXPECT_EQ(r->diagnostics.all()[20].severity, Severity::Note);
    EXPECT_NE(r->diagnostics.all()[20].message.find("40 more problems"), std::string::npos);
}

TEST(BadFlowLog, NeverFailsOnAnyPrefixOfTheSamples) {
    // Every cut of every sample: no crash, and what is read plus what is skipped never exceeds the
    // whole file's records.
    for (const char* name :
         {"nsg-flow-log-v1-sample.json", "nsg-flow-log-v2-sample.json", "vnet-flow-log-v4-sample.json"}) {
        const std::string whole = sample_text(name);
        for (std::size_t cut = 0; cut <= whole.size(); cut += 7) {
            const auto r = read_text(whole.substr(0, cut));
            EXPECT_LE(r->counts.records + r->counts.skipped_records, 3u) << name << " cut at " << cut;
            EXPECT_LE(r->diagnostics.all().size(), 2u) << name << " cut at " << cut;
        }
    }
}

} // namespace
} // namespace ztnet::flows
