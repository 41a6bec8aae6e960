// The PostgreSQL store: which --store strings name it, passwords kept out of every message, and,
// when ZTNET_TEST_POSTGRES holds a connection string, the SQLite store's behaviours on a real
// server, each test in fresh schemas of its own: the same totals and rows as SQLite, exactly once,
// growing and rewritten blobs, concurrent ingesters and creators, kills at every hook point.
#include <algorithm>
#include <cctype>
#include <libpq-fe.h>

#include <fmt/format.h>

#include "ztnet/flows/store/schema.h"

#include "store_test_support.h"

namespace ztnet::flows::store {
namespace {

using testing::blob;
using testing::ingest;
using testing::summary;
using testing::summary_of;
using testing::vnet_record;

TEST(StoreLocation, TellsPostgresFromFiles) {
    for (const char* postgres : {"postgresql://db.example/flows", "postgres://u@h/db", "host=db dbname=flows",
                                 "service=flows", "  dbname = flows", "sslmode=require host=db"})
        EXPECT_TRUE(is_postgres_location(postgres)) << postgres;
    for (const char* file :
         {"flows.db", "/var/lib/flows.db", "./host=x.db", "postgresql:/x", "=x", "", "a b=c"})
        EXPECT_FALSE(is_postgres_location(file)) << file;
}

TEST(StoreLocation, RedactsPasswords) {
    EXPECT_EQ(redact_password("postgresql://user:secret@host/db"), "postgresql://user:***@host/db");
    EXPECT_EQ(redact_password("postgres://:secret@host:5432/db?sslmode=require"),
              "postgres://:***@host:5432/db?sslmode=require");
    EXPECT_EQ(redact_password("postgresql://user@host/db"), "postgresql://user@host/db");
    EXPECT_EQ(redact_password("postgresql://host/db?user=u&password=secret&sslmode=require"),
              "postgresql://host/db?user=u&password=***&sslmode=require");
    EXPECT_EQ(redact_password("postgresql://u:p%40ss@host/db"), "postgresql://u:***@host/db");
    EXPECT_EQ(redact_password("host=db password=secret dbname=flows"), "host=db password=*** dbname=flows");
    EXPECT_EQ(redact_password("password = 'with \\' quote' host=db"), "password = *** host=db");
    EXPECT_EQ(redact_password("host=db sslpassword=key"), "host=db sslpassword=***");
    EXPECT_EQ(redact_password("host=db dbname=flows"), "host=db dbname=flows");
    EXPECT_EQ(redact_password("flows.db"), "flows.db");
}

TEST(StoreLocation, ScrubsPasswordsAsWrittenAndAsRead) {
    EXPECT_EQ(scrub_passwords("bad token: \"p%40ss\", or p@ss", "postgresql://u:p%40ss@host/db"),
              "bad token: \"***\", or ***");
    EXPECT_EQ(scrub_passwords("saw it's", "password='it\\'s' host=db"), "saw ***");
    EXPECT_EQ(scrub_passwords("nothing to hide", "host=db"), "nothing to hide");
}

TEST(SchemaSql, SpellsNumberedParametersForPostgres) {
    EXPECT_EQ(schema::postgres_parameters("SELECT ?1, ?12 FROM t WHERE a = ?2"),
              "SELECT $1, $12 FROM t WHERE a = $2");
    const std::string upsert = schema::postgres_parameters(schema::conversation_upsert());
    EXPECT_EQ(upsert.find('?'), std::string::npos);
    EXPECT_NE(upsert.find("$24)"), std::string::npos) << upsert;
}

// No server needed: nothing listens on a socket in a folder that does not exist.
TEST(PostgresStoreErrors, ABadConnectionGivesAClearErrorWithoutThePassword) {
    const char* cases[] = {
        "postgresql://alice:s3cr3t-pw@/flows?host=/nonexistent-ztnet-socket-dir",
        "host=/nonexistent-ztnet-socket-dir user=alice password='s3cr3t-pw' dbname=flows",
        "postgresql://alice:s3cr3t-pw%zz@host.invalid/flows",
        "host=/nonexistent-ztnet-socket-dir password=s3cr3t-pw nonsense_keyword=1",
    };
    for (const char* connection : cases) {
        const Result<std::unique_ptr<FlowStore>> opened = open_store(connection, testing::creating());
        ASSERT_FALSE(opened.ok()) << connection;
        EXPECT_EQ(opened.error().code, "store-open-failed") << connection;
        EXPECT_EQ(opened.error().message.find("s3cr3t"), std::string::npos) << opened.error().message;
        EXPECT_NE(opened.error().message.find("***"), std::string::npos) << opened.error().message;
        EXPECT_NE(opened.error().message.find("cannot connect"), std::string::npos) << opened.error().message;
    }
}

void quiet(void* /*unused*/, const char* /*message*/) {}

// A server from ZTNET_TEST_POSTGRES, and stores in fresh schemas dropped after the test.
class PostgresStore : public testing::ScratchTest {
  protected:
    void SetUp() override {
        ScratchTest::SetUp();
        const char* server = std::getenv("ZTNET_TEST_POSTGRES");
        if (server == nullptr || *server == '\0')
            GTEST_SKIP() << "ZTNET_TEST_POSTGRES is not set; set it to a libpq connection string (a database "
                            "the tests may create schemas in) to run the PostgreSQL store tests";
        server_ = server;
        admin_ = PQconnectdb(server);
        ASSERT_EQ(PQstatus(admin_), CONNECTION_OK)
            << redact_password(server_) << ": " << PQerrorMessage(admin_);
        PQsetNoticeProcessor(admin_, quiet, nullptr);
    }
    void TearDown() override {
        for (const std::string& schema : schemas_)
            admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        PQfinish(admin_);
        ScratchTest::TearDown();
    }

