// FlowLogReader on good input: Microsoft's three samples counted exactly, each format's fields and
// context, IPv6, the file shapes (records array, JSON lines, a bare record, an array of records),
// member order and case, escapes, and the folder walk.
#include <fstream>
#include <tuple>
#include <unistd.h>
#include <utility>

#include <gtest/gtest.h>

#include "flow_test_support.h"

namespace ztnet::flows {
namespace {

using testing::read_path;
using testing::read_text;
using testing::Reading;

std::filesystem::path sample(const char* name) {
    return std::filesystem::path(ZTNET_SOURCE_DIR) / "tests/data/flowlogs" / name;
}

struct Totals {
    std::size_t allowed = 0;
    std::size_t denied = 0;
    std::size_t with_counters = 0;
    Counters sums;
};

Totals totals(const Reading& reading) {
    Totals t;
    for (const testing::Seen& s : reading.collector.seen) {
        ++(s.tuple.decision == Decision::Allow ? t.allowed : t.denied);
        t.with_counters += s.tuple.has_counters;
        t.sums.packets_sent += s.tuple.counters.packets_sent;
        t.sums.bytes_sent += s.tuple.counters.bytes_sent;
        t.sums.packets_received += s.tuple.counters.packets_received;
        t.sums.bytes_received += s.tuple.counters.bytes_received;
    }
    return t;
}

// What each sample holds, counted by hand from the files:
// - NSG v1: three records; per record (deny rule, then allow-rdp): 1 + 4, 1 + 3, 2 + 1 tuples; no
//   counters in version 1.
// - NSG v2: record 1: 3 denied (B, empty counters) and 4 allowed (B empty; E 1/66/1/66; C 30/16978/
//   24/14008; E 15/8489/12/7054); record 2: 4 denied (B). Sums: packets sent 1+30+15, bytes sent
//   66+16978+8489, packets received 1+24+12, bytes received 66+14008+7054.
// - VNet v4: one record. ACL 1, rule DefaultRule_AllowInternetOutBound: 10 allowed (five B with zero
//   counters, five E: 3/767/2/1580, 3/705/4/4569, 3/705/4/4569, 2/134/1/108, 22/2217/33/32466);
//   ACL 2: BlockHighRiskTCPPortsFromInternet 2 denied and Internet 7 denied, counters all zero
//   (written out, so they count as counters).
struct SampleCounts {
    const char* file;
    ReadCounts counts;
    std::size_t allowed;
    std::size_t denied;
    std::size_t with_counters;
    Counters sums;
};

TEST(FlowLogReader, CountsEachSampleExactly) {
    const SampleCounts samples[] = {
        {"nsg-flow-log-v1-sample.json", {1, 4918, 3, 12, 0, 0}, 8, 4, 0, {0, 0, 0, 0}},
        {"nsg-flow-log-v2-sample.json", {1, 3310, 2, 11, 0, 0}, 4, 7, 3, {46, 25533, 37, 21128}},
        {"vnet-flow-log-v4-sample.json", {1, 3790, 1, 19, 0, 0}, 10, 9, 19, {33, 4528, 44, 43292}},
    };
    for (const SampleCounts& expected : samples) {
        const auto r = read_path(sample(expected.file));
        EXPECT_TRUE(r->diagnostics.all().empty()) << expected.file;
        EXPECT_EQ(r->counts, expected.counts) << expected.file;
        const Totals t = totals(*r);
        EXPECT_EQ(t.allowed, expected.allowed) << expected.file;
        EXPECT_EQ(t.denied, expected.denied) << expected.file;
        EXPECT_EQ(t.with_counters, expected.with_counters) << expected.file;
        EXPECT_EQ(t.sums, expected.sums) << expected.file;
        EXPECT_EQ(r->collector.calls, expected.counts.records) << expected.file; // one call per record
    }
}

// The context fields a test compares (the record's byte offset is checked where it is known).
auto context_fields(const FlowContext& c) {
    return std::tie(c.format, c.version, c.resource_id, c.target_resource_id, c.mac, c.acl_id, c.rule,
                    c.record_time, c.record_index);
}

struct ExpectedContext {
    const char* file;
    std::size_t tuple;
    FlowContext context;
};

// The context of a tuple of the NSG v1 sample: its rule and record.
FlowContext nsg_sample(std::string_view rule, std::string_view time, std::uint64_t record) {
    FlowContext c;
    c.format = Format::NsgV1;
    c.version = 1;
    c.resource_id = "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/FABRIKAMRG/"
                    "PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/FABRIAKMVM1-NSG";
    c.mac = "000D3AF8801A";
    c.rule = rule;
    c.record_time = time;
    c.record_index = record;
    return c;
}

// The context of a tuple of the VNet sample (one record): its ACL and rule.
FlowContext vnet_sample(std::string_view acl, std::string_view rule) {
    FlowContext c;
    c.format = Format::Vnet;
    c.version = 4;
    c.resource_id =
        "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NETWORKWATCHERRG/"
        "PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_EASTUS2EUAP/FLOWLOGS/VNETFLOWLOG";
    c.target_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                           "myResourceGroup/providers/Microsoft.Network/virtualNetworks/myVNet";
    c.mac = "00224871C205";
    c.acl_id = acl;
    c.rule = rule;
    c.record_time = "2022-09-14T09:00:52.5625085Z";
    return c;
}

TEST(FlowLogReader, GivesEachTupleItsRecordsContext) {
    const char* const v1 = "nsg-flow-log-v1-sample.json";
    const char* const v4 = "vnet-flow-log-v4-sample.json";
    const std::string_view acl1 = "00000000-1234-abcd-ef00-c1c2c3c4c5c6";
    const std::string_view acl2 = "01020304-abcd-ef00-1234-102030405060";
    const ExpectedContext cases[] = {
        {v1, 0, nsg_sample("DefaultRule_DenyAllInBound", "2017-02-16T22:00:32.8950000Z", 0)},
        {v1, 1, nsg_sample("UserRule_default-allow-rdp", "2017-02-16T22:00:32.8950000Z", 0)},
        {v1, 5, nsg_sample("DefaultRule_DenyAllInBound", "2017-02-16T22:01:32.8960000Z", 1)},
        {v4, 0, vnet_sample(acl1, "DefaultRule_AllowInternetOutBound")},
        {v4, 10, vnet_sample(acl2, "BlockHighRiskTCPPortsFromInternet")},
        {v4, 12, vnet_sample(acl2, "Internet")},
    };
    for (const ExpectedContext& expected : cases) {
        const auto r = read_path(sample(expected.file));
        ASSERT_GT(r->collector.seen.size(), expected.tuple);
        EXPECT_TRUE(context_fields(r->collector.seen[expected.tuple].context) ==
                    context_fields(expected.context))
            << expected.file << " tuple " << expected.tuple;
    }
}

TEST(FlowLogReader, ReadsTheSamplesTuples) {
    const auto nsg = read_path(sample("nsg-flow-log-v1-sample.json"));
    ASSERT_EQ(nsg->collector.seen.size(), 12u);
    const FlowTuple& denied = nsg->collector.seen[0].tuple;
    EXPECT_EQ(denied.time_ms, 1487282421000);
    EXPECT_EQ(denied.source, *net::Address::parse("42.119.146.95"));
    EXPECT_EQ(denied.destination_port, 5358);
    EXPECT_EQ(denied.decision, Decision::Deny);
    EXPECT_EQ(nsg->collector.seen[1].tuple.destination_port, 3389);
    EXPECT_EQ(nsg->collector.seen[1].tuple.decision, Decision::Allow);
    EXPECT_EQ(nsg->collector.seen[5].tuple.protocol, 17);

    const auto vnet = read_path(sample("vnet-flow-log-v4-sample.json"));
    ASSERT_EQ(vnet->collector.seen.size(), 19u);
    const FlowTuple& begun = vnet->collector.seen[0].tuple;
    EXPECT_EQ(begun.time_ms, 1663146003599);
    EXPECT_EQ(begun.direction, net::Direction::Outbound);
    EXPECT_EQ(begun.state, FlowState::Begin);
    EXPECT_EQ(begun.encryption, Encryption::NotEncrypted);
    EXPECT_EQ(begun.encryption_text, "NX");
    EXPECT_EQ(vnet->collector.seen[10].tuple.destination_port, 22);
    EXPECT_EQ(vnet->collector.seen[10].tuple.state, FlowState::Deny);
}

TEST(FlowLogReader, ReadsIpv6Tuples) {
    const auto r = read_text(
        testing::vnet_record({"1663146003606,2001:db8::6,2603:1030:40c::10,50000,443,6,O,B,NX,0,0,0,0",
                              "1663146003607,fd00::1:5,fd00::2:6,53000,53,17,I,D,NX,0,0,0,0"}));
    ASSERT_EQ(r->collector.seen.size(), 2u);
    EXPECT_EQ(r->collector.seen[0].tuple.source, *net::Address::parse("2001:db8::6"));
    EXPECT_EQ(r->collector.seen[0].tuple.destination, *net::Address::parse("2603:1030:40c::10"));
    EXPECT_EQ(r->collector.seen[1].tuple.protocol, 17);
    EXPECT_EQ(r->collector.seen[1].tuple.decision, Decision::Deny);
}

TEST(FlowLogReader, ReadsJsonLinesOfEveryShape) {
    // As diagnostic settings stream to Event Hubs: one record a line, or a {"records": [...]} a line.
    const std::string text = testing::vnet_record({testing::kVnetTuple, testing::kVnetTuple}) + "\n" +
                             testing::nsg_record(2, {testing::kNsgV2Tuple}) + "\r\n" + R"({"records":[)" +
                             testing::nsg_record(1, {testing::kNsgV1Tuple}) + "]}\n";
    const auto r = read_text(text, {}, "capture.jsonl");
    EXPECT_TRUE(r->diagnostics.all().empty());
    EXPECT_EQ(r->counts.records, 3u);
    EXPECT_EQ(r->counts.tuples, 4u);
    ASSERT_EQ(r->collector.seen.size(), 4u);
    EXPECT_EQ(r->collector.seen[0].context.format, Format::Vnet);
    EXPECT_EQ(r->collector.seen[2].context.format, Format::NsgV2);
    EXPECT_EQ(r->collector.seen[3].context.format, Format::NsgV1);
    EXPECT_EQ(r->collector.seen[3].context.record_index, 2u);
    EXPECT_EQ(r->collector.seen[2].context.record_offset, text.find("{\"time\":\"2018"));
}

TEST(FlowLogReader, ReadsABareRecordAndAnArrayOfRecords) {
    const auto bare =
        read_text("  " + testing::nsg_record(2, {testing::kNsgV2Tuple, testing::kNsgV2Tuple}) + "\n");
    EXPECT_TRUE(bare->diagnostics.all().empty());
    EXPECT_EQ(bare->counts.records, 1u);
    EXPECT_EQ(bare->counts.tuples, 2u);
    const auto array = read_text("[" + testing::vnet_record({testing::kVnetTuple}) + "," +
                                 testing::nsg_record(1, {testing::kNsgV1Tuple}) + "]");
    EXPECT_TRUE(array->diagnostics.all().empty());
    EXPECT_EQ(array->counts.records, 2u);
    EXPECT_EQ(array->counts.tuples, 2u);
}

// A context with these fields, read at "T", the rest left empty.
FlowContext context_of(Format format, std::int64_t version, std::string_view resource_id,
                       std::string_view mac, std::string_view acl_id, std::string_view rule) {
    FlowContext c;
    c.format = format;
    c.version = version;
    c.resource_id = resource_id;
    c.mac = mac;
    c.acl_id = acl_id;
    c.rule = rule;
    c.record_time = "T";
    return c;
}

TEST(FlowLogReader, ReadsMembersInAnyOrderAndCase) {
    // The flows before the record's own fields, tuples before their rule, lower-case member names.
    const std::string vnet =
        R"({"flowRecords":{"flows":[{"flowGroups":[{"flowTuples":[")" + testing::kVnetTuple +
        R"("],"rule":"R1"}],"aclID":"A1"}]},"macaddress":"M","flowLogResourceID":"F","flowlogversion":5,"time":"T"})";
    const std::string nsg = R"({"properties":{"flows":[{"flows":[{"flowTuples":[")" + testing::kNsgV1Tuple +
                            R"("],"mac":"M2"}],"rule":"R2"}],"version":1},"resourceid":"N","time":"T"})";
    const std::pair<std::string, FlowContext> cases[] = {
        {vnet, context_of(Format::Vnet, 5, "F", "M", "A1", "R1")}, // later versions keep version 4's layout
        {nsg, context_of(Format::NsgV1, 1, "N", "M2", {}, "R2")},
    };
    for (const auto& [text, expected] : cases) {
        const auto r = read_text(text);
        EXPECT_TRUE(r->diagnostics.all().empty());
        ASSERT_EQ(r->collector.seen.size(), 1u);
        EXPECT_TRUE(context_fields(r->collector.seen[0].context) == context_fields(expected)) << text;
    }
}

