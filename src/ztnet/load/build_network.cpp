// Virtual networks, subnets, peerings, routes, interfaces, public IPs, load balancers, gateways.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/detail/net_fields.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/model/tls_version.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::detail {

using model::Index;
using model::kNone;
using model::ResourceKind;

std::optional<net::Address> read_address(FieldReader& read, const Cursor& c) {
    auto text = read.string(c);
    if (!text || text->empty())
        return std::nullopt;
    auto address = net::Address::parse(*text);
    if (!address) {
        read.error(c, "invalid-address", address.error().message);
        return std::nullopt;
    }
    return *address;
}

std::vector<net::Prefix> read_network_prefixes(FieldReader& read, const Cursor& c) {
    std::vector<net::Prefix> out;
    std::vector<Cursor> items = c && c.value->is_array() ? c.elements() : std::vector<Cursor>{c};
    for (const Cursor& item : items) {
        auto text = read.string(item);
        if (!text)
            continue;
        auto prefix = net::Prefix::parse_strict(*text);
        if (!prefix) {
            read.error(item, "invalid-prefix", prefix.error().message);
            continue;
        }
        out.push_back(*prefix);
    }
    return out;
}

namespace {

// An id for an inline sub-object (ip configuration, frontend, pool) that the input may omit.
std::string child_id(FieldReader& read, const Cursor& c, const std::string& owner_id, std::string_view list) {
    std::string id = read.string_or(c["id"], "");
    if (!id.empty())
        return id;
    return owner_id + "/" + std::string(list) + "/" + read.string_or(c["name"], "");
}

} // namespace

void EstateBuilder::fill_virtual_network(model::VirtualNetwork& v, const Cursor& body) {
    FieldReader read = reader(v);
    Cursor props = body["properties"];
    v.address_space = read_network_prefixes(read, props["addressSpace"]["addressPrefixes"]);
    if (v.address_space.empty() && !props["addressSpace"]["addressPrefixes"].value)
        read.error(props, "missing-field", "virtual network has no addressSpace.addressPrefixes");
    v.ddos_protection_enabled = read.boolean_or(props["enableDdosProtection"], false);
    if (props["ddosProtectionPlan"])
        v.ddos_protection_plan = resolve_ref<model::DdosProtectionPlan>(props["ddosProtectionPlan"], false);
    v.dns_servers = read.strings(props["dhcpOptions"]["dnsServers"]);
    Cursor encryption = props["encryption"];
    v.encryption_enabled = read.boolean_or(encryption["enabled"], false);
    v.encryption_enforcement = read.string_or(encryption["enforcement"], "");
    v.encryption_where = encryption ? encryption.where() : v.where;
}

void EstateBuilder::fill_subnet(model::Subnet& s, const Cursor& body) {
    FieldReader read = reader(s);
    Cursor props = body["properties"];
    std::string parent = model::parse_resource_id(s.id).parent_id;
    s.virtual_network = resolve<model::VirtualNetwork>(parent, body, true);
    if (props["addressPrefixes"])
        s.address_prefixes = read_network_prefixes(read, props["addressPrefixes"]);
    else
        s.address_prefixes = read_network_prefixes(read, props["addressPrefix"]);
    if (s.address_prefixes.empty() && !props["addressPrefix"].value && !props["addressPrefixes"].value)
        read.error(body, "missing-field", "subnet " + s.name + " has no addressPrefix");
    if (props["networkSecurityGroup"])
        s.network_security_group = resolve_deciding_ref<model::NetworkSecurityGroup>(
            s, props["networkSecurityGroup"], s.network_security_group_unknown);
    if (props["routeTable"])
        s.route_table =
            resolve_deciding_ref<model::RouteTable>(s, props["routeTable"], s.route_table_unknown);
    for (const Cursor& e : props["serviceEndpoints"].elements()) {
        if (auto service = read.string(e["service"]))
            s.service_endpoints.push_back(*service);
    }
    for (const Cursor& d : props["delegations"].elements()) {
        if (auto service = read.string(d["properties"]["serviceName"]))
            s.delegations.push_back(*service);
    }
    s.private_endpoint_network_policies = read.enum_value<model::PrivateEndpointPolicies>(
        props["privateEndpointNetworkPolicies"], ResourceKind::Subnet,
        "properties.privateEndpointNetworkPolicies");
    s.default_outbound_access = read.bool_setting(props["defaultOutboundAccess"], ResourceKind::Subnet,
                                                  "properties.defaultOutboundAccess")
                                    .value;
    if (Cursor nat = props["natGateway"]) {
        Cursor id = nat["id"];
        if (id.value && id.value->is_unknown())
            s.nat_gateway_unknown = "its NAT gateway reference is unknown: " + id.value->as_unknown().reason;
        else
            s.nat_gateway = read.reference_id(nat).value_or("");
    }
}