    void admin(const std::string& sql) {
        PGresult* result = PQexec(admin_, sql.c_str());
        const ExecStatusType status = PQresultStatus(result);
        EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            << sql << ": " << PQresultErrorMessage(result);
        PQclear(result);
    }

    // The connection string of a store in a new, empty schema of this test's own.
    std::string fresh_store() {
        std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::transform(test.begin(), test.end(), test.begin(), [](unsigned char c) {
            return std::isalnum(c) != 0 ? static_cast<char>(std::tolower(c)) : '_';
        });
        const std::string schema =
            fmt::format("ztnet_test_{}_{}_{}", test.substr(0, 30), ::getpid(), schemas_.size());
        admin("CREATE SCHEMA " + schema);
        schemas_.push_back(schema);
        const bool uri = server_.find("://") != std::string::npos;
        return uri ? fmt::format("{}{}options=-csearch_path%3D{}", server_,
                                 server_.find('?') == std::string::npos ? '?' : '&', schema)
                   : fmt::format("{} options='-csearch_path={}'", server_, schema);
    }

    std::string server_;
    PGconn* admin_ = nullptr;
    std::vector<std::string> schemas_;
};

std::filesystem::path samples() {
    return std::filesystem::path(ZTNET_SOURCE_DIR) / "tests/data/flowlogs";
}

std::string row_text(const ConversationRow& c) {
    const Counters& n = c.totals.counters;
    return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}", c.bucket_ms,
                       c.source.to_string(), c.destination.to_string(), c.destination_port, c.protocol,
                       static_cast<int>(c.direction), static_cast<int>(c.decision), c.resource, c.acl, c.rule,
                       c.mac, c.encryption, c.totals.tuples, c.totals.flows_begun, n.packets_sent,
                       n.bytes_sent, n.packets_received, n.bytes_received, c.totals.first_seen_ms,
                       c.totals.last_seen_ms);
}

std::vector<std::string> rows_of(const std::string& store_name) {
    Result<std::unique_ptr<FlowStore>> store = open_store(store_name);
    EXPECT_TRUE(store.ok()) << (store ? "" : store.error().message);
    if (!store)
        return {};
    const Result<std::vector<ConversationRow>> rows = (*store)->conversations();
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (const ConversationRow& row : rows ? *rows : std::vector<ConversationRow>{})
        out.push_back(row_text(row));
    std::sort(out.begin(), out.end()); // rows are ordered by text ids, which each store numbers its own way
    return out;
}

IngestOptions small_chunks() {
    IngestOptions options;
    options.chunk_records = 7;
    options.keep_tuples = true;
    return options;
}

TEST_F(PostgresStore, GivesTheSqliteStoresTotalsAndRows) {
    const std::filesystem::path generated = path("insights-logs-flowlogflowevent");
    testing::generate_folder(generated, 3, 40);
    const std::vector<std::filesystem::path> inputs = {samples(), generated};
    const std::string store = fresh_store();
    const auto reference = path("reference.db");
    ASSERT_TRUE(ingest(reference, inputs, small_chunks()).ok());
    const Result<IngestReport> report = ingest(store, inputs, small_chunks());
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->added.files, 6u);
    EXPECT_EQ(summary(store), summary(reference));
    EXPECT_EQ(rows_of(store), rows_of(reference));
    EXPECT_GT(summary_of(store).kept_tuples, 0u);
}

