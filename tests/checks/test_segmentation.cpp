// The segmentation checks (ZT-SEG-*) on the bundled examples, on edited copies of their exports, and
// with the examples' intents verified.
#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>

#include "ztnet/load/intent_reader.h"
#include "ztnet/reach/rule_analysis.h"
#include "ztnet/reach/verify.h"

#include "../support/edit_text.h"
#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::example_export;
using testing::read_text;

using ztnet::testing::edited_after;

std::string rule_named(const std::string& name) {
    return "\"name\": \"" + name + "\"";
}

// An estate with an example's intent verified, and everything checks read, intent included.
class IntentFixture {
  public:
    IntentFixture(const std::string& json_text, const std::string& example) {
        auto tags = policy::ServiceTags::parse(
            read_text(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json"));
        tags_ = tags ? std::move(*tags) : policy::ServiceTags();
        FileId file = sources_.add("estate.json", json_text);
        loaded_ = load::load_sources(sources_, {file}, {}, diagnostics_);
        intent_ = load::read_intent_file(std::string(ZTNET_SOURCE_DIR) + "/examples/" + example +
                                             "/three-tier.ztnet.yaml",
                                         sources_, diagnostics_);
        if (!intent_ || diagnostics_.has_errors())
            throw std::runtime_error("the estate or the intent of " + example + " does not load cleanly");
        analysis::Options options;
        options.intent = &*intent_;
        auto analysed = analysis::Analysis::run(loaded_.estate, tags_, std::move(options), diagnostics_);
        if (!analysed)
            throw std::runtime_error("the analysis of " + example + " failed: " + analysed.error().message);
        analysis_ = std::move(*analysed);
        context_ = std::make_unique<CheckContext>(context_of(*analysis_));
    }

    static IntentFixture example(const std::string& name) {
        return IntentFixture(example_export(name), name);
    }

    /// The findings of one check (none, and a test failure, for an unknown id).
    std::vector<Finding> run(std::string_view check_id) {
        const Check* check = find_check(check_id);
        if (!check) {
            ADD_FAILURE() << "no check " << check_id;
            return {};
        }
        std::vector<Finding> out = check->run(*context_);
        for (Finding& f : out)
            f.check_id = check->id;
        return out;
    }
    const reach::VerifyResult& verified() const { return *analysis_->verified(); }

  private:
    SourceSet sources_;
    Diagnostics diagnostics_;
    load::LoadResult loaded_;
    policy::ServiceTags tags_;
    std::optional<model::Intent> intent_;
    std::unique_ptr<analysis::Analysis> analysis_;
    std::unique_ptr<CheckContext> context_;
};

std::multiset<std::string> resources(const std::vector<Finding>& findings) {
    std::multiset<std::string> out;
    for (const Finding& f : findings)
        out.insert(f.resource_name);
    return out;
}

std::set<std::string> discriminators(const std::vector<Finding>& findings) {
    std::set<std::string> out;
    for (const Finding& f : findings)
        out.insert(f.discriminator);
    return out;
}

const Finding* on(const std::vector<Finding>& findings, const std::string& resource) {
    for (const Finding& f : findings) {
        if (f.resource_name == resource)
            return &f;
    }
    return nullptr;
}

// Whether some evidence carries a flow to `port`.
bool has_flow_to(const Finding& f, std::uint16_t port) {
    return std::any_of(f.evidence.begin(), f.evidence.end(),
                       [&](const Evidence& e) { return e.flow && e.flow->destination_port == port; });
}

// Whether some evidence names `rule` and carries its place in the input.
bool cites_rule(const Finding& f, const std::string& rule) {
    return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const Evidence& e) {
        return e.text.find(rule) != std::string::npos && e.where.has_offset();
    });
}

std::optional<Severity> severity_of(std::string_view id) {
    const Check* check = find_check(id);
    return check ? std::optional<Severity>(check->severity) : std::nullopt;
}

// The examples, loaded afresh for each test so that tests stay independent.
CheckFixture zero_trust() {
    return CheckFixture::example("zero-trust-spoke");
}
CheckFixture legacy() {
    return CheckFixture::example("legacy-spoke");
}

