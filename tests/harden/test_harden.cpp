// Hardening the bundled examples from their intents: every plan proves, the hardened estate
// verifies against the intent on its own, the plan has the guidance's shape (DenyAll at 4096 both
// ways, the probes, an NSG on every subnet of the intent's endpoints, special subnets alone), and
// the proof fails when the plan is broken either way (a rule missing, a rule too wide).
#include <gtest/gtest.h>

#include "ztnet/harden/harden.h"

#include "harden_fixture.h"

namespace ztnet::harden {
namespace {

using testing::Example;

const ProposedRule* find_rule(const NsgProposal& nsg, std::string_view name) {
    for (const ProposedRule& r : nsg.rules)
        if (r.rule.name == name)
            return &r;
    return nullptr;
}

const NsgProposal* find_nsg(const HardenPlan& plan, std::string_view name) {
    for (const NsgProposal& n : plan.nsgs)
        if (n.nsg_name == name)
            return &n;
    return nullptr;
}

TEST(Harden, TheLegacySpokesPlanProvesAndCloses68ExcessFlowSets) {
    Example legacy("legacy-spoke");
    const Result<HardenPlan> plan = plan_hardening(legacy.analysis());
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    const Result<Proof> proof = prove(legacy.analysis(), *plan, legacy.diagnostics());
    ASSERT_TRUE(proof.ok()) << proof.error().message;
    EXPECT_TRUE(proof->holds);
    EXPECT_EQ(proof->excess_before, 68u);
    EXPECT_EQ(proof->missing_after + proof->excess_after, 0u);
    EXPECT_FALSE(proof->closed.empty());

    // The three NSGs of the estate and one for the data subnet, which has none.
    ASSERT_EQ(plan->nsgs.size(), 4u);
    const NsgProposal* data = find_nsg(*plan, "nsg-snet-data");
    ASSERT_NE(data, nullptr);
    EXPECT_TRUE(data->is_new);
    for (const NsgProposal& nsg : plan->nsgs) {
        int deny_all = 0;
        for (const ProposedRule& r : nsg.rules) {
            EXPECT_FALSE(r.reasons.empty()) << nsg.nsg_name << " " << r.rule.name;
            if (r.rule.priority == 4096) {
                EXPECT_EQ(r.rule.access, model::Access::Deny);
                ++deny_all;
            }
        }
        EXPECT_EQ(deny_all, 2) << nsg.nsg_name;
        ASSERT_NE(find_rule(nsg, "AzureLoadBalancerProbes"), nullptr) << nsg.nsg_name;
    }
    // RDP and SSH from the Internet are gone; the web tier takes HTTPS from the App Gateway only.
    const NsgProposal* web = find_nsg(*plan, "nsg-orders-web");
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(web->replaced.size(), 3u);
    const ProposedRule* https = find_rule(*web, "Allow-app-gateway-to-web-In");
    ASSERT_NE(https, nullptr);
    EXPECT_EQ(https->rule.destination_ports, std::vector<std::string>{"443"});
    EXPECT_EQ(https->rule.source.addresses.at(0).text(), "10.20.0.0/24");
    // The App Gateway keeps its outbound Internet: Azure requires it, the intent does not say it.
    const NsgProposal* gateway = find_nsg(*plan, "nsg-orders-appgw");
    ASSERT_NE(gateway, nullptr);
    EXPECT_NE(find_rule(*gateway, "AppGatewayInternet"), nullptr);
    ASSERT_EQ(plan->azure_requirements.size(), 1u);
    EXPECT_NE(plan->azure_requirements[0].name.find("outbound Internet"), std::string::npos);
}

// The hardened estate, on its own, verifies against the user's intent: what the proof claims holds
// without the proof's own bookkeeping (Azure's requirements are platform flows there, and the
// App Gateway's outbound Internet is the one excess the user's intent reports).
TEST(Harden, TheHardenedEstateVerifiesAgainstTheIntent) {
    Example legacy("legacy-spoke");
    const Result<HardenPlan> plan = plan_hardening(legacy.analysis());
    ASSERT_TRUE(plan.ok());
    const model::Estate hardened = apply_plan(legacy.analysis().estate(), *plan);
    Diagnostics diagnostics;
    analysis::Options options;
    options.intent = &legacy.intent();
    auto after = analysis::Analysis::run(hardened, legacy.tags(), options, diagnostics);
    ASSERT_TRUE(after.ok()) << after.error().message;
    const reach::VerifyResult& verified = *(*after)->verified();
    EXPECT_EQ(verified.missing, 0u);
    for (const reach::Violation& v : verified.violations) {
        const auto& endpoints = (*after)->reachability()->endpoints().endpoints;
        EXPECT_EQ(endpoints[v.from].name, "agw-orders") << "only the App Gateway's outbound Internet is left";
        EXPECT_EQ(endpoints[v.to].kind, reach::ReachEndpoint::Kind::Internet);
    }
}

TEST(Harden, TheZeroTrustSpokesPlanProves) {
    Example zero_trust("zero-trust-spoke");
    const Result<HardenPlan> plan = plan_hardening(zero_trust.analysis());
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    const Result<Proof> proof = prove(zero_trust.analysis(), *plan, zero_trust.diagnostics());
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proof->holds);
    // The hub's special subnets are left alone.
    bool bastion = false;
    for (const LeftAlone& l : plan->left_alone)
        bastion = bastion || l.name == "AzureBastionSubnet";
    EXPECT_TRUE(bastion);
    // What the estate may allow and ztnet cannot decide (egress through the firewall's application
    // rules) is closed, and said.
    EXPECT_FALSE(proof->closed_undecidable.empty());
}

// Two spokes of a Virtual WAN hub: an NSG names only the ASGs of its own VNet, so the far end of
// the orders-to-CRM flow is written by address on each side, and the proof's re-analysis of the
// hardened estate raises no ASG error.
TEST(Harden, AcrossVnetsTheFarGroupIsWrittenByAddress) {
    Example vwan("virtual-wan-hub",
                 std::string(ZTNET_SOURCE_DIR) + "/examples/virtual-wan-hub/contoso-vwan.ztnet.yaml");
    const Result<HardenPlan> plan = plan_hardening(vwan.analysis());
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    const model::Estate& estate = vwan.analysis().estate();
    for (const NsgProposal& nsg : plan->nsgs)
        for (const ProposedRule& r : nsg.rules)
            for (const model::RuleEndpoint* side : {&r.rule.source, &r.rule.destination})
                for (model::AsgIndex g : side->application_security_groups)
                    EXPECT_EQ(estate.application_security_groups[g].name,
                              nsg.nsg_name == "nsg-orders-app" ? "asg-orders-app" : "asg-crm-api")
                        << nsg.nsg_name << " rule " << r.rule.name;
    const NsgProposal* crm = find_nsg(*plan, "nsg-crm-api");
    ASSERT_NE(crm, nullptr);
    const ProposedRule* in = find_rule(*crm, "Allow-orders-application-to-the-CRM-API-In");
    ASSERT_NE(in, nullptr);
    ASSERT_EQ(in->rule.source.addresses.size(), 1u);
    EXPECT_EQ(in->rule.source.addresses[0].text(), "10.91.1.4/32");
    Diagnostics diagnostics;
    const Result<Proof> proof = prove(vwan.analysis(), *plan, diagnostics);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proof->holds);
    for (const Diagnostic& d : diagnostics.all())
        EXPECT_NE(d.code, "asg-vnet-mismatch") << d.message;
}