TEST_F(PostgresStore, StoresTheSamplesTotals) {
    const std::string store = fresh_store();
    ASSERT_TRUE(ingest(store, {samples() / "nsg-flow-log-v2-sample.json"}).ok());
    const StoreSummary s = summary_of(store);
    EXPECT_EQ(s.files, 1u);
    EXPECT_EQ(s.records, 2u);
    EXPECT_EQ(s.tuples, 11u);
    EXPECT_EQ(s.allowed, 4u);
    EXPECT_EQ(s.denied, 7u);
    EXPECT_EQ(s.counters, (Counters{46, 25533, 37, 21128}));
}

TEST_F(PostgresStore, IngestingTwiceAddsNothing) {
    const std::string store = fresh_store();
    ASSERT_TRUE(ingest(store, {samples()}).ok());
    const std::string first = summary(store);
    const Result<IngestReport> again = ingest(store, {samples()});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->files_unchanged, 3u);
    EXPECT_EQ(again->added.records, 0u);
    EXPECT_EQ(summary(store), first);
    EXPECT_NE(first.find("\"tuples\": 42"), std::string::npos) << first;
}

TEST_F(PostgresStore, AGrowingBlobAddsExactlyItsNewRecords) {
    const std::string store = fresh_store();
    const auto file = path("insights-logs-flowlogflowevent/h=09/PT1H.json");
    const std::string r1 = vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"});
    const std::string r2 = vnet_record({"1663146003607,10.0.0.6,10.0.1.4,23957,443,6,O,B,NX,0,0,0,0"});
    const std::string r3 = vnet_record({"1663146063000,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,5,1000,6,2000"});
    write(file, blob({r1, r2}));
    ASSERT_TRUE(ingest(store, {file}).ok());
    write(file, blob({r1, r2, r3}));
    const Result<IngestReport> report = ingest(store, {file});
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->added.records, 1u);
    const StoreSummary s = summary_of(store);
    EXPECT_EQ(s.records, 3u);
    EXPECT_EQ(s.tuples, 3u);
    EXPECT_EQ(s.counters, (Counters{8, 1767, 8, 3580}));
    const auto once = path("once.db");
    ASSERT_TRUE(ingest(once, {file}).ok());
    EXPECT_EQ(summary(store), summary(once));
}

TEST_F(PostgresStore, ARewrittenBlobIsRefusedNotCountedTwice) {
    const std::string store = fresh_store();
    const auto file = path("PT1H.json");
    write(file, blob({vnet_record({"1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"})}));
    ASSERT_TRUE(ingest(store, {file}).ok());
    const std::string before = summary(store);
    write(file, blob({vnet_record({"1663146003606,10.0.0.9,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580"})}));
    std::vector<std::string> codes;
    const Result<IngestReport> report = ingest(store, {file}, {}, &codes);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->files_refused, 1u);
    EXPECT_EQ(codes, std::vector<std::string>{"flow-blob-rewritten"});
    EXPECT_EQ(summary(store), before);
}

// A rule name PostgreSQL could not keep as a key (longer than its unique index takes, or with a NUL)
// costs its record, not the ingest: the records around it are stored.
TEST_F(PostgresStore, ARecordWithAnUnkeepableNameCostsOnlyItself) {
    const std::string store = fresh_store();
    const auto file = path("PT1H.json");
    const std::string tuple = "1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580";
    write(file, blob({vnet_record({tuple}), vnet_record({tuple}, std::string(3000, 'r')),
                      vnet_record({tuple}, "Allow\\u0000Web"), vnet_record({tuple})}));
    std::vector<std::string> codes;
    const Result<IngestReport> report = ingest(store, {file}, {}, &codes);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->added.records, 2u);
    EXPECT_EQ(report->added.skipped_records, 2u);
    EXPECT_EQ(codes, (std::vector<std::string>{"flow-record-malformed", "flow-record-malformed"}));
    const auto sqlite = path("same.db");
    ASSERT_TRUE(ingest(sqlite, {file}).ok());
    EXPECT_EQ(summary(store), summary(sqlite));
}

