// Ingest into the SQLite store: the samples' totals, exactly once, growing and rewritten blobs,
// blobs cut short, IPv6, buckets and stores that are not stores.
#include <algorithm>
#include <sqlite3.h>
#include <stdexcept>

#include "store_test_support.h"

namespace ztnet::flows::store {
namespace {

using testing::blob;
using testing::ingest;
using testing::nsg_record;
using testing::summary;
using testing::summary_of;
using testing::vnet_record;

std::filesystem::path sample(const char* name) {
    return std::filesystem::path(ZTNET_SOURCE_DIR) / "tests/data/flowlogs" / name;
}

class FlowStoreTest : public testing::ScratchTest {};

// The totals the reader's tests count by hand in each sample (test_flow_log_reader.cpp).
TEST_F(FlowStoreTest, StoresEachSamplesTotals) {
    struct Expected {
        const char* file;
        std::uint64_t records, tuples, allowed, denied;
        Counters sums;
    };
    const Expected samples[] = {
        {"nsg-flow-log-v1-sample.json", 3, 12, 8, 4, {0, 0, 0, 0}},
        {"nsg-flow-log-v2-sample.json", 2, 11, 4, 7, {46, 25533, 37, 21128}},
        {"vnet-flow-log-v4-sample.json", 1, 19, 10, 9, {33, 4528, 44, 43292}},
    };
    for (const Expected& e : samples) {
        const auto store_file = path(std::string(e.file) + ".db");
        std::vector<std::string> codes;
        ASSERT_TRUE(ingest(store_file, {sample(e.file)}, {}, &codes).ok());
        EXPECT_TRUE(codes.empty()) << e.file;
        const StoreSummary s = summary_of(store_file);
        EXPECT_EQ(s.files, 1u) << e.file;
        EXPECT_EQ(s.records, e.records) << e.file;
        EXPECT_EQ(s.tuples, e.tuples) << e.file;
        EXPECT_EQ(s.allowed, e.allowed) << e.file;
        EXPECT_EQ(s.denied, e.denied) << e.file;
        EXPECT_EQ(s.counters, e.sums) << e.file;
        EXPECT_EQ(s.allowed + s.denied, s.inbound + s.outbound) << e.file;
        EXPECT_EQ(s.skipped_records + s.skipped_tuples, 0u) << e.file;
    }
}

TEST_F(FlowStoreTest, IngestingTwiceAddsNothing) {
    const auto store_file = path("twice.db");
    const std::vector<std::filesystem::path> inputs = {std::filesystem::path(ZTNET_SOURCE_DIR) /
                                                       "tests/data/flowlogs"};
    ASSERT_TRUE(ingest(store_file, inputs).ok());
    const std::string first = summary(store_file);
    const Result<IngestReport> again = ingest(store_file, inputs);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->files_read, 3u);
    EXPECT_EQ(again->files_unchanged, 3u);
    EXPECT_EQ(again->added.records, 0u);
    EXPECT_EQ(summary(store_file), first);
    EXPECT_NE(first.find("\"tuples\": 42"), std::string::npos) << first;
}

TEST_F(FlowStoreTest, AGrowingBlobAddsExactlyItsNewRecords) {
    const auto store_file = path("grow.db");
    const auto file = path("insights-logs-flowlogflowevent/h=09/PT1H.json");
    const std::string r1 = vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"});
    const std::string r2 = vnet_record({"1663146003607,10.0.0.6,10.0.1.4,23957,443,6,O,B,NX,0,0,0,0",
                                        "1663146003608,10.0.0.7,10.0.1.4,23958,22,6,I,D,NX,0,0,0,0"});
    const std::string r3 = vnet_record({"1663146063000,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,5,1000,6,2000"});
    write(file, blob({r1, r2}));
    ASSERT_TRUE(ingest(store_file, {file}).ok());
    EXPECT_EQ(summary_of(store_file).tuples, 3u);
    write(file, blob({r1, r2, r3}));
    const Result<IngestReport> report = ingest(store_file, {file});
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->added.records, 1u);
    EXPECT_EQ(report->added.tuples, 1u);
    const StoreSummary s = summary_of(store_file);
    EXPECT_EQ(s.files, 1u);
    EXPECT_EQ(s.records, 3u);
    EXPECT_EQ(s.tuples, 4u);
    EXPECT_EQ(s.counters, (Counters{8, 1767, 8, 3580}));
    EXPECT_EQ(s.bytes, blob({r1, r2, r3}).size() - 3); // up to the end of the last record
    // The same blob and the same growth in one go give the same store.
    const auto once = path("once.db");
    ASSERT_TRUE(ingest(once, {file}).ok());
    EXPECT_EQ(summary(once), summary(store_file));
}

