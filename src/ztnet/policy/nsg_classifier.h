// The compiled form of one direction of an NSG: a packet classifier that finds the first rule (by
// priority) matching a flow without scanning the rules. Internal to the policy module; CompiledNsg
// is the public face.
//
// Design (bit-vector intersection): each of four fields (source address, destination address, and
// the two ports, each keyed by protocol << 16 | port so that the protocol needs no field of its own) is
// cut into elementary intervals at every rule boundary; every value in one interval is matched by the
// same rules. Each interval points at a bitset over the rules (bit i = rule i, in evaluation order),
// deduplicated in one cache-line-aligned pool. A decision is one lookup per field (IPv4 and IPv6 in
// separate tables), then the AND of four bitsets; the lowest set bit is the deciding rule.
//
// Why this shape (Release build, one core, bench/bench_policy.cpp, medians of 3 runs of decisions per
// second for 100 / 1,000 / 4,000 rules): the former design (a 256-entry protocol table, a plain
// branch-free binary search per field, five bitsets each led by summary words) made 24.6 / 12.8 /
// 5-6 M/s. Timing showed that a decision is one long dependent chain (search, then the pooled bitsets
// from L2, then a data-dependent branch) and that consecutive flows barely overlap (independent and
// chained decisions took 48 and 53 ns), so latency, not instruction count, is what counts:
// - A bucket table over the high bits of each field (16 to 32 buckets per interval) bounds the search to
//   one bucket; with the AND below this took 1,000 rules from 12.8 to about 21 M/s. A 32-bit field
//   then compares its last 16 candidates at once (the compiler vectorises the count) instead of taking
//   four dependent halving steps: 21 -> 23 M/s.
// - The AND reads the two address bitsets (the selective ones: about 27 of 1,000 rules each) four words
//   at a time and reads the port bitsets only in groups where both addresses have a common rule.
//   Summary words did not pay: at 1,000 rules the summaries of two address bitsets still overlap in 12
//   of 16 words.
// - Measured and dropped: a branch-free AND of all words, a branch-free candidate mask, groups of 2, 8
//   or 16 words, 32 compares at once, a two-level adaptive bucket index (all slower or no faster);
//   storing starts beside their bitset offsets (neutral). Keying the port fields by protocol was
//   neutral too but is kept: one bitset and one table fewer, no branch on whether a protocol has ports.
// Result: about 46 / 23 / 10.4 M/s. Memory 0.12 / 1.2 / 10.6 MiB (was 0.02 / 0.6 / 8.4: the bucket
// tables), compile time 0.15 / 2.3 / 18 ms (was 0.07 / 1.7 / 16).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
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
    // at pool offset sets[i]. starts[0] is 0, so every value falls in some interval. A bucket table over
    // [low, high] (bucket b holds the values whose offset from low has b as its high bits; values below
    // low use entry 0) gives the interval of each bucket's first value, so the search covers one bucket
    // only, in the same number of branch-free steps for every value: halving steps down to kLeaf, then
    // (32-bit fields) kLeaf compares at once. starts and sets are padded with copies of the last interval
    // so that no probe needs a bounds check.
    static constexpr std::size_t kLeaf = 16;

    template <class T>
    struct Field {
        std::vector<T> starts;
        std::vector<std::uint32_t> sets;
        std::vector<std::uint32_t> first; // [0] for values below low, then one entry per bucket, then n - 1
        T low{};
        T high{};
        int shift = 0;
        std::size_t top_step = 0; // largest probe distance (a power of two), 0 when no search is needed
        std::size_t intervals = 0;

        std::uint32_t lookup(T value) const {
            const T offset = static_cast<T>(std::min(value, high) - low);
            const std::size_t bucket = value < low ? 0 : 1 + static_cast<std::size_t>(offset >> shift);
            std::size_t at = first[bucket];
            if constexpr (sizeof(T) == sizeof(std::uint32_t)) {
                for (std::size_t step = top_step; step >= kLeaf; step >>= 1)
                    at = starts[at + step] <= value ? at + step : at;
                // The last kLeaf candidates at once: independent compares instead of a chain of steps.
                const T* next = starts.data() + at + 1;
                std::size_t below = 0;
                for (std::size_t i = 0; i < kLeaf; ++i)
                    below += next[i] <= value ? 1 : 0;
                at += below;
            } else {
                for (std::size_t step = top_step; step != 0; step >>= 1)
                    at = starts[at + step] <= value ? at + step : at;
            }
            return sets[at];
        }
        std::size_t bytes() const {
            return starts.capacity() * sizeof(T) +
                   (sets.capacity() + first.capacity()) * sizeof(std::uint32_t);
        }
    };

    // Allocates the pool on cache-line boundaries so that a group of four words never straddles two
    // lines.
    template <class T>
    struct LineAligned {
        using value_type = T;
        LineAligned() = default;
        template <class U>
        LineAligned(const LineAligned<U>&) {} // NOLINT(google-explicit-constructor): allocator rebinding
        T* allocate(std::size_t n) {
            return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kLine}));
        }
        void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{kLine}); }
        template <class U>
        friend bool operator==(const LineAligned&, const LineAligned<U>&) {
            return true;
        }
        static constexpr std::size_t kLine = 64;
    };

    class Builder;
    template <class T>
    static void index(Field<T>& field);

    static constexpr std::size_t kGroup = 4;           // words ANDed before each early exit
    static constexpr int kBucketBitsOverIntervals = 4; // 16 to 32 buckets per interval

    std::vector<model::Access> access_;
    std::size_t words_ = 0;  // ceil(rules / 64), rounded up to a whole group
    std::size_t stride_ = 0; // words per pooled bitset
    std::vector<std::uint64_t, LineAligned<std::uint64_t>> pool_;
    Field<std::uint32_t> source_v4_;
    Field<std::uint32_t> destination_v4_;
    Field<net::u128> source_v6_;
    Field<net::u128> destination_v6_;
    Field<std::uint32_t> source_port_;      // keyed by protocol << 16 | port
    Field<std::uint32_t> destination_port_; // keyed by protocol << 16 | port
};

} // namespace ztnet::policy::detail
