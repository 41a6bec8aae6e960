#include "ztnet/flows/store/conversation.h"

#include <algorithm>
#include <atomic>

#include "ztnet/net/uint128.h"

namespace ztnet::flows::store {

namespace {
std::atomic<std::uint64_t> next_pool_serial{1};
} // namespace

TextPool::TextPool() : serial_(next_pool_serial.fetch_add(1)) {}

TextPool::Id TextPool::intern(std::string_view text) {
    const auto found = ids_.find(text);
    if (found != ids_.end())
        return found->second;
    const auto id = static_cast<Id>(texts_.size());
    const std::string& kept = texts_.emplace_back(text);
    ids_.emplace(kept, id);
    return id;
}

namespace {

// The 128-bit product's halves folded: the mixing step of the fast multiply-based hashes.
std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
    const net::u128 product = static_cast<net::u128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

} // namespace

// The key's nine words in four independent products (they overlap in the pipeline), then one more.
std::size_t ConversationKeyHash::operator()(const ConversationKey& key) const noexcept {
    const std::uint64_t small = std::uint64_t{key.destination_port} | std::uint64_t{key.protocol} << 16 |
                                std::uint64_t{static_cast<std::uint8_t>(key.direction)} << 24 |
                                std::uint64_t{static_cast<std::uint8_t>(key.decision)} << 32 |
                                std::uint64_t{static_cast<std::uint8_t>(key.source.family())} << 40 |
                                std::uint64_t{static_cast<std::uint8_t>(key.destination.family())} << 48;
    const net::u128 source = key.source.value();
    const net::u128 destination = key.destination.value();
    const std::uint64_t a = fold_multiply(net::u128_lo(source) ^ 0xa0761d6478bd642fULL,
                                          net::u128_lo(destination) ^ 0xe7037ed1a0b428dbULL);
    const std::uint64_t b = fold_multiply(net::u128_hi(source) ^ 0x8ebc6af09c88c6e3ULL,
                                          net::u128_hi(destination) ^ 0x589965cc75374cc3ULL);
    const std::uint64_t c = fold_multiply(static_cast<std::uint64_t>(key.bucket_ms) ^ 0x1d8e4e27c47d124fULL,
                                          small ^ 0xeb44accab455d165ULL);
    const std::uint64_t d =
        fold_multiply((std::uint64_t{key.resource} << 32 | key.acl) ^ 0x2d358dccaa6c78a5ULL,
                      (std::uint64_t{key.rule} << 32 | key.mac) ^ key.encryption ^ 0x8bb84b93962eacc9ULL);
    return static_cast<std::size_t>(
        fold_multiply(a ^ c ^ 0x4b33a62ed433d4a3ULL, b ^ d ^ 0x4d5a2da51de1aa47ULL));
}

ConversationTotals& ConversationMap::operator[](const ConversationKey& key) {
    if (2 * (entries_.size() + 1) > slots_.size())
        grow();
    const std::uint64_t hash = ConversationKeyHash{}(key);
    const std::uint64_t tag = hash & 0xffffffff00000000ULL;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = static_cast<std::size_t>(hash) & mask;; at = (at + 1) & mask) {
        const std::uint64_t slot = slots_[at];
        if (slot == 0) {
            entries_.emplace_back(key, ConversationTotals{});
            slots_[at] = tag | entries_.size();
            return entries_.back().second;
        }
        if ((slot & 0xffffffff00000000ULL) == tag) {
            value_type& entry = entries_[(slot & 0xffffffffULL) - 1];
            if (entry.first == key)
                return entry.second;
        }
    }
}

// Doubles the slots (at most half full after) and puts every entry back.
void ConversationMap::grow() {
    slots_.assign(std::max<std::size_t>(64, 2 * slots_.size()), 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const std::uint64_t hash = ConversationKeyHash{}(entries_[i].first);
        std::size_t at = static_cast<std::size_t>(hash) & mask;
        while (slots_[at] != 0)
            at = (at + 1) & mask;
        slots_[at] = (hash & 0xffffffff00000000ULL) | (i + 1);
    }
}

