// The compiled form of one direction of an NSG: a packet classifier that finds the first rule (by
// priority) matching a flow without scanning the rules. Internal to the policy module; CompiledNsg
// is the public face.
//
// Design (bit-vector intersection with an aggregated summary): each of the five fields (protocol,
// source address, destination address, source port, destination port) is cut into elementary
// intervals at every rule boundary; every value in one interval is matched by the same rules. Each
// interval points at a bitset over the rules (bit i = rule i, in evaluation order), deduplicated in one
// pool. A decision is one lookup per field (a 256-entry table for the protocol, a branch-free binary
// search for addresses and ports, IPv4 and IPv6 in separate tables), then the AND of five bitsets; the
// lowest set bit is the deciding rule. Each pooled bitset starts with summary words (bit w set when
// word w is non-zero), so the AND visits only the words that can hold a common rule: one summary word
// covers 4,096 rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ztnet/net/flow.h"
#include "ztnet/net/uint128.h"
#include "ztnet/policy/nsg_policy.h"

namespace ztnet::policy::detail {

class RuleClassifier {
  public:
    /// An empty classifier: first_match() is always 0 == rule_count().
    RuleClassifier() = default;

    /// Compiles `rules` in their evaluation order (index i is bit i).
    static RuleClassifier build(std::span<const ResolvedRule> rules);

    /// The index of the first rule that matches `flow` (ports only for TCP and UDP, as
    /// ResolvedRule::matches), or rule_count() when no rule matches.
    std::uint32_t first_match(const net::Flow& flow) const;

    /// The decision for `flow`: the first matching rule and its access; Deny with rule ==
    /// rule_count() when nothing matches (impossible once the default rules are present).
    NsgDecision decide(const net::Flow& flow) const {
        const std::uint32_t rule = first_match(flow);
        return {rule < access_.size() ? access_[rule] : model::Access::Deny, rule};
    }

    /// Number of rules compiled.
    std::uint32_t rule_count() const { return static_cast<std::uint32_t>(access_.size()); }
    /// Distinct bitsets in the pool (a measure of how much the rules overlap).
    std::size_t bitset_count() const { return stride_ == 0 ? 0 : pool_.size() / stride_; }
    /// Elementary intervals over all fields.
    std::size_t interval_count() const;
    /// Bytes held by the tables and the pool.
    std::size_t memory_bytes() const;

  private:
    // One field of one family: interval i covers [starts[i], starts[i + 1]) and its rules are the bitset
    // at pool offset sets[i]. starts[0] is 0, so every value falls in some interval. The lookup is a
    // branch-free binary search: a few instructions per step, so the searches of the five fields
    // overlap well in the processor (a 16-ary static B-tree and SIMD node search were measured slower).
    template <class T>
    struct Field {
        std::vector<T> starts;
        std::vector<std::uint32_t> sets;

        std::uint32_t lookup(T value) const {
            const T* base = starts.data();
            std::size_t n = starts.size();
            while (n > 1) {
                const std::size_t half = n / 2;
                base = base[half] <= value ? base + half : base;
                n -= half;
            }
            return sets[static_cast<std::size_t>(base - starts.data())];
        }
        std::size_t bytes() const {
            return starts.capacity() * sizeof(T) + sets.capacity() * sizeof(std::uint32_t);
        }
    };

    class Builder;

    std::vector<model::Access> access_;
    std::size_t summary_words_ = 0; // S: ceil(words / 64)
    std::size_t words_ = 0;         // W: ceil(rules / 64)
    std::size_t stride_ = 0;        // S + W
    std::vector<std::uint64_t> pool_;
    std::uint32_t all_rules_ = 0; // pool offset of the bitset with every rule: ports of portless protocols
    std::vector<std::uint32_t> protocol_; // 256 entries: pool offsets by protocol number
    Field<std::uint32_t> source_v4_;
    Field<std::uint32_t> destination_v4_;
    Field<net::u128> source_v6_;
    Field<net::u128> destination_v6_;
    Field<std::uint16_t> source_port_;
    Field<std::uint16_t> destination_port_;
};

} // namespace ztnet::policy::detail
