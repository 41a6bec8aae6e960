// Path tracing: how Azure decides one flow end to end, hop by hop — the source's NSGs (NIC, then
// subnet, outbound), the route and its next hop, the firewall when traversed, the destination's
// NSGs (subnet, then NIC, inbound) — with the rule that decided at every step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/support/result.h"

namespace ztnet::route {

/// One end of a question, resolved against the estate.
struct Endpoint {
    enum class Kind : std::uint8_t {
        Nic,                // a NIC IP configuration (named by VM, NIC, or its private or public IP)
        ApplicationGateway, // an App Gateway's instances, in its subnet
        LoadBalancer,       // a load balancer frontend
        SubnetAddress,      // an address inside a subnet that no NIC holds
        External,           // outside every VNet: the Internet, a service tag, on-premises
    };
    Kind kind = Kind::External;
    std::string label;    // what it is, for people: "vm-web-1 (nic-web-1, 10.1.1.4)"
    net::Address address; // the address the flow uses at this end
    /// Why this address stands for the endpoint, when it is a representative of a set
    /// (the Internet, a service tag, an App Gateway's instances); empty when exact.
    std::string representative;
    model::SubnetIndex subnet = model::kNone;
    model::NicIndex nic = model::kNone;
    model::Index ip_configuration = model::kNoPosition; // within the NIC
    model::VmIndex virtual_machine = model::kNone;
    model::AppGatewayIndex application_gateway = model::kNone;
    model::LoadBalancerIndex load_balancer = model::kNone;
    /// For a NIC reached from outside: the public IP the flow arrives on.
    model::PublicIpIndex public_ip = model::kNone;
    /// A private endpoint's address (kind SubnetAddress): the endpoint, by index.
    model::PrivateEndpointIndex private_endpoint = model::kNone;
    /// For a NIC whose address Azure picks among addresses the rules tell apart: the other
    /// candidates besides `address` (model::IpConfiguration::candidate_ips). A trace follows the
    /// flow from and to each of them: the verdict is theirs when they agree, else undecidable.
    std::vector<net::Address> alternatives;
};

/// Resolves what a user typed: a VM, NIC, App Gateway or load balancer name or id, an IP address,
/// `Internet`, or a service tag. An unknown name is an error listing the closest names.
Result<Endpoint> resolve_endpoint(const model::Estate& estate, const policy::ServiceTags& tags,
                                  std::string_view text);

/// How the error of nic_endpoint() and resolve_endpoint() begins when the input cannot tell the
/// endpoint's address (a dynamic address in a subnet outside the input, or one that rules tell
/// apart): a verdict about it is undecidable rather than the question wrong.
inline constexpr std::string_view kUndecidableEndpoint = "undecidable: ";

/// The endpoint of one NIC IP configuration; `label` names it for people (a VM or NIC name). An
/// error when the configuration has no known private address.
Result<Endpoint> nic_endpoint(const model::Estate& estate, model::NicIndex nic, model::Index ip_configuration,
                              std::string label);
/// An App Gateway's instances: its private frontend address, or an instance address of its subnet.
Result<Endpoint> app_gateway_endpoint(const model::Estate& estate, model::AppGatewayIndex gateway);
/// A load balancer's first frontend with a known address.
Result<Endpoint> load_balancer_endpoint(const model::Estate& estate, model::LoadBalancerIndex load_balancer);

enum class Verdict : std::uint8_t { Allowed, Denied, Undecidable };
std::string_view verdict_name(Verdict verdict);

/// One step of the path.
struct Hop {
    enum class Kind : std::uint8_t { Nsg, Route, Firewall, Entry, Delivery };
    Kind kind = Kind::Nsg;
    std::string step; // "source NIC NSG (outbound)", "route", "firewall", …
    Verdict verdict = Verdict::Allowed;
    std::string resource; // id of the NSG, route table, firewall, … (empty when none applies)
    std::string resource_name;
    std::string rule; // the deciding rule, route or collection/rule
    int priority = 0; // of the deciding NSG rule or firewall collection
    bool default_rule = false;
    std::string detail;   // one line for people
    SourceLocation where; // the deciding rule's place in the input, when known
    /// A load balancer's hand-over to one backend (kind Delivery): that backend's NIC IP
    /// configuration; the hops that follow, up to the next hand-over, are its NSGs.
    model::NicIndex backend_nic = model::kNone;
    model::Index backend_configuration = model::kNoPosition;
};

struct PathQuery {
    net::Flow flow;                  // addresses are filled from the endpoints
    std::optional<std::string> fqdn; // the destination's name, for firewall application rules
};

struct PathResult {
    Endpoint from;
    Endpoint to;
    net::Flow flow;
    std::vector<Hop> hops;
    Verdict verdict = Verdict::Denied;
    std::string summary; // one line: why the verdict
};

/// Whether a load-balancing rule's protocol ("Tcp", "Udp", "All") carries IP protocol `number`.
bool load_balancing_protocol_matches(std::optional<model::LoadBalancerProtocol> protocol,
                                     std::uint8_t number);
/// The rule of `lb` that takes `flow`: the one for its protocol and frontend port, else an HA-ports
/// rule (frontend port 0) for its protocol; nullptr when none.
const model::LoadBalancingRule* load_balancing_rule_for(const model::LoadBalancer& lb, const net::Flow& flow);

/// Traces `query` from `from` to `to`. NSGs are stateful, so only the forward direction is
/// evaluated. Where the estate cannot answer (an unknown appliance, an application rule without
/// an FQDN) the verdict is Undecidable with the reason, never a guess.
PathResult trace_path(const policy::PolicyEngine& engine, const Endpoint& from, const Endpoint& to,
                      const PathQuery& query, Diagnostics& diagnostics);

class RouteViews;
/// The same, reading effective routes from `views`: many traces over one estate compute each
/// subnet's routes once.
PathResult trace_path(const policy::PolicyEngine& engine, const RouteViews& views, const Endpoint& from,
                      const Endpoint& to, const PathQuery& query);

/// How the NSGs of one end alone decide a flow, as a flow log there records it: the security admin
/// rules and NSGs of the source on its way out (`side` Outbound), or of the destination on its way
/// in (Inbound), whatever the path between. The endpoints' addresses are the flow's; the hops are
/// those steps only, and the verdict is theirs (Allowed for an end outside every VNet).
PathResult nsg_side(const policy::PolicyEngine& engine, const RouteViews& views, const Endpoint& from,
                    const Endpoint& to, const PathQuery& query, net::Direction side);

} // namespace ztnet::route