TEST(Segmentation, EveryCheckIsRegisteredWithItsSeverity) {
    EXPECT_EQ(severity_of("ZT-SEG-001"), Severity::Critical);
    for (std::string_view id : {"ZT-SEG-002", "ZT-SEG-003", "ZT-SEG-004", "ZT-SEG-007", "ZT-SEG-008"})
        EXPECT_EQ(severity_of(id), Severity::High) << id;
    EXPECT_EQ(severity_of("ZT-SEG-005"), Severity::Low);
    EXPECT_EQ(severity_of("ZT-SEG-006"), Severity::Medium);
}

TEST(Segmentation, ZeroTrustSpokeHasNothingAboveLow) {
    CheckFixture zt = zero_trust();
    for (const Check& check : registry()) {
        if (check.id.substr(0, 7) != "ZT-SEG-" || check.severity == Severity::Low)
            continue;
        EXPECT_TRUE(zt.run(check.id).empty()) << check.id;
    }
}

// ---- ZT-SEG-001 ----

TEST(Segmentation, ManagementFromInternetFindsTheVmWithAPublicIp) {
    CheckFixture f = legacy();
    std::vector<Finding> findings = f.run("ZT-SEG-001");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"vm-web-1"});
    const Finding& rdp = findings.front();
    EXPECT_EQ(rdp.check_id, "ZT-SEG-001");
    EXPECT_EQ(rdp.discriminator, "tcp/22,3389");
    EXPECT_TRUE(has_flow_to(rdp, 22));
    EXPECT_TRUE(has_flow_to(rdp, 3389));
    EXPECT_TRUE(cites_rule(rdp, "AllowSshFromInternet"));
    EXPECT_TRUE(cites_rule(rdp, "AllowRdpFromInternet"));
}

TEST(Segmentation, ManagementFromInternetFollowsTheRulesExactly) {
    // With the RDP rule turned to Deny only SSH is left, and the discriminator says so.
    CheckFixture f(edited_after(example_export("legacy-spoke"), rule_named("AllowRdpFromInternet"),
                                "\"access\": \"Allow\"", "\"access\": \"Deny\""));
    std::vector<Finding> findings = f.run("ZT-SEG-001");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"vm-web-1"});
    EXPECT_EQ(findings.front().discriminator, "tcp/22");
    EXPECT_FALSE(has_flow_to(findings.front(), 3389));
}

// ---- ZT-SEG-002 ----

TEST(Segmentation, InternetExposureFlagsPlainHttpOnTheGateway) {
    CheckFixture f = legacy();
    std::vector<Finding> findings = f.run("ZT-SEG-002");
    // vm-web-1's SSH and RDP are ZT-SEG-001's findings, not repeated here.
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"agw-orders"});
    EXPECT_NE(findings.front().message.find("tcp/80"), std::string::npos) << findings.front().message;
    EXPECT_TRUE(has_flow_to(findings.front(), 80));
    EXPECT_FALSE(has_flow_to(findings.front(), 443));
    EXPECT_TRUE(cites_rule(findings.front(), "AllowHttpInbound"));
}

TEST(Segmentation, InternetExposureFlagsOtherPortsOnAVm) {
    CheckFixture f(edited_after(example_export("legacy-spoke"), rule_named("AllowSshFromInternet"),
                                "\"destinationPortRange\": \"22\"", "\"destinationPortRange\": \"22-443\""));
    std::vector<Finding> findings = f.run("ZT-SEG-002");
    EXPECT_EQ(resources(findings), (std::multiset<std::string>{"agw-orders", "vm-web-1"}));
    const Finding* vm = on(findings, "vm-web-1");
    ASSERT_NE(vm, nullptr);
    EXPECT_NE(vm->message.find("tcp/23-443"), std::string::npos) << vm->message;
}

TEST(Segmentation, InternetExposureFlagsAWiderGatewayRule) {
    CheckFixture f(edited_after(example_export("zero-trust-spoke"),
                                rule_named("Allow-Internet-To-AppGw-Https-Inbound"),
                                "\"destinationPortRange\": \"443\"", "\"destinationPortRange\": \"80-443\""));
    std::vector<Finding> findings = f.run("ZT-SEG-002");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"agw-spoke"});
    EXPECT_NE(findings.front().message.find("tcp/80-442"), std::string::npos) << findings.front().message;
    EXPECT_TRUE(cites_rule(findings.front(), "Allow-Internet-To-AppGw-Https-Inbound"));
}

// ---- ZT-SEG-003 ----