void EstateBuilder::read_peering_ends(model::Peering& p, FieldReader& read, const Cursor& body,
                                      std::string_view what) {
    Cursor props = body["properties"];
    p.virtual_network = resolve<model::VirtualNetwork>(model::parse_resource_id(p.id).parent_id, body, true);
    if (auto remote = read.reference_id(props["remoteVirtualNetwork"])) {
        p.remote_virtual_network_id = *remote;
        // The peering Azure makes to a Virtual WAN hub's hidden VNet, in a subscription of its own:
        // never in an input, and the hub's connection stands for it (build_virtual_wan.cpp).
        if (!p.name.starts_with(kHubPeeringPrefix))
            p.remote_virtual_network =
                resolve<model::VirtualNetwork>(*remote, props["remoteVirtualNetwork"], false);
    } else if (!props["remoteVirtualNetwork"].value) {
        read.error(props, "missing-field", fmt::format("{} {} has no remoteVirtualNetwork", what, p.name));
    }
}

void EstateBuilder::fill_peering(model::Peering& p, const Cursor& body) {
    FieldReader read = reader(p);
    Cursor props = body["properties"];
    read_peering_ends(p, read, body, "peering");
    p.remote_address_space = read_network_prefixes(read, props["remoteAddressSpace"]["addressPrefixes"]);
    p.allow_virtual_network_access = read.boolean_or(props["allowVirtualNetworkAccess"], true);
    p.allow_forwarded_traffic = read.boolean_or(props["allowForwardedTraffic"], false);
    p.allow_gateway_transit = read.boolean_or(props["allowGatewayTransit"], false);
    p.use_remote_gateways = read.boolean_or(props["useRemoteGateways"], false);
}

void EstateBuilder::fill_route_table(model::RouteTable& t, const Cursor& body) {
    FieldReader read = reader(t);
    Cursor props = body["properties"];
    t.disable_bgp_route_propagation = read.boolean_or(props["disableBgpRoutePropagation"], false);
    for (const Cursor& route : props["routes"].elements())
        add_route(t, route);
}

void EstateBuilder::add_route(model::RouteTable& t, const Cursor& body) {
    FieldReader read = reader(t);
    Cursor props = body["properties"];
    model::Route r;
    r.name = read.string_or(body["name"], "");
    if (auto slash = r.name.rfind('/'); slash != std::string::npos)
        r.name = r.name.substr(slash + 1);
    r.where = body.where();
    r.address_prefix = read.string_or(props["addressPrefix"], "");
    if (!r.address_prefix.empty() && (std::isdigit(static_cast<unsigned char>(r.address_prefix[0])) ||
                                      r.address_prefix.find(':') != std::string::npos)) {
        auto prefix = net::Prefix::parse_strict(r.address_prefix);
        if (!prefix)
            read.error(props["addressPrefix"], "invalid-prefix",
                       "route " + r.name + ": " + prefix.error().message);
    } else if (r.address_prefix.empty() && !props["addressPrefix"].value) {
        read.error(props, "missing-field", "route " + r.name + " has no addressPrefix");
    }
    Cursor hop = props["nextHopType"];
    if (std::optional<std::string> text = read.string(hop)) {
        r.next_hop_type = model::parse_azure<model::UserNextHop>(*text);
        if (!r.next_hop_type)
            read.error(hop, "invalid-next-hop",
                       "route " + r.name + ": invalid nextHopType '" + *text + "', expected " +
                           model::expected_names<model::UserNextHop>());
    } else if (!hop.value) {
        read.error(props, "missing-field", "route " + r.name + " has no nextHopType");
    }
    r.next_hop_ip = read_address(read, props["nextHopIpAddress"]);
    bool appliance = r.next_hop_type == model::UserNextHop::VirtualAppliance;
    if (appliance && !r.next_hop_ip && !props["nextHopIpAddress"].value)
        read.error(props, "invalid-next-hop",
                   "route " + r.name + ": a VirtualAppliance next hop needs nextHopIpAddress");
    if (!appliance && r.next_hop_ip)
        read.error(props["nextHopIpAddress"], "invalid-next-hop",
                   "route " + r.name +
                       ": nextHopIpAddress is only allowed with nextHopType VirtualAppliance");
    t.routes.push_back(std::move(r));
}

