#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "ztnet/load/coverage.h"
#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/dynamic_addresses.h"
#include "ztnet/load/estate_builder.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load {

using model::Index;
using model::kNone;
using model::ResourceKind;

namespace detail {
namespace {

// Child types that belong to a parent's list rather than being resources of their own.
enum class ChildList {
    None,
    SecurityRule,
    Route,
    RuleCollectionGroup,
    PaasSetting,
    DnsZoneLink,
    DnsZoneGroup
};

struct TypeEntry {
    ResourceKind kind;
    ChildList child;
};

const std::unordered_map<std::string, TypeEntry>& type_table() {
    static const std::unordered_map<std::string, TypeEntry> kTable = [] {
        std::unordered_map<std::string, TypeEntry> t;
        for (int k = 0; k < model::kResourceKindCount - 1; ++k) {
            auto kind = static_cast<ResourceKind>(k);
            t.emplace(model::id_key(model::arm_type(kind)), TypeEntry{kind, ChildList::None});
        }
        t.emplace("microsoft.network/networksecuritygroups/securityrules",
                  TypeEntry{ResourceKind::NetworkSecurityGroup, ChildList::SecurityRule});
        t.emplace("microsoft.network/routetables/routes",
                  TypeEntry{ResourceKind::RouteTable, ChildList::Route});
        t.emplace("microsoft.network/firewallpolicies/rulecollectiongroups",
                  TypeEntry{ResourceKind::FirewallPolicy, ChildList::RuleCollectionGroup});
        // Front Door's WAF policies are WAF policies too (their settings are spelt a little apart).
        t.emplace(model::id_key(kFrontDoorWafPolicyType),
                  TypeEntry{ResourceKind::WafPolicy, ChildList::None});
        // A Virtual WAN hub is modelled as a VNet, its VNet connections as peerings.
        t.emplace(model::id_key(kVirtualHubType), TypeEntry{ResourceKind::VirtualNetwork, ChildList::None});
        t.emplace(model::id_key(kHubConnectionType), TypeEntry{ResourceKind::Peering, ChildList::None});
        // A scale set is modelled as a VM whose profile its instances share.
        t.emplace(model::id_key(kScaleSetType), TypeEntry{ResourceKind::VirtualMachine, ChildList::None});
        // PaaS services, one kind for all, and the children that hold their network settings.
        for (std::string_view type : kPaasTypes)
            t.emplace(model::id_key(type), TypeEntry{ResourceKind::PaasService, ChildList::None});
        t.emplace("microsoft.network/privatednszones/virtualnetworklinks",
                  TypeEntry{ResourceKind::PrivateDnsZone, ChildList::DnsZoneLink});
        t.emplace("microsoft.network/privateendpoints/privatednszonegroups",
                  TypeEntry{ResourceKind::PrivateEndpoint, ChildList::DnsZoneGroup});
        for (std::string_view type : kPaasSettingChildren)
            t.emplace(model::id_key(type), TypeEntry{ResourceKind::PaasService, ChildList::PaasSetting});
        return t;
    }();
    return kTable;
}

} // namespace

model::Estate EstateBuilder::build(const std::vector<RawResource>& resources) {
    for (const RawResource& raw : resources)
        stage(raw);
    for (const Staged& s : staged_) {
        fill(s);
        // An inline child's unknown fields are read from inside its parent's body: keep them
        // relative to the child's own body, as every resource's are.
        std::vector<std::string>& unknown = estate_.resource({s.kind, s.index}).unknown_fields;
        for (std::string& pointer : unknown)
            if (!s.body.pointer.empty() && pointer.starts_with(s.body.pointer + "/"))
                pointer.erase(0, s.body.pointer.size());
    }
    attach_children(estate_.network_security_groups, rules_,
                    [&](model::NetworkSecurityGroup& nsg, const StagedChild& c) {
                        add_security_rule(nsg, c.id, c.body);
                    });
    attach_children(estate_.route_tables, routes_,
                    [&](model::RouteTable& table, const StagedChild& c) { add_route(table, c.body); });
    attach_children(estate_.firewall_policies, rule_groups_,
                    [&](model::FirewallPolicy& policy, const StagedChild& c) {
                        add_rule_collection_group(policy, c.id, c.body);
                    });
    attach_children(
        estate_.paas_services, paas_settings_,
        [&](model::PaasService& service, const StagedChild& c) { add_paas_setting(service, c.id, c.body); });
    attach_children(
        estate_.private_dns_zones, dns_zone_links_,
        [&](model::PrivateDnsZone& zone, const StagedChild& c) { add_dns_zone_link(zone, c.body); });
    attach_children(estate_.private_endpoints, dns_zone_groups_,
                    [&](model::PrivateEndpoint& endpoint, const StagedChild& c) {
                        add_dns_zone_group(endpoint, c.body);
                    });
    for (auto& nsg : estate_.network_security_groups)
        check_rule_priorities(nsg);
    for (auto& policy : estate_.firewall_policies) {
        std::stable_sort(policy.rule_collection_groups.begin(), policy.rule_collection_groups.end(),
                         [](const auto& a, const auto& b) { return a.priority < b.priority; });
    }
    link_virtual_hubs();
    link_back_references();
    link_on_premises();
    link_vm_extensions();
    read_express_route_ports();
    read_virtual_desktop();
    report_external_references();
    mark_unmodelled_traffic();
    assign_dynamic_addresses(estate_, diagnostics_);
    return std::move(estate_);
}

void EstateBuilder::stage(const RawResource& raw) {
    Cursor body{&raw.body, "", &raw.where};
    FieldReader read(diagnostics_, nullptr);
    if (!raw.body.is_object()) {
        read.error(body, "resource-shape", "expected a resource object");
        return;
    }
    auto id = read.string(body["id"]);
    if (!id || id->empty()) {
        read.error(body, "resource-shape", "resource has no \"id\" (a full Azure resource id is expected)");
        return;
    }
    std::string type = read.string_or(body["type"], "");
    if (type.empty())
        type = model::parse_resource_id(*id).type;
    auto it = type_table().find(model::id_key(type));
    if (it == type_table().end()) {
        create(ResourceKind::Other, *id, body);
        return;
    }
    model::ResourceIdParts parts = model::parse_resource_id(*id);
    switch (it->second.child) {
    case ChildList::SecurityRule:
        rules_.push_back({parts.parent_id, *id, body});
        return;
    case ChildList::Route:
        routes_.push_back({parts.parent_id, *id, body});
        return;
    case ChildList::RuleCollectionGroup:
        rule_groups_.push_back({parts.parent_id, *id, body});
        return;
    case ChildList::PaasSetting:
        paas_settings_.push_back({parts.parent_id, *id, body});
        return;
    case ChildList::DnsZoneLink:
        dns_zone_links_.push_back({parts.parent_id, *id, body});
        return;
    case ChildList::DnsZoneGroup:
        dns_zone_groups_.push_back({parts.parent_id, *id, body});
        return;
    case ChildList::None:
        break;
    }
    if (!create(it->second.kind, *id, body))
        return;
    if (model::same_id(type, kVirtualHubType)) {
        // The hub's one subnet spans its address prefix, which the hub's body gives it.
        estate_.virtual_networks.back().type = std::string(kVirtualHubType);
        create(ResourceKind::Subnet, fmt::format("{}/subnets/{}", *id, kHubSubnetName), body);
        stage_inline_children(*id, it->second.kind, body);
        return;
    }
    stage_inline_children(*id, it->second.kind, body);
    if (model::same_id(type, kScaleSetType)) {
        model::VirtualMachine& vm = estate_.virtual_machines.back();
        vm.type = std::string(kScaleSetType);
        vm.scale_set = true;
        stage_scale_set_interfaces(*id, body);
    }
}

// A scale set's network interface configurations have the shape of network interfaces, and stand
// for the interface of every instance: each becomes a network interface of the estate, under the
// scale set's id, and a public IP configuration becomes a public IP the same way.
void EstateBuilder::stage_scale_set_interfaces(const std::string& scale_set_id, const Cursor& body) {
    FieldReader read(diagnostics_, nullptr);
    const std::string api_version = read.string_or(body["apiVersion"], "");
    Cursor configurations =
        body["properties"]["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"];
    for (const Cursor& configuration : configurations.elements()) {
        std::string name = read.string_or(configuration["name"], "");
        if (name.empty()) {
            read.warning(configuration, "scale-set-interface",
                         "a scale set's network interface configuration without a known name is left out");
            continue;
        }
        std::string nic_id = scale_set_interface_id(scale_set_id, name);
        if (!create(ResourceKind::NetworkInterface, nic_id, configuration, api_version))
            continue;
        for (const Cursor& ip : configuration["properties"]["ipConfigurations"].elements()) {
            Cursor public_ip = ip["properties"]["publicIPAddressConfiguration"];
            if (public_ip)
                create(ResourceKind::PublicIpAddress, scale_set_public_ip_id(read, nic_id, ip, public_ip),
                       public_ip, api_version);
        }
    }
}

void EstateBuilder::stage_inline_children(const std::string& parent_id, ResourceKind kind,
                                          const Cursor& body) {
    FieldReader read(diagnostics_, nullptr);
    const std::string parent_api_version = read.string_or(body["apiVersion"], "");
    auto stage_list = [&](std::string_view list, std::string_view child_type, ResourceKind child_kind) {
        for (const Cursor& child : body["properties"][list].elements()) {
            std::string name = read.string_or(child["name"], "");
            std::string id = read.string_or(child["id"], "");
            if (name.empty() && child["name"].value != nullptr && child["name"].value->is_unknown()) {
                // A template names it from a parameter without a value: it is still deployed, so it
                // keeps a placeholder name, unique to its place (braces never occur in Azure names).
                std::string place = child.where().pointer.substr(1);
                std::replace(place.begin(), place.end(), '/', '.');
                name = "{unknown name at " + place + "}";
            }
            if (id.empty()) {
                if (name.empty()) {
                    read.error(child, "resource-shape", "child resource has neither \"id\" nor \"name\"");
                    continue;
                }
                id = fmt::format("{}/{}/{}", parent_id, child_type, name);
            }
            create(child_kind, id, child, parent_api_version);
        }
    };
    if (kind == ResourceKind::VirtualNetwork &&
        model::same_id(model::parse_resource_id(parent_id).type, kVirtualHubType)) {
        stage_list("virtualNetworkConnections", "hubVirtualNetworkConnections", ResourceKind::Peering);
    } else if (kind == ResourceKind::VirtualNetwork) {
        stage_list("subnets", "subnets", ResourceKind::Subnet);
        stage_list("virtualNetworkPeerings", "virtualNetworkPeerings", ResourceKind::Peering);
    }
}

bool EstateBuilder::create(ResourceKind kind, const std::string& id, const Cursor& body,
                           std::string_view parent_api_version) {
    if (auto existing = estate_.find(id)) {
        const model::Resource& first = estate_.resource(*existing);
        Diagnostic d{Severity::Warning,
                     "duplicate-resource",
                     "resource " + id + " is declared more than once; the first declaration is used",
                     body.where(),
                     {}};
        d.notes.push_back("first declared at " + first.where.pointer);
        diagnostics_.add(std::move(d));
        return false;
    }
    FieldReader read(diagnostics_, nullptr);
    model::ResourceIdParts parts = model::parse_resource_id(id);
    auto init = [&](model::Resource& r) {
        r.id = id;
        r.name = last_segment(parts.name.empty() ? read.string_or(body["name"], "") : parts.name);
        r.type = std::string(kind == ResourceKind::Other || kind == ResourceKind::PaasService
                                 ? std::string_view(read.string_or(body["type"], parts.type))
                                 : model::arm_type(kind));
        r.location = read.string_or(body["location"], "");
        r.api_version = read.string_or(body["apiVersion"], std::string(parent_api_version));
        r.where = body.where();
    };
    auto add = [&](auto& vec) {
        vec.emplace_back();
        init(vec.back());
        auto index = static_cast<Index>(vec.size() - 1);
        estate_.index(id, {kind, index});
        staged_.push_back({kind, index, body});
    };
    switch (kind) {
    case ResourceKind::ResourceGroup:
        add(estate_.resource_groups);
        break;
    case ResourceKind::VirtualNetwork:
        add(estate_.virtual_networks);
        break;
    case ResourceKind::Subnet:
        add(estate_.subnets);
        break;
    case ResourceKind::Peering:
        add(estate_.peerings);
        break;
    case ResourceKind::NetworkSecurityGroup:
        add(estate_.network_security_groups);
        break;
    case ResourceKind::ApplicationSecurityGroup:
        add(estate_.application_security_groups);
        break;
    case ResourceKind::RouteTable:
        add(estate_.route_tables);
        break;
    case ResourceKind::NetworkInterface:
        add(estate_.network_interfaces);
        break;
    case ResourceKind::PublicIpAddress:
        add(estate_.public_ip_addresses);
        break;
    case ResourceKind::LoadBalancer:
        add(estate_.load_balancers);
        break;
    case ResourceKind::ApplicationGateway:
        add(estate_.application_gateways);
        break;
    case ResourceKind::WafPolicy:
        add(estate_.waf_policies);
        break;
    case ResourceKind::AzureFirewall:
        add(estate_.azure_firewalls);
        break;
    case ResourceKind::FirewallPolicy:
        add(estate_.firewall_policies);
        break;
    case ResourceKind::IpGroup:
        add(estate_.ip_groups);
        break;
    case ResourceKind::BastionHost:
        add(estate_.bastion_hosts);
        break;
    case ResourceKind::VirtualNetworkGateway:
        add(estate_.virtual_network_gateways);
        break;
    case ResourceKind::DdosProtectionPlan:
        add(estate_.ddos_protection_plans);
        break;
    case ResourceKind::PrivateEndpoint:
        add(estate_.private_endpoints);
        break;
    case ResourceKind::VirtualMachine:
        add(estate_.virtual_machines);
        break;
    case ResourceKind::StorageAccount:
        add(estate_.storage_accounts);
        break;
    case ResourceKind::NetworkWatcher:
        add(estate_.network_watchers);
        break;
    case ResourceKind::FlowLog:
        add(estate_.flow_logs);
        break;
    case ResourceKind::DiagnosticSetting:
        add(estate_.diagnostic_settings);
        break;
    case ResourceKind::RoleDefinition:
        add(estate_.role_definitions);
        break;
    case ResourceKind::RoleAssignment:
        add(estate_.role_assignments);
        break;
    case ResourceKind::PaasService:
        add(estate_.paas_services);
        break;
    case ResourceKind::PrivateDnsZone:
        add(estate_.private_dns_zones);
        break;
    case ResourceKind::Other:
        add(estate_.others);
        break;
    }
    return true;
}

void EstateBuilder::fill(const Staged& s) {
    switch (s.kind) {
    case ResourceKind::VirtualNetwork:
        if (estate_.virtual_networks[s.index].type == kVirtualHubType)
            return fill_virtual_hub(estate_.virtual_networks[s.index], s.body);
        return fill_virtual_network(estate_.virtual_networks[s.index], s.body);
    case ResourceKind::Subnet:
        if (model::same_id(
                model::parse_resource_id(model::parse_resource_id(estate_.subnets[s.index].id).parent_id)
                    .type,
                kVirtualHubType))
            return fill_hub_subnet(estate_.subnets[s.index], s.body);
        return fill_subnet(estate_.subnets[s.index], s.body);
    case ResourceKind::Peering:
        if (model::same_id(model::parse_resource_id(estate_.peerings[s.index].id).type, kHubConnectionType))
            return fill_hub_connection(estate_.peerings[s.index], s.body);
        return fill_peering(estate_.peerings[s.index], s.body);
    case ResourceKind::NetworkSecurityGroup:
        return fill_nsg(estate_.network_security_groups[s.index], s.body);
    case ResourceKind::RouteTable:
        return fill_route_table(estate_.route_tables[s.index], s.body);
    case ResourceKind::NetworkInterface:
        return fill_network_interface(estate_.network_interfaces[s.index], s.body);
    case ResourceKind::PublicIpAddress:
        return fill_public_ip(estate_.public_ip_addresses[s.index], s.body);
    case ResourceKind::LoadBalancer:
        return fill_load_balancer(estate_.load_balancers[s.index], s.body);
    case ResourceKind::ApplicationGateway:
        return fill_application_gateway(estate_.application_gateways[s.index], s.body);
    case ResourceKind::WafPolicy:
        return fill_waf_policy(estate_.waf_policies[s.index], s.body);
    case ResourceKind::AzureFirewall:
        return fill_firewall(estate_.azure_firewalls[s.index], s.body);
    case ResourceKind::FirewallPolicy:
        return fill_firewall_policy(estate_.firewall_policies[s.index], s.body);
    case ResourceKind::IpGroup:
        return fill_ip_group(estate_.ip_groups[s.index], s.body);
    case ResourceKind::BastionHost:
        return fill_bastion(estate_.bastion_hosts[s.index], s.body);
    case ResourceKind::VirtualNetworkGateway:
        return fill_gateway(estate_.virtual_network_gateways[s.index], s.body);
    case ResourceKind::PrivateEndpoint:
        return fill_private_endpoint(estate_.private_endpoints[s.index], s.body);
    case ResourceKind::VirtualMachine:
        return fill_virtual_machine(estate_.virtual_machines[s.index], s.body);
    case ResourceKind::StorageAccount:
        return fill_storage_account(estate_.storage_accounts[s.index], s.body);
    case ResourceKind::FlowLog:
        return fill_flow_log(estate_.flow_logs[s.index], s.body);
    case ResourceKind::DiagnosticSetting:
        return fill_diagnostic_setting(estate_.diagnostic_settings[s.index], s.body);
    case ResourceKind::RoleDefinition:
        return fill_role_definition(estate_.role_definitions[s.index], s.body);
    case ResourceKind::RoleAssignment:
        return fill_role_assignment(estate_.role_assignments[s.index], s.body);
    case ResourceKind::PaasService:
        return fill_paas_service(estate_.paas_services[s.index], s.body);
    case ResourceKind::PrivateDnsZone: // its links are children
    case ResourceKind::ResourceGroup:
    case ResourceKind::ApplicationSecurityGroup:
    case ResourceKind::DdosProtectionPlan:
    case ResourceKind::NetworkWatcher:
        return; // nothing security-relevant beyond identity
    case ResourceKind::Other: {
        model::OtherResource& other = estate_.others[s.index];
        if (model::same_id(other.type, "Microsoft.Security/pricings"))
            other.pricing_tier = reader(other).optional_enum<model::PricingTier>(
                s.body["properties"]["pricingTier"], "properties.pricingTier");
        return;
    }
    }
}

Index EstateBuilder::resolve_position(ResourceKind kind, const std::string& id, const Cursor& at,
                                      bool required) {
    auto ref = estate_.find(id);
    if (ref && ref->kind == kind)
        return ref->index;
    if (ref) {
        diagnostics_.add({Severity::Error,
                          "dangling-reference",
                          id + " is a " + std::string(model::kind_name(ref->kind)) + " resource, expected " +
                              std::string(model::arm_type(kind)),
                          at.where(),
                          {}});
        return model::kNoPosition;
    }
    if (!required) {
        Diagnostic d{Severity::Warning,
                     "dangling-reference",
                     "reference to " + std::string(model::arm_type(kind)) + " " + id +
                         ", which is not in the loaded estate",
                     at.where(),
                     {}};
        d.notes.push_back("load the resource's export or template too, or ignore this if it lives elsewhere");
        diagnostics_.add(std::move(d));
        return model::kNoPosition;
    }
    // A resource deployed before or elsewhere (an existing VNet, subnet or NSG): Azure deploys such
    // templates every day. It is kept as external, of unknown content; finish_external_references()
    // reports each once.
    for (model::ExternalReference& external : estate_.external_references) {
        if (model::same_id(external.id, id)) {
            ++external.references;
            return model::kNoPosition;
        }
    }
    estate_.external_references.push_back({id, kind, at.where(), 1, {}});
    return model::kNoPosition;
}

void EstateBuilder::report_external_references() {
    for (model::ExternalReference& external : estate_.external_references) {
        external.inside_covered_scope = collected_scope_of(estate_.covered_scopes, external.id);
        const std::string what = std::string(model::arm_type(external.kind)) + " " + external.id;
        // Missing from a scope the export collected whole: it does not exist there, or the export
        // was filtered; either way its content is unknown.
        Diagnostic d{Severity::Warning,
                     "external-reference",
                     external.inside_covered_scope.empty()
                         ? "reference to " + what +
                               ", which is not in the input: it is taken as an existing resource of unknown "
                               "content, and the verdicts that depend on it are undecidable"
                         : "reference to " + what +
                               ", which the export does not hold although its manifest "
                               "says it collected " +
                               external.inside_covered_scope +
                               " whole: the resource does not exist, or the export was filtered; its content "
                               "is unknown, and the verdicts that depend on it are undecidable",
                     external.where,
                     {}};
        if (external.references > 1)
            d.notes.push_back(std::to_string(external.references - 1) + " more places refer to it");
        d.notes.push_back(
            external.inside_covered_scope.empty()
                ? "give its export too (ztnet check template.json existing-export.json) to make "
                  "them exact"
                : "export the estate again, or fix the reference");
        diagnostics_.add(std::move(d));
    }
}

Index EstateBuilder::resolve_ref_position(ResourceKind kind, const Cursor& ref_object, bool required) {
    FieldReader read(diagnostics_, nullptr);
    auto id = read.reference_id(ref_object);
    return id ? resolve_position(kind, *id, ref_object["id"], required) : model::kNoPosition;
}

Index EstateBuilder::resolve_deciding_position(model::Resource& r, ResourceKind kind,
                                               const Cursor& ref_object, std::string& unknown) {
    const std::string what = kind == ResourceKind::NetworkSecurityGroup ? "NSG"
                             : kind == ResourceKind::RouteTable         ? "route table"
                                                                        : std::string(model::kind_name(kind));
    Cursor id = ref_object["id"];
    if (id.value && id.value->is_unknown()) {
        unknown = fmt::format("its {} reference is unknown: {}", what, id.value->as_unknown().reason);
        r.unknown_fields.push_back(id.pointer);
        return model::kNoPosition;
    }
    const auto index = resolve_ref_position(kind, ref_object, true);
    if (index != model::kNoPosition || !id.value || !id.value->is_string() ||
        estate_.find(id.value->as_string()))
        return index; // found, absent, or a reference to the wrong kind (an error already)
    unknown = fmt::format("its {} {} is not in the input", what,
                          model::parse_resource_id(id.value->as_string()).name);
    r.unknown_fields.push_back(id.pointer);
    return model::kNoPosition;
}

void EstateBuilder::link_back_references() {
    for (model::SubnetIndex s : estate_.subnets.indices()) {
        const model::Subnet& subnet = estate_.subnets[s];
        if (subnet.virtual_network != kNone)
            estate_.virtual_networks[subnet.virtual_network].subnets.push_back(s);
        if (subnet.network_security_group != kNone)
            estate_.network_security_groups[subnet.network_security_group].subnets.push_back(s);
        if (subnet.route_table != kNone)
            estate_.route_tables[subnet.route_table].subnets.push_back(s);
    }
    for (model::PeeringIndex p : estate_.peerings.indices()) {
        if (estate_.peerings[p].virtual_network != kNone)
            estate_.virtual_networks[estate_.peerings[p].virtual_network].peerings.push_back(p);
    }
    for (model::NicIndex n : estate_.network_interfaces.indices()) {
        const model::NetworkInterface& nic = estate_.network_interfaces[n];
        if (nic.network_security_group != kNone)
            estate_.network_security_groups[nic.network_security_group].network_interfaces.push_back(n);
        for (Index c = 0; c < nic.ip_configurations.size(); ++c) {
            for (model::AsgIndex asg : nic.ip_configurations[c].application_security_groups)
                estate_.application_security_groups[asg].members.emplace_back(n, c);
            model::PublicIpIndex pip = nic.ip_configurations[c].public_ip;
            if (pip != kNone)
                estate_.public_ip_addresses[pip].attached_to = nic.ip_configurations[c].id;
        }
    }
    for (model::VmIndex v : estate_.virtual_machines.indices()) {
        for (model::NicIndex n : estate_.virtual_machines[v].network_interfaces)
            estate_.network_interfaces[n].virtual_machine = v;
    }
    // A private endpoint's NIC holds the address Azure gave the endpoint.
    for (const model::NetworkInterface& nic : estate_.network_interfaces) {
        if (nic.private_endpoint.empty())
            continue;
        auto ref = estate_.find(nic.private_endpoint);
        if (!ref || ref->kind != ResourceKind::PrivateEndpoint)
            continue;
        std::vector<net::Address>& ips = estate_.private_endpoints[ref->index].private_ips;
        for (const model::IpConfiguration& config : nic.ip_configurations)
            if (config.private_ip && std::find(ips.begin(), ips.end(), *config.private_ip) == ips.end())
                ips.push_back(*config.private_ip);
    }
    for (model::PrivateEndpointIndex e : estate_.private_endpoints.indices()) {
        for (const std::string& target : estate_.private_endpoints[e].target_resource_ids) {
            auto ref = estate_.find(target);
            if (ref && ref->kind == ResourceKind::StorageAccount)
                estate_.storage_accounts[ref->index].private_endpoints.push_back(e);
            if (ref && ref->kind == ResourceKind::PaasService)
                estate_.paas_services[ref->index].private_endpoints.push_back(e);
        }
    }
}

} // namespace detail

model::Estate build_estate(const std::vector<RawResource>& resources, Diagnostics& diagnostics,
                           std::vector<model::CoveredScope> covered) {
    return detail::EstateBuilder(diagnostics, std::move(covered)).build(resources);
}

} // namespace ztnet::load
