// What a store keeps of flow tuples: conversations (tuples summed per time bucket and key) with the
// long texts of their context interned, and, when asked, the tuples themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ztnet/flows/flow_tuple.h"

namespace ztnet::flows::store {

/// Interns texts (resource ids, rule names, ACL ids, MACs, encryption values) as small integers, so
/// that a conversation key is a compact struct. Ids are local to the pool; a store maps them to its
/// own. Each pool has a serial number, so a store can tell pools apart.
class TextPool {
  public:
    using Id = std::uint32_t;

    TextPool();
    TextPool(const TextPool&) = delete;
    TextPool& operator=(const TextPool&) = delete;

    Id intern(std::string_view text);
    std::string_view text(Id id) const { return texts_[id]; }
    std::size_t size() const { return texts_.size(); }
    std::uint64_t serial() const { return serial_; }

  private:
    std::deque<std::string> texts_; // a deque: views of its strings stay valid as it grows
    std::unordered_map<std::string_view, Id> ids_;
    std::uint64_t serial_;
};

/// What a conversation is summed over: the time bucket and everything in a tuple and its context
/// but the source port and the time. Text fields are TextPool ids.
struct ConversationKey {
    std::int64_t bucket_ms = 0; ///< start of the time bucket, milliseconds since 1970
    net::Address source;
    net::Address destination;
    std::uint16_t destination_port = 0;
    std::uint8_t protocol = 0;
    net::Direction direction = net::Direction::Inbound;
    Decision decision = Decision::Allow;
    TextPool::Id resource = 0; ///< the flow log (VNet) or NSG (NSG flow logs) resource id
    TextPool::Id acl = 0;      ///< aclID (VNet flow logs; empty text for NSG)
    TextPool::Id rule = 0;
    TextPool::Id mac = 0;
    TextPool::Id encryption = 0; ///< the encryption field as written (empty text for NSG)

    friend bool operator==(const ConversationKey&, const ConversationKey&) = default;
};

struct ConversationKeyHash {
    std::size_t operator()(const ConversationKey& key) const noexcept;
};

/// The sums over a conversation's tuples. Counters saturate at 2^63 - 1 (what a signed 64-bit SQL
/// integer holds) rather than wrap.
struct ConversationTotals {
    std::uint64_t tuples = 0;
    std::uint64_t flows_begun = 0; ///< tuples with state B
    Counters counters;
    std::int64_t first_seen_ms = 0;
    std::int64_t last_seen_ms = 0;
};

/// The largest value a store's integer column holds.
inline constexpr std::uint64_t kMaxStored = 0x7fffffffffffffffULL;

/// `a + b`, at most kMaxStored.
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b);

/// Adds one tuple to `totals` (the first tuple of a conversation sets its first and last seen).
void add_tuple(ConversationTotals& totals, const FlowTuple& tuple);

/// A tuple kept as read (--keep-tuples), with its place in the blob and its context interned.
struct StoredTuple {
    TextPool::Id blob = 0;
    std::uint64_t record_index = 0;
    std::uint32_t position = 0; ///< among the record's delivered tuples
    FlowTuple tuple;            ///< context and encryption_text cleared; use the ids
    TextPool::Id resource = 0;
    TextPool::Id acl = 0;
    TextPool::Id rule = 0;
    TextPool::Id mac = 0;
    TextPool::Id encryption = 0;
};

/// The conversations of a chunk of records, summed in memory before they are written: a hash table
/// probed in place (one lookup per tuple is the ingest's inner loop), its entries kept in insertion
/// order in one array, which is what iterating visits.
class ConversationMap {
  public:
    using value_type = std::pair<ConversationKey, ConversationTotals>;

    /// The totals of `key`, added (zero) when new.
    ConversationTotals& operator[](const ConversationKey& key);

    std::vector<value_type>::const_iterator begin() const { return entries_.begin(); }
    std::vector<value_type>::const_iterator end() const { return entries_.end(); }
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    void clear();

  private:
    void grow();

    std::vector<value_type> entries_;
    // A slot holds 0 (empty), or the entry's index + 1 in its low half and its hash's high half in
    // the high one, so that most mismatches are told without reading the entry.
    std::vector<std::uint64_t> slots_;
};

/// Adds the sums of some tuples to `totals` (the same as adding those tuples one by one).
void add_totals(ConversationTotals& totals, const ConversationTotals& more);

/// The conversation keys of tuples, their texts interned in a pool. A record's groups mostly
/// repeat its flow log, ACL and MAC: a text equal to the one before is not hashed again.
class ConversationKeys {
  public:
    ConversationKeys(TextPool& texts, std::int64_t bucket_ms);

    /// Starts a reader's call: its contexts are reused from record to record, so a context seen
    /// in an earlier call is not taken for the same.
    void start_call();
    ConversationKey key(const FlowTuple& tuple);

  private:
    void intern_context(std::size_t field, std::string_view text);

    TextPool& texts_;
    std::int64_t bucket_ms_;
    const FlowContext* context_ = nullptr;
    TextPool::Id context_ids_[4] = {};       // resource, acl, rule, mac
    std::string_view context_texts_[4] = {}; // their texts, as the pool keeps them
    std::string_view encryption_text_;
    TextPool::Id encryption_id_ = 0;
};

/// The start of the bucket of `bucket_ms` milliseconds that holds `time_ms`.
std::int64_t bucket_start(std::int64_t time_ms, std::int64_t bucket_ms);

} // namespace ztnet::flows::store