void EstateBuilder::fill_network_interface(model::NetworkInterface& n, const Cursor& body) {
    FieldReader read = reader(n);
    Cursor props = body["properties"];
    if (props["networkSecurityGroup"])
        n.network_security_group = resolve_deciding_ref<model::NetworkSecurityGroup>(
            n, props["networkSecurityGroup"], n.network_security_group_unknown);
    n.ip_forwarding = read.boolean_or(props["enableIPForwarding"], false);
    if (props["privateEndpoint"])
        n.private_endpoint = read.reference_id(props["privateEndpoint"]).value_or("");
    n.accelerated_networking = read.boolean_or(props["enableAcceleratedNetworking"], false);
    n.mac_address = model::normalise_mac(read.string_or(props["macAddress"], ""));
    for (const Cursor& c : props["ipConfigurations"].elements()) {
        model::IpConfiguration config;
        Cursor cp = c["properties"];
        config.name = read.string_or(c["name"], "");
        config.id = child_id(read, c, n.id, "ipConfigurations");
        if (cp["subnet"])
            config.subnet = resolve_ref<model::Subnet>(cp["subnet"], true);
        config.private_ip = read_address(read, cp["privateIPAddress"]);
        config.private_ip_allocation = read.enum_value<model::IpAllocation>(
            cp["privateIPAllocationMethod"], ResourceKind::NetworkInterface,
            "properties.ipConfigurations[].properties.privateIPAllocationMethod");
        config.private_ip_version = read.enum_value<model::IpVersion>(
            cp["privateIPAddressVersion"], ResourceKind::NetworkInterface,
            "properties.ipConfigurations[].properties.privateIPAddressVersion");
        config.primary =
            read.boolean_or(cp["primary"], props["ipConfigurations"].value->as_array().size() == 1);
        if (cp["publicIPAddress"])
            config.public_ip = resolve_ref<model::PublicIpAddress>(cp["publicIPAddress"], true);
        else if (Cursor per_instance = cp["publicIPAddressConfiguration"]) // a scale set's instances
            config.public_ip = resolve<model::PublicIpAddress>(
                scale_set_public_ip_id(read, n.id, c, per_instance), per_instance, true);
        for (const std::string& id : read.reference_ids(cp["applicationSecurityGroups"])) {
            auto asg = resolve<model::ApplicationSecurityGroup>(id, cp["applicationSecurityGroups"], true);
            if (asg != kNone)
                config.application_security_groups.push_back(asg);
        }
        config.load_balancer_backend_pools = read.reference_ids(cp["loadBalancerBackendAddressPools"]);
        config.application_gateway_backend_pools =
            read.reference_ids(cp["applicationGatewayBackendAddressPools"]);
        n.ip_configurations.push_back(std::move(config));
    }
    if (n.ip_configurations.empty())
        read.error(props, "missing-field", "network interface " + n.name + " has no ipConfigurations");
}

