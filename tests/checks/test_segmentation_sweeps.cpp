// The lateral segmentation checks sweep pairs of classes and expand to endpoints only where
// something is open. Here they are held against a plain reference that asks every ordered pair of
// endpoints, on generated estates (most of whose VNets let management ports and every TCP port
// through): the same receivers, services, senders and pair counts.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"
#include "ztnet/checks/check.h"
#include "ztnet/model/resource_id.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace ztnet::checks {
namespace {

using reach::ReachEndpoint;
using reach::ServiceSet;
using Kind = ReachEndpoint::Kind;

constexpr std::uint8_t kTcp = 6;

struct Loaded {
    policy::ServiceTags tags = testkit::sample_service_tags();
    SourceSet sources;
    Diagnostics diagnostics;
    model::Estate estate;
    std::unique_ptr<analysis::Analysis> analysis;
    std::unique_ptr<CheckContext> context;

    explicit Loaded(std::uint64_t seed) {
        estate = testkit::load_export_text(testkit::generate_estate(testkit::medium(seed)).to_json(),
                                           "synthetic.json", sources, diagnostics)
                     .estate;
        auto analysed = analysis::Analysis::run(estate, tags, {}, diagnostics);
        if (!analysed)
            throw std::runtime_error("the analysis failed: " + analysed.error().message);
        analysis = std::move(*analysed);
        context = std::make_unique<CheckContext>(context_of(*analysis));
    }

    std::vector<Finding> run(std::string_view id) { return find_check(id)->run(*context); }
    const std::vector<ReachEndpoint>& endpoints() const {
        return analysis->reachability()->endpoints().endpoints;
    }
};

ServiceSet tcp_to(net::PortSet ports) {
    return ServiceSet::of(net::ProtocolSet::single(kTcp), net::PortSet::all(), ports);
}

bool same_machine(const ReachEndpoint& a, const ReachEndpoint& b) {
    if (a.kind != Kind::Nic || b.kind != Kind::Nic)
        return false;
    return a.endpoint.nic == b.endpoint.nic || (a.endpoint.virtual_machine != model::kNone &&
                                                a.endpoint.virtual_machine == b.endpoint.virtual_machine);
}

const model::Resource* resource_of(const model::Estate& estate, const ReachEndpoint& e) {
    if (e.kind == Kind::LoadBalancer)
        return &estate.load_balancers[e.endpoint.load_balancer];
    if (e.kind != Kind::Nic)
        return nullptr;
    if (e.endpoint.virtual_machine != model::kNone)
        return &estate.virtual_machines[e.endpoint.virtual_machine];
    return &estate.network_interfaces[e.endpoint.nic];
}

// What the reference gathers per receiver (or per pair of tiers).
struct Gathered {
    ServiceSet services;
    std::size_t pairs = 0;
    std::set<std::uint32_t> senders;
};

// "name1, name2, name3, name4 and others": the names of the senders first in the estate's order,
// up to four names (two NICs of one VM share a name), and "and others" when senders remain.
std::string first_senders(const std::vector<ReachEndpoint>& endpoints,
                          const std::set<std::uint32_t>& senders) {
    std::set<std::string> names;
    auto it = senders.begin();
    for (; it != senders.end() && names.size() < 4; ++it)
        names.insert(endpoints[*it].name);
    return fmt::format("{}{}", fmt::join(names, ", "), it != senders.end() ? " and others" : "");
}

std::map<std::string, std::string> by_resource(const std::vector<Finding>& findings) {
    std::map<std::string, std::string> out;
    for (const Finding& f : findings)
        out[f.resource_name + " " + f.discriminator] = f.message;
    return out;
}

TEST(SegmentationSweeps, LateralManagementAgreesWithEveryPair) {
    for (std::uint64_t seed : {3u, 4u, 5u}) {
        Loaded in(seed);
        ASSERT_EQ(in.diagnostics.error_count(), 0u);
        const auto& endpoints = in.endpoints();
        net::PortSet ports;
        ports.insert(22);
        ports.insert(3389);
        const ServiceSet management = tcp_to(ports);
        std::map<const model::Resource*, Gathered> reference;
        for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
            const model::Resource* resource = resource_of(in.estate, endpoints[to]);
            if (!resource)
                continue;
            for (std::uint32_t from = 0; from < endpoints.size(); ++from) {
                const ReachEndpoint& e = endpoints[from];
                bool bastion =
                    e.kind == Kind::Bastion ||
                    (e.endpoint.subnet != model::kNone &&
                     model::same_id(in.estate.subnets[e.endpoint.subnet].name, "AzureBastionSubnet"));
                if (from == to || e.kind == Kind::Internet || e.kind == Kind::Platform || bastion ||
                    same_machine(e, endpoints[to]))
                    continue;
                ServiceSet open =
                    in.analysis->reachability()->between(from, to).allowed.intersect(management);
                if (open.empty())
                    continue;
                Gathered& g = reference[resource];
                g.services = g.services.unite(open);
                g.senders.insert(from);
            }
        }
        std::map<std::string, std::string> expected;
        for (const auto& [resource, g] : reference) {
            bool ssh = g.services.overlaps(tcp_to(net::PortSet::single(22)));
            bool rdp = g.services.overlaps(tcp_to(net::PortSet::single(3389)));
            std::string names = ssh && rdp ? "SSH and RDP" : ssh ? "SSH" : "RDP";
            expected[resource->name + " "] =
                fmt::format("{} accepts {} ({}) from endpoints other than Bastion: {}", resource->name, names,
                            g.services.to_string(), first_senders(endpoints, g.senders));
        }
        ASSERT_FALSE(expected.empty()) << "seed " << seed << " opens no management port: a weak case";
        EXPECT_EQ(by_resource(in.run("ZT-SEG-003")), expected) << "seed " << seed;
    }
}