TEST(FlowLogReader, ReadsEscapedStringsAndAByteOrderMark) {
    const std::string tuple = R"(1663146003606\u002c10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580)";
    const auto r = read_text("\xEF\xBB\xBF" + testing::vnet_record({tuple}, R"(Allow\/Web)"));
    EXPECT_TRUE(r->diagnostics.all().empty());
    ASSERT_EQ(r->collector.seen.size(), 1u);
    EXPECT_EQ(r->collector.seen[0].tuple.time_ms, 1663146003606);
    EXPECT_EQ(r->collector.seen[0].context.rule, "Allow/Web");
}

TEST(FlowLogReader, ReadsNothingFromNothing) {
    for (const char* text : {"", "   \n\t ", "{\"records\":[]}", "[]"}) {
        const auto r = read_text(text);
        EXPECT_TRUE(r->diagnostics.all().empty()) << text;
        EXPECT_EQ(r->counts.records + r->counts.tuples + r->counts.skipped_records, 0u) << text;
    }
}

TEST(FlowLogReader, ReadsPaddedTextWithoutCopying) {
    std::string text = testing::vnet_record({testing::kVnetTuple});
    const std::size_t size = text.size();
    SourceSet sources;
    Diagnostics diagnostics;
    testing::Collector collector;
    FlowLogReader reader(sources, diagnostics);
    const PaddedText padded = PaddedText::pad(text);
    EXPECT_EQ(padded.text().size(), size);
    const ReadCounts counts = reader.read(padded, "padded.json", collector);
    EXPECT_EQ(counts.tuples, 1u);
    EXPECT_TRUE(diagnostics.all().empty());
}

