#include "ztnet/flows/store/sqlite_flow_store.h"

#include <algorithm>
#include <sqlite3.h>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ztnet/flows/store/schema.h"

namespace ztnet::flows::store {

namespace {

namespace fs = std::filesystem;

// Types as SQLite spells them; the names and the key are schema.h's. Addresses are two 64-bit
// halves (the bits of an unsigned value in a signed column) and their family (4 or 6): fixed
// size, both families alike, and an equality key without text.
constexpr std::string_view kCreate = R"(
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE blobs (
    blob_key TEXT PRIMARY KEY, records INTEGER NOT NULL, offset_bytes INTEGER NOT NULL,
    prefix_hash INTEGER NOT NULL, read_records INTEGER NOT NULL, tuples INTEGER NOT NULL,
    skipped_records INTEGER NOT NULL, skipped_tuples INTEGER NOT NULL);
CREATE TABLE conversations (
    bucket_ms INTEGER NOT NULL,
    src_family INTEGER NOT NULL, src_hi INTEGER NOT NULL, src_lo INTEGER NOT NULL,
    dst_family INTEGER NOT NULL, dst_hi INTEGER NOT NULL, dst_lo INTEGER NOT NULL,
    dst_port INTEGER NOT NULL, protocol INTEGER NOT NULL, direction INTEGER NOT NULL,
    decision INTEGER NOT NULL, rule_id INTEGER NOT NULL, acl_id INTEGER NOT NULL,
    resource_id INTEGER NOT NULL, mac_id INTEGER NOT NULL, encryption_id INTEGER NOT NULL,
    tuples INTEGER NOT NULL, flows_begun INTEGER NOT NULL,
    packets_sent INTEGER NOT NULL, bytes_sent INTEGER NOT NULL,
    packets_received INTEGER NOT NULL, bytes_received INTEGER NOT NULL,
    first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
    PRIMARY KEY (bucket_ms, src_family, src_hi, src_lo, dst_family, dst_hi, dst_lo, dst_port, protocol,
                 direction, decision, rule_id, acl_id, resource_id, mac_id, encryption_id)
) WITHOUT ROWID;
CREATE TABLE tuples (
    blob_id INTEGER NOT NULL, record_index INTEGER NOT NULL, position INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    src_family INTEGER NOT NULL, src_hi INTEGER NOT NULL, src_lo INTEGER NOT NULL,
    dst_family INTEGER NOT NULL, dst_hi INTEGER NOT NULL, dst_lo INTEGER NOT NULL,
    src_port INTEGER NOT NULL, dst_port INTEGER NOT NULL, protocol INTEGER NOT NULL,
    direction INTEGER NOT NULL, decision INTEGER NOT NULL, state INTEGER NOT NULL,
    has_counters INTEGER NOT NULL, packets_sent INTEGER NOT NULL, bytes_sent INTEGER NOT NULL,
    packets_received INTEGER NOT NULL, bytes_received INTEGER NOT NULL,
    rule_id INTEGER NOT NULL, acl_id INTEGER NOT NULL, resource_id INTEGER NOT NULL,
    mac_id INTEGER NOT NULL, encryption_id INTEGER NOT NULL,
    PRIMARY KEY (blob_id, record_index, position)
) WITHOUT ROWID;
)";

constexpr std::string_view kFailed = "store-write-failed";

std::int64_t as_stored(std::uint64_t value) {
    return static_cast<std::int64_t>(value > kMaxStored ? kMaxStored : value);
}

// One prepared statement, reset after every use.
class Statement {
  public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(statement_); }

