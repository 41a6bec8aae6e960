// Intent verification and semantic diff on the bundled examples.
#include <gtest/gtest.h>

#include "ztnet/load/intent_reader.h"
#include "ztnet/reach/diff.h"
#include "ztnet/reach/verify.h"

#include "example_estate.h"

namespace ztnet::reach {
namespace {

using testing::example;
using testing::LoadedEstate;

struct Verified {
    LoadedEstate estate;
    std::optional<model::Intent> intent;
    std::unique_ptr<Reachability> reach;
    std::unique_ptr<IntentCheck> check;
    VerifyResult result;

    explicit Verified(const std::string& name) : estate({example(name)}) {
        std::string path = std::string(ZTNET_SOURCE_DIR) + "/examples/" + name + "/three-tier.ztnet.yaml";
        intent = load::read_intent_file(path, estate.sources, estate.diagnostics);
        EXPECT_TRUE(intent.has_value());
        reach = std::make_unique<Reachability>(*estate.engine, estate.diagnostics,
                                               intent_address_conditions(*intent, estate.tags));
        EXPECT_TRUE(reach->class_table()); // verification reads the pairs from it
        check = std::make_unique<IntentCheck>(*reach, *intent, estate.tags, estate.diagnostics);
        EXPECT_FALSE(estate.diagnostics.has_errors());
        result = verify_intent(*reach, *check);
    }

    const Violation* find(Violation::Kind kind, const std::string& from, const std::string& to) const {
        const auto& e = reach->endpoints().endpoints;
        for (const Violation& v : result.violations) {
            if (v.kind == kind && e[v.from].name == from && e[v.to].name == to)
                return &v;
        }
        return nullptr;
    }
};

TEST(Verify, ZeroTrustSpokeHoldsItsIntent) {
    Verified v("zero-trust-spoke");
    EXPECT_TRUE(v.result.holds()) << v.result.missing << " missing, " << v.result.excess << " excess";
    EXPECT_EQ(v.result.missing, 0U);
    EXPECT_EQ(v.result.excess, 0U);
    EXPECT_GT(v.result.endpoint_pairs, 100U);
    // Egress through the firewall's application rules depends on host names: reported, not failed.
    EXPECT_GT(v.result.undecidable, 0U);
}

TEST(Verify, LegacySpokeBreaksItsIntent) {
    Verified v("legacy-spoke");
    EXPECT_FALSE(v.result.holds());
    const Violation* rdp = v.find(Violation::Kind::Excess, "Internet", "vm-web-1");
    ASSERT_NE(rdp, nullptr);
    EXPECT_TRUE(rdp->services.contains(Service{6, 49152, 3389})) << rdp->services.to_string();
    EXPECT_TRUE(rdp->services.contains(Service{6, 49152, 22})) << rdp->services.to_string();
    ASSERT_GE(rdp->examples.size(), 2U);
    for (const route::PathResult& example : rdp->examples)
        EXPECT_EQ(example.verdict, route::Verdict::Allowed) << example.summary;
    const Violation* lateral = v.find(Violation::Kind::Excess, "vm-web-1", "vm-data-1");
    ASSERT_NE(lateral, nullptr);
    EXPECT_TRUE(lateral->services.contains(Service{6, 49152, 1433}));
    EXPECT_EQ(lateral->examples.front().verdict, route::Verdict::Allowed);
}

TEST(Verify, EveryPairAgreesWithThePerPairDefinition) {
    Verified v("legacy-spoke");
    std::size_t excess_pairs = 0;
    const auto& endpoints = v.reach->endpoints().endpoints;
    for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
        for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
            if (a != b && !v.check->excess(a, b).empty())
                ++excess_pairs;
        }
    }
    EXPECT_EQ(excess_pairs, v.result.excess);
}

TEST(Verify, UnknownNamesInTheIntentAreErrors) {
    LoadedEstate estate({example("zero-trust-spoke")});
    std::string text = "version: 1\ngroups:\n  web: { subnet: snet-nope }\nflows:\n  - { from: internet, to: "
                       "web, ports: 443 }\n";
    FileId file = estate.sources.add("bad.ztnet.yaml", text);
    auto intent = load::read_intent(estate.sources, file, estate.diagnostics);
    ASSERT_TRUE(intent.has_value());
    Reachability reach(*estate.engine, estate.diagnostics);
    IntentCheck check(reach, *intent, estate.tags, estate.diagnostics);
    ASSERT_TRUE(estate.diagnostics.has_errors());
    bool named = false;
    for (const Diagnostic& d : estate.diagnostics.all())
        named = named || d.message.find("snet-nope") != std::string::npos;
    EXPECT_TRUE(named);
}

