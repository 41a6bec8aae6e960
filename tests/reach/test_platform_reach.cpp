// The platform addresses on generated estates: 168.63.129.16 (DNS) and 169.254.169.254 (IMDS) "aren't
// subject to the configured network security groups unless targeted by service tags specific to
// each service" (virtual-network/network-security-groups-overview), and the host node's address
// "isn't subject to user defined routes" (virtual-network/what-is-ip-address-168-63-129-16). Random
// outbound rules naming AzurePlatformDNS or AzurePlatformIMDS are added to the NSGs of generated
// estates (whose explicit DenyAll rules and routes to a firewall must then not matter); path tracing
// from every NIC to both addresses is compared with a reference that reads only those rules.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/route/path.h"

#include "testkit/synthetic_estate.h"

namespace ztnet::reach {
namespace {

using route::Verdict;

struct PlatformTarget {
    const char* tag;
    const char* address;
    std::uint8_t protocol;
    std::uint16_t port;
};
constexpr PlatformTarget kTargets[] = {
    {"AzurePlatformDNS", "168.63.129.16", 17, 53},
    {"AzurePlatformDNS", "168.63.129.16", 6, 53},
    {"AzurePlatformIMDS", "169.254.169.254", 6, 80},
};

// Adds one to three outbound rules naming a platform tag to about half the NSGs.
std::size_t add_platform_rules(model::Estate& estate, std::mt19937_64& random) {
    std::size_t added = 0;
    for (model::NetworkSecurityGroup& nsg : estate.network_security_groups) {
        if (random() % 2 == 0)
            continue;
        std::set<int> taken;
        for (const model::SecurityRule& r : nsg.rules)
            if (r.direction == model::Direction::Outbound)
                taken.insert(r.priority);
        const int count = 1 + static_cast<int>(random() % 3);
        for (int i = 0; i < count; ++i) {
            model::SecurityRule rule;
            do
                rule.priority = 100 + static_cast<int>(random() % 3996);
            while (!taken.insert(rule.priority).second);
            rule.name = "platform-" + std::to_string(rule.priority);
            rule.direction = model::Direction::Outbound;
            rule.access = random() % 2 == 0 ? model::Access::Allow : model::Access::Deny;
            rule.protocol = random() % 3 == 0 ? "*" : random() % 2 == 0 ? "Tcp" : "Udp";
            rule.protocols = rule.protocol == "*" ? net::ProtocolSet::all()
                                                  : net::ProtocolSet::single(rule.protocol == "Tcp" ? 6 : 17);
            rule.source.addresses.push_back(model::AddressEntry{});
            model::AddressEntry tag;
            tag.kind = model::AddressEntry::Kind::ServiceTag;
            tag.tag = random() % 3 == 0 ? "AzurePlatformIMDS" : "AzurePlatformDNS";
            rule.destination.addresses.push_back(tag);
            rule.source_ports = {"*"};
            rule.source_port_set = net::PortSet::all();
            const bool any_port = random() % 3 == 0;
            const std::uint16_t port = random() % 2 == 0 ? 53 : 80;
            rule.destination_ports = {any_port ? "*" : std::to_string(port)};
            rule.destination_port_set = any_port ? net::PortSet::all() : net::PortSet::single(port);
            nsg.rules.push_back(std::move(rule));
            ++added;
        }
    }
    return added;
}

// The reference: an NSG decides a flow to a platform address only by its rules naming the
// address's tag, the first by priority that matches; with none, it lets the flow pass.
bool nsg_lets_through(const model::Estate& estate, model::NsgIndex nsg, const PlatformTarget& target) {
    if (nsg == model::kNone)
        return true;
    std::vector<const model::SecurityRule*> naming;
    for (const model::SecurityRule& rule : estate.network_security_groups[nsg].rules) {
        const bool names = std::any_of(rule.destination.addresses.begin(), rule.destination.addresses.end(),
                                       [&](const model::AddressEntry& e) {
                                           return e.kind == model::AddressEntry::Kind::ServiceTag &&
                                                  model::same_id(e.tag, target.tag);
                                       });
        if (names && rule.direction == model::Direction::Outbound)
            naming.push_back(&rule);
    }
    std::sort(naming.begin(), naming.end(), [](auto* a, auto* b) { return a->priority < b->priority; });
    for (const model::SecurityRule* rule : naming)
        if (rule->protocols.contains(target.protocol) && rule->destination_port_set.contains(target.port))
            return rule->access == model::Access::Allow;
    return true;
}

TEST(PlatformReach, OnlyRulesNamingThePlatformTagsDecide) {
    std::size_t traced = 0;
    std::size_t denied = 0;
    std::size_t past_deny_all = 0; // allowed although an explicit DenyAll outbound rule is on the way
    std::size_t rules_added = 0;
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
        auto generated = testkit::load_generated(testkit::small(seed));
        testkit::LoadedEstate& loaded = *generated;
        ASSERT_FALSE(loaded.diagnostics.has_errors()) << "seed " << seed;
        std::mt19937_64 random(seed * 131);
        rules_added += add_platform_rules(loaded.estate, random);
        const model::Estate& estate = loaded.estate;
        policy::PolicyEngine engine(estate, loaded.tags, loaded.diagnostics);
        for (model::NicIndex n : estate.network_interfaces.indices()) {
            const model::NetworkInterface& nic = estate.network_interfaces[n];
            for (model::Index c = 0; c < nic.ip_configurations.size(); ++c) {
                auto from = route::nic_endpoint(estate, n, c, nic.name);
                if (!from || from->address.family() != net::Family::V4)
                    continue;
                for (const PlatformTarget& target : kTargets) {
                    route::Endpoint to;
                    to.kind = route::Endpoint::Kind::External;
                    to.address = *net::Address::parse(target.address);
                    to.label = target.address;
                    route::PathQuery query;
                    query.flow.protocol = target.protocol;
                    query.flow.source_port = 50000;
                    query.flow.destination_port = target.port;
                    const route::PathResult r =
                        route::trace_path(engine, *from, to, query, loaded.diagnostics);
                    const model::NsgIndex subnet_nsg = estate.subnets[from->subnet].network_security_group;
                    const bool expected = nsg_lets_through(estate, nic.network_security_group, target) &&
                                          nsg_lets_through(estate, subnet_nsg, target);
                    ASSERT_EQ(r.verdict, expected ? Verdict::Allowed : Verdict::Denied)
                        << "seed " << seed << " " << nic.name << " -> " << target.address << " " << r.summary;
                    ++traced;
                    denied += expected ? 0 : 1;
                    const auto deny_all = [&](model::NsgIndex nsg) {
                        return nsg != model::kNone &&
                               std::any_of(estate.network_security_groups[nsg].rules.begin(),
                                           estate.network_security_groups[nsg].rules.end(),
                                           [](const model::SecurityRule& rule) {
                                               return rule.access == model::Access::Deny &&
                                                      rule.direction == model::Direction::Outbound &&
                                                      rule.priority == 4096;
                                           });
                    };
                    past_deny_all +=
                        expected && (deny_all(nic.network_security_group) || deny_all(subnet_nsg));
                }
            }
        }
    }
    EXPECT_GT(rules_added, 20u);
    EXPECT_GT(traced, 300u);
    EXPECT_GT(denied, 20u) << "no rule naming a platform tag denied anything";
    EXPECT_GT(past_deny_all, 20u) << "no DenyAll outbound rule was shown not to apply";
}

} // namespace
} // namespace ztnet::reach