    int prepare(sqlite3* db, std::string_view sql) {
        sqlite3_finalize(statement_);
        statement_ = nullptr;
        return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                  &statement_, nullptr);
    }
    Statement& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(statement_, index, value);
        return *this;
    }
    Statement& bind(int index, std::string_view text) {
        sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error.
    int step() { return sqlite3_step(statement_); }
    std::int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
    std::string text(int column) const {
        const auto* bytes = sqlite3_column_text(statement_, column);
        return bytes == nullptr
                   ? std::string()
                   : std::string(reinterpret_cast<const char*>(bytes),
                                 static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
    }
    void reset() {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }

  private:
    sqlite3_stmt* statement_ = nullptr;
};

// Resets a statement on every way out of a scope.
class Use {
  public:
    explicit Use(Statement& statement) : statement_(statement) {}
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() { statement_.reset(); }
    Statement* operator->() { return &statement_; }
    Statement& operator*() { return statement_; }

  private:
    Statement& statement_;
};

net::Address read_address(const Statement& statement, int first) {
    const net::u128 value = net::make_u128(static_cast<std::uint64_t>(statement.integer(first + 1)),
                                           static_cast<std::uint64_t>(statement.integer(first + 2)));
    return statement.integer(first) == 4 ? net::Address::v4(static_cast<std::uint32_t>(value))
                                         : net::Address::v6(value);
}

void bind_address(Statement& statement, int first, const net::Address& address) {
    statement.bind(first, address.is_v4() ? 4 : 6);
    statement.bind(first + 1, static_cast<std::int64_t>(net::u128_hi(address.value())));
    statement.bind(first + 2, static_cast<std::int64_t>(net::u128_lo(address.value())));
}

// Adds one group of tuples (decision, direction, protocol) to the summary's breakdowns.
void add_group(StoreSummary& s, std::int64_t decision, std::int64_t direction, std::int64_t protocol,
               std::uint64_t tuples) {
    (decision == static_cast<std::int64_t>(Decision::Deny) ? s.denied : s.allowed) += tuples;
    (direction == static_cast<std::int64_t>(net::Direction::Outbound) ? s.outbound : s.inbound) += tuples;
    const auto number = static_cast<std::uint8_t>(protocol);
    if (s.by_protocol.empty() || s.by_protocol.back().first != number)
        s.by_protocol.emplace_back(number, 0);
    s.by_protocol.back().second += tuples;
}

class SqliteFlowStore final : public FlowStore {
  public:
    SqliteFlowStore(sqlite3* db, std::string name) : db_(db), name_(std::move(name)) {}
    ~SqliteFlowStore() override {
        statements_.reset();
        sqlite3_close_v2(db_);
    }
    SqliteFlowStore(const SqliteFlowStore&) = delete;
    SqliteFlowStore& operator=(const SqliteFlowStore&) = delete;

    Result<bool> open(const OpenOptions& options);

    std::int64_t bucket_ms() const override { return bucket_ms_; }
    Result<bool> begin_write() override;
    Result<std::optional<BlobCheckpoint>> checkpoint(std::string_view key) override;
    Result<bool> add_conversations(const TextPool& texts, const ConversationMap& conversations) override;
    Result<bool> add_tuples(const TextPool& texts, std::span<const StoredTuple> tuples) override;
    Result<bool> put_checkpoint(const BlobCheckpoint& checkpoint) override;
    Result<bool> commit() override;
    void rollback() noexcept override;
    Result<StoreSummary> summary() override;
    Result<std::vector<ConversationRow>> conversations() override;

  private:
    struct Statements {
        Statement checkpoint, put_checkpoint, find_text, add_text, conversation, tuple;
    };

    Error failed(std::string_view code, std::string_view what) const {
        return fail_with(std::string(code), fmt::format("{}: {}: {}", name_, what, sqlite3_errmsg(db_)));
    }
    Result<bool> exec(std::string_view sql, std::string_view code, std::string_view what);
    Result<bool> check_database();
    Result<bool> create_or_check(const OpenOptions& options);
    Result<bool> read_meta(const OpenOptions& options);
    Result<bool> prepare();
    Result<std::int64_t> stored_id(const TextPool& texts, TextPool::Id id);
    Result<bool> stored_ids(const TextPool& texts, const TextPool::Id (&pooled)[5], std::int64_t (&ids)[5]);
    Result<std::int64_t> scalar(std::string_view sql);
    template <class Each>
    Result<bool> rows(std::string_view sql, Each&& each);
    Result<StoreSummary> read_summary();

    sqlite3* db_;
    std::string name_;
    std::int64_t bucket_ms_ = kDefaultBucketMs;
    std::unique_ptr<Statements> statements_;
    // The store's ids of one TextPool's texts (0: not known yet); the ones added by the open
    // transaction are forgotten when it rolls back.
    std::uint64_t pool_serial_ = 0;
    std::vector<std::int64_t> stored_ids_;
    std::vector<TextPool::Id> added_in_transaction_;
};

Result<bool> SqliteFlowStore::exec(std::string_view sql, std::string_view code, std::string_view what) {
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return failed(code, what);
    return true;
}

Result<std::int64_t> SqliteFlowStore::scalar(std::string_view sql) {
    Statement statement;
    if (statement.prepare(db_, sql) != SQLITE_OK)
        return failed(kFailed, "cannot read the store");
    const int step = statement.step();
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return failed(kFailed, "cannot read the store");
    return step == SQLITE_ROW ? statement.integer(0) : 0;
}

// A file that is not an SQLite database fails on its first read, with SQLITE_NOTADB.
Result<bool> SqliteFlowStore::check_database() {
    Statement statement;
    int status = statement.prepare(db_, "SELECT count(*) FROM sqlite_master");
    if (status == SQLITE_OK)
        status = statement.step();
    if (status == SQLITE_NOTADB)
        return fail_with(
            "store-not-a-store",
            fmt::format("{}: not a ztnet flow store (the file is not an SQLite database)", name_));
    if (status != SQLITE_ROW)
        return failed("store-open-failed", "cannot read the store");
    return true;
}

Result<bool> SqliteFlowStore::open(const OpenOptions& options) {
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    if (auto ok = check_database(); !ok)
        return ok;
    // WAL: readers do not wait for the writer, and a commit is one append to the log. NORMAL
    // synchronisation keeps every commit through a crash of the process (a power cut may lose the
    // last ones, never half of one).
    if (auto ok = exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536",
                       "store-open-failed", "cannot set the store up");
        !ok)
        return ok;
    if (auto ok = create_or_check(options); !ok)
        return ok;
    if (auto ok = read_meta(options); !ok)
        return ok;
    return prepare();
}

