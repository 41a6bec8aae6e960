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

} // namespace

// Interns bitsets into the pool and sweeps each field's events into elementary intervals.
class RuleClassifier::Builder {
  public:
    explicit Builder(RuleClassifier& out) : out_(out), current_(out.words_, 0) {}

    // The pool offset of `bits` (words_ words), adding it with its summary when new.
    std::uint32_t intern(const std::vector<std::uint64_t>& bits) {
        std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
        for (std::uint64_t word : bits)
            hash = net::hash_mix64(hash ^ word) + 0x632be59bd9b4e019ULL;
        std::vector<std::uint32_t>& candidates = by_hash_[hash];
        const std::size_t s = out_.summary_words_;
        for (std::uint32_t offset : candidates) {
            if (std::equal(bits.begin(), bits.end(),
                           out_.pool_.begin() + static_cast<std::ptrdiff_t>(offset + s)))
                return offset;
        }
        const std::size_t offset = out_.pool_.size();
        assert(offset + out_.stride_ <= std::numeric_limits<std::uint32_t>::max());
        out_.pool_.resize(offset + out_.stride_, 0);
        for (std::size_t w = 0; w < bits.size(); ++w) {
            out_.pool_[offset + s + w] = bits[w];
            if (bits[w] != 0)
                out_.pool_[offset + w / 64] |= std::uint64_t{1} << (w % 64);
        }
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
        field.starts.shrink_to_fit();
        field.sets.shrink_to_fit();
    }

    std::uint32_t intern_all(std::size_t rules) {
        std::fill(current_.begin(), current_.end(), 0);
        for (std::size_t r = 0; r < rules; ++r)
            current_[r / 64] |= std::uint64_t{1} << (r % 64);
        return intern(current_);
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
    out.words_ = (rules.size() + 63) / 64;
    out.summary_words_ = (out.words_ + 63) / 64;
    out.stride_ = out.words_ + out.summary_words_;

    Builder builder(out);
    out.all_rules_ = builder.intern_all(rules.size());

    std::vector<Event<std::uint8_t>> protocol_events;
    std::vector<Event<std::uint32_t>> source_v4, destination_v4;
    std::vector<Event<net::u128>> source_v6, destination_v6;
    std::vector<Event<std::uint16_t>> source_ports, destination_ports;
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
        const ResolvedRule& rule = rules[r];
        add_events(protocol_events, rule.protocols.intervals(), r);
        add_events(source_v4, rule.sources.v4().intervals(), r);
        add_events(destination_v4, rule.destinations.v4().intervals(), r);
        add_events(source_v6, rule.sources.v6().intervals(), r);
        add_events(destination_v6, rule.destinations.v6().intervals(), r);
        add_events(source_ports, rule.source_ports.intervals(), r);
        add_events(destination_ports, rule.destination_ports.intervals(), r);
    }

    Field<std::uint8_t> protocols;
    builder.sweep(protocol_events, protocols);
    out.protocol_.resize(256);
    for (unsigned p = 0; p < 256; ++p)
        out.protocol_[p] = protocols.lookup(static_cast<std::uint8_t>(p));
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
    const std::uint64_t* protocol = pool + protocol_[flow.protocol];
    const std::uint64_t* source =
        pool + (flow.source.is_v4() ? source_v4_.lookup(static_cast<std::uint32_t>(flow.source.value()))
                                    : source_v6_.lookup(flow.source.value()));
    const std::uint64_t* destination =
        pool + (flow.destination.is_v4()
                    ? destination_v4_.lookup(static_cast<std::uint32_t>(flow.destination.value()))
                    : destination_v6_.lookup(flow.destination.value()));
    const std::uint64_t* source_port = pool + all_rules_;
    const std::uint64_t* destination_port = pool + all_rules_;
    if (net::protocol_has_ports(flow.protocol)) {
        source_port = pool + source_port_.lookup(flow.source_port);
        destination_port = pool + destination_port_.lookup(flow.destination_port);
    }
    // Only words where all five summaries have a bit can hold a common rule.
    const std::size_t s_words = summary_words_;
    for (std::size_t s = 0; s < s_words; ++s) {
        std::uint64_t candidates =
            protocol[s] & source[s] & destination[s] & source_port[s] & destination_port[s];
        while (candidates != 0) {
            const std::size_t w = s * 64 + static_cast<std::size_t>(std::countr_zero(candidates));
            const std::size_t at = s_words + w;
            const std::uint64_t hits =
                protocol[at] & source[at] & destination[at] & source_port[at] & destination_port[at];
            if (hits != 0)
                return static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(hits)));
            candidates &= candidates - 1;
        }
    }
    return rule_count();
}

std::size_t RuleClassifier::interval_count() const {
    return source_v4_.starts.size() + destination_v4_.starts.size() + source_v6_.starts.size() +
           destination_v6_.starts.size() + source_port_.starts.size() + destination_port_.starts.size();
}

std::size_t RuleClassifier::memory_bytes() const {
    return access_.capacity() * sizeof(model::Access) + pool_.capacity() * sizeof(std::uint64_t) +
           protocol_.capacity() * sizeof(std::uint32_t) + source_v4_.bytes() + destination_v4_.bytes() +
           source_v6_.bytes() + destination_v6_.bytes() + source_port_.bytes() + destination_port_.bytes();
}

} // namespace detail

} // namespace ztnet::policy