// Two versions of one estate, the second with one more rule.
struct TwoVersions {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult before, after;
    policy::ServiceTags tags = testing::sample_tags();
    std::unique_ptr<policy::PolicyEngine> before_engine, after_engine;
    std::unique_ptr<Reachability> before_reach, after_reach;

    TwoVersions(const std::string& before_text, const std::string& after_text) {
        FileId a = sources.add("before.json", before_text);
        FileId b = sources.add("after.json", after_text);
        before = load::load_sources(sources, {a}, {}, diagnostics);
        after = load::load_sources(sources, {b}, {}, diagnostics);
        before_engine = std::make_unique<policy::PolicyEngine>(before.estate, tags, diagnostics);
        after_engine = std::make_unique<policy::PolicyEngine>(after.estate, tags, diagnostics);
        auto before_conditions = estate_address_conditions(*before_engine, diagnostics);
        auto after_conditions = estate_address_conditions(*after_engine, diagnostics);
        before_reach =
            std::make_unique<Reachability>(*before_engine, diagnostics, std::move(after_conditions));
        after_reach =
            std::make_unique<Reachability>(*after_engine, diagnostics, std::move(before_conditions));
        EXPECT_TRUE(before_reach->class_table()); // the diff reads the pairs from the tables
        EXPECT_TRUE(after_reach->class_table());
    }
};

std::string zero_trust_export() {
    return testing::read_text(example("zero-trust-spoke") + "/resources.json");
}

TEST(Diff, AnEstateAgainstItselfIsEmpty) {
    std::string text = zero_trust_export();
    TwoVersions v(text, text);
    ReachDiff diff(*v.before_reach, *v.after_reach);
    EXPECT_TRUE(diff.changes().empty());
}

// Adds a rule to nsg-appgw that opens RDP from the Internet to the App Gateway's subnet.
std::string with_rdp_open(std::string text) {
    const std::string anchor = "\"securityRules\": [";
    std::size_t nsg = text.find("/networkSecurityGroups/nsg-appgw\"");
    EXPECT_NE(nsg, std::string::npos);
    std::size_t at = text.find(anchor, nsg);
    EXPECT_NE(at, std::string::npos);
    text.insert(at + anchor.size(), R"({"name": "AllowRdpFromInternet", "properties": {"priority": 150,
        "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "Internet",
        "sourcePortRange": "*", "destinationAddressPrefix": "10.1.0.0/24", "destinationPortRange": "3389"}},)");
    return text;
}

TEST(Diff, OneRuleOpeningRdpIsExactlyThatFlowSet) {
    std::string text = zero_trust_export();
    TwoVersions v(text, with_rdp_open(text));
    ASSERT_FALSE(v.diagnostics.has_errors());
    ReachDiff diff(*v.before_reach, *v.after_reach);
    std::vector<PairChange> changes = diff.changes();
    ASSERT_FALSE(changes.empty());
    ServiceSet rdp =
        ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(), net::PortSet::single(3389));
    for (const PairChange& c : changes) {
        EXPECT_EQ(diff.endpoints()[c.to].name, "agw-spoke");
        EXPECT_EQ(diff.endpoints()[c.from].name.rfind("Internet", 0), 0U) << diff.endpoints()[c.from].name;
        EXPECT_EQ(c.newly_allowed, rdp) << c.newly_allowed.to_string();
        EXPECT_TRUE(c.newly_denied.empty());
        ASSERT_FALSE(c.causes.empty());
        EXPECT_NE(c.causes.front().find("AllowRdpFromInternet"), std::string::npos) << c.causes.front();
    }
    // And the reverse change is the same flow set, newly denied.
    ReachDiff back(*v.after_reach, *v.before_reach);
    for (const PairChange& c : back.changes()) {
        EXPECT_EQ(c.newly_denied, rdp);
        EXPECT_TRUE(c.newly_allowed.empty());
    }
}

} // namespace
} // namespace ztnet::reach
