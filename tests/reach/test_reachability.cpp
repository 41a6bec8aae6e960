// Reachability on the bundled examples: the fast engine agrees with the reference (path tracing
// replayed cell by cell) on every pair of endpoints, and the examples' known facts hold.
#include <gtest/gtest.h>

#include "ztnet/reach/reachability.h"

#include "example_estate.h"

namespace ztnet::reach {
namespace {

using testing::example;
using testing::LoadedEstate;

std::uint32_t find(const Reachability& reach, const std::string& name) {
    const auto& all = reach.endpoints().endpoints;
    for (std::uint32_t i = 0; i < all.size(); ++i) {
        if (all[i].name == name)
            return i;
    }
    ADD_FAILURE() << "no endpoint " << name;
    return 0;
}

void expect_fast_equals_reference(const std::string& name) {
    LoadedEstate estate({example(name)});
    Reachability reach(*estate.engine, estate.diagnostics);
    ReferenceReach reference(*estate.engine);
    const auto& endpoints = reach.endpoints().endpoints;
    ASSERT_GT(endpoints.size(), 8U);
    std::size_t nonempty = 0;
    for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
        for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
            if (a == b)
                continue;
            const PairReach& fast = reach.between(a, b);
            PairReach slow = reference.between(endpoints[a], endpoints[b]);
            ASSERT_EQ(fast.allowed, slow.allowed)
                << endpoints[a].name << " -> " << endpoints[b].name << ": fast " << fast.allowed.to_string()
                << ", reference " << slow.allowed.to_string();
            ASSERT_EQ(fast.undecidable, slow.undecidable)
                << endpoints[a].name << " -> " << endpoints[b].name << ": fast "
                << fast.undecidable.to_string() << ", reference " << slow.undecidable.to_string();
            nonempty += fast.allowed.empty() ? 0 : 1;
        }
    }
    EXPECT_GT(nonempty, 0U);
}

TEST(Reachability, ZeroTrustSpokeFastEqualsReference) {
    expect_fast_equals_reference("zero-trust-spoke");
}

TEST(Reachability, LegacySpokeFastEqualsReference) {
    expect_fast_equals_reference("legacy-spoke");
}

// Admin rules, private endpoints, a private subnet with a NAT gateway and on-premises behind a
// VPN gateway, all in one estate.
TEST(Reachability, HybridPaasSpokeFastEqualsReference) {
    expect_fast_equals_reference("hybrid-paas-spoke");
}

TEST(Reachability, HybridPaasSpokeOnPremisesReachesTheAppOnlyOnHttps) {
    LoadedEstate estate({example("hybrid-paas-spoke")});
    Reachability reach(*estate.engine, estate.diagnostics);
    const PairReach& r = reach.between(find(reach, "on-premises 192.168.0.0/16"), find(reach, "vm-app-1"));
    EXPECT_TRUE(r.allowed.contains(Service{6, 49152, 443})) << r.allowed.to_string();
    EXPECT_FALSE(r.allowed.contains(Service{6, 49152, 22})) << r.allowed.to_string();
    EXPECT_TRUE(r.undecidable.empty()) << r.undecidable.to_string();
}

TEST(Reachability, ZeroTrustSpokeFacts) {
    LoadedEstate estate({example("zero-trust-spoke")});
    Reachability reach(*estate.engine, estate.diagnostics);
    std::uint32_t internet = find(reach, "Internet");
    const PairReach& to_gateway = reach.between(internet, find(reach, "agw-spoke"));
    EXPECT_TRUE(to_gateway.allowed.contains(Service{6, 49152, 443})) << to_gateway.allowed.to_string();
    EXPECT_TRUE(reach.between(internet, find(reach, "vm-web-1")).allowed.empty());
    const PairReach& web_to_data = reach.between(find(reach, "vm-web-1"), find(reach, "vm-data-1"));
    EXPECT_FALSE(web_to_data.allowed.contains(Service{6, 49152, 1433})) << web_to_data.allowed.to_string();
    const PairReach& app_to_data_lb = reach.between(find(reach, "vm-app-1"), find(reach, "lbi-data"));
    EXPECT_TRUE(app_to_data_lb.allowed.contains(Service{6, 49152, 1433}))
        << app_to_data_lb.allowed.to_string();
}

TEST(Reachability, LegacySpokeOpensManagementPortsToTheInternet) {
    LoadedEstate estate({example("legacy-spoke")});
    Reachability reach(*estate.engine, estate.diagnostics);
    const PairReach& r = reach.between(find(reach, "Internet"), find(reach, "vm-web-1"));
    EXPECT_TRUE(r.allowed.contains(Service{6, 49152, 3389})) << r.allowed.to_string();
    EXPECT_TRUE(r.allowed.contains(Service{6, 49152, 22})) << r.allowed.to_string();
}

TEST(Reachability, ClassesAreFewerThanEndpointsWhenNicsAreAlike) {
    LoadedEstate estate({example("zero-trust-spoke")});
    Reachability reach(*estate.engine, estate.diagnostics);
    const auto& set = reach.endpoints();
    EXPECT_LT(set.class_count, set.endpoints.size());
    // vm-web-1 and vm-web-2 sit in the same subnet and ASG: one class.
    EXPECT_EQ(set.endpoints[find(reach, "vm-web-1")].equivalence_class,
              set.endpoints[find(reach, "vm-web-2")].equivalence_class);
}

} // namespace
} // namespace ztnet::reach