// A folder laid out as Azure's storage lays it out, with what the walk must leave out.
class FlowLogFolder : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() / ("ztnet-flows-" + std::to_string(::getpid()));
        std::filesystem::remove_all(root_);
        write("insights-logs-flowlogflowevent/flowLogResourceID=/SUBSCRIPTIONS/S/y=2024/m=01/d=15/h=10/m=00/"
              "macAddress=00224871C205/PT1H.json",
              R"({"records":[)" + testing::vnet_record({testing::kVnetTuple, testing::kVnetTuple}) + "]}");
        write("insights-logs-networksecuritygroupflowevent/resourceId=/SUBSCRIPTIONS/S/y=2024/m=01/d=15/h=10/"
              "m=00/"
              "macAddress=000D3AF87856/PT1H.json",
              R"({"records":[)" + testing::nsg_record(2, {testing::kNsgV2Tuple}) + "]}");
        write("eventhub/capture.jsonl", testing::nsg_record(1, {testing::kNsgV1Tuple}) + "\n");
        write("notes.txt", "not a flow log");
        write(".cache/PT1H.json", "{ not read");
    }
    void TearDown() override { std::filesystem::remove_all(root_); }

    void write(const std::string& relative, const std::string& text) {
        const std::filesystem::path path = root_ / relative;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
    }

    std::filesystem::path root_;
};

