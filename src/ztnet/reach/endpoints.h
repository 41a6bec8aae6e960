// The endpoints of reachability: every NIC IP configuration with a known address, every App Gateway,
// every load balancer frontend, the Internet (cut into pieces that every rule and route treats
// alike) and the platform's probe address, and the equivalence classes they fall into.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/address_set.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/route/path.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::reach {

struct ReachEndpoint {
    enum class Kind : std::uint8_t {
        Nic,
        ApplicationGateway,
        LoadBalancer,
        Bastion,
        Internet,
        Platform,
        PrivateEndpoint,
        OnPremises, // a piece of the on-premises prefixes the gateways reach
    };
    Kind kind = Kind::Nic;
    /// What to show: a VM name, "agw-spoke", "lbi-app", "Internet" or "Internet 203.0.113.0/24".
    std::string name;
    /// The endpoint as path tracing knows it; its address is the representative address.
    route::Endpoint endpoint;
    /// Every address this endpoint stands for (one address, except for pieces of the Internet).
    net::AddressSet addresses;
    /// Address class: endpoints of one address class satisfy exactly the same address conditions
    /// (NSG rule sides, route prefixes, firewall rule addresses).
    std::uint32_t address_class = 0;
    /// Equivalence class: endpoints of one class are treated alike by every NSG rule, route and
    /// firewall rule, as source and as destination, so reachability is computed once per class.
    std::uint32_t equivalence_class = 0;
    /// For a NIC whose address Azure picks among candidates the rules tell apart
    /// (model::IpConfiguration::candidate_ips): the classes of its candidates, which are classes of
    /// their own numbered from EndpointSet::class_count on. A pair's answer is then the answer for
    /// every candidate: allowed where all allow, undecidable where they differ.
    std::vector<std::uint32_t> candidate_classes;
};

struct EndpointSet {
    std::vector<ReachEndpoint> endpoints;
    /// The number of equivalence classes; classes are numbered 0..class_count-1 and each has at
    /// least one endpoint.
    std::uint32_t class_count = 0;
    /// One endpoint of each class.
    std::vector<std::uint32_t> class_representative;
    /// The endpoints at each candidate address of the NICs that have candidates: not endpoints of
    /// their own (no question names them), but each is in a class numbered class_count + k, whose
    /// representative is candidates[candidate_representative[k]].
    std::vector<ReachEndpoint> candidates;
    std::vector<std::uint32_t> candidate_representative;
};

/// Enumerates the endpoints of the estate and computes their classes. NICs without a known private
/// address cannot take part and are reported as warnings.
/// `extra_conditions` are further address sets no endpoint may straddle.
EndpointSet enumerate_endpoints(const policy::PolicyEngine& engine, Diagnostics& diagnostics,
                                std::vector<net::AddressSet> extra_conditions = {});

/// "nic", "application-gateway", "load-balancer", "bastion", "internet", "platform", "private-endpoint".
std::string_view endpoint_kind_name(ReachEndpoint::Kind kind);

} // namespace ztnet::reach
