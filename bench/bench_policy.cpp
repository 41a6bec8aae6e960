// NSG decisions per second: the compiled classifier (CompiledNsg::decide) against the linear
// first-match reference (decide_linear), in the same run, on random NSGs of 100, 1,000 and 4,000 inbound
// rules (fixed seed) and one fixed set of flows. Before timing, both must agree on every flow.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "ztnet/policy/nsg_classifier.h"
#include "ztnet/policy/nsg_policy.h"

namespace {

using namespace ztnet;
using net::u128;

constexpr std::size_t kFlows = 1 << 14;

class Random {
  public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + engine_() % (hi - lo + 1); }
    bool chance(int percent) { return between(0, 99) < static_cast<std::uint64_t>(percent); }
    u128 wide() { return net::make_u128(engine_(), engine_()); }

  private:
    std::mt19937_64 engine_;
};

net::Prefix prefix(std::string_view text) {
    return *net::Prefix::parse(text);
}

// A random block inside `base`, at least as long as `min_length`.
net::Prefix block_in(Random& random, const net::Prefix& base, int min_length) {
    const int width = net::family_width(base.family());
    const int length = static_cast<int>(random.between(
        static_cast<std::uint64_t>(std::max(min_length, base.length())), static_cast<std::uint64_t>(width)));
    const u128 value = base.first().value() | (random.wide() & base.host_mask());
    return net::Prefix::from(net::Address::from_value(base.family(), value), length);
}

// The shape of a large estate's NSG: many rules between spoke subnets and hosts of 10.0.0.0/8, some with
// tags (Internet, a service tag of a few dozen public prefixes, ASG-like host sets), IPv6 now and then.
struct Workload {
    ztnet::policy::CompiledNsg nsg;
    std::vector<net::Flow> flows;
    std::size_t classifier_bytes = 0;
};

net::PortSet random_ports(Random& random) {
    static constexpr std::uint16_t kCommon[] = {22, 53, 80, 443, 1433, 3389, 5432, 8080, 8443};
    if (random.chance(10))
        return net::PortSet::all();
    net::PortSet out;
    const int entries = random.chance(60) ? 1 : static_cast<int>(random.between(2, 5));
    for (int i = 0; i < entries; ++i) {
        if (random.chance(50)) {
            out.insert(kCommon[random.between(0, std::size(kCommon) - 1)]);
        } else {
            const auto lo = static_cast<std::uint16_t>(random.between(1, 65000));
            out.insert(lo, static_cast<std::uint16_t>(lo + random.between(0, 500)));
        }
    }
    return out;
}

// A value inside a non-empty interval set.
template <class T>
T inside(Random& random, std::span<const net::Interval<T>> intervals) {
    const net::Interval<T>& iv = intervals[random.between(0, intervals.size() - 1)];
    const u128 span = static_cast<u128>(iv.hi - iv.lo);
    return static_cast<T>(iv.lo +
                          static_cast<T>(span == net::kU128Max ? random.wide() : random.wide() % (span + 1)));
}

// A flow inside every set of `rule`, or nullopt when its sides share no address family.
std::optional<net::Flow> flow_inside(Random& random, const policy::ResolvedRule& rule) {
    net::Flow f;
    f.protocol = rule.protocols.contains(6) ? 6 : inside(random, rule.protocols.intervals());
    net::Family family = net::Family::V4;
    if (rule.sources.v4().empty() || rule.destinations.v4().empty()) {
        if (rule.sources.v6().empty() || rule.destinations.v6().empty())
            return std::nullopt;
        family = net::Family::V6;
    }
    f.source = net::Address::from_value(family, inside(random, rule.sources.of(family).intervals()));
    f.destination =
        net::Address::from_value(family, inside(random, rule.destinations.of(family).intervals()));
    if (net::protocol_has_ports(f.protocol)) {
        f.source_port = inside(random, rule.source_ports.intervals());
        f.destination_port = inside(random, rule.destination_ports.intervals());
    }
    return f;
}