void EstateBuilder::fill_public_ip(model::PublicIpAddress& p, const Cursor& body) {
    FieldReader read = reader(p);
    Cursor props = body["properties"];
    constexpr ResourceKind kIp = ResourceKind::PublicIpAddress;
    p.sku = read.enum_setting<model::PublicIpSku>(body["sku"]["name"], kIp, "sku.name");
    p.allocation = read.enum_value<model::IpAllocation>(props["publicIPAllocationMethod"], kIp,
                                                        "properties.publicIPAllocationMethod");
    p.ip_address = read_address(read, props["ipAddress"]);
    p.ip_version = read.enum_value<model::IpVersion>(props["publicIPAddressVersion"], kIp,
                                                     "properties.publicIPAddressVersion");
}

model::Frontend EstateBuilder::read_frontend(model::Resource& owner, const Cursor& c) {
    FieldReader read = reader(owner);
    Cursor cp = c["properties"];
    model::Frontend f;
    f.name = read.string_or(c["name"], "");
    f.id = child_id(read, c, owner.id, "frontendIPConfigurations");
    if (cp["subnet"])
        f.subnet = resolve_ref<model::Subnet>(cp["subnet"], true);
    f.private_ip = read_address(read, cp["privateIPAddress"]);
    if (cp["publicIPAddress"])
        f.public_ip = resolve_ref<model::PublicIpAddress>(cp["publicIPAddress"], true);
    return f;
}

void EstateBuilder::fill_load_balancer(model::LoadBalancer& lb, const Cursor& body) {
    FieldReader read = reader(lb);
    Cursor props = body["properties"];
    lb.sku = read.enum_setting<model::LoadBalancerSku>(body["sku"]["name"], ResourceKind::LoadBalancer,
                                                       "sku.name");
    for (const Cursor& c : props["frontendIPConfigurations"].elements())
        lb.frontends.push_back(read_frontend(lb, c));
    for (const Cursor& c : props["backendAddressPools"].elements())
        lb.backend_pools.push_back(child_id(read, c, lb.id, "backendAddressPools"));
    auto read_rule = [&](const Cursor& c) {
        Cursor cp = c["properties"];
        model::LoadBalancingRule r;
        r.name = read.string_or(c["name"], "");
        r.frontend = read.reference_id(cp["frontendIPConfiguration"]).value_or("");
        r.backend_pool =
            cp["backendAddressPool"] ? read.reference_id(cp["backendAddressPool"]).value_or("") : "";
        r.protocol = read.optional_enum<model::LoadBalancerProtocol>(cp["protocol"], "properties.protocol");
        r.frontend_port = static_cast<int>(read.integer(cp["frontendPort"]).value_or(0));
        r.backend_port = static_cast<int>(read.integer(cp["backendPort"]).value_or(0));
        r.probe = cp["probe"] ? read.reference_id(cp["probe"]).value_or("") : "";
        return r;
    };
    for (const Cursor& c : props["loadBalancingRules"].elements())
        lb.rules.push_back(read_rule(c));
    for (const Cursor& c : props["inboundNatRules"].elements())
        lb.inbound_nat_rules.push_back(read_rule(c));
    for (const Cursor& c : props["outboundRules"].elements())
        if (auto pool = read.reference_id(c["properties"]["backendAddressPool"]))
            lb.outbound_pools.push_back(*pool);
    for (const Cursor& c : props["probes"].elements()) {
        model::Probe p;
        p.name = read.string_or(c["name"], "");
        p.protocol =
            read.optional_enum<model::ProbeProtocol>(c["properties"]["protocol"], "properties.protocol");
        p.port = static_cast<int>(read.integer(c["properties"]["port"]).value_or(0));
        lb.probes.push_back(std::move(p));
    }
}

