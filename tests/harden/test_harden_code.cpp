// The plan as code: the ARM template ztnet writes reads back, through ztnet's own template loader,
// into exactly the plan's NSGs and rules (every field as the engine compiles it), with the new NSG
// associated with its subnet; so what is deployed is what was proved. Bicep and Terraform are
// checked for their syntax by tests/cli/harden_code_syntax.py.
#include <algorithm>
#include <tuple>

#include <gtest/gtest.h>

#include "ztnet/harden/harden.h"
#include "ztnet/load/loader.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/report/harden_code.h"

#include "harden_fixture.h"

namespace ztnet::harden {
namespace {

// An example analysed, and its plan.
struct Planned : testing::Example {
    HardenPlan plan;
    explicit Planned(const std::string& name) : Example(name), plan(*plan_hardening(analysis())) {}
};

// A side read back: its address entries; and its ASGs, which a template alone names without
// holding them (external references, so the loaded rule marks the side unknown): by the ids the
// template refers to.
std::string side(const model::RuleEndpoint& e, const model::Estate& estate) {
    std::string out;
    for (const model::AddressEntry& a : e.addresses)
        out += a.text() + ",";
    for (model::AsgIndex g : e.application_security_groups)
        out += model::id_key(estate.application_security_groups[g].id) + ",";
    return out;
}

bool refers_to(const model::Estate& written, const std::string& id) {
    return std::any_of(written.external_references.begin(), written.external_references.end(),
                       [&](const model::ExternalReference& r) { return model::same_id(r.id, id); });
}

// The loaded rule says what the plan's says, as the engine reads it.
void expect_same(const model::SecurityRule& loaded, const model::Estate& written,
                 const model::SecurityRule& planned, const model::Estate& estate) {
    EXPECT_EQ(loaded.name, planned.name);
    EXPECT_EQ(loaded.priority, planned.priority) << planned.name;
    EXPECT_EQ(loaded.direction, planned.direction) << planned.name;
    EXPECT_EQ(loaded.access, planned.access) << planned.name;
    EXPECT_EQ(loaded.protocols, planned.protocols) << planned.name;
    EXPECT_EQ(loaded.source_port_set, planned.source_port_set) << planned.name;
    EXPECT_EQ(loaded.destination_port_set, planned.destination_port_set) << planned.name;
    EXPECT_EQ(loaded.description, planned.description) << planned.name;
    std::size_t asg_sides = 0;
    for (const auto& [read, wanted, field] :
         {std::tuple{&loaded.source, &planned.source, model::RuleField::Source},
          std::tuple{&loaded.destination, &planned.destination, model::RuleField::Destination}}) {
        if (wanted->application_security_groups.empty()) {
            EXPECT_EQ(side(*read, written), side(*wanted, estate)) << planned.name;
            continue;
        }
        ++asg_sides;
        EXPECT_TRUE(loaded.is_unknown(field)) << planned.name;
        for (model::AsgIndex g : wanted->application_security_groups)
            EXPECT_TRUE(refers_to(written, estate.application_security_groups[g].id)) << planned.name;
    }
    EXPECT_EQ(loaded.unknowns.size(), asg_sides) << planned.name;
}

void round_trip(const std::string& example) {
    Planned p(example);
    const model::Estate& estate = p.analysis().estate();
    const Result<std::string> template_text = report::harden_arm(p.plan, estate);
    ASSERT_TRUE(template_text);
    const std::string& arm = *template_text;
    // Deployed into the resource group of the plan's first NSG.
    const model::ResourceIdParts where = model::parse_resource_id(p.plan.nsgs.front().nsg_id);
    load::LoadOptions options;
    options.scope.subscription_id = where.subscription;
    options.scope.resource_group = where.resource_group;
    SourceSet sources;
    Diagnostics diagnostics;
    const load::LoadResult loaded =
        load::load_sources(sources, {sources.add("harden.json", arm)}, options, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors());
    const model::Estate& written = loaded.estate;
    ASSERT_EQ(written.network_security_groups.size(), p.plan.nsgs.size());
    for (const NsgProposal& nsg : p.plan.nsgs) {
        const auto ref = written.find(nsg.nsg_id);
        ASSERT_TRUE(ref.has_value()) << nsg.nsg_id;
        const model::NetworkSecurityGroup& read =
            written.network_security_groups[ref->as<model::NetworkSecurityGroup>()];
        ASSERT_EQ(read.rules.size(), nsg.rules.size()) << nsg.nsg_name;
        for (std::size_t i = 0; i < nsg.rules.size(); ++i)
            expect_same(read.rules[i], written, nsg.rules[i].rule, estate);
        for (const std::string& subnet_id : nsg.is_new ? nsg.subnets : std::vector<std::string>{}) {
            const auto subnet = written.find(subnet_id);
            ASSERT_TRUE(subnet.has_value()) << subnet_id;
            const model::Subnet& s = written.subnets[subnet->as<model::Subnet>()];
            ASSERT_NE(s.network_security_group, model::kNone) << subnet_id;
            EXPECT_EQ(written.network_security_groups[s.network_security_group].name, nsg.nsg_name);
            const model::Subnet& original = estate.subnets[estate.find(subnet_id)->as<model::Subnet>()];
            EXPECT_EQ(s.address_prefixes, original.address_prefixes);
        }
    }
}

TEST(HardenCode, TheArmTemplateReadsBackIntoThePlanOfTheLegacySpoke) {
    round_trip("legacy-spoke");
}

TEST(HardenCode, TheArmTemplateReadsBackIntoThePlanOfTheZeroTrustSpoke) {
    round_trip("zero-trust-spoke");
}

TEST(HardenCode, BicepTakesOneResourceGroupTerraformAny) {
    Planned p("legacy-spoke");
    const Result<std::string> bicep = report::harden_bicep(p.plan, p.analysis().estate());
    ASSERT_TRUE(bicep.ok());
    EXPECT_NE(bicep->find("resource nsg_snet_data 'Microsoft.Network/networkSecurityGroups@"),
              std::string::npos);
    // The subnet takes the new NSG's id, and depends on it.
    EXPECT_NE(bicep->find("networkSecurityGroup: {\n      id: '/subscriptions/"), std::string::npos)
        << *bicep;
    EXPECT_NE(bicep->find("dependsOn: [\n    nsg_snet_data\n  ]"), std::string::npos) << *bicep;
    const std::string terraform = report::harden_terraform(p.plan, p.analysis().estate());
    EXPECT_NE(terraform.find("import {\n  to = azurerm_network_security_group.nsg_orders_web"),
              std::string::npos);
    EXPECT_NE(terraform.find("resource \"azurerm_subnet_network_security_group_association\""),
              std::string::npos);
    // A plan across two resource groups: Bicep says why it cannot, ARM nests a deployment per group.
    HardenPlan spread = p.plan;
    spread.nsgs.back().nsg_id = "/subscriptions/s/resourceGroups/other/providers/Microsoft.Network/"
                                "networkSecurityGroups/" +
                                spread.nsgs.back().nsg_name;
    const Result<std::string> refused = report::harden_bicep(spread, p.analysis().estate());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "fix-code-scope");
    EXPECT_NE(report::harden_arm(spread, p.analysis().estate())->find("Microsoft.Resources/deployments"),
              std::string::npos);
}

} // namespace
} // namespace ztnet::harden