// A tier: the subnet, and a NIC's ASGs.
std::string tier(const model::Estate& estate, const ReachEndpoint& e) {
    const model::Subnet& subnet = estate.subnets[e.endpoint.subnet];
    std::string label = estate.virtual_networks[subnet.virtual_network].name + "/" + subnet.name;
    std::set<std::string> asgs;
    const auto& config =
        estate.network_interfaces[e.endpoint.nic].ip_configurations[e.endpoint.ip_configuration];
    for (model::AsgIndex asg : config.application_security_groups)
        asgs.insert(estate.application_security_groups[asg].name);
    if (!asgs.empty())
        label += fmt::format(" [{}]", fmt::join(asgs, ", "));
    return label;
}

TEST(SegmentationSweeps, OpenTierBoundariesAgreeWithEveryPair) {
    for (std::uint64_t seed : {3u, 4u, 5u}) {
        Loaded in(seed);
        const auto& endpoints = in.endpoints();
        const ServiceSet every_tcp_port =
            ServiceSet::of(net::ProtocolSet::single(kTcp), net::PortSet::single(49152), net::PortSet::all());
        std::map<std::string, std::size_t> pairs; // "to-resource label" -> VM pairs
        for (std::uint32_t from = 0; from < endpoints.size(); ++from) {
            for (std::uint32_t to = 0; to < endpoints.size(); ++to) {
                const ReachEndpoint& a = endpoints[from];
                const ReachEndpoint& b = endpoints[to];
                if (a.kind != Kind::Nic || b.kind != Kind::Nic || same_machine(a, b))
                    continue;
                std::string label = tier(in.estate, a) + " -> " + tier(in.estate, b);
                if (tier(in.estate, a) == tier(in.estate, b) ||
                    !in.analysis->reachability()->between(from, to).allowed.contains(every_tcp_port))
                    continue;
                ++pairs[in.estate.subnets[b.endpoint.subnet].name + " " + label];
            }
        }
        std::map<std::string, std::string> expected;
        for (const auto& [key, count] : pairs) {
            std::string label = key.substr(key.find(' ') + 1);
            expected[key] = fmt::format("{}: every TCP port is open between the tiers ({} VM pair(s)); the "
                                        "boundary filters nothing",
                                        label, count);
        }
        ASSERT_FALSE(expected.empty()) << "seed " << seed << " has no open boundary: a weak case";
        EXPECT_EQ(by_resource(in.run("ZT-SEG-004")), expected) << "seed " << seed;
    }
}

} // namespace
} // namespace ztnet::checks
