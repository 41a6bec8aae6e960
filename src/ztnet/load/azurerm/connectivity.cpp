// The azurerm types of what connects people and places to the estate: Azure Virtual Desktop host
// pools and the VM extensions that register session hosts with them, ExpressRoute Direct ports
// with their links' MACsec, and the site connections of a Virtual WAN VPN gateway.
#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/azurerm/translation.h"

namespace ztnet::load::azurerm {
namespace {

using Base = IdRecipe::Base;

void host_pool(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "hostPoolType", attr(r, "type"));
    put(p, "loadBalancerType", attr(r, "load_balancer_type"));
    put_or(p, "publicNetworkAccess", attr(r, "public_network_access"), "Enabled");
}

// A VM extension: its publisher, type and settings. azurerm takes settings as a JSON string, which
// ARM holds as an object (the DSC extension's hostPoolName is read from it).
void vm_extension(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "publisher", attr(r, "publisher"));
    put(p, "type", attr(r, "type"));
    put(p, "typeHandlerVersion", attr(r, "type_handler_version"));
    if (std::optional<std::string> text = known_string(attr(r, "settings"))) {
        if (auto settings = json::read(*text); settings && settings->is_object())
            p.set("settings", std::move(*settings));
        else
            t.diagnostics().warning(
                "terraform-extension-settings",
                fmt::format("{}: settings are not a JSON object and are left out", r.address), r.where);
    }
}

// A port's link1 and link2 blocks as ARM's links, each with its MACsec keys and cipher.
void express_route_port(Translation&, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    put(p, "peeringLocation", attr(r, "peering_location"));
    put(p, "bandwidthInGbps", attr(r, "bandwidth_in_gbps"));
    put(p, "encapsulation", attr(r, "encapsulation"));
    Array links;
    for (const char* name : {"link1", "link2"}) {
        Object link;
        link.set("name", name);
        Object macsec;
        if (const Value* block = first_block(attr(r, name))) {
            put(macsec, "cknSecretIdentifier", block->find("macsec_ckn_keyvault_secret_id"));
            put(macsec, "cakSecretIdentifier", block->find("macsec_cak_keyvault_secret_id"));
            put(macsec, "cipher", block->find("macsec_cipher"));
        }
        child(link, "properties").set("macSecConfig", std::move(macsec));
        links.emplace_back(std::move(link));
    }
    p.set("links", std::move(links));
}

// azurerm_vpn_gateway_connection: a site connection of a hub's VPN gateway, with its links.
void vpn_gateway_connection(Translation& t, const ResourceInstance& r, Object& body) {
    Object& p = properties(body);
    Value site = t.link(r, attr(r, "remote_vpn_site_id"), "remote_vpn_site_id", {"azurerm_vpn_site"});
    if (!site.is_null())
        p.set("remoteVpnSite", id_object(std::move(site)));
    put_or(p, "enableInternetSecurity", attr(r, "internet_security_enabled"), false);
    Array links;
    for (const Value& link : blocks(attr(r, "vpn_link"))) {
        Object o;
        put(o, "name", link.find("name"));
        Object& lp = child(o, "properties");
        put_or(lp, "vpnConnectionProtocolType", link.find("protocol"), "IKEv2");
        lp.set("ipsecPolicies",
               ipsec_policies(link.find("ipsec_policy"),
                              {"ike_encryption_algorithm", "ike_integrity_algorithm", "dh_group",
                               "encryption_algorithm", "integrity_algorithm", "pfs_group"}));
        links.emplace_back(std::move(o));
    }
    p.set("vpnLinkConnections", std::move(links));
}

} // namespace

void add_connectivity_types(TypeTable& table) {
    const IdRecipe named;
    table["azurerm_virtual_desktop_host_pool"] = {"Microsoft.DesktopVirtualization/hostPools", named,
                                                  host_pool};
    table["azurerm_virtual_machine_extension"] = {
        "Microsoft.Compute/virtualMachines/extensions", {Base::Parent, "virtual_machine_id"}, vm_extension};
    table["azurerm_express_route_port"] = {"Microsoft.Network/expressRoutePorts", named, express_route_port};
    table["azurerm_vpn_gateway_connection"] = {"Microsoft.Network/vpnGateways/vpnConnections",
                                               {Base::Parent, "vpn_gateway_id"},
                                               vpn_gateway_connection};
}

} // namespace ztnet::load::azurerm