// Two processes may create the same store at once: the check and the creation share one write
// transaction.
Result<bool> SqliteFlowStore::create_or_check(const OpenOptions& options) {
    if (auto ok = exec("BEGIN IMMEDIATE", "store-open-failed", "cannot lock the store"); !ok)
        return ok;
    const Result<std::int64_t> meta = scalar("SELECT count(*) FROM sqlite_master WHERE name = 'meta'");
    const Result<std::int64_t> tables = scalar("SELECT count(*) FROM sqlite_master");
    Result<bool> done = true;
    if (!meta || !tables)
        done = !meta ? meta.error() : tables.error();
    else if (*meta == 0 && *tables > 0)
        done = fail_with(
            "store-not-a-store",
            fmt::format("{}: not a ztnet flow store (an SQLite database without its meta table)", name_));
    else if (*meta == 0 && !options.create)
        done =
            fail_with("store-not-a-store", fmt::format("{}: an empty database, not a flow store yet", name_));
    else if (*meta == 0)
        done = exec(fmt::format("{}INSERT INTO meta VALUES ('schema_version', '{}'), ('bucket_ms', '{}')",
                                kCreate, kSchemaVersion, options.bucket_ms.value_or(kDefaultBucketMs)),
                    "store-open-failed", "cannot create the store");
    if (!done) {
        rollback();
        return done;
    }
    return exec("COMMIT", "store-open-failed", "cannot create the store");
}

Result<bool> SqliteFlowStore::read_meta(const OpenOptions& options) {
    Statement statement;
    if (statement.prepare(db_, "SELECT name, value FROM meta") != SQLITE_OK)
        return failed("store-not-a-store", "cannot read the store's meta table");
    std::string version;
    std::string bucket;
    while (statement.step() == SQLITE_ROW) {
        const std::string name = statement.text(0);
        if (name == "schema_version")
            version = statement.text(1);
        else if (name == "bucket_ms")
            bucket = statement.text(1);
    }
    const Result<std::int64_t> bucket_ms = check_meta(name_, version, bucket, options);
    if (!bucket_ms)
        return bucket_ms.error();
    bucket_ms_ = *bucket_ms;
    return true;
}

