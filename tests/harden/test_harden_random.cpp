// The property: on generated estates (hub and spokes, NSGs on subnets and NICs, ASGs, load
// balancers, a firewall) with random intents, every plan harden writes proves. And the proof is
// not blind: the same plans with their DenyAll baselines taken out fail it wherever the estate
// allowed more than the intent.
#include <algorithm>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/harden/harden.h"

#include "testkit/random_intent.h"
#include "testkit/synthetic_estate.h"

namespace ztnet::harden {
namespace {

std::uint64_t estates_to_run() {
    const char* text = std::getenv("ZTNET_HARDEN_ESTATES");
    return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : 60;
}

struct Tally {
    std::uint64_t planned = 0, proved = 0, unexpressible = 0, unresolved = 0, broken_caught = 0,
                  with_excess = 0, bounded = 0, bounded_with_cost = 0, with_groups = 0, new_groups = 0;
};

// What Azure can write on one side of a rule: prefixes, or one service tag or '*' alone, or one
// application security group alone.
bool writable(const model::RuleEndpoint& side) {
    const auto non_prefixes = std::count_if(side.addresses.begin(), side.addresses.end(), [](const auto& a) {
        return a.kind != model::AddressEntry::Kind::Prefix;
    });
    if (!side.application_security_groups.empty())
        return side.application_security_groups.size() == 1 && side.addresses.empty();
    return !side.addresses.empty() && (non_prefixes == 0 || side.addresses.size() == 1);
}

void expect_writable(std::uint64_t seed, const HardenPlan& plan) {
    for (const NsgProposal& nsg : plan.nsgs)
        for (const ProposedRule& r : nsg.rules)
            EXPECT_TRUE(writable(r.rule.source) && writable(r.rule.destination))
                << "seed " << seed << ": " << nsg.nsg_name << " " << r.rule.name;
}

// The plan again with intent groups of machines written as application security groups: it
// proves too, and its new groups hold members of one VNet.
void check_groups(std::uint64_t seed, const analysis::Analysis& analysed, Tally& tally,
                  Diagnostics& diagnostics) {
    const Result<HardenPlan> plan = plan_hardening(analysed, {.propose_asgs = true});
    if (!plan) {
        ASSERT_EQ(plan.error().code, "harden-unexpressible")
            << "seed " << seed << ": " << plan.error().message;
        return;
    }
    expect_writable(seed, *plan);
    const model::Estate hardened = apply_plan(analysed.estate(), *plan);
    for (const ProposedAsg& asg : plan->asgs) {
        EXPECT_FALSE(asg.members.empty()) << "seed " << seed << ": " << asg.name;
        const auto ref = hardened.find(asg.id);
        ASSERT_TRUE(ref) << "seed " << seed;
        EXPECT_EQ(
            hardened.application_security_groups[ref->as<model::ApplicationSecurityGroup>()].members.size(),
            asg.members.size());
    }
    const Result<Proof> proof = prove(analysed, *plan, diagnostics);
    ASSERT_TRUE(proof.ok()) << "seed " << seed << ": " << proof.error().message;
    std::string why;
    for (const std::string& line : proof->failures)
        why += "\n  " + line;
    EXPECT_TRUE(proof->holds) << "seed " << seed << ": the plan with groups does not prove" << why;
    ++tally.with_groups;
    tally.new_groups += plan->asgs.size();
}

// The plan again with one rule fewer than its largest NSG holds: it fits the bound, it proves (the
// exact plan holds and the bounded one denies nothing the intent names), and it says its cost.
void check_bounded(std::uint64_t seed, const analysis::Analysis& analysed, const HardenPlan& plan,
                   Tally& tally, Diagnostics& diagnostics) {
    std::size_t largest = 0;
    for (const NsgProposal& nsg : plan.nsgs)
        largest = std::max(largest, nsg.rules.size());
    if (largest <= 3)
        return;
    const Result<HardenPlan> fewer = plan_hardening(analysed, {.max_rules = largest - 1});
    if (!fewer) {
        ASSERT_EQ(fewer.error().code, "harden-too-many-rules")
            << "seed " << seed << ": " << fewer.error().message;
        return;
    }
    ++tally.bounded;
    expect_writable(seed, *fewer);
    for (const NsgProposal& nsg : fewer->nsgs) {
        EXPECT_LE(nsg.rules.size(), largest - 1) << "seed " << seed << ": " << nsg.nsg_name;
        EXPECT_EQ(nsg.exact_rules.empty(), nsg.widened.empty()) << "seed " << seed;
    }
    const Result<Proof> proof = prove(analysed, *fewer, diagnostics);
    ASSERT_TRUE(proof.ok()) << "seed " << seed << ": " << proof.error().message;
    std::string why;
    for (const std::string& line : proof->failures)
        why += "\n  " + line;
    EXPECT_TRUE(proof->bounded) << "seed " << seed;
    EXPECT_TRUE(proof->holds) << "seed " << seed << ": the bounded plan does not prove" << why;
    EXPECT_EQ(proof->widening_excess == 0, proof->widening_cost.empty()) << "seed " << seed;
    tally.bounded_with_cost += proof->widening_excess > 0 ? 1 : 0;
}

// A plan with every DenyAll rule taken out: what the NSGs' default rules allow comes back.
HardenPlan without_baseline(HardenPlan plan) {
    for (NsgProposal& nsg : plan.nsgs)
        std::erase_if(nsg.rules, [](const ProposedRule& r) { return r.rule.priority == 4096; });
    return plan;
}

void check_estate(std::uint64_t seed, Tally& tally) {
    auto loaded = testkit::load_generated(testkit::small(seed));
    ASSERT_FALSE(loaded->diagnostics.has_errors()) << "seed " << seed;
    testkit::Random random(seed * 7919);
    const model::Intent intent =
        testkit::random_intent(testkit::generate_estate(testkit::small(seed)), random);
    Diagnostics diagnostics;
    analysis::Options options;
    options.rule_analysis = false;
    options.intent = &intent;
    auto analysed = analysis::Analysis::run(loaded->estate, loaded->tags, options, diagnostics);
    if (!analysed) {
        ++tally.unresolved; // a random group that selects nothing here
        return;
    }
    const Result<HardenPlan> plan = plan_hardening(**analysed);
    if (!plan) {
        ASSERT_EQ(plan.error().code, "harden-unexpressible")
            << "seed " << seed << ": " << plan.error().message;
        ++tally.unexpressible;
        return;
    }
    ++tally.planned;
    expect_writable(seed, *plan);
    const Result<Proof> proof = prove(**analysed, *plan, diagnostics);
    ASSERT_TRUE(proof.ok()) << "seed " << seed << ": " << proof.error().message;
    std::string why;
    for (const std::string& line : proof->failures)
        why += "\n  " + line;
    EXPECT_TRUE(proof->holds) << "seed " << seed
                              << ": the plan does not prove (before: " << proof->missing_before
                              << " missing, " << proof->excess_before << " excess)" << why;
    tally.proved += proof->holds ? 1 : 0;
    EXPECT_FALSE(proof->bounded) << "seed " << seed;
    check_bounded(seed, **analysed, *plan, tally, diagnostics);
    check_groups(seed, **analysed, tally, diagnostics);
    if (proof->excess_before == 0)
        return;
    ++tally.with_excess;
    const Result<Proof> broken = prove(**analysed, without_baseline(*plan), diagnostics);
    ASSERT_TRUE(broken.ok());
    tally.broken_caught += broken->holds ? 0 : 1;
}

TEST(HardenProperty, EveryPlanProvesOnGeneratedEstates) {
    Tally tally;
    const std::uint64_t count = estates_to_run();
    for (std::uint64_t seed = 1; seed <= count; ++seed) {
        check_estate(seed, tally);
        if (::testing::Test::HasFatalFailure())
            return;
    }
    std::printf(
        "[ harden ] %llu estates: %llu planned, %llu proved, %llu unexpressible, %llu with an intent "
        "naming nothing there; %llu had excess, the proof caught %llu plans without their baseline; %llu "
        "bounded by one rule fewer proved, %llu of them with a cost; %llu planned with groups, %llu new "
        "groups\n",
        static_cast<unsigned long long>(count), static_cast<unsigned long long>(tally.planned),
        static_cast<unsigned long long>(tally.proved), static_cast<unsigned long long>(tally.unexpressible),
        static_cast<unsigned long long>(tally.unresolved), static_cast<unsigned long long>(tally.with_excess),
        static_cast<unsigned long long>(tally.broken_caught), static_cast<unsigned long long>(tally.bounded),
        static_cast<unsigned long long>(tally.bounded_with_cost),
        static_cast<unsigned long long>(tally.with_groups),
        static_cast<unsigned long long>(tally.new_groups));
    // Something worth proving was proved, and the proof caught the broken plans.
    EXPECT_GT(tally.planned * 2, count);
    EXPECT_GT(tally.with_excess, 0u);
    EXPECT_EQ(tally.broken_caught, tally.with_excess);
    EXPECT_GT(tally.bounded, 0u);    // the bound was exercised
    EXPECT_GT(tally.new_groups, 0u); // and groups were proposed
}

} // namespace
} // namespace ztnet::harden
