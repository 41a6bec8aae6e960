// Reading blobs ahead on another thread, each summed there, stores exactly what reading each in its
// turn, tuple by tuple, stores: the same conversations, checkpoints and totals, and the same
// diagnostics in the same order, however far ahead it reads and wherever chunks end. (When another
// ingester moves a checkpoint a read ahead started from: test_flow_store.cpp's
// AChunkOtherIngestersOvertookIsReadAgain.) Built under ThreadSanitizer too.
#include <fmt/format.h>

#include "ztnet/support/parallel.h"

#include "store_test_support.h"

namespace ztnet::flows::store {
namespace {

using testing::blob;
using testing::nsg_record;
using testing::summary;
using testing::vnet_record;

// What an ingest left: its report, the store's summary and rows, and its diagnostics, each with
// its file's name and offset, as one comparable text.
struct Outcome {
    std::string report;
    std::string summary;
    std::string rows;
    std::string diagnostics;
};

std::string rows_of(const std::string& store_file) {
    Result<std::unique_ptr<FlowStore>> store = open_store(store_file);
    if (!store)
        return store.error().code;
    const Result<std::vector<ConversationRow>> rows = (*store)->conversations();
    if (!rows)
        return rows.error().code;
    std::string out;
    for (const ConversationRow& row : *rows)
        out += fmt::format(
            "{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}\n", row.bucket_ms, row.source.to_string(),
            row.destination.to_string(), row.destination_port, row.protocol, static_cast<int>(row.direction),
            static_cast<int>(row.decision), row.resource, row.acl, row.rule, row.mac, row.encryption,
            row.totals.tuples, row.totals.flows_begun, row.totals.counters.packets_sent,
            row.totals.counters.bytes_received, row.totals.first_seen_ms, row.totals.last_seen_ms);
    return out;
}

Outcome ingest_with(const std::string& store_file, const std::vector<std::filesystem::path>& paths,
                    IngestOptions options) {
    Outcome out;
    {
        ThreadPool pool(2); // a worker to read ahead on, whatever the machine
        ThreadPool::Scope scope(pool);
        Result<std::unique_ptr<FlowStore>> opened = open_store(store_file, testing::creating());
        if (!opened)
            return {opened.error().code, {}, {}, {}};
        SourceSet sources;
        Diagnostics diagnostics;
        FlowIngest ingest(**opened, sources, diagnostics, std::move(options));
        const Result<IngestReport> report = ingest.ingest(paths);
        out.report = report
                         ? fmt::format("{} read, {} unchanged, {} refused, {} records, {} tuples, {} skipped",
                                       report->files_read, report->files_unchanged, report->files_refused,
                                       report->added.records, report->added.tuples,
                                       report->added.skipped_records + report->added.skipped_tuples)
                         : report.error().code;
        for (const Diagnostic& d : diagnostics.all())
            out.diagnostics += fmt::format(
                "{} {} {} [{}] {}\n", to_string(d.severity),
                d.where.has_file() ? std::filesystem::path(sources.name(d.where.file)).filename().string()
                                   : "-",
                d.where.offset, d.code, d.message);
    }
    out.summary = summary(store_file);
    out.rows = rows_of(store_file);
    return out;
}

class ReadAhead : public testing::ScratchTest {
  protected:
    // Generated blobs, one with broken tuples and a broken record (diagnostics in the middle of a
    // read, and the reader's count of problems not shown one by one), one whose last record has no
    // end yet (the read stops there), and the published samples.
    std::vector<std::filesystem::path> inputs() {
        const auto generated = path("insights-logs-flowlogflowevent");
        testing::generate_folder(generated, 9, 14);
        std::vector<std::string> broken;
        for (int i = 0; i < 30; ++i)
            broken.push_back(
                vnet_record({flows::testing::kVnetTuple, "1663146003606,10.0.0.6,not-an-address",
                             "1663146003606,10.0.0.6,10.0.1.4,23956,99999,6,O,E,NX,3,767,2,1580"}));
        broken.insert(broken.begin() + 5,
                      R"({"time": "2022-09-14T09:00:52Z", "flowLogVersion": 4, "flowRecords": )");
        write(path("broken/PT1H.json"), blob(broken));
        std::string cut =
            blob({vnet_record({flows::testing::kVnetTuple}), nsg_record(2, {flows::testing::kNsgV2Tuple})});
        cut = cut.substr(0, cut.size() - 40);
        write(path("cut/PT1H.json"), cut);
        return {generated, path("broken"), path("cut"),
                std::filesystem::path(ZTNET_SOURCE_DIR) / "tests/data/flowlogs"};
    }
};

TEST_F(ReadAhead, StoresWhatReadingEachBlobInItsTurnStores) {
    const std::vector<std::filesystem::path> paths = inputs();
    IngestOptions in_turn;
    in_turn.read_ahead = false;
    const Outcome expected = ingest_with(path("in-turn.db"), paths, in_turn);
    ASSERT_NE(expected.rows, "");
    ASSERT_NE(expected.diagnostics.find("flow-more-problems"), std::string::npos) << expected.diagnostics;
    ASSERT_NE(expected.diagnostics.find("flow-blob-incomplete"), std::string::npos) << expected.diagnostics;

    struct Setting {
        const char* name;
        std::uint64_t ahead_bytes;
        std::uint64_t chunk_records;
    };
    // Far ahead; a budget of one byte (each blob is only loaded ahead, and read in its turn); chunks
    // of two blobs (a chunk is committed before a blob that would not fit in it); chunks smaller
    // than a blob (those blobs are read in their turn, their chunks ending inside them).
    for (const Setting setting : {Setting{"far", std::uint64_t{1} << 30, 20'000}, Setting{"one", 1, 20'000},
                                  Setting{"two blobs a chunk", std::uint64_t{1} << 30, 30},
                                  Setting{"small chunks", std::uint64_t{1} << 30, 7}}) {
        IngestOptions ahead;
        ahead.read_ahead_bytes = setting.ahead_bytes;
        ahead.chunk_records = setting.chunk_records;
        IngestOptions reference = in_turn;
        reference.chunk_records = setting.chunk_records;
        const Outcome wanted =
            setting.chunk_records == 20'000
                ? expected
                : ingest_with(path(std::string(setting.name) + "-in-turn.db"), paths, reference);
        const Outcome got = ingest_with(path(std::string(setting.name) + ".db"), paths, ahead);
        EXPECT_EQ(got.report, wanted.report) << setting.name;
        EXPECT_EQ(got.summary, wanted.summary) << setting.name;
        EXPECT_EQ(got.rows, wanted.rows) << setting.name;
        EXPECT_EQ(got.diagnostics, wanted.diagnostics) << setting.name;
    }
}

// Ingesting again reads every blob ahead from the checkpoint it has, and adds nothing; a blob that
// grew meanwhile adds exactly its new records.
TEST_F(ReadAhead, ResumesFromEachBlobsCheckpoint) {
    const auto input = path("insights-logs-flowlogflowevent");
    testing::generate_folder(input, 6, 10);
    const auto store_file = path("again.db");
    ASSERT_TRUE(testing::ingest(store_file, {input}).ok());
    const std::string once = summary(store_file);
    const Result<IngestReport> again = testing::ingest(store_file, {input});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->files_unchanged, 6u);
    EXPECT_EQ(summary(store_file), once);

    // Azure appends to each hour's blob while the hour runs: three more records in each.
    std::mt19937_64 rng(11);
    for (int f = 0; f < 6; ++f) {
        const auto file = input / ("h=" + std::to_string(f)) / "PT1H.json";
        std::ifstream in(file, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        ASSERT_TRUE(text.ends_with("\n]}"));
        text.resize(text.size() - 3);
        for (int r = 0; r < 3; ++r)
            text += ",\n" + testing::generated_record(rng, 5);
        write(file, text + "\n]}");
    }
    const auto reference = path("reference.db");
    ASSERT_TRUE(testing::ingest(reference, {input}).ok());
    const Result<IngestReport> grown = testing::ingest(store_file, {input});
    ASSERT_TRUE(grown.ok());
    EXPECT_EQ(summary(store_file), summary(reference));
}

} // namespace
} // namespace ztnet::flows::store
