// Reachability benchmarks. All pairs over the enterprise estate (10,000 NICs, 500 NSGs, 50,000 rules,
// 300 ASGs, generated once outside timing); and, on a 200-NIC estate without a firewall, the all-pairs
// question answered by Reachability and by the Z3 encoding of the oracle test, in the same run, with
// both answers compared before anything is timed.
//
// The Z3 side asks, per ordered pair of endpoints, one satisfiability question: does any flow pass
// the NSGs on the path? Reachability answers more (the exact set of services), so the ratio
// understates its advantage.
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/reachability.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"
#include "z3_encoding.h"

namespace {

using namespace ztnet;

/// A generated estate, loaded (the export text and the sources are dropped once loaded).
struct Estate {
    policy::ServiceTags tags = testkit::sample_service_tags();
    model::Estate model;
    std::size_t export_bytes = 0;
    std::size_t load_errors = 0;

    explicit Estate(const testkit::EstateParameters& parameters) {
        std::string text = testkit::generate_estate(parameters).to_json();
        export_bytes = text.size();
        SourceSet sources;
        Diagnostics diagnostics;
        model = testkit::load_export_text(std::move(text), "synthetic.json", sources, diagnostics).estate;
        load_errors = diagnostics.error_count();
    }
};

const Estate& enterprise() {
    static const Estate estate(testkit::enterprise());
    return estate;
}

/// The enterprise estate at a tenth of its size (1,000 NICs, 50 NSGs, 5,000 rules, 30 ASGs, 5 spokes).
const Estate& enterprise_tenth() {
    static const Estate estate = [] {
        testkit::EstateParameters p = testkit::enterprise();
        p.spokes /= 10;
        p.nics /= 10;
        p.nsgs /= 10;
        p.rules_total /= 10;
        p.asgs /= 10;
        p.load_balancers /= 10;
        p.public_prefixes /= 10;
        return Estate(p);
    }();
    return estate;
}

/// 200 NICs in 4 spokes and the hub, 20 NSGs of 600 rules, 16 ASGs, no firewall: every pair's route
/// is decided by routing alone, so the Z3 encoding covers every pair that Reachability does.
testkit::EstateParameters two_hundred_nics() {
    testkit::EstateParameters p;
    p.seed = 4242;
    p.spokes = 4;
    p.subnets_per_spoke = 5;
    p.nics = 200;
    p.nsgs = 20;
    p.rules_total = 600;
    p.asgs = 16;
    p.load_balancers = 0;
    p.public_prefixes = 12;
    p.with_firewall = false;
    p.with_bastion = false;
    p.ipv6 = false;
    return p;
}

const Estate& small_estate() {
    static const Estate estate(two_hundred_nics());
    return estate;
}

bool share_a_family(const reach::ReachEndpoint& a, const reach::ReachEndpoint& b) {
    return (!a.addresses.v4().empty() && !b.addresses.v4().empty()) ||
           (!a.addresses.v6().empty() && !b.addresses.v6().empty());
}

void set_reach_counters(benchmark::State& state, const reach::Reachability::Stats& s) {
    state.counters["endpoints"] = static_cast<double>(s.endpoints);
    state.counters["classes"] = static_cast<double>(s.classes);
    state.counters["class_pairs"] = static_cast<double>(s.class_pairs_computed);
    state.counters["service_sets"] = static_cast<double>(s.distinct_service_sets);
    state.counters["nsg_terms"] = static_cast<double>(s.nsg_terms);
}

// Compiling every NSG for every VNet it is used in: what all-pairs reachability starts from.
void BM_CompilePolicies(benchmark::State& state) {
    const Estate& estate = enterprise();
    if (estate.load_errors > 0)
        state.SkipWithError("the enterprise estate has load errors");
    for (auto _ : state) {
        Diagnostics diagnostics;
        policy::PolicyEngine engine(estate.model, estate.tags, diagnostics);
        benchmark::DoNotOptimize(engine);
    }
    state.counters["export_MB"] = static_cast<double>(estate.export_bytes) / (1 << 20);
    state.counters["nics"] = static_cast<double>(estate.model.network_interfaces.size());
    state.counters["nsgs"] = static_cast<double>(estate.model.network_security_groups.size());
}
BENCHMARK(BM_CompilePolicies)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// All pairs: endpoints, classes, and every pair of classes, on compiled policies (compiled outside
// timing).
// state.range(0): the threads compute_all() may use (0: as many as the machine has).
void all_pairs(benchmark::State& state, const Estate& estate) {
    if (estate.load_errors > 0)
        state.SkipWithError("the estate has load errors");
    reach::Reachability::Stats stats;
    double classes_seconds = 0;
    for (auto _ : state) {
        state.PauseTiming();
        Diagnostics diagnostics;
        auto engine = std::make_unique<policy::PolicyEngine>(estate.model, estate.tags, diagnostics);
        state.ResumeTiming();
        auto start = std::chrono::steady_clock::now();
        auto reach = std::make_unique<reach::Reachability>(*engine, diagnostics);
        classes_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        reach->compute_all(static_cast<unsigned>(state.range(0)));
        stats = reach->stats();
        state.PauseTiming();
        reach.reset(); // freeing the tables is outside timing, like the engine's
        engine.reset();
        state.ResumeTiming();
    }
    set_reach_counters(state, stats);
    state.counters["nics"] = static_cast<double>(estate.model.network_interfaces.size());
    state.counters["endpoints_s"] = classes_seconds; // of the time: endpoints and classes
    state.counters["threads"] = static_cast<double>(stats.threads);
}

void BM_AllPairsReachTenth(benchmark::State& state) {
    all_pairs(state, enterprise_tenth());
}
BENCHMARK(BM_AllPairsReachTenth)
    ->ArgName("threads")
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// The target: 10,000 NICs, 500 NSGs, 50,000 rules, 300 ASGs in under 5 s and 2 GB on 2 cores.
void BM_AllPairsReach(benchmark::State& state) {
    all_pairs(state, enterprise());
}
BENCHMARK(BM_AllPairsReach)
    ->ArgName("threads")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// The boolean all-pairs matrix (does anything pass from a to b?) over the 200-NIC estate, pairs
// without a common address family left out: Reachability's answer and Z3's.
std::vector<std::uint8_t> reach_matrix(reach::Reachability& reach) {
    const auto& endpoints = reach.endpoints().endpoints;
    std::vector<std::uint8_t> out(endpoints.size() * endpoints.size(), 0);
    for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
        for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
            if (a != b && share_a_family(endpoints[a], endpoints[b]))
                out[a * endpoints.size() + b] = reach.between(a, b).allowed.empty() ? 0 : 1;
        }
    }
    return out;
}

