// Hybrid connectivity: the on-premises prefixes a virtual network gateway reaches. A site-to-site
// connection (Microsoft.Network/connections) joins a gateway to a local network gateway, whose
// address space is on-premises; routes to it are propagated to the gateway's VNet and the VNets
// that use it through peering. What BGP or ExpressRoute learns is not in any resource: such a
// gateway may carry prefixes the input does not list, and says why.
#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/detail/net_fields.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::Index;
using model::kNone;
using model::ResourceKind;

namespace {

struct LocalNetwork {
    std::string name;
    std::vector<net::Prefix> prefixes;
    bool bgp = false;
};

// Algorithms Azure's custom IPsec/IKE policies offer that no longer protect a tunnel: DES and 3DES,
// MD5 and SHA1, Diffie-Hellman groups 1 and 2, and no IPsec encryption at all.
bool weak_algorithm(std::string_view value) {
    for (std::string_view weak :
         {"DES", "DES3", "MD5", "SHA1", "DHGroup1", "DHGroup2", "PFS1", "PFS2", "None"})
        if (model::same_id(value, weak))
            return true;
    return false;
}

} // namespace

// The protocol the connection negotiates (`protocol_field`: connectionProtocol for a VPN
// gateway's connections, vpnConnectionProtocolType for a Virtual WAN link) and what its custom
// IPsec/IKE policies allow that is weak.
model::GatewayConnection read_vpn_connection(FieldReader& read, std::string name, const Cursor& props,
                                             std::string_view protocol_field) {
    model::GatewayConnection c;
    c.name = std::move(name);
    c.where = props.where();
    c.protocol = read.string_or(props[protocol_field], "IKEv2");
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kFields{{
        {"ikeEncryption", "IKE encryption"},
        {"ikeIntegrity", "IKE integrity"},
        {"dhGroup", "DH group"},
        {"ipsecEncryption", "IPsec encryption"},
        {"ipsecIntegrity", "IPsec integrity"},
        {"pfsGroup", "PFS group"},
    }};
    for (const Cursor& policy : props["ipsecPolicies"].elements())
        for (const auto& [field, label] : kFields) {
            const std::string value = read.string_or(policy[field], "");
            // No PFS is Azure's own default policy; no IPsec encryption is not.
            if (value.empty() || !weak_algorithm(value) ||
                (field == "pfsGroup" && model::same_id(value, "None")))
                continue;
            std::string what = fmt::format("{} {}", label, value);
            if (std::find(c.weak_crypto.begin(), c.weak_crypto.end(), what) == c.weak_crypto.end())
                c.weak_crypto.push_back(std::move(what));
        }
    return c;
}

void EstateBuilder::link_on_premises() {
    if (estate_.virtual_network_gateways.empty())
        return;
    FieldReader read(diagnostics_, nullptr);
    std::map<std::string, LocalNetwork> local_networks; // id key -> what it holds
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other ||
            !model::same_id(estate_.others[s.index].type, "Microsoft.Network/localNetworkGateways"))
            continue;
        Cursor props = s.body["properties"];
        LocalNetwork local{estate_.others[s.index].name,
                           read_network_prefixes(read, props["localNetworkAddressSpace"]["addressPrefixes"]),
                           static_cast<bool>(props["bgpSettings"])};
        local_networks.emplace(model::id_key(estate_.others[s.index].id), std::move(local));
    }
    for (model::VirtualNetworkGateway& gateway : estate_.virtual_network_gateways) {
        if (gateway.gateway_type == model::GatewayType::ExpressRoute)
            gateway.learns_unknown = "an ExpressRoute gateway learns on-premises routes by BGP";
        else if (gateway.bgp_enabled)
            gateway.learns_unknown = "the gateway learns routes by BGP";
    }
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other ||
            !model::same_id(estate_.others[s.index].type, "Microsoft.Network/connections"))
            continue;
        Cursor props = s.body["properties"];
        auto gateway_id = read.reference_id(props["virtualNetworkGateway1"]);
        auto ref = gateway_id ? estate_.find(*gateway_id) : std::nullopt;
        if (!ref || ref->kind != ResourceKind::VirtualNetworkGateway)
            continue;
        model::VirtualNetworkGateway& gateway = estate_.virtual_network_gateways[ref->index];
        if (model::same_id(read.string_or(props["connectionType"], ""), "IPsec"))
            gateway.connections.push_back(
                read_vpn_connection(read, estate_.others[s.index].name, props, "connectionProtocol"));
        auto local_id = read.reference_id(props["localNetworkGateway2"]);
        auto local = local_id ? local_networks.find(model::id_key(*local_id)) : local_networks.end();
        if (local == local_networks.end()) {
            if (gateway.learns_unknown.empty())
                gateway.learns_unknown =
                    fmt::format("its connection {} leads to a network the input does not hold",
                                estate_.others[s.index].name);
            continue;
        }
        gateway.on_premises_prefixes.insert(gateway.on_premises_prefixes.end(),
                                            local->second.prefixes.begin(), local->second.prefixes.end());
        if (local->second.bgp && gateway.learns_unknown.empty())
            gateway.learns_unknown =
                fmt::format("local network gateway {} advertises its routes by BGP", local->second.name);
    }
}

} // namespace ztnet::load::detail
