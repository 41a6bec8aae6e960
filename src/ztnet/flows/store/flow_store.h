// FlowStore: where ingested flow logs are kept (conversations per time bucket, optionally the
// tuples, and a checkpoint per blob), behind an interface that SQLite implements here and a
// PostgreSQL backend can implement with the same schema and SQL. docs/flows.md, "The store".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ztnet/flows/store/blob_checkpoint.h"
#include "ztnet/flows/store/conversation.h"
#include "ztnet/support/result.h"

namespace ztnet::flows::store {

/// The schema version this build reads and writes; a store of another version is refused.
inline constexpr int kSchemaVersion = 1;
/// The time bucket of a new store unless one is asked for: one hour, as Azure's blobs.
inline constexpr std::int64_t kDefaultBucketMs = 3'600'000;

/// Parses a bucket length: minutes ("15"), or a number with a unit ("15m", "1h", "1d"); from one
/// minute to one day, and dividing a day evenly, so that buckets line up with hours and days.
/// Errors have the code `store-bucket-invalid`.
Result<std::int64_t> parse_bucket(std::string_view text);
/// "1h", "15m", "1d": the shortest spelling of a bucket length.
std::string bucket_text(std::int64_t bucket_ms);

/// What the store says about itself and everything ingested into it.
struct StoreSummary {
    int schema_version = kSchemaVersion;
    std::int64_t bucket_ms = kDefaultBucketMs;
    std::uint64_t files = 0; ///< blobs with a checkpoint
    std::uint64_t bytes = 0; ///< bytes consumed of them
    std::uint64_t records = 0;
    std::uint64_t tuples = 0;
    std::uint64_t skipped_records = 0;
    std::uint64_t skipped_tuples = 0;
    std::uint64_t conversations = 0; ///< rows: distinct (bucket, key)
    std::uint64_t flows_begun = 0;
    Counters counters;
    std::optional<std::int64_t> first_seen_ms; ///< absent when nothing is stored
    std::optional<std::int64_t> last_seen_ms;
    std::uint64_t allowed = 0; ///< tuples allowed
    std::uint64_t denied = 0;
    std::uint64_t inbound = 0;
    std::uint64_t outbound = 0;
    std::vector<std::pair<std::uint8_t, std::uint64_t>>
        by_protocol;               ///< tuples per protocol number, ascending
    std::uint64_t kept_tuples = 0; ///< rows of the tuple table
};

/// A stored conversation with its texts, as a reader of the store sees it.
struct ConversationRow {
    std::int64_t bucket_ms = 0;
    net::Address source;
    net::Address destination;
    std::uint16_t destination_port = 0;
    std::uint8_t protocol = 0;
    net::Direction direction = net::Direction::Inbound;
    Decision decision = Decision::Allow;
    std::string resource;
    std::string acl;
    std::string rule;
    std::string mac;
    std::string encryption;
    ConversationTotals totals;
};

/// How to open a store.
struct OpenOptions {
    /// Create the store when the file does not exist or is empty (ingest); a summary does not.
    bool create = false;
    /// The bucket asked for: set on a new store; an existing store with another one is refused
    /// (store-bucket-mismatch). Absent: the store's own, or kDefaultBucketMs for a new one.
    std::optional<std::int64_t> bucket_ms;
    /// How long a writer waits for another one's transaction, in milliseconds.
    int busy_timeout_ms = 60'000;
};

/// Checks what a store's meta table holds (`version`, `bucket` as stored; `name` names the store in
/// messages) against this build and the options; the store's bucket length. Errors:
/// store-schema-unknown, store-not-a-store (a bucket that is not a number), store-bucket-mismatch.
Result<std::int64_t> check_meta(std::string_view name, std::string_view version, std::string_view bucket,
                                const OpenOptions& options);

/// A store of flow logs. Writes happen in transactions that the ingest drives: begin_write, the
/// blob's checkpoint read again, data and the new checkpoint written, commit. Every error is a
/// value with a `store-...` code; nothing throws out of a store. One store object per thread.
class FlowStore {
  public:
    virtual ~FlowStore() = default;

    /// The bucket length every conversation in this store is summed over.
    virtual std::int64_t bucket_ms() const = 0;

    /// Starts a write transaction that holds the store's write lock at once (BEGIN IMMEDIATE), so
    /// that the checkpoint read next cannot change before commit.
    virtual Result<bool> begin_write() = 0;
    /// The blob's committed checkpoint, if any (inside a transaction or outside one).
    virtual Result<std::optional<BlobCheckpoint>> checkpoint(std::string_view key) = 0;
    /// Adds the conversations to the stored ones (summed with the rows already there).
    virtual Result<bool> add_conversations(const TextPool& texts, const ConversationMap& conversations) = 0;
    /// Adds tuples kept as read.
    virtual Result<bool> add_tuples(const TextPool& texts, std::span<const StoredTuple> tuples) = 0;
    /// Writes the blob's checkpoint (inserted or replaced).
    virtual Result<bool> put_checkpoint(const BlobCheckpoint& checkpoint) = 0;
    virtual Result<bool> commit() = 0;
    /// Undoes the transaction; what it interned is forgotten too.
    virtual void rollback() noexcept = 0;

    /// The totals of everything ingested.
    virtual Result<StoreSummary> summary() = 0;
    /// Every stored conversation, ordered by bucket, then key.
    virtual Result<std::vector<ConversationRow>> conversations() = 0;
};

} // namespace ztnet::flows::store