Result<bool> SqliteFlowStore::prepare() {
    statements_ = std::make_unique<Statements>();
    Statements& s = *statements_;
    const std::string conversation = schema::conversation_upsert();
    const bool ok =
        s.checkpoint.prepare(db_, schema::kCheckpointSelect) == SQLITE_OK &&
        s.put_checkpoint.prepare(db_, schema::checkpoint_upsert()) == SQLITE_OK &&
        s.find_text.prepare(db_, "SELECT id FROM texts WHERE text = ?1") == SQLITE_OK &&
        s.add_text.prepare(db_, "INSERT INTO texts (text) VALUES (?1) ON CONFLICT (text) DO NOTHING") ==
            SQLITE_OK &&
        s.conversation.prepare(db_, conversation) == SQLITE_OK &&
        s.tuple.prepare(db_,
                        "INSERT INTO tuples VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                        "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)") == SQLITE_OK;
    if (!ok)
        return failed("store-not-a-store", "the store's tables are not as this ztnet writes them");
    return true;
}

Result<bool> SqliteFlowStore::begin_write() {
    added_in_transaction_.clear();
    return exec("BEGIN IMMEDIATE", kFailed, "cannot lock the store for writing");
}

Result<bool> SqliteFlowStore::commit() {
    if (auto ok = exec("COMMIT", kFailed, "cannot commit"); !ok) {
        rollback();
        return ok;
    }
    added_in_transaction_.clear();
    return true;
}

void SqliteFlowStore::rollback() noexcept {
    if (sqlite3_get_autocommit(db_) == 0)
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    for (const TextPool::Id id : added_in_transaction_)
        stored_ids_[id] = 0;
    added_in_transaction_.clear();
}

Result<std::optional<BlobCheckpoint>> SqliteFlowStore::checkpoint(std::string_view key) {
    Use statement(statements_->checkpoint);
    statement->bind(1, key);
    const int step = statement->step();
    if (step == SQLITE_DONE)
        return std::optional<BlobCheckpoint>();
    if (step != SQLITE_ROW)
        return failed(kFailed, "cannot read a checkpoint");
    BlobCheckpoint checkpoint;
    checkpoint.key = key;
    std::uint64_t* fields[] = {&checkpoint.records,       &checkpoint.offset, &checkpoint.prefix_hash,
                               &checkpoint.read_records,  &checkpoint.tuples, &checkpoint.skipped_records,
                               &checkpoint.skipped_tuples};
    for (int i = 0; i < 7; ++i)
        *fields[i] = static_cast<std::uint64_t>(statement->integer(i));
    return std::optional<BlobCheckpoint>(std::move(checkpoint));
}

Result<bool> SqliteFlowStore::put_checkpoint(const BlobCheckpoint& checkpoint) {
    Use statement(statements_->put_checkpoint);
    statement->bind(1, checkpoint.key);
    const std::uint64_t fields[] = {checkpoint.records,       checkpoint.offset, checkpoint.prefix_hash,
                                    checkpoint.read_records,  checkpoint.tuples, checkpoint.skipped_records,
                                    checkpoint.skipped_tuples};
    for (int i = 0; i < 7; ++i) // the hash keeps all 64 bits: its bit pattern, not its value
        statement->bind(i + 2, i == 2 ? static_cast<std::int64_t>(fields[i]) : as_stored(fields[i]));
    if (statement->step() != SQLITE_DONE)
        return failed(kFailed, "cannot write a checkpoint");
    return true;
}

// The store's id of a pool's text, inserted when new.
Result<std::int64_t> SqliteFlowStore::stored_id(const TextPool& texts, TextPool::Id id) {
    if (pool_serial_ != texts.serial()) {
        pool_serial_ = texts.serial();
        stored_ids_.clear();
    }
    if (stored_ids_.size() <= id)
        stored_ids_.resize(texts.size(), 0);
    if (stored_ids_[id] != 0)
        return stored_ids_[id];
    {
        Use add(statements_->add_text);
        add->bind(1, texts.text(id));
        if (add->step() != SQLITE_DONE)
            return failed(kFailed, "cannot add a text");
    }
    Use find(statements_->find_text);
    find->bind(1, texts.text(id));
    if (find->step() != SQLITE_ROW)
        return failed(kFailed, "cannot read a text back");
    stored_ids_[id] = find->integer(0);
    added_in_transaction_.push_back(id);
    return stored_ids_[id];
}

