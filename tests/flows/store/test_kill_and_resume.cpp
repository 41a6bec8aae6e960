// Exactly once under SIGKILL and under concurrency: a child process ingests and is killed at a
// chosen point (mid-chunk, before commit, right after commit); the parent resumes, and the store
// must equal one ingested without interruption. Two processes ingesting at once must too.
#include "store_test_support.h"

namespace ztnet::flows::store {
namespace {

using testing::ingest;
using testing::summary;

struct KillPoint {
    IngestPoint point;
    int nth; // killed at the nth time the point is reached
};

// Small chunks, so that a blob spans several transactions.
IngestOptions small_chunks() {
    IngestOptions options;
    options.chunk_records = 7;
    options.keep_tuples = true;
    return options;
}

class KillAndResume : public testing::ScratchTest {
  protected:
    void SetUp() override {
        ScratchTest::SetUp();
        input_ = path("insights-logs-flowlogflowevent");
        testing::generate_folder(input_, 4, 30);
        reference_ = path("reference.db");
        ASSERT_TRUE(ingest(reference_, {input_}, small_chunks()).ok());
    }

    // A child ingesting into `store_file`, killed at `kill`; whether it was killed.
    bool killed_child(const std::filesystem::path& store_file, KillPoint kill) {
        return testing::ingest_killed(store_file, {input_}, small_chunks(), kill.point, kill.nth);
    }

    std::filesystem::path input_;
    std::filesystem::path reference_;
};

TEST_F(KillAndResume, ResumingAfterAKillGivesTheUninterruptedTotals) {
    const std::string expected = summary(reference_);
    ASSERT_NE(expected.find("\"files\": 4"), std::string::npos) << expected;
    const KillPoint points[] = {
        {IngestPoint::RecordDone, 1},   {IngestPoint::RecordDone, 10},  {IngestPoint::RecordDone, 45},
        {IngestPoint::RecordDone, 119}, {IngestPoint::BeforeCommit, 1}, {IngestPoint::BeforeCommit, 5},
        {IngestPoint::BeforeCommit, 9}, {IngestPoint::AfterCommit, 1},  {IngestPoint::AfterCommit, 5},
        {IngestPoint::AfterCommit, 16},
    };
    int n = 0;
    for (const KillPoint& kill : points) {
        const auto store_file = path("killed-" + std::to_string(n++) + ".db");
        ASSERT_TRUE(killed_child(store_file, kill)) << static_cast<int>(kill.point) << " #" << kill.nth;
        const Result<IngestReport> resumed = ingest(store_file, {input_}, small_chunks());
        ASSERT_TRUE(resumed.ok()) << resumed.error().message;
        EXPECT_EQ(summary(store_file), expected) << static_cast<int>(kill.point) << " #" << kill.nth;
    }
}

TEST_F(KillAndResume, KilledTwiceThenResumed) {
    const auto store_file = path("twice.db");
    ASSERT_TRUE(killed_child(store_file, {IngestPoint::BeforeCommit, 3}));
    ASSERT_TRUE(killed_child(store_file, {IngestPoint::RecordDone, 30}));
    ASSERT_TRUE(ingest(store_file, {input_}, small_chunks()).ok());
    EXPECT_EQ(summary(store_file), summary(reference_));
}

TEST_F(KillAndResume, TwoProcessesAtOnceGiveTheTotalsOfOne) {
    const auto store_file = path("shared.db");
    ASSERT_TRUE(open_sqlite_store(store_file, testing::creating()).ok());
    EXPECT_TRUE(testing::ingest_at_once(store_file, {input_}, small_chunks(), 2));
    EXPECT_EQ(summary(store_file), summary(reference_));
}

} // namespace
} // namespace ztnet::flows::store