TEST(Segmentation, LateralManagementReachesEveryLegacyVm) {
    CheckFixture f = legacy();
    std::vector<Finding> findings = f.run("ZT-SEG-003");
    EXPECT_EQ(resources(findings), (std::multiset<std::string>{"vm-app-1", "vm-app-2", "vm-data-1",
                                                               "vm-data-2", "vm-web-1", "vm-web-2"}));
    const Finding* app = on(findings, "vm-app-1");
    ASSERT_NE(app, nullptr);
    EXPECT_TRUE(has_flow_to(*app, 22));
    // Every other VM and the gateway: no NSG filters SSH inside the VNet.
    EXPECT_NE(app->message.find("vm-web-1"), std::string::npos) << app->message;
    EXPECT_NE(app->message.find("and others"), std::string::npos) << app->message;
}

// The app tier's SSH rule opened to the web subnet instead of the Bastion subnet.
std::string app_ssh_from_web() {
    return edited_after(example_export("zero-trust-spoke"), rule_named("Allow-Bastion-To-App-Ssh-Inbound"),
                        "\"sourceAddressPrefix\": \"10.0.3.0/26\"",
                        "\"sourceAddressPrefix\": \"10.1.1.0/24\"");
}

TEST(Segmentation, LateralManagementJudgesFlowsNotRules) {
    // The rule is wrong, but the web tier's outbound DenyAll still stops SSH to the app tier: no
    // flow gets through, so there is nothing to report.
    CheckFixture f(app_ssh_from_web());
    EXPECT_TRUE(f.run("ZT-SEG-003").empty());
}

TEST(Segmentation, LateralManagementAllowsOnlyBastion) {
    // With the web tier's outbound DenyAll turned to Allow as well, SSH from web reaches the app VMs.
    CheckFixture f(edited_after(app_ssh_from_web(), rule_named("Allow-Web-Ntp-Egress-Via-Firewall"),
                                "\"access\": \"Deny\"", "\"access\": \"Allow\""));
    std::vector<Finding> findings = f.run("ZT-SEG-003");
    ASSERT_EQ(resources(findings), (std::multiset<std::string>{"vm-app-1", "vm-app-2"}));
    for (const Finding& finding : findings) {
        EXPECT_TRUE(cites_rule(finding, "Allow-Bastion-To-App-Ssh-Inbound")) << finding.message;
        EXPECT_TRUE(has_flow_to(finding, 22));
        EXPECT_NE(finding.message.find("Bastion: vm-web-1, vm-web-2"), std::string::npos) << finding.message;
    }
}

// ---- ZT-SEG-004 ----

TEST(Segmentation, OpenTierBoundariesWithoutAnIntent) {
    CheckFixture f = legacy();
    std::vector<Finding> findings = f.run("ZT-SEG-004");
    EXPECT_EQ(discriminators(findings),
              (std::set<std::string>{"vnet-orders/snet-app -> vnet-orders/snet-data",
                                     "vnet-orders/snet-app -> vnet-orders/snet-web",
                                     "vnet-orders/snet-data -> vnet-orders/snet-app",
                                     "vnet-orders/snet-data -> vnet-orders/snet-web",
                                     "vnet-orders/snet-web -> vnet-orders/snet-app",
                                     "vnet-orders/snet-web -> vnet-orders/snet-data"}));
    // Each finding is on the destination tier's subnet, with a traced flow through it.
    EXPECT_EQ(resources(findings), (std::multiset<std::string>{"snet-app", "snet-app", "snet-data",
                                                               "snet-data", "snet-web", "snet-web"}));
    for (const Finding& finding : findings)
        EXPECT_TRUE(std::any_of(finding.evidence.begin(), finding.evidence.end(),
                                [](const Evidence& e) { return e.flow.has_value(); }));
}

TEST(Segmentation, LateralPathsWithAnIntentAreItsExcessFlows) {
    IntentFixture f = IntentFixture::example("legacy-spoke");
    std::vector<Finding> findings = f.run("ZT-SEG-004");
    std::set<std::string> pairs = discriminators(findings);
    // Beyond the open tier boundaries, the intent also catches lateral flows inside a tier and from
    // the gateway to tiers it should not reach.
    EXPECT_TRUE(pairs.count("vnet-orders/snet-web -> vnet-orders/snet-data"));
    EXPECT_TRUE(pairs.count("vnet-orders/snet-web -> vnet-orders/snet-web"));
    EXPECT_TRUE(pairs.count("vnet-orders/snet-appgw -> vnet-orders/snet-data"));
    // Nothing from the Internet or the platform: those are other checks' findings.
    for (const std::string& pair : pairs)
        EXPECT_EQ(pair.find("Internet"), std::string::npos) << pair;
    const Finding* data = nullptr;
    for (const Finding& finding : findings) {
        if (finding.discriminator == "vnet-orders/snet-app -> vnet-orders/snet-data")
            data = &finding;
    }
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->resource_name, "snet-data");
    EXPECT_TRUE(std::any_of(data->evidence.begin(), data->evidence.end(),
                            [](const Evidence& e) { return e.flow.has_value(); }));
}

