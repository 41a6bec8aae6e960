// Azure Firewall: how one firewall decides one flow, with classic rule collections or a firewall
// policy (and its parent policies), in the documented order: threat intelligence, DNAT, network
// rules, application rules, then deny.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/address_set.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::route {

struct FirewallQuery {
    net::Flow flow;
    /// The destination's name when the question gives one (application rules match FQDNs).
    std::optional<std::string> fqdn;
    /// True when the flow arrives on the firewall's public IP (DNAT rules apply only then).
    bool to_public_ip = false;
};

enum class FirewallVerdict : std::uint8_t { Allow, Deny, Undecidable };

struct FirewallDecision {
    FirewallVerdict verdict = FirewallVerdict::Deny;
    /// "threat-intelligence", "dnat", "network", "application" or "default-deny".
    std::string stage;
    std::string policy;           // id of the policy whose rule decided (empty for classic rules)
    std::string collection_group; // empty for classic rules
    std::string collection;
    int collection_priority = 0;
    std::string rule;
    /// Why: for Undecidable, what the question lacks ("an application rule matches FQDNs; the
    /// question names no destination FQDN"); for the default, that no rule matched.
    std::string reason;
    /// After DNAT: the translated destination.
    std::optional<net::Flow> translated;
    /// After DNAT: the firewall also translates the source, to one of its own addresses (for a
    /// private destination, an address of AzureFirewallSubnet; which one is not known offline).
    /// `translated` keeps the original source so that callers can substitute what they need.
    bool source_translated = false;
};

/// Decides `query` at firewall `firewall`. Threat-intelligence mode is recorded in the reason;
/// it never decides offline (no feed). Parent-policy collections are processed before the
/// child's. Rule addresses may be IPs, prefixes, ranges, "*", IP groups or service tags.
FirewallDecision decide_firewall(const model::Estate& estate, model::FirewallIndex firewall,
                                 const FirewallQuery& query, const policy::ServiceTags& tags);

/// Every rule the firewall holds, in processing order (parent policies first, then groups and
/// collections by priority), for analyses that need the rules' values rather than one decision.
std::vector<const model::FirewallRule*> firewall_rules(const model::Estate& estate,
                                                       model::FirewallIndex firewall);

/// The addresses one firewall address entry denotes: "*", an address, a prefix, a range, Internet
/// or a tag of the tags file; nullopt when the entry is none of these.
std::optional<net::AddressSet> firewall_entry_addresses(std::string_view text,
                                                        const policy::ServiceTags& tags);

/// The firewall whose AzureFirewallSubnet contains `address` (that subnet holds nothing else, so
/// a next hop there is the firewall even when its private IP is only known after deployment).
std::optional<model::FirewallIndex> firewall_at(const model::Estate& estate, net::Address address);

} // namespace ztnet::route