namespace ztnet::harden {
namespace {

// The legacy export with its tiers named by their VMs, planned with new application security
// groups: the plan proves, its rules name the groups, and only the formats that add a membership
// alone write it.
TEST(HardenCode, NewGroupsAreWrittenOnlyWhereAMembershipIsAddedAlone) {
    testing::Example example("legacy-spoke", std::string(ZTNET_SOURCE_DIR) +
                                                 "/tests/data/intents/legacy-vm-roles.ztnet.yaml");
    const Result<HardenPlan> plan = plan_hardening(example.analysis(), {.propose_asgs = true});
    ASSERT_TRUE(plan) << plan.error().message;
    ASSERT_EQ(plan->asgs.size(), 3u);
    for (const ProposedAsg& asg : plan->asgs)
        EXPECT_EQ(asg.members.size(), 2u) << asg.name;
    const Result<Proof> proof = prove(example.analysis(), *plan, example.diagnostics());
    ASSERT_TRUE(proof);
    EXPECT_TRUE(proof->holds);
    const model::Estate hardened = apply_plan(example.analysis().estate(), *plan);
    std::size_t naming_groups = 0;
    for (const NsgProposal& nsg : plan->nsgs)
        for (const ProposedRule& r : nsg.rules)
            naming_groups += !r.rule.source.application_security_groups.empty() ||
                             !r.rule.destination.application_security_groups.empty();
    EXPECT_GE(naming_groups, 4u);
    const Result<std::string> arm = report::harden_arm(*plan, hardened);
    ASSERT_FALSE(arm);
    EXPECT_EQ(arm.error().code, "harden-code-membership");
    EXPECT_EQ(report::harden_bicep(*plan, hardened).error().code, "harden-code-membership");
    const std::string terraform = report::harden_terraform(*plan, hardened);
    std::size_t associations = 0;
    for (std::size_t at = 0;
         (at = terraform.find("azurerm_network_interface_application_security_group_association", at)) !=
         std::string::npos;
         ++at)
        ++associations;
    EXPECT_EQ(associations, 6u);
}

} // namespace
} // namespace ztnet::harden