TEST(Segmentation, ZeroTrustSpokeHasNoLateralPathOutsideItsIntent) {
    IntentFixture f = IntentFixture::example("zero-trust-spoke");
    EXPECT_TRUE(f.verified().holds());
    EXPECT_TRUE(f.run("ZT-SEG-004").empty());
    EXPECT_TRUE(f.run("ZT-SEG-008").empty());
}

// ---- ZT-SEG-005 ----

TEST(Segmentation, RuleOverlapsOnBothExamples) {
    // nsg-bastion's GatewayManager rule carries only flows its Internet 443 rule decides first, but
    // Azure Bastion requires it (bastion/bastion-nsg): it is kept, never advised for deletion. Its
    // AzureLoadBalancer rule is not even shadowed: 168.63.129.16 is not Internet.
    CheckFixture zt = zero_trust();
    EXPECT_TRUE(zt.run("ZT-SEG-005").empty());
    const std::vector<reach::NsgRuleAnalysis> analyses = reach::analyse_all_rules(zt.context().engine);
    std::vector<std::string> kept;
    for (const reach::NsgRuleAnalysis& a : analyses)
        for (const reach::NsgRuleAnalysis::Kept& k : a.platform_required)
            kept.push_back(zt.context().estate.network_security_groups[a.nsg].name + " " + k.why);
    EXPECT_EQ(kept, (std::vector<std::string>{
                        "nsg-bastion Azure Bastion requires it (Microsoft Learn, bastion/bastion-nsg)"}));
    CheckFixture old = legacy();
    EXPECT_EQ(discriminators(old.run("ZT-SEG-005")),
              (std::set<std::string>{"Inbound AllowAppGwToWeb Redundant", "Inbound AllowSshFromWeb Redundant",
                                     "Inbound AllowWebToApp Redundant", "Outbound AllowAppToSql Redundant"}));
}

TEST(Segmentation, ARuleThePlatformDoesNotRequireIsStillAdvised) {
    // The same rule from Storage instead of GatewayManager carries no flow Bastion requires: shadowed
    // by the Internet 443 rule, and reported.
    CheckFixture f(edited_after(example_export("zero-trust-spoke"), rule_named("AllowGatewayManagerInbound"),
                                "\"sourceAddressPrefix\": \"GatewayManager\"",
                                "\"sourceAddressPrefix\": \"Storage\""));
    std::vector<Finding> shadowed = f.run("ZT-SEG-005");
    EXPECT_EQ(discriminators(shadowed),
              (std::set<std::string>{"Inbound AllowGatewayManagerInbound Shadowed"}));
    for (const Finding& finding : shadowed)
        EXPECT_TRUE(cites_rule(finding, "AllowHttpsInbound")) << finding.message; // the rule that shadows it
}

// ---- ZT-SEG-006 ----

TEST(Segmentation, SourcePortRuleOnLegacy) {
    CheckFixture f = legacy();
    std::vector<Finding> findings = f.run("ZT-SEG-006");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"nsg-orders-app"});
    EXPECT_EQ(findings.front().discriminator, "Outbound AllowAppToSql SourcePortRestricted");
    EXPECT_TRUE(cites_rule(findings.front(), "AllowAppToSql"));
    ASSERT_TRUE(findings.front().evidence.front().flow.has_value());
    EXPECT_EQ(findings.front().evidence.front().flow->destination_port, 1433);
}

// ---- ZT-SEG-007 ----

TEST(Segmentation, PlatformTrafficReachesEverythingInBothExamples) {
    CheckFixture old = legacy();
    EXPECT_TRUE(old.run("ZT-SEG-007").empty());
}