// The store's ids of the five texts of a conversation or tuple, in binding order.
Result<bool> SqliteFlowStore::stored_ids(const TextPool& texts, const TextPool::Id (&pooled)[5],
                                         std::int64_t (&ids)[5]) {
    for (int i = 0; i < 5; ++i) {
        const Result<std::int64_t> id = stored_id(texts, pooled[i]);
        if (!id)
            return id.error();
        ids[i] = *id;
    }
    return true;
}

// In the table's key order (as far as its leading columns go), so that consecutive rows land on the
// same pages of the table's tree rather than all over it.
std::vector<const ConversationMap::value_type*> in_key_order(const ConversationMap& conversations) {
    std::vector<const ConversationMap::value_type*> order;
    order.reserve(conversations.size());
    for (const ConversationMap::value_type& entry : conversations)
        order.push_back(&entry);
    auto leading = [](const ConversationKey& k) {
        const auto stored = [](net::u128 v) {
            return std::pair(static_cast<std::int64_t>(net::u128_hi(v)),
                             static_cast<std::int64_t>(net::u128_lo(v)));
        };
        return std::tuple(k.bucket_ms, k.source.is_v4() ? 4 : 6, stored(k.source.value()),
                          k.destination.is_v4() ? 4 : 6, stored(k.destination.value()), k.destination_port);
    };
    std::sort(order.begin(), order.end(),
              [&](const auto* a, const auto* b) { return leading(a->first) < leading(b->first); });
    return order;
}

Result<bool> SqliteFlowStore::add_conversations(const TextPool& texts, const ConversationMap& conversations) {
    for (const auto* entry : in_key_order(conversations)) {
        const auto& [key, totals] = *entry;
        std::int64_t ids[5] = {};
        if (auto ok = stored_ids(texts, {key.rule, key.acl, key.resource, key.mac, key.encryption}, ids); !ok)
            return ok;
        Use row(statements_->conversation);
        row->bind(1, key.bucket_ms);
        bind_address(*row, 2, key.source);
        bind_address(*row, 5, key.destination);
        row->bind(8, key.destination_port).bind(9, key.protocol);
        row->bind(10, static_cast<std::int64_t>(key.direction))
            .bind(11, static_cast<std::int64_t>(key.decision));
        for (int i = 0; i < 5; ++i)
            row->bind(12 + i, ids[i]);
        const Counters& c = totals.counters;
        const std::uint64_t sums[] = {totals.tuples, totals.flows_begun, c.packets_sent,
                                      c.bytes_sent,  c.packets_received, c.bytes_received};
        for (int i = 0; i < 6; ++i)
            row->bind(17 + i, as_stored(sums[i]));
        row->bind(23, totals.first_seen_ms).bind(24, totals.last_seen_ms);
        if (row->step() != SQLITE_DONE)
            return failed(kFailed, "cannot write a conversation");
    }
    return true;
}

Result<bool> SqliteFlowStore::add_tuples(const TextPool& texts, std::span<const StoredTuple> tuples) {
    for (const StoredTuple& kept : tuples) {
        std::int64_t ids[5] = {};
        if (auto ok = stored_ids(texts, {kept.rule, kept.acl, kept.resource, kept.mac, kept.encryption}, ids);
            !ok)
            return ok;
        const Result<std::int64_t> blob = stored_id(texts, kept.blob);
        if (!blob)
            return blob.error();
        const FlowTuple& t = kept.tuple;
        Use row(statements_->tuple);
        row->bind(1, *blob).bind(2, as_stored(kept.record_index)).bind(3, kept.position).bind(4, t.time_ms);
        bind_address(*row, 5, t.source);
        bind_address(*row, 8, t.destination);
        row->bind(11, t.source_port).bind(12, t.destination_port).bind(13, t.protocol);
        row->bind(14, static_cast<std::int64_t>(t.direction)).bind(15, static_cast<std::int64_t>(t.decision));
        row->bind(16, static_cast<std::int64_t>(t.state)).bind(17, t.has_counters ? 1 : 0);
        row->bind(18, as_stored(t.counters.packets_sent)).bind(19, as_stored(t.counters.bytes_sent));
        row->bind(20, as_stored(t.counters.packets_received)).bind(21, as_stored(t.counters.bytes_received));
        for (int i = 0; i < 5; ++i)
            row->bind(22 + i, ids[i]);
        if (row->step() != SQLITE_DONE)
            return failed(kFailed, "cannot write a tuple");
    }
    return true;
}