std::unique_ptr<Workload> make_workload(int rule_count) {
    Random random(0xbe7c4 + static_cast<std::uint64_t>(rule_count));
    const net::Prefix spokes = prefix("10.0.0.0/8");
    const net::Prefix public_space = prefix("20.0.0.0/8");
    const net::Prefix v6 = prefix("fd00::/16");
    std::vector<net::AddressSet> tags{policy::internet_addresses()};
    for (int t = 0; t < 3; ++t) {
        std::vector<net::Prefix> blocks;
        for (int i = 0; i < 40; ++i)
            blocks.push_back(block_in(random, public_space, 20));
        tags.push_back(net::AddressSet::from_prefixes(blocks));
    }
    for (int a = 0; a < 8; ++a) {
        net::AddressSet hosts;
        for (int i = 0; i < 6; ++i)
            hosts.insert(block_in(random, spokes, 32).first());
        tags.push_back(hosts);
    }
    auto side = [&] {
        const std::uint64_t kind = random.between(0, 99);
        if (kind < 3)
            return net::AddressSet::any();
        if (kind < 18)
            return tags[random.between(0, tags.size() - 1)];
        net::AddressSet out;
        const int entries = random.chance(70) ? 1 : static_cast<int>(random.between(2, 4));
        for (int i = 0; i < entries; ++i)
            out.insert(random.chance(90) ? block_in(random, spokes, 16) : block_in(random, v6, 48));
        return out;
    };
    static constexpr std::string_view kProtocols[] = {"Tcp", "Tcp", "Tcp", "Udp", "*", "Icmp"};
    std::vector<policy::ResolvedRule> rules;
    for (int i = 0; i < rule_count; ++i) {
        policy::ResolvedRule rule;
        rule.name = "rule-" + std::to_string(i);
        rule.priority = 100 + i;
        rule.custom_index = i;
        rule.access = random.chance(60) ? model::Access::Allow : model::Access::Deny;
        rule.protocols = *net::parse_nsg_protocol(kProtocols[random.between(0, std::size(kProtocols) - 1)]);
        rule.sources = side();
        rule.destinations = side();
        rule.source_ports = random.chance(98) ? net::PortSet::all() : random_ports(random); // as in real NSGs
        rule.destination_ports = random_ports(random);
        rules.push_back(std::move(rule));
    }
    const net::AddressSet vnet = net::AddressSet::from(prefix("10.0.0.0/12"));
    for (policy::ResolvedRule& rule : policy::default_rules(net::Direction::Inbound, vnet))
        rules.push_back(std::move(rule));

    auto workload = std::make_unique<Workload>();
    workload->classifier_bytes = policy::detail::RuleClassifier::build(rules).memory_bytes();
    // Flows: mostly between hosts of the spokes and from public space, a few IPv6, typical ports.
    static constexpr std::uint8_t kFlowProtocols[] = {6, 6, 6, 6, 17, 17, 1};
    static constexpr std::uint16_t kPorts[] = {22, 80, 443, 1433, 3389, 8080};
    for (std::size_t i = 0; i < kFlows; ++i) {
        if (random.chance(60)) {
            // A flow some rule was written for: inside its sets (a later rule may still decide it).
            const policy::ResolvedRule& rule =
                rules[random.between(0, static_cast<std::uint64_t>(rule_count) - 1)];
            if (auto f = flow_inside(random, rule)) {
                workload->flows.push_back(*f);
                continue;
            }
        }
        net::Flow f;
        f.protocol = kFlowProtocols[random.between(0, std::size(kFlowProtocols) - 1)];
        if (random.chance(10)) {
            f.source = block_in(random, v6, 128).first();
            f.destination = block_in(random, v6, 128).first();
        } else {
            f.source = block_in(random, random.chance(70) ? spokes : public_space, 32).first();
            f.destination = block_in(random, spokes, 32).first();
        }
        if (net::protocol_has_ports(f.protocol)) {
            f.source_port = static_cast<std::uint16_t>(random.between(1024, 65535));
            f.destination_port = random.chance(70) ? kPorts[random.between(0, std::size(kPorts) - 1)]
                                                   : static_cast<std::uint16_t>(random.between(1, 65535));
        }
        workload->flows.push_back(f);
    }
    workload->nsg = policy::CompiledNsg::from_rules(std::move(rules), {});
    return workload;
}

// One workload per rule count, built and cross-checked once.
const Workload* workload(benchmark::State& state) {
    static std::map<int, std::unique_ptr<Workload>> cache;
    const int rules = static_cast<int>(state.range(0));
    auto& slot = cache[rules];
    if (!slot) {
        slot = make_workload(rules);
        for (const net::Flow& f : slot->flows) {
            const auto fast = slot->nsg.decide(net::Direction::Inbound, f);
            const auto slow = slot->nsg.decide_linear(net::Direction::Inbound, f);
            if (fast.rule != slow.rule || fast.access != slow.access) {
                state.SkipWithError(("compiled and linear decisions differ for " + f.to_string()).c_str());
                return nullptr;
            }
        }
    }
    return slot.get();
}

void report(benchmark::State& state, const Workload& w, std::size_t custom_decided) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(w.flows.size()));
    state.counters["classifier_MiB"] = static_cast<double>(w.classifier_bytes) / (1 << 20);
    state.counters["custom_decided_%"] =
        100.0 * static_cast<double>(custom_decided) / static_cast<double>(w.flows.size());
}

std::size_t custom_decided(const Workload& w) {
    std::size_t count = 0;
    for (const net::Flow& f : w.flows)
        count +=
            w.nsg.rules(net::Direction::Inbound)[w.nsg.decide(net::Direction::Inbound, f).rule].is_default
                ? 0
                : 1;
    return count;
}

void BM_Decide(benchmark::State& state) {
    const Workload* w = workload(state);
    if (w == nullptr)
        return;
    for (auto _ : state) {
        for (const net::Flow& f : w->flows)
            benchmark::DoNotOptimize(w->nsg.decide(net::Direction::Inbound, f));
    }
    report(state, *w, custom_decided(*w));
}

void BM_DecideLinear(benchmark::State& state) {
    const Workload* w = workload(state);
    if (w == nullptr)
        return;
    for (auto _ : state) {
        for (const net::Flow& f : w->flows)
            benchmark::DoNotOptimize(w->nsg.decide_linear(net::Direction::Inbound, f));
    }
    report(state, *w, custom_decided(*w));
}

void BM_Compile(benchmark::State& state) {
    const Workload* w = workload(state);
    if (w == nullptr)
        return;
    const auto& rules = w->nsg.rules(net::Direction::Inbound);
    for (auto _ : state)
        benchmark::DoNotOptimize(policy::detail::RuleClassifier::build(rules));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(rules.size()));
}

BENCHMARK(BM_Decide)->Arg(100)->Arg(1000)->Arg(4000);
BENCHMARK(BM_DecideLinear)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Compile)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