void EstateBuilder::fill_application_gateway(model::ApplicationGateway& g, const Cursor& body) {
    FieldReader read = reader(g);
    Cursor props = body["properties"];
    g.sku_name = read.optional_enum<model::AppGatewaySku>(props["sku"]["name"], "properties.sku.name");
    g.sku_tier = read.optional_enum<model::AppGatewayTier>(props["sku"]["tier"], "properties.sku.tier");
    for (const Cursor& c : props["gatewayIPConfigurations"].elements()) {
        auto subnet = resolve_ref<model::Subnet>(c["properties"]["subnet"], true);
        if (subnet != kNone)
            g.subnets.push_back(subnet);
    }
    for (const Cursor& c : props["frontendIPConfigurations"].elements())
        g.frontends.push_back(read_frontend(g, c));
    for (const Cursor& c : props["frontendPorts"].elements()) {
        if (auto port = read.integer(c["properties"]["port"]))
            g.frontend_ports.push_back(static_cast<int>(*port));
    }
    for (const Cursor& pool : props["backendAddressPools"].elements()) {
        std::vector<std::string> addresses;
        for (const Cursor& a : pool["properties"]["backendAddresses"].elements()) {
            std::string address = read.string_or(a["ipAddress"], "");
            if (address.empty())
                address = read.string_or(a["fqdn"], "");
            addresses.push_back(std::move(address));
        }
        g.backend_pool_addresses.push_back(std::move(addresses));
    }
    Cursor waf = props["webApplicationFirewallConfiguration"];
    g.waf_enabled = read.boolean_or(waf["enabled"], false);
    g.waf_mode = read.optional_enum<model::WafMode>(
        waf["firewallMode"], "properties.webApplicationFirewallConfiguration.firewallMode");
    if (waf["ruleSetType"])
        g.waf_rule_set =
            read.string_or(waf["ruleSetType"], "") + " " + read.string_or(waf["ruleSetVersion"], "");
    if (props["firewallPolicy"])
        g.waf_policy = resolve_ref<model::WafPolicy>(props["firewallPolicy"], false);
    read_ssl_policy(g, props);
}

namespace {

// The oldest TLS version each predefined policy accepts (Azure's TLS policy overview).
std::optional<int> predefined_minimum(std::string_view policy) {
    static constexpr std::array<std::pair<std::string_view, int>, 5> kPolicies{
        {{"AppGwSslPolicy20150501", 0},
         {"AppGwSslPolicy20170401", 1},
         {"AppGwSslPolicy20170401S", 2},
         {"AppGwSslPolicy20220101", 2},
         {"AppGwSslPolicy20220101S", 2}}};
    for (const auto& [name, minor] : kPolicies)
        if (model::same_id(name, policy))
            return minor;
    return std::nullopt;
}

} // namespace

// An App Gateway's TLS policy: a predefined policy by name, a custom one by its minimum protocol, or
// (before policyType existed) the protocols it disables; when absent, the default an export says
// Azure applied, else Azure's default for the API version.
void EstateBuilder::read_ssl_policy(model::ApplicationGateway& g, const Cursor& props) {
    FieldReader read = reader(g);
    Cursor policy = props["sslPolicy"];
    if (!policy || (!policy["policyType"] && !policy["policyName"] && !policy["minProtocolVersion"] &&
                    !policy["disabledSslProtocols"])) {
        // An export names the default Azure applied (read-only defaultPredefinedSslPolicy).
        if (std::optional<std::string> applied = read.string(props["defaultPredefinedSslPolicy"])) {
            g.ssl_policy.value = "Predefined " + *applied;
            g.ssl_policy.where = props["defaultPredefinedSslPolicy"].where();
            g.ssl_minimum_minor = predefined_minimum(*applied);
            return;
        }
        g.ssl_policy = read.text_setting(policy, ResourceKind::ApplicationGateway, "properties.sslPolicy");
        g.ssl_minimum_minor = predefined_minimum(g.ssl_policy.value.substr(g.ssl_policy.value.find(' ') + 1));
        return;
    }
    g.ssl_policy.where = policy.where();
    const std::string type = read.string_or(policy["policyType"], "");
    const std::string name = read.string_or(policy["policyName"], "");
    const std::string minimum = read.string_or(policy["minProtocolVersion"], "");
    if (!name.empty() && (type.empty() || model::same_id(type, "Predefined"))) {
        g.ssl_policy.value = "Predefined " + name;
        g.ssl_minimum_minor = predefined_minimum(name);
    } else if (!minimum.empty()) {
        g.ssl_policy.value = (type.empty() ? std::string("Custom") : type) + " " + minimum;
        g.ssl_minimum_minor = model::tls_minor_version(minimum);
    } else {
        // Only disabledSslProtocols: the oldest version it leaves enabled.
        const std::vector<std::string> disabled = read.strings(policy["disabledSslProtocols"]);
        int oldest = 0;
        while (oldest < 3 && std::any_of(disabled.begin(), disabled.end(), [&](const std::string& p) {
                   return model::tls_minor_version(p) == oldest;
               }))
            ++oldest;
        g.ssl_policy.value = "disabledSslProtocols " + fmt::format("{}", fmt::join(disabled, ","));
        g.ssl_minimum_minor = oldest;
    }
}