// Runs `sql`, calling each(statement) on every row.
template <class Each>
Result<bool> SqliteFlowStore::rows(std::string_view sql, Each&& each) {
    Statement statement;
    if (statement.prepare(db_, sql) != SQLITE_OK)
        return failed(kFailed, "cannot read the store");
    int step = 0;
    while ((step = statement.step()) == SQLITE_ROW)
        each(statement);
    if (step != SQLITE_DONE)
        return failed(kFailed, "cannot read the store");
    return true;
}

// One read transaction, so that every total comes from the same commit.
Result<StoreSummary> SqliteFlowStore::summary() {
    if (auto ok = exec("BEGIN", kFailed, "cannot read the store"); !ok)
        return ok.error();
    Result<StoreSummary> out = read_summary();
    rollback();
    return out;
}

Result<StoreSummary> SqliteFlowStore::read_summary() {
    StoreSummary s;
    s.bucket_ms = bucket_ms_;
    auto u = [](const Statement& row, int column) { return static_cast<std::uint64_t>(row.integer(column)); };
    Result<bool> ok = rows(schema::kSummaryBlobs, [&](const Statement& row) {
        s.files = u(row, 0), s.bytes = u(row, 1), s.records = u(row, 2);
        s.tuples = u(row, 3), s.skipped_records = u(row, 4), s.skipped_tuples = u(row, 5);
    });
    if (ok)
        ok = rows(schema::kSummaryConversations, [&](const Statement& row) {
            s.conversations = u(row, 0), s.flows_begun = u(row, 1);
            s.counters = {u(row, 2), u(row, 3), u(row, 4), u(row, 5)};
            if (s.conversations > 0)
                s.first_seen_ms = row.integer(6), s.last_seen_ms = row.integer(7);
        });
    if (ok)
        ok = rows(schema::kSummaryGroups, [&](const Statement& row) {
            add_group(s, row.integer(0), row.integer(1), row.integer(2), u(row, 3));
        });
    if (ok)
        ok = rows(schema::kSummaryKeptTuples, [&](const Statement& row) { s.kept_tuples = u(row, 0); });
    if (!ok)
        return ok.error();
    return s;
}

Result<std::vector<ConversationRow>> SqliteFlowStore::conversations() {
    std::vector<ConversationRow> out;
    const std::string sql = schema::conversations_select();
    Result<bool> ok = rows(sql, [&](const Statement& row) {
        ConversationRow& c = out.emplace_back();
        c.bucket_ms = row.integer(0);
        c.source = read_address(row, 1);
        c.destination = read_address(row, 4);
        c.destination_port = static_cast<std::uint16_t>(row.integer(7));
        c.protocol = static_cast<std::uint8_t>(row.integer(8));
        c.direction = static_cast<net::Direction>(row.integer(9));
        c.decision = static_cast<Decision>(row.integer(10));
        c.resource = row.text(11), c.acl = row.text(12), c.rule = row.text(13), c.mac = row.text(14);
        c.encryption = row.text(15);
        auto u = [&](int column) { return static_cast<std::uint64_t>(row.integer(column)); };
        c.totals = {u(16), u(17), {u(18), u(19), u(20), u(21)}, row.integer(22), row.integer(23)};
    });
    if (!ok)
        return ok.error();
    return out;
}

} // namespace

Result<std::unique_ptr<FlowStore>> open_sqlite_store(const fs::path& file, const OpenOptions& options) {
    const std::string name = file.string();
    std::error_code error;
    if (!options.create && !fs::exists(file, error))
        return fail_with("store-open-failed", fmt::format("{}: no such store", name));
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int status = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
    if (status != SQLITE_OK) {
        std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(status);
        sqlite3_close_v2(db);
        return fail_with("store-open-failed", fmt::format("{}: cannot open the store: {}", name, why));
    }
    auto store = std::make_unique<SqliteFlowStore>(db, name);
    try {
        if (auto ok = store->open(options); !ok)
            return ok.error();
    } catch (const std::bad_alloc&) {
        return fail_with("out-of-memory", fmt::format("{}: out of memory opening the store", name));
    }
    return std::unique_ptr<FlowStore>(std::move(store));
}

} // namespace ztnet::flows::store
