// Attack paths on the bundled examples: the legacy spoke lets the Internet in to vm-web-1 over RDP
// and SSH and from there to every other VM; the zero-trust spoke leaves no path from the Internet to
// its data tier. ZT-SEG-009 reports the first and stays silent on the second.
#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/paths/paths.h"

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;

const reach::ReachEndpoint& endpoint(const CheckFixture& f, std::uint32_t e) {
    return f.analysis().reachability()->endpoints().endpoints[e];
}

const paths::BlastRadius& radius_of(const paths::PathsResult& r, const std::string& name) {
    auto it = std::find_if(r.radii.begin(), r.radii.end(), [&](const auto& b) { return b.resource == name; });
    if (it == r.radii.end())
        throw std::runtime_error("no blast radius for " + name);
    return *it;
}

TEST(AttackPaths, LegacySpokeInternetToWebOverRdpThenEveryOtherVm) {
    CheckFixture f = CheckFixture::example("legacy-spoke");
    paths::PathOptions options;
    options.to = {"vm-web-1", "vm-web-2", "vm-app-1", "vm-app-2", "vm-data-1", "vm-data-2"};
    auto result = paths::attack_paths(f.analysis(), options);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->jewels.size(), 6u);
    // vm-web-1 (its own public IP) in one hop, every other VM in two.
    for (std::size_t j = 0; j < result->jewels.size(); ++j)
        EXPECT_EQ(result->jewel_hops[j], result->jewels[j].name == "vm-web-1" ? 1 : 2)
            << result->jewels[j].name;
    for (const paths::AttackPath& path : result->paths) {
        ASSERT_TRUE(path.sure);
        ASSERT_FALSE(path.hops.empty());
        const paths::PathHop& first = path.hops.front();
        EXPECT_EQ(endpoint(f, first.from).kind, reach::ReachEndpoint::Kind::Internet);
        EXPECT_EQ(endpoint(f, first.to).name, "vm-web-1");
        EXPECT_TRUE(first.services.contains(reach::Service{6, 49152, 3389})) << first.services.to_string();
        ASSERT_TRUE(first.trace);
        EXPECT_EQ(first.trace->verdict, route::Verdict::Allowed);
        if (path.hops.size() == 2) {
            EXPECT_EQ(endpoint(f, path.hops[1].from).name, "vm-web-1");
            ASSERT_TRUE(path.hops[1].trace);
            EXPECT_EQ(path.hops[1].trace->verdict, route::Verdict::Allowed);
        }
    }
    // Taken, vm-web-1 reaches every other VM at once.
    const paths::BlastRadius& web = radius_of(*result, "vm-web-1");
    for (const char* vm : {"vm-web-2", "vm-app-1", "vm-app-2", "vm-data-1", "vm-data-2"}) {
        auto jewel = std::find_if(result->jewels.begin(), result->jewels.end(),
                                  [&](const auto& j) { return j.name == vm; });
        const std::size_t index = static_cast<std::size_t>(jewel - result->jewels.begin());
        auto reached = std::find_if(web.jewels.begin(), web.jewels.end(),
                                    [&](const auto& p) { return p.first == index; });
        ASSERT_NE(reached, web.jewels.end()) << vm;
        EXPECT_EQ(reached->second, 1) << vm;
    }
    ASSERT_FALSE(web.by_hop.empty());
    EXPECT_EQ(web.by_hop[0], web.reached);
    // The cut is the Internet's way in to vm-web-1, through both of the rules that open it.
    EXPECT_TRUE(result->cut_verified);
    std::set<std::string> rules;
    for (const paths::CutRule& rule : result->rules)
        rules.insert(rule.rule);
    EXPECT_TRUE(rules.contains("AllowRdpFromInternet"));
    EXPECT_TRUE(rules.contains("AllowSshFromInternet"));
    for (const paths::CutLink& link : result->cut) {
        EXPECT_EQ(endpoint(f, link.from).kind, reach::ReachEndpoint::Kind::Internet);
        EXPECT_EQ(endpoint(f, link.to).name, "vm-web-1");
    }
}

TEST(AttackPaths, ZeroTrustSpokeHasNoPathToTheDataTier) {
    CheckFixture f = CheckFixture::example("zero-trust-spoke");
    auto result = paths::attack_paths(f.analysis(), {});
    ASSERT_TRUE(result) << result.error().message;
    auto data = std::find_if(result->jewels.begin(), result->jewels.end(),
                             [](const paths::CrownJewel& j) { return j.kind == "data tier"; });
    ASSERT_NE(data, result->jewels.end()) << "the data tier (snet-data, asg-data) is a default crown jewel";
    for (std::size_t j = 0; j < result->jewels.size(); ++j) {
        EXPECT_EQ(result->jewel_hops[j], -1) << result->jewels[j].name;
        EXPECT_EQ(result->jewel_possible_hops[j], -1) << result->jewels[j].name;
    }
    EXPECT_TRUE(result->paths.empty());
    EXPECT_TRUE(result->cut.empty());
    EXPECT_TRUE(f.run("ZT-SEG-009").empty());
}

TEST(AttackPaths, TheAuditFindingNamesThePathAndItsRules) {
    CheckFixture f = CheckFixture::example("legacy-spoke");
    const auto findings = f.run("ZT-SEG-009");
    ASSERT_EQ(findings.size(), 1u); // the data tier (snet-data), by default
    EXPECT_EQ(findings[0].resource_name, "vm-data-1");
    EXPECT_NE(findings[0].message.find("Internet -> vm-web-1 -> vm-data-1"), std::string::npos)
        << findings[0].message;
    ASSERT_GE(findings[0].evidence.size(), 2u);
    EXPECT_NE(findings[0].evidence[0].text.find("AllowSshFromInternet"), std::string::npos)
        << findings[0].evidence[0].text;
    EXPECT_TRUE(findings[0].evidence[0].flow);
}

TEST(AttackPaths, AHopLimitBelowThePathLeavesNoFinding) {
    CheckFixture f = CheckFixture::example("legacy-spoke");
    model::AttackPolicy policy = model::AttackPolicy::defaults();
    policy.internet_hops = 1;
    CheckContext context = f.context();
    context.attack_policy = &policy;
    EXPECT_TRUE(find_check("ZT-SEG-009")->run(context).empty());
}

TEST(AttackPaths, FromAFootholdAndUnknownNames) {
    CheckFixture f = CheckFixture::example("legacy-spoke");
    paths::PathOptions options;
    options.from = {"vm-app-1"};
    options.to = {"snet-data"};
    auto result = paths::attack_paths(f.analysis(), options);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->jewel_hops[0], 1);
    options.to = {"no-such-thing"};
    auto unknown = paths::attack_paths(f.analysis(), options);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "paths-unknown-name");
}

} // namespace
} // namespace ztnet::checks
