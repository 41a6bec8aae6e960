// NICs whose address Azure picks among candidates, on generated estates: some NICs are given a
// second candidate address in their subnet (as the loader does where rules tell free addresses
// apart), then every pair of endpoints is computed both ways. The fast path combines the candidates'
// classes set by set; the reference replays path tracing, which follows each candidate flow by flow:
// they must agree exactly.
#include <optional>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/reachability.h"

#include "testkit/synthetic_estate.h"
#include "tests/reach/agrees_with_reference.h"

namespace ztnet::reach {
namespace {

// An address of `subnet` that no NIC holds and no candidate took, counting down from its end.
std::optional<net::Address> unused_address(const model::Subnet& subnet, const std::set<net::Address>& used) {
    if (subnet.address_prefixes.empty())
        return std::nullopt;
    const net::Prefix& prefix = subnet.address_prefixes.front();
    for (net::u128 v = prefix.last().value() - 1; v > prefix.first().value() + 3; --v) {
        net::Address a = net::Address::from_value(prefix.family(), v);
        if (!used.contains(a))
            return a;
    }
    return std::nullopt;
}

// Gives the first NIC and about one in four of the others a second candidate address; how many
// got one.
std::size_t give_candidates(model::Estate& estate, std::mt19937_64& random) {
    std::set<net::Address> used;
    for (const model::NetworkInterface& nic : estate.network_interfaces)
        for (const model::IpConfiguration& config : nic.ip_configurations)
            if (config.private_ip)
                used.insert(*config.private_ip);
    std::size_t given = 0;
    for (model::NetworkInterface& nic : estate.network_interfaces) {
        for (model::IpConfiguration& config : nic.ip_configurations) {
            if (!config.private_ip || config.subnet == model::kNone || (given > 0 && random() % 4 != 0))
                continue;
            std::optional<net::Address> other = unused_address(estate.subnets[config.subnet], used);
            if (!other)
                continue;
            used.insert(*other);
            config.candidate_ips = {*config.private_ip, *other};
            if (random() % 2 == 0)
                std::swap(config.candidate_ips[0], config.candidate_ips[1]);
            config.candidates_reason = "a generated rule covers only some of the subnet's free addresses";
            config.private_ip.reset();
            ++given;
        }
    }
    return given;
}

TEST(CandidateReach, FastPathAgreesWithPathTracingAtEveryCandidate) {
    std::size_t with_candidates = 0;
    std::size_t undecidable_pairs = 0;
    std::size_t allowed_pairs = 0;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        auto generated = testkit::load_generated(testkit::small(seed));
        testkit::LoadedEstate& loaded = *generated;
        ASSERT_EQ(loaded.diagnostics.error_count(), 0u) << "seed " << seed;
        std::mt19937_64 random(seed);
        ASSERT_GT(give_candidates(loaded.estate, random), 0u) << "seed " << seed;
        policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
        Reachability fast(engine, loaded.diagnostics);
        ReferenceReach reference(engine);
        const auto& endpoints = fast.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b ||
                    (endpoints[a].candidate_classes.empty() && endpoints[b].candidate_classes.empty()))
                    continue;
                ++with_candidates;
                const PairReach& got = fast.between(a, b);
                const PairReach slow = reference.between(endpoints[a], endpoints[b]);
                ASSERT_TRUE(testing::agrees_with_reference(
                    got, slow,
                    "seed " + std::to_string(seed) + " " + endpoints[a].name + " -> " + endpoints[b].name));
                undecidable_pairs += got.undecidable.empty() ? 0 : 1;
                allowed_pairs += got.allowed.empty() ? 0 : 1;
            }
        }
    }
    // Both kinds of answer occur, or the comparison would prove little.
    EXPECT_GT(with_candidates, 200u);
    EXPECT_GT(undecidable_pairs, 20u);
    EXPECT_GT(allowed_pairs, 20u);
}

} // namespace
} // namespace ztnet::reach
