// Reachability with rules the input cannot tell, against the reference: generated estates whose NSG
// rules are left open in every way a template leaves them (a side, the ports, the protocol, the
// access, the priority, the direction, the whole rule list; an NSG or route table the input only
// refers to), then every pair of endpoints computed
// both ways. The fast path combines the two readings of each NSG set by set; the reference replays
// path tracing, which asks CompiledNsg::decide flow by flow: they must agree exactly. And the estate
// the rules were taken from is one value of the unknowns: what it allows must be surely allowed or
// undecidable, and nothing surely allowed may be something it denies.
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/reachability.h"

#include "testkit/synthetic_estate.h"
#include "tests/reach/agrees_with_reference.h"

namespace ztnet::reach {
namespace {

using model::RuleField;

// Leaves some rules of every NSG open, as a template without its parameters file would.
std::size_t leave_rules_open(model::Estate& estate, std::mt19937_64& random) {
    std::size_t open = 0;
    for (model::NetworkSecurityGroup& nsg : estate.network_security_groups) {
        if (random() % 12 == 0) {
            nsg.rules_unknown = "its security rules: parameter 'rules' has no value";
            ++open;
        }
        for (model::SecurityRule& rule : nsg.rules) {
            if (random() % 4 != 0)
                continue;
            ++open;
            switch (random() % 6) {
            case 0: // a side from a parameter, perhaps beside known entries
                if (random() % 2 == 0) {
                    rule.source.addresses.clear();
                    rule.source.application_security_groups.clear();
                }
                rule.unknowns.push_back({RuleField::Source, "parameter 'source' has no value"});
                break;
            case 1:
                if (random() % 2 == 0)
                    rule.destination_port_set = net::PortSet();
                rule.unknowns.push_back({RuleField::DestinationPorts, "parameter 'port' has no value"});
                break;
            case 2:
                rule.protocols = net::ProtocolSet();
                rule.unknowns.push_back({RuleField::Protocol, "parameter 'protocol' has no value"});
                break;
            case 3:
                rule.unknowns.push_back({RuleField::AllowOrDeny, "parameter 'access' has no value"});
                break;
            case 4:
                rule.priority = 0;
                rule.unknowns.push_back({RuleField::Priority, "parameter 'priority' has no value"});
                break;
            default:
                rule.unknowns.push_back({RuleField::InboundOrOutbound, "parameter 'direction' has no value"});
                break;
            }
        }
    }
    // NSGs and route tables the input refers to but does not hold.
    for (model::Subnet& subnet : estate.subnets) {
        if (random() % 10 == 0) {
            subnet.network_security_group = model::kNone;
            subnet.network_security_group_unknown = "its NSG nsg-elsewhere is not in the input";
            ++open;
        }
        if (random() % 14 == 0) {
            subnet.route_table = model::kNone;
            subnet.route_table_unknown = "its route table rt-elsewhere is not in the input";
            ++open;
        }
    }
    for (model::NetworkInterface& nic : estate.network_interfaces) {
        if (random() % 12 == 0) {
            nic.network_security_group = model::kNone;
            nic.network_security_group_unknown = "its NSG nsg-elsewhere is not in the input";
            ++open;
        }
    }
    return open;
}

TEST(UncertainReach, FastPathAgreesWithPathTracingAndStaysWithinTheReadings) {
    std::size_t undecidable_pairs = 0;
    std::size_t compared_with_truth = 0;
    std::size_t allowed_pairs = 0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        auto generated = testkit::load_generated(testkit::small(seed));
        testkit::LoadedEstate& loaded = *generated;
        ASSERT_EQ(loaded.diagnostics.error_count(), 0u) << "seed " << seed;
        std::mt19937_64 random(seed);
        model::Estate known = loaded.estate;
        ASSERT_GT(leave_rules_open(loaded.estate, random), 0u);
        policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
        Reachability fast(engine, loaded.diagnostics);
        policy::PolicyEngine known_engine(known, loaded.tags, loaded.diagnostics);
        Reachability truth(known_engine, loaded.diagnostics);
        // The same endpoints in both, by name, outside the Internet (whose pieces follow the rules).
        std::map<std::string, std::uint32_t> in_truth;
        for (std::uint32_t i = 0; i < truth.endpoints().endpoints.size(); ++i)
            if (truth.endpoints().endpoints[i].kind != ReachEndpoint::Kind::Internet)
                in_truth.emplace(truth.endpoints().endpoints[i].name, i);
        const auto counterpart = [&](const ReachEndpoint& e) -> std::optional<std::uint32_t> {
            auto it = in_truth.find(e.name);
            if (it == in_truth.end() ||
                truth.endpoints().endpoints[it->second].endpoint.address != e.endpoint.address)
                return std::nullopt;
            return it->second;
        };
        ReferenceReach reference(engine);
        const auto& endpoints = fast.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b)
                    continue;
                const PairReach& got = fast.between(a, b);
                const PairReach slow = reference.between(endpoints[a], endpoints[b]);
                ASSERT_TRUE(testing::agrees_with_reference(
                    got, slow,
                    "seed " + std::to_string(seed) + " " + endpoints[a].name + " -> " + endpoints[b].name));
                ASSERT_FALSE(got.allowed.overlaps(got.undecidable));
                const std::optional<std::uint32_t> ta = counterpart(endpoints[a]);
                const std::optional<std::uint32_t> tb = counterpart(endpoints[b]);
                if (!ta || !tb)
                    continue;
                ++compared_with_truth;
                const PairReach& actual = truth.between(*ta, *tb);
                ASSERT_TRUE(actual.allowed.subtract(got.allowed.unite(got.undecidable)).empty())
                    << "seed " << seed << " " << endpoints[a].name << " -> " << endpoints[b].name
                    << ": allowed with the values taken out, yet neither surely allowed nor undecidable";
                ASSERT_TRUE(got.allowed.subtract(actual.allowed.unite(actual.undecidable)).empty())
                    << "seed " << seed << " " << endpoints[a].name << " -> " << endpoints[b].name
                    << ": surely allowed, yet denied with the values taken out";
                undecidable_pairs += got.undecidable.empty() ? 0 : 1;
                allowed_pairs += got.allowed.empty() ? 0 : 1;
            }
        }
    }
    // Both kinds of answer are common, or the comparison would prove little.
    EXPECT_GT(undecidable_pairs, 100u);
    EXPECT_GT(compared_with_truth, 500u);
    EXPECT_GT(allowed_pairs, 100u);
}

} // namespace
} // namespace ztnet::reach