void ConversationMap::clear() {
    entries_.clear();
    std::fill(slots_.begin(), slots_.end(), 0);
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t sum = a + b;
    return sum < a || sum > kMaxStored ? kMaxStored : sum;
}

void add_tuple(ConversationTotals& totals, const FlowTuple& tuple) {
    if (totals.tuples == 0) {
        totals.first_seen_ms = tuple.time_ms;
        totals.last_seen_ms = tuple.time_ms;
    } else {
        totals.first_seen_ms = std::min(totals.first_seen_ms, tuple.time_ms);
        totals.last_seen_ms = std::max(totals.last_seen_ms, tuple.time_ms);
    }
    ++totals.tuples;
    totals.flows_begun += tuple.state == FlowState::Begin ? 1 : 0;
    Counters& c = totals.counters;
    c.packets_sent = saturating_add(c.packets_sent, tuple.counters.packets_sent);
    c.bytes_sent = saturating_add(c.bytes_sent, tuple.counters.bytes_sent);
    c.packets_received = saturating_add(c.packets_received, tuple.counters.packets_received);
    c.bytes_received = saturating_add(c.bytes_received, tuple.counters.bytes_received);
}

void add_totals(ConversationTotals& totals, const ConversationTotals& more) {
    if (more.tuples == 0)
        return;
    if (totals.tuples == 0) {
        totals = more;
        return;
    }
    totals.first_seen_ms = std::min(totals.first_seen_ms, more.first_seen_ms);
    totals.last_seen_ms = std::max(totals.last_seen_ms, more.last_seen_ms);
    totals.tuples = saturating_add(totals.tuples, more.tuples);
    totals.flows_begun = saturating_add(totals.flows_begun, more.flows_begun);
    Counters& c = totals.counters;
    c.packets_sent = saturating_add(c.packets_sent, more.counters.packets_sent);
    c.bytes_sent = saturating_add(c.bytes_sent, more.counters.bytes_sent);
    c.packets_received = saturating_add(c.packets_received, more.counters.packets_received);
    c.bytes_received = saturating_add(c.bytes_received, more.counters.bytes_received);
}

ConversationKeys::ConversationKeys(TextPool& texts, std::int64_t bucket_ms)
    : texts_(texts), bucket_ms_(bucket_ms) {
    for (std::size_t field = 0; field < 4; ++field) // what context_texts_ start as
        context_ids_[field] = texts_.intern({});
    encryption_id_ = texts_.intern({});
}

void ConversationKeys::start_call() {
    context_ = nullptr;
    encryption_id_ = texts_.intern(encryption_text_ = {});
}

void ConversationKeys::intern_context(std::size_t field, std::string_view text) {
    if (text == context_texts_[field])
        return;
    context_ids_[field] = texts_.intern(text);
    context_texts_[field] = texts_.text(context_ids_[field]);
}

ConversationKey ConversationKeys::key(const FlowTuple& tuple) {
    if (tuple.context != context_) {
        context_ = tuple.context;
        intern_context(0, context_->resource_id);
        intern_context(1, context_->acl_id);
        intern_context(2, context_->rule);
        intern_context(3, context_->mac);
    }
    if (tuple.encryption_text != encryption_text_)
        encryption_id_ = texts_.intern(encryption_text_ = tuple.encryption_text);
    return {bucket_start(tuple.time_ms, bucket_ms_),
            tuple.source,
            tuple.destination,
            tuple.destination_port,
            tuple.protocol,
            tuple.direction,
            tuple.decision,
            context_ids_[0],
            context_ids_[1],
            context_ids_[2],
            context_ids_[3],
            encryption_id_};
}

std::int64_t bucket_start(std::int64_t time_ms, std::int64_t bucket_ms) {
    const std::int64_t remainder = time_ms % bucket_ms;
    return time_ms - (remainder < 0 ? remainder + bucket_ms : remainder);
}

} // namespace ztnet::flows::store
