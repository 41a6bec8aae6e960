// Hardening a generated estate of 1,000 NICs (5 spokes of 10 subnets, 50 NSGs, 5,000 rules, 30 ASGs,
// 5 internal load balancers, a hub firewall, Bastion; generated and loaded once outside timing) with
// a three-tier intent per spoke: the Internet to the first tier on 443, each tier to the next on
// 443, the probes to every tier. Timed: the plan and its proof (a second analysis of the hardened
// estate), against the baseline of the same run, the analysis that verifies the intent.
//
//   ./build/release/bench/ztnet_bench_harden
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ztnet/harden/harden.h"

#include "testkit/random_intent.h"
#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace {

using namespace ztnet;

testkit::EstateParameters thousand_nics() {
    testkit::EstateParameters p = testkit::enterprise();
    p.spokes = 5;
    p.nics = 1000;
    p.nsgs = 50;
    p.rules_total = 5000;
    p.asgs = 30;
    p.load_balancers = 5;
    p.public_prefixes = 30;
    return p;
}

// Each spoke's subnets are its tiers, in the order the generator names them.
model::Intent tiered_intent(const testkit::SyntheticEstate& estate) {
    using Kind = model::IntentSelector::Kind;
    model::Intent intent;
    intent.path = "tiers.ztnet.yaml";
    std::map<std::string, std::vector<std::string>> tiers; // vnet -> its subnets' groups
    for (const std::string& subnet : estate.subnet_names) {
        const std::string vnet = subnet.substr(0, subnet.find('/'));
        const std::string group = fmt::format("tier-{}", intent.groups.size());
        intent.groups.push_back({group, {testkit::intent_selector(Kind::Subnet, subnet)}, {}});
        tiers[vnet].push_back(group);
    }
    intent.groups.push_back({"internet", {testkit::intent_selector(Kind::Internet, "")}, {}});
    intent.groups.push_back(
        {"probes", {testkit::intent_selector(Kind::ServiceTag, "AzureLoadBalancer")}, {}});
    auto flow = [](std::string from, std::string to, std::uint16_t port, bool platform) {
        model::IntentFlow f;
        f.from = {std::move(from)};
        f.to = {std::move(to)};
        f.protocols = net::ProtocolSet::single(6);
        f.ports = net::PortSet::single(port);
        f.platform = platform;
        return f;
    };
    for (const auto& [vnet, groups] : tiers) {
        intent.flows.push_back(flow("internet", groups.front(), 443, false));
        for (std::size_t t = 0; t + 1 < groups.size(); ++t)
            intent.flows.push_back(flow(groups[t], groups[t + 1], t % 2 == 0 ? 443 : 1433, false));
        for (const std::string& g : groups)
            intent.platform_flows.push_back(flow("probes", g, 443, true));
    }
    return intent;
}

struct Loaded {
    policy::ServiceTags tags = testkit::sample_service_tags();
    model::Estate estate;
    model::Intent intent;
    Loaded() {
        SourceSet sources;
        Diagnostics diagnostics;
        const testkit::SyntheticEstate synthetic = testkit::generate_estate(thousand_nics());
        estate =
            testkit::load_export_text(synthetic.to_json(), "synthetic.json", sources, diagnostics).estate;
        intent = tiered_intent(synthetic);
    }
};

const Loaded& loaded() {
    static const Loaded in;
    return in;
}

std::unique_ptr<analysis::Analysis> analyse(const Loaded& in, Diagnostics& diagnostics) {
    analysis::Options options;
    options.rule_analysis = false;
    options.intent = &in.intent;
    auto analysed = analysis::Analysis::run(in.estate, in.tags, options, diagnostics);
    return analysed ? std::move(*analysed) : nullptr;
}

// The baseline: what `ztnet verify` computes after loading.
void BM_AnalyseWithIntent(benchmark::State& state) {
    const Loaded& in = loaded();
    for (auto _ : state) {
        Diagnostics diagnostics;
        auto analysed = analyse(in, diagnostics);
        if (!analysed) {
            state.SkipWithError("the analysis failed");
            break;
        }
        benchmark::DoNotOptimize(analysed->verified()->excess);
    }
}
BENCHMARK(BM_AnalyseWithIntent)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The plan and its proof, on the analysis above (made once, outside timing); the proof must hold.
void BM_HardenAndProve(benchmark::State& state) {
    const Loaded& in = loaded();
    Diagnostics diagnostics;
    auto analysed = analyse(in, diagnostics);
    if (!analysed) {
        state.SkipWithError("the analysis failed");
        return;
    }
    std::size_t rules = 0;
    std::size_t excess_closed = 0;
    for (auto _ : state) {
        Result<harden::HardenPlan> plan = harden::plan_hardening(*analysed);
        if (!plan) {
            state.SkipWithError(plan.error().message.c_str());
            break;
        }
        Result<harden::Proof> proof = harden::prove(*analysed, *plan, diagnostics);
        if (!proof || !proof->holds) {
            state.SkipWithError("the plan does not prove");
            break;
        }
        rules = 0;
        for (const harden::NsgProposal& nsg : plan->nsgs)
            rules += nsg.rules.size();
        excess_closed = proof->excess_before;
        state.counters["nsgs"] = static_cast<double>(plan->nsgs.size());
    }
    state.counters["rules"] = static_cast<double>(rules);
    state.counters["excess_closed"] = static_cast<double>(excess_closed);
}
BENCHMARK(BM_HardenAndProve)->Unit(benchmark::kMillisecond)->MinTime(2.0);

} // namespace

BENCHMARK_MAIN();