// 2 where Z3 cannot encode the pair (a firewall, a load balancer, an undecidable route).
std::vector<std::uint8_t> z3_matrix(const reach::EndpointSet& set, const policy::PolicyEngine& engine,
                                    Diagnostics& diagnostics, std::size_t& questions) {
    reach::z3oracle::FlowSpace space;
    reach::z3oracle::PathEncoder paths(space, engine, diagnostics);
    const auto& endpoints = set.endpoints;
    std::vector<std::uint8_t> out(endpoints.size() * endpoints.size(), 0);
    questions = 0;
    for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
        for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
            if (a == b || !share_a_family(endpoints[a], endpoints[b]))
                continue;
            reach::z3oracle::PathFormula path = paths.path(endpoints[a], endpoints[b]);
            if (!path.allowed) {
                out[a * endpoints.size() + b] = 2;
                continue;
            }
            ++questions;
            bool some =
                space.find_flow(*path.allowed, endpoints[a].addresses, endpoints[b].addresses).has_value();
            out[a * endpoints.size() + b] = some ? 1 : 0;
        }
    }
    return out;
}

struct SmallBaseline {
    bool agree = false;
    std::size_t pairs = 0;
    std::size_t reachable = 0;
};

// Both answers once, compared, before either is timed (pairs Z3 cannot encode left out).
const SmallBaseline& small_baseline() {
    static const SmallBaseline baseline = [] {
        SmallBaseline out;
        const Estate& estate = small_estate();
        Diagnostics diagnostics;
        policy::PolicyEngine engine(estate.model, estate.tags, diagnostics);
        reach::Reachability reach(engine, diagnostics);
        std::vector<std::uint8_t> fast = reach_matrix(reach);
        std::size_t questions = 0;
        std::vector<std::uint8_t> z3;
        try {
            z3 = z3_matrix(reach.endpoints(), engine, diagnostics, questions);
        } catch (const z3::exception&) {
            return out;
        }
        out.agree = true;
        for (std::size_t i = 0; i < fast.size(); ++i) {
            if (z3[i] != 2 && z3[i] != fast[i])
                out.agree = false;
            out.reachable += fast[i];
        }
        out.pairs = questions;
        return out;
    }();
    return baseline;
}

void BM_AllPairsReachSmall(benchmark::State& state) {
    const Estate& estate = small_estate();
    if (!small_baseline().agree)
        state.SkipWithError("Reachability and Z3 disagree on the 200-NIC estate");
    reach::Reachability::Stats stats;
    for (auto _ : state) {
        state.PauseTiming();
        Diagnostics diagnostics;
        auto engine = std::make_unique<policy::PolicyEngine>(estate.model, estate.tags, diagnostics);
        state.ResumeTiming();
        reach::Reachability reach(*engine, diagnostics);
        std::vector<std::uint8_t> matrix = reach_matrix(reach);
        benchmark::DoNotOptimize(matrix.data());
        stats = reach.stats();
    }
    set_reach_counters(state, stats);
    state.counters["reachable_pairs"] = static_cast<double>(small_baseline().reachable);
}
BENCHMARK(BM_AllPairsReachSmall)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Z3AllPairs(benchmark::State& state) {
    const Estate& estate = small_estate();
    if (!small_baseline().agree)
        state.SkipWithError("Reachability and Z3 disagree on the 200-NIC estate");
    std::size_t questions = 0;
    for (auto _ : state) {
        state.PauseTiming();
        Diagnostics diagnostics;
        policy::PolicyEngine engine(estate.model, estate.tags, diagnostics);
        state.ResumeTiming();
        try {
            reach::EndpointSet endpoints = reach::enumerate_endpoints(engine, diagnostics);
            std::vector<std::uint8_t> matrix = z3_matrix(endpoints, engine, diagnostics, questions);
            benchmark::DoNotOptimize(matrix.data());
        } catch (const z3::exception& e) {
            state.SkipWithError(e.msg());
            break;
        }
    }
    state.counters["questions"] = static_cast<double>(questions);
    state.counters["reachable_pairs"] = static_cast<double>(small_baseline().reachable);
}
BENCHMARK(BM_Z3AllPairs)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