TEST_F(FlowLogFolder, WalksTheFlowLogFilesInPathOrder) {
    Diagnostics diagnostics;
    const auto files = flow_log_files(root_, diagnostics);
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].filename(), "capture.jsonl");
    EXPECT_NE(files[1].string().find("insights-logs-flowlogflowevent"), std::string::npos);
    EXPECT_NE(files[2].string().find("insights-logs-networksecuritygroupflowevent"), std::string::npos);
    const auto r = read_path(root_);
    EXPECT_TRUE(r->diagnostics.all().empty());
    EXPECT_EQ(r->counts.files, 3u);
    EXPECT_EQ(r->counts.records, 3u);
    EXPECT_EQ(r->counts.tuples, 4u);
}

TEST_F(FlowLogFolder, ReadsAFileNamedDirectlyWhateverItsName) {
    write("exported.log", testing::vnet_record({testing::kVnetTuple}));
    const auto r = read_path(root_ / "exported.log");
    EXPECT_EQ(r->counts.files, 1u);
    EXPECT_EQ(r->counts.tuples, 1u);
}

TEST_F(FlowLogFolder, SaysWhenThereIsNothingToRead) {
    std::filesystem::create_directories(root_ / "empty");
    const auto empty = read_path(root_ / "empty");
    EXPECT_EQ(empty->codes(), std::vector<std::string>{"flow-no-input"});
    const auto missing = read_path(root_ / "missing");
    EXPECT_EQ(missing->codes(), std::vector<std::string>{"io"});
    EXPECT_EQ(missing->counts.files, 0u);
}

} // namespace
} // namespace ztnet::flows
