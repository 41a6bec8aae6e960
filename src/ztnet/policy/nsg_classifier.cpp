// The compiled classifier of one NSG direction (see nsg_classifier.h for the design).
#include "ztnet/policy/nsg_classifier.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>
#include <unordered_map>

namespace ztnet::policy {

namespace detail {

namespace {

// A boundary where one rule enters or leaves a field's match set. A rule's intervals in one field are
// disjoint and never adjacent, so no rule has two events at the same value and every event simply
// flips the rule's bit.
template <class T>
struct Event {
    T at;
    std::uint32_t rule;
};

template <class T, class U>
void add_events(std::vector<Event<T>>& events, std::span<const net::Interval<U>> intervals,
                std::uint32_t rule) {
    constexpr T kMax = static_cast<T>(~T{0}); // numeric_limits is not specialised for u128 in strict mode
    for (const net::Interval<U>& interval : intervals) {
        assert(interval.hi <= U{kMax});
        events.push_back({static_cast<T>(interval.lo), rule});
        if (static_cast<T>(interval.hi) != kMax)
            events.push_back({static_cast<T>(static_cast<T>(interval.hi) + 1), rule});
    }
}

// A rule's protocols and one of its port sets as one field keyed by protocol << 16 | port: TCP and UDP
// take the rule's ports, every other protocol takes all 65,536 (their flows have no ports to compare).
// Adjacent pieces are merged so that the intervals stay disjoint and never adjacent.
std::vector<net::Interval<std::uint32_t>> keyed_ports(const net::ProtocolSet& protocols,
                                                      const net::PortSet& ports) {
    std::vector<net::Interval<std::uint32_t>> out;
    const auto add = [&out](std::uint32_t lo, std::uint32_t hi) {
        if (!out.empty() && out.back().hi + 1 == lo)
            out.back().hi = hi;
        else
            out.push_back({lo, hi});
    };
    for (const net::Interval<std::uint8_t>& range : protocols.intervals()) {
        for (unsigned p = range.lo; p <= range.hi; ++p) {
            const std::uint32_t base = p << 16;
            if (!net::protocol_has_ports(static_cast<std::uint8_t>(p))) {
                add(base, base | 0xffff);
                continue;
            }
            for (const net::Interval<std::uint16_t>& port : ports.intervals())
                add(base | port.lo, base | port.hi);
        }
    }
    return out;
}

// Bits needed to write `value`.
template <class T>
int width_of(T value) {
    if constexpr (sizeof(T) > sizeof(std::uint64_t))
        return 128 - net::countl_zero_u128(value);
    else
        return std::bit_width(static_cast<std::uint64_t>(value));
}

} // namespace

// Builds the bucket table of a swept field (see Field) and pads it so that no probe needs a bounds check.
template <class T>
void RuleClassifier::index(Field<T>& field) {
    const std::size_t n = field.starts.size();
    field.intervals = n;
    field.low = n > 1 ? field.starts[1] : T{0};
    field.high = field.starts.back();
    const int bits = std::min(width_of(field.high - field.low), width_of(n) + kBucketBitsOverIntervals);
    field.shift = width_of(field.high - field.low) - bits;
    const std::size_t buckets = static_cast<std::size_t>((field.high - field.low) >> field.shift) + 1;
    field.first.assign(buckets + 2, 0);
    std::size_t at = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
        const T value = static_cast<T>(field.low + (static_cast<T>(b) << field.shift));
        while (at + 1 < n && field.starts[at + 1] <= value)
            ++at;
        field.first[b + 1] = static_cast<std::uint32_t>(at);
    }
    field.first[buckets + 1] = static_cast<std::uint32_t>(n - 1);
    std::size_t widest = 0;
    for (std::size_t b = 0; b + 1 < field.first.size(); ++b)
        widest = std::max<std::size_t>(widest, field.first[b + 1] - field.first[b]);
    field.top_step = widest == 0 ? 0 : std::bit_floor(widest);
    field.starts.resize(n + 2 * field.top_step + kLeaf, field.starts.back());
    field.sets.resize(n + 2 * field.top_step + kLeaf, field.sets.back());
    field.starts.shrink_to_fit();
    field.sets.shrink_to_fit();
}

// Interns bitsets into the pool and sweeps each field's events into elementary intervals.
class RuleClassifier::Builder {
  public:
    explicit Builder(RuleClassifier& out) : out_(out), current_(out.words_, 0) {}

    // The pool offset of `bits` (words_ words), adding it when new.
    std::uint32_t intern(const std::vector<std::uint64_t>& bits) {
        std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
        for (std::uint64_t word : bits)
            hash = net::hash_mix64(hash ^ word) + 0x632be59bd9b4e019ULL;
        std::vector<std::uint32_t>& candidates = by_hash_[hash];
        for (std::uint32_t offset : candidates) {
            if (std::equal(bits.begin(), bits.end(),
                           out_.pool_.begin() + static_cast<std::ptrdiff_t>(offset)))
                return offset;
        }
        const std::size_t offset = out_.pool_.size();
        assert(offset + out_.stride_ <= std::numeric_limits<std::uint32_t>::max());
        out_.pool_.insert(out_.pool_.end(), bits.begin(), bits.end());
        candidates.push_back(static_cast<std::uint32_t>(offset));
        return static_cast<std::uint32_t>(offset);
    }