TEST(Segmentation, DenyAllWithoutAProbeRuleBreaksTheHealthProbes) {
    // nsg-app without its probe rule: DenyAllInbound (4096) comes before the default
    // AllowAzureLoadBalancerInBound (65001).
    CheckFixture f(edited_after(
        example_export("zero-trust-spoke"), rule_named("Allow-AppLb-Probe-To-App-Inbound"),
        "\"sourceAddressPrefix\": \"AzureLoadBalancer\"", "\"sourceAddressPrefix\": \"10.9.9.9\""));
    std::vector<Finding> findings = f.run("ZT-SEG-007");
    EXPECT_EQ(resources(findings), (std::multiset<std::string>{"lbi-app", "lbi-app"}));
    EXPECT_EQ(discriminators(findings),
              (std::set<std::string>{"probe 443 -> vm-app-1", "probe 443 -> vm-app-2"}));
    for (const Finding& finding : findings) {
        EXPECT_TRUE(has_flow_to(finding, 443));
        EXPECT_TRUE(cites_rule(finding, "DenyAllInbound")) << finding.message;
    }
}

TEST(Segmentation, GatewayManagerMustReachTheInfrastructurePorts) {
    CheckFixture f(edited_after(
        example_export("zero-trust-spoke"), rule_named("Allow-GatewayManager-Inbound"),
        "\"destinationPortRange\": \"65200-65535\"", "\"destinationPortRange\": \"65200-65300\""));
    std::vector<Finding> findings = f.run("ZT-SEG-007");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"agw-spoke"});
    EXPECT_EQ(findings.front().discriminator, "GatewayManager");
    EXPECT_NE(findings.front().message.find("tcp/65301-65535"), std::string::npos)
        << findings.front().message;
    EXPECT_TRUE(cites_rule(findings.front(), "DenyAllInbound"));
}

TEST(Segmentation, GatewayManagerIsJudgedWhenNoRuleNamesIt) {
    // The GatewayManager rule rewritten to a documentation prefix: the tag's addresses are then part
    // of the Internet at large, which the NSG does not admit on those ports.
    CheckFixture f(edited_after(
        example_export("zero-trust-spoke"), rule_named("Allow-GatewayManager-Inbound"),
        "\"sourceAddressPrefix\": \"GatewayManager\"", "\"sourceAddressPrefix\": \"192.0.2.0/24\""));
    std::vector<Finding> findings = f.run("ZT-SEG-007");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"agw-spoke"});
    EXPECT_EQ(findings.front().discriminator, "GatewayManager");
}

TEST(Segmentation, AzureLoadBalancerMustReachTheGateway) {
    CheckFixture f(edited_after(
        example_export("zero-trust-spoke"), rule_named("Allow-AzureLoadBalancer-Inbound"),
        "\"sourceAddressPrefix\": \"AzureLoadBalancer\"", "\"sourceAddressPrefix\": \"10.9.9.9\""));
    std::vector<Finding> findings = f.run("ZT-SEG-007");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"agw-spoke"});
    EXPECT_EQ(findings.front().discriminator, "AzureLoadBalancer");
}

// ---- ZT-SEG-008 ----

TEST(Segmentation, BlockedIntentNeedsAnIntent) {
    CheckFixture f(edited_after(example_export("zero-trust-spoke"),
                                rule_named("Allow-App-To-Data-Sql-Inbound"),
                                "\"destinationPortRange\": \"1433\"", "\"destinationPortRange\": \"1434\""));
    EXPECT_TRUE(f.run("ZT-SEG-008").empty());
}

TEST(Segmentation, BlockedIntentNamesTheNsgThatStopsIt) {
    IntentFixture f(edited_after(example_export("zero-trust-spoke"),
                                 rule_named("Allow-App-To-Data-Sql-Inbound"),
                                 "\"destinationPortRange\": \"1433\"", "\"destinationPortRange\": \"1434\""),
                    "zero-trust-spoke");
    std::vector<Finding> findings = f.run("ZT-SEG-008");
    ASSERT_EQ(resources(findings), std::multiset<std::string>{"nsg-data"});
    const Finding& blocked = findings.front();
    // app -> data LB -> data VMs: the intent's flow, cut at the data tier's NSG.
    EXPECT_EQ(blocked.discriminator, "app to data load balancer");
    EXPECT_NE(blocked.message.find("tcp/1433"), std::string::npos) << blocked.message;
    EXPECT_TRUE(has_flow_to(blocked, 1433));
    EXPECT_TRUE(cites_rule(blocked, "DenyAllInbound"));
}

} // namespace
} // namespace ztnet::checks
