// Private subnets and NAT gateways, and private endpoints, on generated estates: about half the
// subnets are made private (defaultOutboundAccess false), some of those get a NAT gateway; some
// subnets get a private endpoint under a random network policy; then the pairs are computed both ways. The
// fast path decides a class's way out once; the reference replays path tracing flow by flow: they must agree
// exactly, and the private subnets must change answers.
#include <algorithm>
#include <optional>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/reachability.h"

#include "testkit/synthetic_estate.h"
#include "tests/reach/agrees_with_reference.h"
#include "tests/reach/paas_mutations.h"

namespace ztnet::reach {
namespace {

TEST(OutboundReach, PrivateSubnetsAndNatGatewaysAgreeWithPathTracing) {
    std::size_t pairs = 0;
    std::size_t closed = 0; // pairs to the Internet that a private subnet closed
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        auto generated = testkit::load_generated(testkit::small(seed));
        testkit::LoadedEstate& loaded = *generated;
        ASSERT_EQ(loaded.diagnostics.error_count(), 0u) << "seed " << seed;
        std::mt19937_64 random(seed);
        testing::make_private_subnets(loaded.estate, random);
        policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
        Reachability fast(engine, loaded.diagnostics);
        ReferenceReach reference(engine);
        model::Estate open = loaded.estate;
        for (model::Subnet& subnet : open.subnets)
            subnet.default_outbound_access = true;
        policy::PolicyEngine open_engine(open, loaded.tags, loaded.diagnostics);
        Reachability before(open_engine, loaded.diagnostics);
        const auto& endpoints = fast.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b || endpoints[b].kind != ReachEndpoint::Kind::Internet)
                    continue;
                ++pairs;
                const PairReach& got = fast.between(a, b);
                ASSERT_TRUE(testing::agrees_with_reference(
                    got, reference.between(endpoints[a], endpoints[b]),
                    "seed " + std::to_string(seed) + " " + endpoints[a].name + " -> " + endpoints[b].name));
                // The same estate with every subnet open has the same endpoints in the same order.
                const PairReach& was = before.between(a, b);
                closed += !was.allowed.empty() && got.allowed.empty() ? 1 : 0;
            }
        }
    }
    EXPECT_GT(pairs, 100u);
    EXPECT_GT(closed, 5u);
}

// Private endpoints in random subnets with random network policies: the fast path (the endpoint's
// own class, its subnet's NSG only where the policy says, the /32 route) against path tracing.
TEST(OutboundReach, PrivateEndpointsAgreeWithPathTracing) {
    std::size_t to_endpoints = 0;
    std::size_t allowed = 0;
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        auto generated = testkit::load_generated(testkit::small(seed));
        testkit::LoadedEstate& loaded = *generated;
        std::mt19937_64 random(seed);
        model::Estate& estate = loaded.estate;
        testing::add_private_endpoints(estate, random);
        policy::PolicyEngine engine(estate, loaded.tags, loaded.diagnostics);
        Reachability fast(engine, loaded.diagnostics);
        ReferenceReach reference(engine);
        const auto& endpoints = fast.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b || (endpoints[a].kind != ReachEndpoint::Kind::PrivateEndpoint &&
                               endpoints[b].kind != ReachEndpoint::Kind::PrivateEndpoint))
                    continue;
                const PairReach& got = fast.between(a, b);
                ASSERT_TRUE(testing::agrees_with_reference(
                    got, reference.between(endpoints[a], endpoints[b]),
                    "seed " + std::to_string(seed) + " " + endpoints[a].name + " -> " + endpoints[b].name));
                if (endpoints[b].kind == ReachEndpoint::Kind::PrivateEndpoint) {
                    ++to_endpoints;
                    allowed += got.allowed.empty() ? 0 : 1;
                }
            }
        }
    }
    EXPECT_GT(to_endpoints, 100u);
    EXPECT_GT(allowed, 10u);
}

} // namespace
} // namespace ztnet::reach