void EstateBuilder::fill_private_endpoint(model::PrivateEndpoint& p, const Cursor& body) {
    FieldReader read = reader(p);
    Cursor props = body["properties"];
    if (props["subnet"])
        p.subnet = resolve_ref<model::Subnet>(props["subnet"], true);
    // Zone groups are child resources in ARM; a Terraform plan's private_dns_zone_group comes inline.
    for (const Cursor& group : props["privateDnsZoneGroups"].elements())
        add_dns_zone_group(p, group);
    for (std::string_view list : {"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"}) {
        for (const Cursor& c : props[list].elements()) {
            if (auto target = read.string(c["properties"]["privateLinkServiceId"]))
                p.target_resource_ids.push_back(*target);
            for (std::string& group : read.strings(c["properties"]["groupIds"]))
                p.group_ids.push_back(std::move(group));
        }
    }
    auto add = [&](const net::Address& ip) {
        if (std::find(p.private_ips.begin(), p.private_ips.end(), ip) == p.private_ips.end())
            p.private_ips.push_back(ip);
    };
    for (const Cursor& c : props["ipConfigurations"].elements()) {
        if (auto ip = read_address(read, c["properties"]["privateIPAddress"]))
            add(*ip);
    }
    // An export shows the address Azure gave in customDnsConfigs (and on the endpoint's NIC).
    for (const Cursor& c : props["customDnsConfigs"].elements())
        for (const Cursor& a : c["ipAddresses"].elements())
            if (auto ip = read_address(read, a))
                add(*ip);
}

void EstateBuilder::fill_bastion(model::BastionHost& b, const Cursor& body) {
    FieldReader read = reader(b);
    b.sku = read.enum_setting<model::BastionSku>(body["sku"]["name"], ResourceKind::BastionHost, "sku.name");
    for (const Cursor& c : body["properties"]["ipConfigurations"].elements()) {
        if (c["properties"]["subnet"])
            b.subnet = resolve_ref<model::Subnet>(c["properties"]["subnet"], true);
        if (c["properties"]["publicIPAddress"])
            b.public_ip = resolve_ref<model::PublicIpAddress>(c["properties"]["publicIPAddress"], true);
    }
}

void EstateBuilder::fill_gateway(model::VirtualNetworkGateway& g, const Cursor& body) {
    FieldReader read = reader(g);
    Cursor props = body["properties"];
    g.gateway_type = read.optional_enum<model::GatewayType>(props["gatewayType"], "properties.gatewayType");
    g.bgp_enabled = read.boolean_or(props["enableBgp"], false);
    for (const Cursor& c : props["ipConfigurations"].elements()) {
        if (c["properties"]["subnet"])
            g.subnet = resolve_ref<model::Subnet>(c["properties"]["subnet"], true);
    }
}

void EstateBuilder::add_dns_zone_link(model::PrivateDnsZone& zone, const Cursor& body) {
    FieldReader read = reader(zone);
    if (auto vnet = read.reference_id(body["properties"]["virtualNetwork"]))
        zone.linked_vnet_ids.push_back(*vnet);
}

void EstateBuilder::add_dns_zone_group(model::PrivateEndpoint& endpoint, const Cursor& body) {
    FieldReader read = reader(endpoint);
    for (const Cursor& config : body["properties"]["privateDnsZoneConfigs"].elements())
        if (auto zone = read.string(config["properties"]["privateDnsZoneId"]))
            endpoint.dns_zone_ids.push_back(*zone);
}

} // namespace ztnet::load::detail