// The proof is not a formality: a plan missing an intended rule, or holding one too wide, fails.
TEST(Harden, TheProofFailsABrokenPlan) {
    Example legacy("legacy-spoke");
    Result<HardenPlan> plan = plan_hardening(legacy.analysis());
    ASSERT_TRUE(plan.ok());

    HardenPlan missing = *plan;
    for (NsgProposal& nsg : missing.nsgs)
        std::erase_if(nsg.rules,
                      [](const ProposedRule& r) { return r.rule.name == "Allow-app-gateway-to-web-In"; });
    const Result<Proof> short_of = prove(legacy.analysis(), missing, legacy.diagnostics());
    ASSERT_TRUE(short_of.ok());
    EXPECT_FALSE(short_of->holds);
    EXPECT_GT(short_of->missing_after, 0u);
    EXPECT_FALSE(short_of->failures.empty());

    HardenPlan wide = *plan;
    for (NsgProposal& nsg : wide.nsgs) {
        if (nsg.nsg_name != "nsg-orders-web")
            continue;
        for (ProposedRule& r : nsg.rules)
            if (r.rule.name == "Allow-app-gateway-to-web-In") // from anywhere: the Internet too
                r.rule.source.addresses = {model::AddressEntry{model::AddressEntry::Kind::Any, {}, {}}};
    }
    const Result<Proof> too_wide = prove(legacy.analysis(), wide, legacy.diagnostics());
    ASSERT_TRUE(too_wide.ok());
    EXPECT_FALSE(too_wide->holds);
    EXPECT_GT(too_wide->excess_after, 0u);
}

// A load balancer backend whose address Azure picks at deployment (a template's dynamic address,
// which the analysis stands in for) cannot be written in a rule: the plan says so rather than write
// the stand-in, which would be another address in Azure.
TEST(Harden, ABackendWithoutItsAddressIsUnexpressible) {
    Example legacy("legacy-spoke");
    model::Estate estate = legacy.analysis().estate();
    bool changed = false;
    for (model::NetworkInterface& nic : estate.network_interfaces)
        for (model::IpConfiguration& config : nic.ip_configurations)
            if (!config.load_balancer_backend_pools.empty() && nic.name == "vm-app-1-nic") {
                config.address_stand_in = true;
                changed = true;
            }
    ASSERT_TRUE(changed);
    Diagnostics diagnostics;
    analysis::Options options;
    options.intent = &legacy.intent();
    auto analysed = analysis::Analysis::run(estate, legacy.tags(), options, diagnostics);
    ASSERT_TRUE(analysed.ok());
    const Result<HardenPlan> plan = plan_hardening(**analysed);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().code, "harden-unexpressible");
    EXPECT_NE(plan.error().message.find("vm-app-1-nic"), std::string::npos) << plan.error().message;
}

TEST(Harden, NeedsAnIntent) {
    SourceSet sources;
    Diagnostics diagnostics;
    const FileId file = sources.add("resources.json", checks::testing::example_export("legacy-spoke"));
    const load::LoadResult loaded = load::load_sources(sources, {file}, {}, diagnostics);
    const policy::ServiceTags tags;
    auto analysed = analysis::Analysis::run(loaded.estate, tags, {}, diagnostics);
    ASSERT_TRUE(analysed.ok());
    const Result<HardenPlan> plan = plan_hardening(**analysed);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().code, "harden-no-intent");
}

} // namespace
} // namespace ztnet::harden
