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

std::size_t ConversationKeyHash::operator()(const ConversationKey& key) const noexcept {
    std::uint64_t h = net::hash_mix64(static_cast<std::uint64_t>(key.bucket_ms));
    h = net::hash_mix64(h ^ key.source.hash());
    h = net::hash_mix64(h ^ key.destination.hash());
    h ^= std::uint64_t{key.destination_port} | std::uint64_t{key.protocol} << 16 |
         std::uint64_t{static_cast<std::uint8_t>(key.direction)} << 24 |
         std::uint64_t{static_cast<std::uint8_t>(key.decision)} << 32;
    h = net::hash_mix64(h ^ (std::uint64_t{key.resource} << 32 | key.acl));
    h = net::hash_mix64(h ^ (std::uint64_t{key.rule} << 32 | key.mac));
    return static_cast<std::size_t>(net::hash_mix64(h ^ key.encryption));
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

std::int64_t bucket_start(std::int64_t time_ms, std::int64_t bucket_ms) {
    const std::int64_t remainder = time_ms % bucket_ms;
    return time_ms - (remainder < 0 ? remainder + bucket_ms : remainder);
}

} // namespace ztnet::flows::store