    // Cuts the domain of T at every event and records each elementary interval's bitset.
    template <class T>
    void sweep(std::vector<Event<T>>& events, Field<T>& field) {
        std::sort(events.begin(), events.end(),
                  [](const Event<T>& a, const Event<T>& b) { return a.at < b.at; });
        std::fill(current_.begin(), current_.end(), 0);
        std::size_t i = 0;
        T at = 0;
        for (;;) {
            for (; i < events.size() && events[i].at == at; ++i)
                current_[events[i].rule / 64] ^= std::uint64_t{1} << (events[i].rule % 64);
            field.starts.push_back(at);
            field.sets.push_back(intern(current_));
            if (i == events.size())
                break;
            at = events[i].at;
        }
        index(field);
    }

  private:
    RuleClassifier& out_;
    std::vector<std::uint64_t> current_;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_hash_;
};

RuleClassifier RuleClassifier::build(std::span<const ResolvedRule> rules) {
    RuleClassifier out;
    out.access_.reserve(rules.size());
    for (const ResolvedRule& rule : rules)
        out.access_.push_back(rule.access);
    if (rules.empty())
        return out;
    out.words_ = ((rules.size() + 63) / 64 + kGroup - 1) / kGroup * kGroup;
    out.stride_ = out.words_;

    Builder builder(out);
    std::vector<Event<std::uint32_t>> source_v4, destination_v4;
    std::vector<Event<net::u128>> source_v6, destination_v6;
    std::vector<Event<std::uint32_t>> source_ports, destination_ports;
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
        const ResolvedRule& rule = rules[r];
        add_events(source_v4, rule.sources.v4().intervals(), r);
        add_events(destination_v4, rule.destinations.v4().intervals(), r);
        add_events(source_v6, rule.sources.v6().intervals(), r);
        add_events(destination_v6, rule.destinations.v6().intervals(), r);
        add_events(
            source_ports,
            std::span<const net::Interval<std::uint32_t>>(keyed_ports(rule.protocols, rule.source_ports)), r);
        add_events(destination_ports,
                   std::span<const net::Interval<std::uint32_t>>(
                       keyed_ports(rule.protocols, rule.destination_ports)),
                   r);
    }

    builder.sweep(source_v4, out.source_v4_);
    builder.sweep(destination_v4, out.destination_v4_);
    builder.sweep(source_v6, out.source_v6_);
    builder.sweep(destination_v6, out.destination_v6_);
    builder.sweep(source_ports, out.source_port_);
    builder.sweep(destination_ports, out.destination_port_);
    out.pool_.shrink_to_fit();
    return out;
}

std::uint32_t RuleClassifier::first_match(const net::Flow& flow) const {
    if (stride_ == 0)
        return 0;
    const std::uint64_t* pool = pool_.data();
    const std::uint64_t* source =
        pool + (flow.source.is_v4() ? source_v4_.lookup(static_cast<std::uint32_t>(flow.source.value()))
                                    : source_v6_.lookup(flow.source.value()));
    const std::uint64_t* destination =
        pool + (flow.destination.is_v4()
                    ? destination_v4_.lookup(static_cast<std::uint32_t>(flow.destination.value()))
                    : destination_v6_.lookup(flow.destination.value()));
    const std::uint32_t protocol = std::uint32_t{flow.protocol} << 16;
    const std::uint64_t* source_port = pool + source_port_.lookup(protocol | flow.source_port);
    const std::uint64_t* destination_port = pool + destination_port_.lookup(protocol | flow.destination_port);
    // Group by group (kGroup words), the two address fields first: they are the most selective, so most
    // groups end there and the port bitsets are read only where a common rule may be.
    const std::size_t words = words_;
    for (std::size_t w = 0; w < words; w += kGroup) {
        std::uint64_t both[kGroup];
        std::uint64_t any = 0;
        for (std::size_t k = 0; k < kGroup; ++k) {
            both[k] = source[w + k] & destination[w + k];
            any |= both[k];
        }
        if (any == 0)
            continue;
        for (std::size_t k = 0; k < kGroup; ++k) {
            const std::uint64_t hits = both[k] & source_port[w + k] & destination_port[w + k];
            if (hits != 0)
                return static_cast<std::uint32_t>((w + k) * 64 +
                                                  static_cast<std::size_t>(std::countr_zero(hits)));
        }
    }
    return rule_count();
}

std::size_t RuleClassifier::interval_count() const {
    return source_v4_.intervals + destination_v4_.intervals + source_v6_.intervals +
           destination_v6_.intervals + source_port_.intervals + destination_port_.intervals;
}

std::size_t RuleClassifier::memory_bytes() const {
    return access_.capacity() * sizeof(model::Access) + pool_.capacity() * sizeof(std::uint64_t) +
           source_v4_.bytes() + destination_v4_.bytes() + source_v6_.bytes() + destination_v6_.bytes() +
           source_port_.bytes() + destination_port_.bytes();
}

} // namespace detail

} // namespace ztnet::policy
