// The intent: what an application's owner says its network must allow, read from a *.ztnet.yaml
// file. Named groups of endpoints and the flows between them; everything not listed is to be denied.
// Plain data: the reader checks syntax and local validity, another module resolves the selectors
// against an estate.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"
#include "ztnet/support/source.h"

namespace ztnet::model {

/// One way of naming endpoints inside a group.
struct IntentSelector {
    enum class Kind {
        Subnet,             // value: subnet name, "vnet/subnet" or full resource id
        Asg,                // value: application security group name or id
        Nic,                // value: network interface name or id
        Vm,                 // value: virtual machine name or id
        Prefix,             // value: an address prefix or address, as written ("10.1.3.0/24")
        ServiceTag,         // value: a service tag name ("AzureLoadBalancer")
        Internet,           // value: empty (the Internet service tag)
        ApplicationGateway, // value: application gateway name or id
        LoadBalancer,       // value: load balancer name or id (its frontends)
        PrivateEndpoint,    // value: private endpoint name or id (its addresses)
        PaasService,        // value: a PaaS service's name or id (the private endpoints that front it)
    };
    Kind kind = Kind::Subnet;
    std::string value;
    SourceLocation where;
};

/// The keys that spell the selector kinds in an intent file, in the order of IntentSelector::Kind.
inline constexpr std::array<std::string_view, 11> kSelectorKeys{"subnet",        "asg",
                                                                "nic",           "vm",
                                                                "prefix",        "service-tag",
                                                                "internet",      "application-gateway",
                                                                "load-balancer", "private-endpoint",
                                                                "paas"};

/// The key that spells a selector kind in an intent file ("application-gateway").
std::string_view selector_key(IntentSelector::Kind kind);
/// The selector kind of an intent file key, or nullopt when the key names none.
std::optional<IntentSelector::Kind> selector_kind(std::string_view key);

/// A named set of endpoints: the union of everything its selectors name. Names ignore letter case,
/// as Azure's do; the reader rejects two groups whose names differ only in case.
struct IntentGroup {
    std::string name;
    std::vector<IntentSelector> selectors;
    SourceLocation where;
};

/// Traffic that must be allowed from every endpoint of the `from` groups to every endpoint of the
/// `to` groups, for these protocols and destination ports.
struct IntentFlow {
    std::string name;              // optional label, empty when the file gives none
    std::vector<std::string> from; // group names, spelt as the group's definition spells them
    std::vector<std::string> to;
    net::ProtocolSet protocols;
    net::PortSet ports = net::PortSet::all(); // destination ports; all when the file gives none
    bool platform = false;                    // a platform flow: required, never counted as excess
    SourceLocation where;
};

/// A whole intent file. Every group name a flow uses is in `groups`, including the built-in
/// `internet` when a flow uses it, so a resolver needs no special cases.
struct Intent {
    std::string path;
    bool default_deny = true; // the only default the format allows
    std::vector<IntentGroup> groups;
    std::vector<IntentFlow> flows;          // the application's allowed flows
    std::vector<IntentFlow> platform_flows; // must stay allowed, never reported as excess

    /// The group of that name (letter case ignored), or nullptr.
    const IntentGroup* find_group(std::string_view name) const;
};

/// The built-in group every intent may use without defining it: the Internet service tag.
inline constexpr std::string_view kInternetGroup = "internet";

} // namespace ztnet::model