TEST_F(PostgresStore, KeepsItsBucketAndRefusesWhatIsNotAStore) {
    const std::string store = fresh_store();
    ASSERT_TRUE(open_store(store, testing::creating(15 * 60'000)).ok());
    Result<std::unique_ptr<FlowStore>> opened = open_store(store, testing::creating(3'600'000));
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "store-bucket-mismatch");
    EXPECT_EQ(summary_of(store).bucket_ms, 15 * 60'000);
    admin("UPDATE " + schemas_.back() + ".meta SET value = '99' WHERE name = 'schema_version'");
    EXPECT_EQ(summary(store), "store-schema-unknown");

    const std::string empty = fresh_store();
    EXPECT_EQ(summary(empty), "store-not-a-store"); // a summary creates nothing
    const std::string other = fresh_store();
    admin("CREATE TABLE " + schemas_.back() + ".texts (x INTEGER)");
    opened = open_store(other, testing::creating());
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, "store-not-a-store");
}

// The connection string, and so its password, is never written into the store.
TEST_F(PostgresStore, KeepsNoConnectionStringInTheStore) {
    const std::string store = fresh_store();
    ASSERT_TRUE(ingest(store, {samples()}).ok());
    PGresult* meta = PQexec(admin_, ("SELECT count(*) FROM " + schemas_.back() + ".meta").c_str());
    EXPECT_STREQ(PQgetvalue(meta, 0, 0), "2");
    PQclear(meta);
    PGresult* texts = PQexec(
        admin_,
        ("SELECT count(*) FROM " + schemas_.back() + ".texts WHERE text LIKE '%search_path%'").c_str());
    EXPECT_STREQ(PQgetvalue(texts, 0, 0), "0");
    PQclear(texts);
}

// Three processes create the store and ingest the same blobs at once: the totals are those of one.
TEST_F(PostgresStore, ConcurrentIngestersGiveTheTotalsOfOne) {
    const std::filesystem::path input = path("insights-logs-flowlogflowevent");
    testing::generate_folder(input, 4, 30);
    const auto reference = path("reference.db");
    ASSERT_TRUE(ingest(reference, {input}, small_chunks()).ok());
    const std::string store = fresh_store();
    EXPECT_TRUE(testing::ingest_at_once(store, {input}, small_chunks(), 3));
    EXPECT_EQ(summary(store), summary(reference));
    EXPECT_EQ(rows_of(store), rows_of(reference));
}

// Four workers take the blobs in different orders, so they add to the same conversations from
// different blobs at the same time: writing rows in key order, they wait for each other and never
// deadlock, and every blob is counted once.
TEST_F(PostgresStore, WorkersOnDifferentBlobsShareConversationsWithoutDeadlock) {
    const std::filesystem::path input = path("insights-logs-flowlogflowevent");
    testing::generate_folder(input, 8, 60);
    std::vector<std::filesystem::path> blobs;
    for (int f = 0; f < 8; ++f)
        blobs.push_back(input / ("h=" + std::to_string(f)) / "PT1H.json");
    const auto reference = path("reference.db");
    ASSERT_TRUE(ingest(reference, blobs).ok());
    const std::string store = fresh_store();
    ASSERT_TRUE(open_store(store, testing::creating()).ok());
    std::vector<pid_t> workers;
    for (int w = 0; w < 4; ++w) {
        std::vector<std::filesystem::path> order = blobs;
        std::rotate(order.begin(), order.begin() + 2 * w, order.end());
        if (w % 2 == 1)
            std::reverse(order.begin(), order.end());
        const pid_t child = fork();
        if (child == 0)
            std::_Exit(ingest(store, order).ok() ? 0 : 1);
        workers.push_back(child);
    }
    for (const pid_t child : workers) {
        int status = 0;
        waitpid(child, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    EXPECT_EQ(summary(store), summary(reference));
    EXPECT_EQ(rows_of(store), rows_of(reference));
}

TEST_F(PostgresStore, ResumingAfterAKillGivesTheUninterruptedTotals) {
    const std::filesystem::path input = path("insights-logs-flowlogflowevent");
    testing::generate_folder(input, 4, 30);
    const auto reference = path("reference.db");
    ASSERT_TRUE(ingest(reference, {input}, small_chunks()).ok());
    const std::string expected = summary(reference);
    const std::pair<IngestPoint, int> points[] = {
        {IngestPoint::RecordDone, 1},   {IngestPoint::RecordDone, 45},  {IngestPoint::RecordDone, 119},
        {IngestPoint::BeforeCommit, 1}, {IngestPoint::BeforeCommit, 9}, {IngestPoint::AfterCommit, 1},
        {IngestPoint::AfterCommit, 16},
    };
    for (const auto& [point, nth] : points) {
        const std::string store = fresh_store();
        ASSERT_TRUE(testing::ingest_killed(store, {input}, small_chunks(), point, nth))
            << static_cast<int>(point) << " #" << nth;
        const Result<IngestReport> resumed = ingest(store, {input}, small_chunks());
        ASSERT_TRUE(resumed.ok()) << resumed.error().message;
        EXPECT_EQ(summary(store), expected) << static_cast<int>(point) << " #" << nth;
    }
}

} // namespace
} // namespace ztnet::flows::store