TEST_F(FlowStoreTest, ARewrittenBlobIsRefusedNotCountedTwice) {
    const auto store_file = path("rewritten.db");
    const auto file = path("PT1H.json");
    write(file, blob({vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"})}));
    ASSERT_TRUE(ingest(store_file, {file}).ok());
    const std::string before = summary(store_file);
    write(file, blob({vnet_record({"1663146003606,10.0.0.9,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"}),
                      vnet_record({"1663146003607,10.0.0.6,10.0.1.4,23957,443,6,O,B,NX,0,0,0,0"})}));
    std::vector<std::string> codes;
    const Result<IngestReport> report = ingest(store_file, {file}, {}, &codes);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->files_refused, 1u);
    EXPECT_EQ(codes, std::vector<std::string>{"flow-blob-rewritten"});
    EXPECT_EQ(summary(store_file), before);
}

TEST_F(FlowStoreTest, ARecordCutShortIsLeftForTheNextIngest) {
    const auto store_file = path("cut.db");
    const auto file = path("PT1H.json");
    const std::string r1 = vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"});
    const std::string r2 = nsg_record(2, {"1542110379,10.5.16.4,13.67.143.117,59932,443,T,O,A,E,1,66,1,66"});
    const std::string whole = blob({r1, r2});
    write(file, whole.substr(0, whole.find(r2) + r2.size() / 2));
    std::vector<std::string> codes;
    ASSERT_TRUE(ingest(store_file, {file}, {}, &codes).ok());
    EXPECT_EQ(codes, (std::vector<std::string>{"flow-record-malformed", "flow-blob-incomplete"}));
    StoreSummary s = summary_of(store_file);
    EXPECT_EQ(s.records, 1u);
    EXPECT_EQ(s.skipped_records, 0u);
    write(file, whole);
    codes.clear();
    ASSERT_TRUE(ingest(store_file, {file}, {}, &codes).ok());
    EXPECT_TRUE(codes.empty());
    s = summary_of(store_file);
    EXPECT_EQ(s.records, 2u);
    EXPECT_EQ(s.tuples, 2u);
    EXPECT_EQ(s.skipped_records, 0u);
}

TEST_F(FlowStoreTest, SkippedRecordsAndTuplesAreCountedOnce) {
    const auto store_file = path("skipped.db");
    const auto file = path("PT1H.json");
    write(file, blob({vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580", "bad"}),
                      R"({"time":"x","flowLogVersion":2,"flowRecords":{"flows":[]}})"}));
    std::vector<std::string> codes;
    ASSERT_TRUE(ingest(store_file, {file}, {}, &codes).ok());
    EXPECT_EQ(codes, (std::vector<std::string>{"flow-tuple-malformed", "flow-version-unknown"}));
    codes.clear();
    ASSERT_TRUE(ingest(store_file, {file}, {}, &codes).ok());
    EXPECT_TRUE(codes.empty()); // consumed records are not read, nor reported, again
    const StoreSummary s = summary_of(store_file);
    EXPECT_EQ(s.records, 1u);
    EXPECT_EQ(s.skipped_records, 1u);
    EXPECT_EQ(s.tuples, 1u);
    EXPECT_EQ(s.skipped_tuples, 1u);
}

TEST_F(FlowStoreTest, Ipv6ConversationsAndTuplesRoundTrip) {
    const auto store_file = path("v6.db");
    const auto file = path("PT1H.json");
    write(file, blob({vnet_record({"1663146003606,2001:db8::6,2603:1030:40c::10,50000,443,6,O,C,X,1,2,3,4",
                                   "1663146003706,2001:db8::6,2603:1030:40c::10,50001,443,6,O,E,X,5,6,7,8",
                                   "1663146003806,10.0.0.6,ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe,53,53,17,"
                                   "I,D,NX_LOCAL_DST,0,0,0,0"})}));
    IngestOptions options;
    options.keep_tuples = true;
    ASSERT_TRUE(ingest(store_file, {file}, options).ok());
    Result<std::unique_ptr<FlowStore>> store = open_sqlite_store(store_file);
    ASSERT_TRUE(store.ok());
    const Result<std::vector<ConversationRow>> rows = (*store)->conversations();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    const ConversationRow& v6 = rows->at(1).source.is_v6() ? rows->at(1) : rows->at(0);
    const ConversationRow& v4 = rows->at(1).source.is_v6() ? rows->at(0) : rows->at(1);
    EXPECT_EQ(v6.source, *net::Address::parse("2001:db8::6"));
    EXPECT_EQ(v6.destination, *net::Address::parse("2603:1030:40c::10"));
    EXPECT_EQ(v6.totals.tuples, 2u);
    EXPECT_EQ(v6.totals.counters, (Counters{6, 8, 10, 12}));
    EXPECT_EQ(v6.totals.first_seen_ms, 1663146003606);
    EXPECT_EQ(v6.totals.last_seen_ms, 1663146003706);
    EXPECT_EQ(v6.bucket_ms, 1663146000000 - 1663146000000 % 3'600'000);
    EXPECT_EQ(v6.encryption, "X");
    EXPECT_EQ(v6.rule, "AllowWeb");
    EXPECT_EQ(v6.acl, "acl-1");
    EXPECT_EQ(v6.mac, "00224871C205");
    EXPECT_EQ(v6.resource, "/SUBSCRIPTIONS/S/FLOWLOGS/FL");
    EXPECT_EQ(v4.source, *net::Address::parse("10.0.0.6"));
    EXPECT_EQ(v4.destination, *net::Address::parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
    EXPECT_EQ(v4.decision, Decision::Deny);
    EXPECT_EQ(v4.direction, net::Direction::Inbound);
    EXPECT_EQ(v4.protocol, 17);
    EXPECT_EQ(v4.encryption, "NX_LOCAL_DST");
    EXPECT_EQ(summary_of(store_file).kept_tuples, 3u);
}

TEST_F(FlowStoreTest, KeepsTheBucketItWasMadeWith) {
    const auto store_file = path("bucket.db");
    const auto file = path("PT1H.json");
    write(file, blob({vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580",
                                   "1663146963606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"})}));
    ASSERT_TRUE(ingest(store_file, {file}, {}, nullptr, testing::creating(15 * 60'000)).ok());
    EXPECT_EQ(summary_of(store_file).conversations, 2u); // 16 minutes apart: two buckets of 15 minutes
    EXPECT_EQ(summary_of(store_file).bucket_ms, 15 * 60'000);
    const Result<IngestReport> other = ingest(store_file, {file}, {}, nullptr, testing::creating(3'600'000));
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, "store-bucket-mismatch");
    EXPECT_TRUE(ingest(store_file, {file}).ok()); // no bucket asked: the store's
}

TEST(FlowStoreBucket, ParsesMinutesAndUnits) {
    EXPECT_EQ(*parse_bucket("15"), 15 * 60'000);
    EXPECT_EQ(*parse_bucket("15m"), 15 * 60'000);
    EXPECT_EQ(*parse_bucket("1h"), 3'600'000);
    EXPECT_EQ(*parse_bucket("1d"), 86'400'000);
    for (const char* bad : {"", "0", "-5", "7", "2d", "1w", "h", "1.5h"}) {
        const Result<std::int64_t> b = parse_bucket(bad);
        ASSERT_FALSE(b.ok()) << bad;
        EXPECT_EQ(b.error().code, "store-bucket-invalid") << bad;
    }
    EXPECT_EQ(bucket_text(15 * 60'000), "15m");
    EXPECT_EQ(bucket_text(3'600'000), "1h");
}

TEST_F(FlowStoreTest, RefusesWhatIsNotAStore) {
    const auto garbage = path("garbage.db");
    write(garbage, std::string(4096, 'x'));
    Result<std::unique_ptr<FlowStore>> opened = open_sqlite_store(garbage, testing::creating());
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "store-not-a-store");
    EXPECT_NE(opened.error().message.find("garbage.db"), std::string::npos);

    const auto other = path("other.db");
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.string().c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    opened = open_sqlite_store(other, testing::creating());
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "store-not-a-store");

    opened = open_sqlite_store(path("missing.db"));
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "store-open-failed");
}

TEST_F(FlowStoreTest, RefusesAnotherSchemaVersion) {
    const auto store_file = path("future.db");
    ASSERT_TRUE(open_sqlite_store(store_file, testing::creating()).ok());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store_file.string().c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE name = 'schema_version'", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const Result<std::unique_ptr<FlowStore>> opened = open_sqlite_store(store_file);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "store-schema-unknown");
    EXPECT_NE(opened.error().message.find("'99'"), std::string::npos);
}

// Many small blobs go into one chunk. Another ingester that commits some of them after they were
// summed, before the chunk is, makes the chunk stale: nothing of it is written, and its blobs are
// read again from the newer checkpoints, so that the totals are those of one ingest.
TEST_F(FlowStoreTest, AChunkOtherIngestersOvertookIsReadAgain) {
    const auto input = path("insights-logs-flowlogflowevent");
    testing::generate_folder(input, 5, 12);
    const auto reference = path("reference.db");
    ASSERT_TRUE(ingest(reference, {input}).ok());

    const auto store_file = path("overtaken.db");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(input))
        if (entry.is_regular_file())
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 5u);
    int records = 0;
    IngestOptions options;
    options.hook = [&](IngestPoint at) {
        // Two blobs are summed (and a record of the third): another ingester commits the first
        // whole and the third in part.
        if (at == IngestPoint::RecordDone && ++records == 25) {
            IngestOptions other;
            other.chunk_records = 5;
            other.hook = [stop = 0](IngestPoint point) mutable {
                if (point == IngestPoint::AfterCommit && ++stop == 4)
                    throw std::runtime_error("the other ingester stops");
            };
            try {
                (void)ingest(store_file, {files[0], files[2]}, other);
            } catch (const std::runtime_error&) {
            }
        }
    };
    const Result<IngestReport> report = ingest(store_file, {input}, options);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_GE(records, 25);
    EXPECT_EQ(summary(store_file), summary(reference));
    EXPECT_EQ(report->files_read, 5u);
}

// A blob named twice (two copies of one container synced to two folders have the same key) is
// read the second time from the checkpoint the first reading left, never from the same one twice.
TEST_F(FlowStoreTest, TheSameBlobTwiceInOneIngestCountsOnce) {
    const auto first = path("a/insights-logs-flowlogflowevent");
    const auto second = path("b/insights-logs-flowlogflowevent");
    testing::generate_folder(first, 3, 4);
    testing::generate_folder(second, 3, 4);
    const auto reference = path("reference.db");
    ASSERT_TRUE(ingest(reference, {first}).ok());
    const auto store_file = path("twice.db");
    const Result<IngestReport> report = ingest(store_file, {first, second, first});
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->files_read, 9u);
    EXPECT_EQ(report->files_unchanged, 6u);
    EXPECT_EQ(summary(store_file), summary(reference));
}

TEST(BlobKey, StartsAtTheContainerFolder) {
    EXPECT_EQ(blob_key("/data/sync/insights-logs-flowlogflowevent/flowLogResourceID=/X/y=2024/PT1H.json"),
              "insights-logs-flowlogflowevent/flowLogResourceID=/X/y=2024/PT1H.json");
    EXPECT_EQ(blob_key("/elsewhere/insights-logs-flowlogflowevent/flowLogResourceID=/X/y=2024/PT1H.json"),
              "insights-logs-flowlogflowevent/flowLogResourceID=/X/y=2024/PT1H.json");
    EXPECT_EQ(blob_key("/tmp/a/../b/PT1H.json"), "/tmp/b/PT1H.json");
}

TEST(PrefixHash, IsTheSameHoweverTheBytesAreCut) {
    // Several 32-byte stripes and a partial one, cut in three pieces at every pair of places.
    const std::string text = "{\"records\":[{\"a\":1},{\"b\":22},{\"c\":333}]} and some more bytes, "
                             "long enough to fill a few stripes of the hash and leave a tail";
    const std::uint64_t whole = prefix_hash(text);
    for (std::size_t first = 0; first <= text.size(); first += 3) {
        for (std::size_t second = first; second <= text.size(); second += 5) {
            PrefixHash hash;
            hash.update(std::string_view(text).substr(0, first));
            hash.update(std::string_view(text).substr(first, second - first));
            hash.update(std::string_view(text).substr(second));
            EXPECT_EQ(hash.value(), whole) << first << " " << second;
        }
    }
    EXPECT_NE(prefix_hash("a"), prefix_hash(std::string("a\0", 2)));
    EXPECT_NE(prefix_hash(text), prefix_hash(text.substr(1)));
    for (std::size_t at : {std::size_t{0}, std::size_t{31}, std::size_t{64}, text.size() - 1}) {
        std::string changed = text;
        changed[at] ^= 1;
        EXPECT_NE(prefix_hash(changed), whole) << at;
    }
}

} // namespace
} // namespace ztnet::flows::store
