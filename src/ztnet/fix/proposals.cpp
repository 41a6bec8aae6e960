// What change answers which finding. Each fixer turns findings of one check into a Fix on one
// resource; findings that need a decision or a value the input lacks are Manual, with the reason.
// Nothing here is trusted yet: run_fixes() writes every fix into the input and audits it again.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "ztnet/fix/fix.h"
#include "ztnet/fix/setting_fixes.h"
#include "ztnet/harden/arm_rule.h"
#include "ztnet/json/reader.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/model/virtual_hub.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/support/ascii.h"

namespace ztnet::fix {
namespace {

using ascii::lower;

Change set(const std::string& resource_id, std::string path, json::Value value, std::string summary) {
    Change c;
    c.kind = Change::Kind::Set;
    c.resource_id = resource_id;
    c.path = std::move(path);
    c.value = std::move(value);
    c.summary = std::move(summary);
    return c;
}

Change remove(const std::string& resource_id, std::string path, std::string summary) {
    Change c;
    c.kind = Change::Kind::Remove;
    c.resource_id = resource_id;
    c.path = std::move(path);
    c.summary = std::move(summary);
    return c;
}

// The fixes being built, one per key (a resource and what is done to it), in first-seen order.
class Collector {
  public:
    // The fix under `key`, made by `make` the first time; the finding becomes one of its targets.
    template <class Make>
    void add(const std::string& key, const checks::Finding& finding, Make&& make) {
        auto found = index_.find(key);
        if (found == index_.end()) {
            found = index_.emplace(key, fixes_.size()).first;
            fixes_.push_back(make());
        }
        fixes_[found->second].targets.push_back(finding.fingerprint);
        last_ = found->second;
    }
    /// The fix the last add() went to.
    Fix& last_added() { return fixes_[last_]; }
    void manual(const checks::Finding& finding, std::string why) {
        manual_.push_back({finding.check_id, finding.fingerprint, finding.resource_name, std::move(why)});
    }
    Proposals take() { return {std::move(fixes_), std::move(manual_)}; }

  private:
    std::map<std::string, std::size_t> index_;
    std::vector<Fix> fixes_;
    std::vector<Manual> manual_;
    std::size_t last_ = 0;
};

Fix fix_on(const checks::Finding& finding, std::string title) {
    Fix f;
    f.check_id = finding.check_id;
    f.resource_id = finding.resource_id;
    f.resource_name = finding.resource_name;
    f.title = std::move(title);
    return f;
}

// Where a resource is declared, as a key: resources one copy loop declares share it, so that their
// changes become one fix, which input_patch can write into the loop when all of them change alike.
std::string where_key(const SourceLocation& where, const std::string& id) {
    return where.has_file() ? fmt::format("{}:{}", where.file, where.pointer) : lower(id);
}

// Adds `change` to the fix unless it holds one for the same resource and place already.
void add_once(Fix& f, Change change) {
    const bool held = std::any_of(f.changes.begin(), f.changes.end(), [&](const Change& c) {
        return lower(c.resource_id) == lower(change.resource_id) && c.path == change.path;
    });
    if (!held)
        f.changes.push_back(std::move(change));
}

// ---- storage accounts ----

void storage(const model::Estate& estate, const checks::Finding& finding, Collector& out) {
    struct Setting {
        std::string_view check, path, what;
        json::Value value;
        std::string_view note;
    };
    const Setting settings[] = {
        {"ZT-STG-001", "/properties/supportsHttpsTrafficOnly", "require HTTPS", json::Value(true), ""},
        {"ZT-STG-002", "/properties/minimumTlsVersion", "require TLS 1.2", json::Value("TLS1_2"),
         "clients that negotiate TLS 1.0 or 1.1 are refused"},
        {"ZT-STG-003", "/properties/allowBlobPublicAccess", "forbid anonymous blob access",
         json::Value(false), "containers set to public access stop serving anonymous reads"},
        {"ZT-STG-004", "/properties/networkAcls/defaultAction", "deny public networks by default",
         json::Value("Deny"),
         "only the networks in networkAcls (virtualNetworkRules, ipRules) and a private endpoint reach the "
         "account afterwards; add the ones that need it first"},
        {"ZT-STG-006", "/properties/allowSharedKeyAccess", "turn shared key access off", json::Value(false),
         "account keys and SAS signed with them stop working: move clients to Entra ID (managed identities) "
         "or user-delegation SAS first"},
    };
    for (const Setting& s : settings) {
        if (s.check != finding.check_id)
            continue;
        // Accounts one copy loop declares share one fix (see where_key).
        const auto ref = estate.find(finding.resource_id);
        const std::string key =
            ref ? where_key(estate.resource(*ref).where, finding.resource_id) : lower(finding.resource_id);
        out.add(finding.check_id + "|" + key, finding, [&] {
            Fix f = fix_on(finding, fmt::format("{} on storage account ", s.what));
            if (!s.note.empty())
                f.notes.emplace_back(s.note);
            return f;
        });
        Fix& f = out.last_added();
        std::string field(s.path.substr(s.path.rfind('/') + 1));
        f.changes.push_back(
            set(finding.resource_id, std::string(s.path), s.value,
                fmt::format("{} {}: {}", finding.resource_name, field, json::write(s.value, {.indent = 0}))));
        f.title += (f.changes.size() == 1 ? "" : ", ") + finding.resource_name;
    }
}

// ---- App Gateway WAF ----

void waf_prevention(const model::Estate& estate, const checks::Finding& finding, Collector& out) {
    const auto ref = estate.find(finding.resource_id);
    if (ref && ref->kind == model::ResourceKind::WafPolicy) { // a Front Door policy
        const model::WafPolicy& policy = estate.waf_policies[ref->as<model::WafPolicy>()];
        out.add("waf|" + lower(policy.id), finding, [&] {
            Fix f =
                fix_on(finding, fmt::format("switch Front Door WAF policy {} to Prevention", policy.name));
            f.changes.push_back(set(policy.id, "/properties/policySettings/mode", json::Value("Prevention"),
                                    "policySettings.mode: \"Prevention\""));
            f.changes.push_back(set(policy.id, "/properties/policySettings/enabledState",
                                    json::Value("Enabled"), "policySettings.enabledState: \"Enabled\""));
            f.notes.emplace_back("requests the managed rules match are blocked from then on: review the "
                                 "policy's Detection-mode logs for false positives first");
            return f;
        });
        return;
    }
    if (!ref || ref->kind != model::ResourceKind::ApplicationGateway) {
        out.manual(finding, "the finding is not on an App Gateway of the estate");
        return;
    }
    const model::ApplicationGateway& gateway =
        estate.application_gateways[ref->as<model::ApplicationGateway>()];
    if (gateway.waf_policy != model::kNone) {
        const model::WafPolicy& policy = estate.waf_policies[gateway.waf_policy];
        out.add("waf|" + lower(policy.id), finding, [&] {
            Fix f = fix_on(finding, fmt::format("switch WAF policy {} to Prevention", policy.name));
            f.changes.push_back(set(policy.id, "/properties/policySettings/mode", json::Value("Prevention"),
                                    "policySettings.mode: \"Prevention\""));
            f.changes.push_back(set(policy.id, "/properties/policySettings/state", json::Value("Enabled"),
                                    "policySettings.state: \"Enabled\""));
            f.notes.emplace_back("requests the managed rules match are blocked from then on: review the "
                                 "policy's Detection-mode logs for false positives first");
            return f;
        });
        return;
    }
    if (gateway.waf_enabled || gateway.waf_mode) {
        out.add("waf|" + lower(gateway.id), finding, [&] {
            Fix f = fix_on(finding, fmt::format("switch App Gateway {}'s WAF to Prevention", gateway.name));
            f.changes.push_back(set(gateway.id, "/properties/webApplicationFirewallConfiguration/enabled",
                                    json::Value(true), "webApplicationFirewallConfiguration.enabled: true"));
            f.changes.push_back(set(gateway.id,
                                    "/properties/webApplicationFirewallConfiguration/firewallMode",
                                    json::Value("Prevention"),
                                    "webApplicationFirewallConfiguration.firewallMode: \"Prevention\""));
            return f;
        });
        return;
    }
    out.manual(finding, "the gateway has no WAF: it needs the WAF_v2 SKU and a WAF policy, a change of tier "
                        "with its own cost and downtime");
}

// ---- public IPs on VMs ----

void vm_public_ip(const model::Estate& estate, const checks::Finding& finding, Collector& out) {
    const auto ref = estate.find(finding.resource_id);
    if (!ref || ref->kind != model::ResourceKind::VirtualMachine) {
        out.manual(finding, "the finding is not on a VM of the estate");
        return;
    }
    const model::VirtualMachine& vm = estate.virtual_machines[ref->as<model::VirtualMachine>()];
    for (model::NicIndex n : vm.network_interfaces) {
        const model::NetworkInterface& nic = estate.network_interfaces[n];
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            if (config.public_ip == model::kNone ||
                estate.public_ip_addresses[config.public_ip].name != finding.discriminator)
                continue;
            const std::string pip = estate.public_ip_addresses[config.public_ip].name;
            // A NIC with one IP configuration names it by place, which a copy loop keeps alike (its
            // name may be computed per copy).
            const bool single = nic.ip_configurations.size() == 1;
            const std::string at = single ? std::string("0") : "[" + config.name + "]";
            out.add("pip|" + where_key(nic.where, nic.id) + "|" + at, finding, [&] {
                Fix f = fix_on(finding, "detach the public IP of ");
                f.notes.emplace_back(
                    "reach the machines through Azure Bastion or just-in-time access; the public "
                    "IP resources stay until you delete them");
                return f;
            });
            Fix& f = out.last_added();
            const std::size_t before = f.changes.size();
            add_once(f, remove(nic.id,
                               // A scale set's instances take theirs from its profile's configuration.
                               fmt::format("/properties/ipConfigurations/{}/properties/{}", at,
                                           vm.scale_set ? "publicIPAddressConfiguration" : "publicIPAddress"),
                               fmt::format("{} {}: publicIPAddress {} removed", nic.name, config.name, pip)));
            if (f.changes.size() > before)
                f.title += (before == 0 ? "" : ", ") + vm.name;
            return;
        }
    }
    out.manual(finding, "the public IP is not on one of the VM's NICs in the input");
}

// ---- VM security profile ----

// The key of a resource's declaration: VMs a copy loop declares share one fix, so that the change
// can be written into the loop (input_patch writes a loop only when all it declares change alike).
std::string declaration_key(const model::Estate& estate, const checks::Finding& finding) {
    const auto ref = estate.find(finding.resource_id);
    if (!ref)
        return lower(finding.resource_id);
    const SourceLocation& where = estate.resource(*ref).where;
    return where.has_file() ? fmt::format("{}:{}", where.file, where.pointer) : lower(finding.resource_id);
}

void vm_security(const model::Estate& estate, const checks::Finding& finding, Collector& out) {
    const bool at_host = finding.check_id == "ZT-VM-003";
    // A scale set's instances take their settings from its profile.
    const auto ref = estate.find(finding.resource_id);
    const bool scale_set = ref && ref->kind == model::ResourceKind::VirtualMachine &&
                           estate.virtual_machines[ref->as<model::VirtualMachine>()].scale_set;
    const std::string profile = scale_set ? "/properties/virtualMachineProfile" : "/properties";
    std::vector<Change> changes;
    if (at_host) {
        changes.push_back(set(finding.resource_id, profile + "/securityProfile/encryptionAtHost",
                              json::Value(true),
                              finding.resource_name + " securityProfile.encryptionAtHost: true"));
    } else {
        changes.push_back(set(finding.resource_id, profile + "/securityProfile/securityType",
                              json::Value("TrustedLaunch"),
                              finding.resource_name + " securityProfile.securityType: \"TrustedLaunch\""));
        changes.push_back(
            set(finding.resource_id, profile + "/securityProfile/uefiSettings/secureBootEnabled",
                json::Value(true),
                finding.resource_name + " securityProfile.uefiSettings.secureBootEnabled: true"));
        changes.push_back(set(finding.resource_id, profile + "/securityProfile/uefiSettings/vTpmEnabled",
                              json::Value(true),
                              finding.resource_name + " securityProfile.uefiSettings.vTpmEnabled: true"));
    }
    const std::string key = finding.check_id + "|" + declaration_key(estate, finding);
    out.add(key, finding, [&] {
        Fix f = fix_on(finding, at_host ? "turn encryption at host on for "
                                        : "turn trusted launch (secure boot and vTPM) on for ");
        f.notes.emplace_back(
            at_host ? "the subscription needs the EncryptionAtHost feature registered, and each VM "
                      "is deallocated while it changes"
                    : "trusted launch needs a generation 2 image and VM size; an existing VM is "
                      "deallocated to switch");
        return f;
    });
    Fix& f = out.last_added();
    f.title += (f.changes.empty() ? "" : ", ") + finding.resource_name;
    for (Change& c : changes)
        f.changes.push_back(std::move(c));
}

// ---- one or two properties of the resource ----

// Resources one copy loop declares share one fix, named after each of them.
void setting_change(const model::Estate& estate, const checks::Finding& finding, const SettingFix& setting,
                    Collector& out) {
    out.add(finding.check_id + "|" + declaration_key(estate, finding), finding, [&] {
        Fix f = fix_on(finding, setting.what + " ");
        if (!setting.note.empty())
            f.notes.push_back(setting.note);
        return f;
    });
    Fix& f = out.last_added();
    const std::size_t before = f.changes.size();
    for (const auto& [path, value] : setting.values)
        add_once(f, set(finding.resource_id, path, value,
                        fmt::format("{} {}: {}", finding.resource_name, path.substr(path.find('/', 1) + 1),
                                    json::write(value, {.indent = 0}))));
    if (f.changes.size() > before)
        f.title += (before == 0 ? "" : ", ") + finding.resource_name;
}

// ---- NSG rules that open management ports to the Internet ----

constexpr std::uint16_t kManagementPorts[] = {22, 3389, 5985, 5986};

net::PortSet management_ports() {
    net::PortSet ports;
    for (std::uint16_t p : kManagementPorts)
        ports.insert(p);
    return ports;
}

bool from_internet(const model::SecurityRule& rule) {
    static const net::AddressSet kInternet = policy::internet_addresses();
    for (const model::AddressEntry& entry : rule.source.addresses) {
        if (entry.kind == model::AddressEntry::Kind::Any)
            return true;
        if (entry.kind == model::AddressEntry::Kind::ServiceTag && model::same_id(entry.tag, "Internet"))
            return true;
        if (entry.kind == model::AddressEntry::Kind::Prefix &&
            net::AddressSet::from(entry.prefix).overlaps(kInternet))
            return true;
    }
    return false;
}

bool opens_management(const model::SecurityRule& rule) {
    return rule.direction == net::Direction::Inbound && rule.access == model::Access::Allow &&
           !rule.is_default && rule.unknowns.empty() && from_internet(rule) &&
           rule.destination_port_set.overlaps(management_ports()) &&
           (rule.protocols.contains(6) || rule.protocol == "*");
}

// The change that closes a rule's management ports: the rule removed when they are all it opens,
// else its destination ports narrowed to the rest.
Change close_management(const model::SecurityRule& rule) {
    const net::PortSet rest = rule.destination_port_set.subtract(management_ports());
    Change c;
    c.resource_id = rule.id;
    c.where = rule.where;
    if (rest.empty()) {
        c.kind = Change::Kind::Remove;
        c.summary = fmt::format("rule {} ({}) removed", rule.name, rule.priority);
        return c;
    }
    json::Array ranges;
    for (const auto& range : rest.intervals())
        ranges.emplace_back(range.lo == range.hi ? std::to_string(range.lo)
                                                 : fmt::format("{}-{}", range.lo, range.hi));
    c.kind = Change::Kind::Set;
    c.path = "/properties/destinationPortRanges";
    c.value = json::Value(std::move(ranges));
    c.summary = fmt::format("rule {} ({}): destination ports {}", rule.name, rule.priority,
                            net::port_set_to_string(rest));
    return c;
}

// NSGs whose rules decide traffic to a VM: its NICs' and their subnets'.
std::vector<model::NsgIndex> nsgs_of_vm(const model::Estate& estate, const model::VirtualMachine& vm) {
    std::vector<model::NsgIndex> out;
    for (model::NicIndex n : vm.network_interfaces) {
        const model::NetworkInterface& nic = estate.network_interfaces[n];
        if (nic.network_security_group != model::kNone)
            out.push_back(nic.network_security_group);
        for (const model::IpConfiguration& config : nic.ip_configurations)
            if (config.subnet != model::kNone &&
                estate.subnets[config.subnet].network_security_group != model::kNone)
                out.push_back(estate.subnets[config.subnet].network_security_group);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void management_exposure(const model::Estate& estate, const checks::Finding& finding, Collector& out) {
    const auto ref = estate.find(finding.resource_id);
    std::vector<model::NsgIndex> nsgs;
    if (ref && ref->kind == model::ResourceKind::NetworkSecurityGroup)
        nsgs.push_back(ref->as<model::NetworkSecurityGroup>());
    else if (ref && ref->kind == model::ResourceKind::VirtualMachine)
        nsgs = nsgs_of_vm(estate, estate.virtual_machines[ref->as<model::VirtualMachine>()]);
    // Every NSG in front of the machine that opens a port: one fix, since the subnet's and the
    // NIC's each decide, and closing one alone leaves the path open through the other.
    std::erase_if(nsgs, [&](model::NsgIndex i) {
        const auto& rules = estate.network_security_groups[i].rules;
        return std::none_of(rules.begin(), rules.end(), opens_management);
    });
    std::string fix_key = "mgmt";
    for (model::NsgIndex i : nsgs)
        fix_key +=
            "|" + where_key(estate.network_security_groups[i].where, estate.network_security_groups[i].id);
    if (!nsgs.empty()) {
        out.add(fix_key, finding, [&] {
            Fix f;
            f.check_id = finding.check_id;
            f.resource_id = estate.network_security_groups[nsgs.front()].id;
            f.resource_name = estate.network_security_groups[nsgs.front()].name;
            f.title = "close SSH, RDP and WinRM to the Internet in ";
            f.notes.emplace_back("manage the machines through Azure Bastion or just-in-time access");
            return f;
        });
        // NSGs one copy loop declares share the fix: each adds its rules once.
        Fix& f = out.last_added();
        for (model::NsgIndex i : nsgs) {
            const model::NetworkSecurityGroup& nsg = estate.network_security_groups[i];
            const std::size_t before = f.changes.size();
            for (const model::SecurityRule& rule : nsg.rules)
                if (opens_management(rule))
                    add_once(f, close_management(rule));
            if (f.changes.size() > before)
                f.title += (f.title.ends_with(" in ") ? "" : " and ") + nsg.name;
        }
    }
    if (nsgs.empty())
        out.manual(finding, "no rule written in the input opens the port on its own (the exposure comes from "
                            "rules ztnet cannot read, or from the NIC having no NSG at all)");
}

// ---- spoke egress through the hub firewall ----

// The hub firewall a subnet's default route should lead to: the one firewall of the estate with a
// known address in a VNet peered with the subnet's (or the only one, when there is one).
std::optional<net::Address> hub_firewall(const model::Estate& estate, const model::Subnet& subnet) {
    std::vector<const model::AzureFirewall*> known;
    for (const model::AzureFirewall& fw : estate.azure_firewalls)
        if (fw.private_ip)
            known.push_back(&fw);
    if (known.size() == 1)
        return known.front()->private_ip;
    std::vector<net::Address> peered;
    for (const model::AzureFirewall* fw : known) {
        if (fw->subnet == model::kNone || subnet.virtual_network == model::kNone)
            continue;
        const model::VnetIndex hub = estate.subnets[fw->subnet].virtual_network;
        for (model::PeeringIndex p : estate.virtual_networks[subnet.virtual_network].peerings)
            if (estate.peerings[p].remote_virtual_network == hub)
                peered.push_back(*fw->private_ip);
    }
    return peered.size() == 1 ? std::optional<net::Address>(peered.front()) : std::nullopt;
}

json::Value default_route(const net::Address& firewall) {
    json::Object properties;
    properties.set("addressPrefix", std::string("0.0.0.0/0"));
    properties.set("nextHopType", std::string("VirtualAppliance"));
    properties.set("nextHopIpAddress", firewall.to_string());
    json::Object route;
    route.set("name", std::string("default-to-hub-firewall"));
    route.set("properties", std::move(properties));
    return json::Value(std::move(route));
}

// A route of the model as ARM writes it; nullopt when the input cannot tell its next hop.
std::optional<json::Value> route_json(const model::Route& route) {
    if (!route.next_hop_type)
        return std::nullopt;
    json::Object properties;
    properties.set("addressPrefix", route.address_prefix);
    properties.set("nextHopType", std::string(model::name_of(*route.next_hop_type)));
    if (route.next_hop_ip)
        properties.set("nextHopIpAddress", route.next_hop_ip->to_string());
    json::Object out;
    out.set("name", route.name);
    out.set("properties", std::move(properties));
    return json::Value(std::move(out));
}

// A new route table for a subnet without one: 0.0.0.0/0 to the firewall, BGP routes off.
void new_route_table(const model::Estate& estate, const model::Subnet& subnet, const net::Address& firewall,
                     Fix& f) {
    const model::ResourceIdParts parts = model::parse_resource_id(subnet.id);
    const std::string name = "rt-" + subnet.name;
    const std::string id =
        fmt::format("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/routeTables/{}",
                    parts.subscription, parts.resource_group, name);
    json::Object properties;
    properties.set("disableBgpRoutePropagation", true);
    properties.set("routes", json::Value(json::Array{default_route(firewall)}));
    json::Object body;
    body.set("type", std::string("Microsoft.Network/routeTables"));
    body.set("apiVersion", std::string("2023-11-01"));
    body.set("name", name);
    body.set("location", subnet.virtual_network != model::kNone
                             ? estate.virtual_networks[subnet.virtual_network].location
                             : std::string());
    body.set("properties", std::move(properties));
    Change add;
    add.kind = Change::Kind::Add;
    add.resource_id = id;
    add.value = json::Value(std::move(body));
    add.beside_id = subnet.id;
    add.summary = fmt::format("new route table {}: 0.0.0.0/0 -> VirtualAppliance {}, BGP propagation off",
                              name, firewall.to_string());
    f.changes.push_back(std::move(add));
    json::Object reference;
    reference.set("id", id);
    Change link = set(subnet.id, "/properties/routeTable", json::Value(std::move(reference)),
                      fmt::format("{}: routeTable {}", subnet.name, name));
    link.id_paths = {"/id"};
    f.changes.push_back(std::move(link));
}

// A subnet of a VNet connected to a Virtual WAN hub takes its default route from the hub: the
// hub's own side of the connection (where enableInternetSecurity is written) propagates it, when
// the hub sends Internet traffic to its firewall. False when the VNet has no hub connection.
bool hub_egress(const model::Estate& estate, const checks::Finding& finding, const model::Subnet& subnet,
                Collector& out) {
    const model::Peering* side = model::hub_connection(estate, subnet.virtual_network);
    if (side == nullptr)
        return false;
    const model::VirtualNetwork& vnet = estate.virtual_networks[subnet.virtual_network];
    const model::VirtualNetwork& hub = estate.virtual_networks[side->remote_virtual_network];
    const auto& to_firewall = hub.virtual_hub->to_firewall;
    if (std::none_of(to_firewall.begin(), to_firewall.end(),
                     [](const auto& r) { return r.prefix.length() == 0; })) {
        out.manual(finding,
                   fmt::format("Virtual WAN hub {} sends no Internet traffic to a firewall: add a "
                               "routing intent policy for Internet traffic with its Azure Firewall as "
                               "next hop",
                               hub.name));
        return true;
    }
    const model::Peering* connection = model::hub_side(estate, *side);
    if (connection == nullptr || side->propagates_default_route) {
        out.manual(finding, fmt::format("the route table of {} keeps Virtual WAN hub {}'s routes out: set "
                                        "its disableBgpRoutePropagation to false",
                                        subnet.name, hub.name));
        return true;
    }
    out.add("hub-egress|" + lower(connection->id), finding, [&] {
        Fix f =
            fix_on(finding, fmt::format("propagate Virtual WAN hub {}'s default route (to its firewall) to "
                                        "{}",
                                        hub.name, vnet.name));
        f.notes.emplace_back("the firewall's rules then decide the VNet's outbound traffic: allow what it "
                             "needs there first");
        return f;
    });
    add_once(out.last_added(), set(connection->id, "/properties/enableInternetSecurity", json::Value(true),
                                   fmt::format("{} enableInternetSecurity: true", connection->name)));
    return true;
}

void egress_through_firewall(const model::Estate& estate, const checks::Finding& finding, Collector& out) {
    const auto ref = estate.find(finding.resource_id);
    if (!ref || ref->kind != model::ResourceKind::Subnet) {
        out.manual(finding, "the finding is not on a subnet of the estate");
        return;
    }
    const model::Subnet& subnet = estate.subnets[ref->as<model::Subnet>()];
    if (hub_egress(estate, finding, subnet, out))
        return;
    const std::optional<net::Address> firewall = hub_firewall(estate, subnet);
    if (!firewall) {
        out.manual(finding,
                   "the input holds no hub firewall with a known private address (or several, none "
                   "peered with the subnet's VNet alone): route 0.0.0.0/0 to VirtualAppliance at the "
                   "firewall's address");
        return;
    }
    std::vector<json::Value> routes;
    if (subnet.route_table != model::kNone) {
        for (const model::Route& r : estate.route_tables[subnet.route_table].routes) {
            std::optional<json::Value> written = route_json(r);
            if (!written) {
                out.manual(finding,
                           fmt::format("route {} of the subnet's route table has a next hop the input "
                                       "does not tell",
                                       r.name));
                return;
            }
            const bool is_default = r.address_prefix == "0.0.0.0/0";
            if (!is_default)
                routes.push_back(std::move(*written));
        }
    }
    // One fix per route table: the subnets that share one are fixed by the same change.
    const std::string key =
        subnet.route_table != model::kNone ? estate.route_tables[subnet.route_table].id : subnet.id;
    out.add("egress|" + lower(key), finding, [&] {
        Fix f = fix_on(finding, fmt::format("route {}'s Internet traffic through the hub firewall ({})",
                                            subnet.name, firewall->to_string()));
        f.notes.emplace_back(
            "the firewall's rules then decide the subnet's outbound traffic: allow what it needs "
            "there first");
        if (subnet.route_table == model::kNone) {
            new_route_table(estate, subnet, *firewall, f);
            return f;
        }
        const model::RouteTable& table = estate.route_tables[subnet.route_table];
        routes.push_back(default_route(*firewall));
        f.changes.push_back(
            set(table.id, "/properties/routes", json::Value(json::Array(routes)),
                fmt::format("{}: 0.0.0.0/0 -> VirtualAppliance {}", table.name, firewall->to_string())));
        f.changes.push_back(set(table.id, "/properties/disableBgpRoutePropagation", json::Value(true),
                                fmt::format("{}: disableBgpRoutePropagation true", table.name)));
        if (table.subnets.size() > 1)
            f.notes.push_back(fmt::format("route table {} serves {} subnets: all of them send their Internet "
                                          "traffic to the firewall afterwards",
                                          table.name, table.subnets.size()));
        return f;
    });
}

// ---- NSG rules from the hardening plan ----

const std::set<std::string_view>& nsg_rule_checks() {
    static const std::set<std::string_view> kChecks = {
        "ZT-NET-001", "ZT-NET-003", "ZT-NET-004", "ZT-NET-005", "ZT-SEG-001", "ZT-SEG-002",
        "ZT-SEG-003", "ZT-SEG-004", "ZT-SEG-005", "ZT-SEG-006", "ZT-SEG-007", "ZT-SEG-008"};
    return kChecks;
}

// The resources an NSG's rules decide for: the NSG, its subnets and NICs, what sits in those subnets.
std::set<std::string> governed_by(const model::Estate& estate, const harden::NsgProposal& nsg) {
    std::set<std::string> ids = {lower(nsg.nsg_id)};
    std::set<model::SubnetIndex> subnets;
    for (const std::string& id : nsg.subnets) {
        ids.insert(lower(id));
        if (auto ref = estate.find(id); ref && ref->kind == model::ResourceKind::Subnet)
            subnets.insert(ref->as<model::Subnet>());
    }
    for (const std::string& id : nsg.nics)
        ids.insert(lower(id));
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        bool inside =
            std::any_of(nic.ip_configurations.begin(), nic.ip_configurations.end(),
                        [&](const model::IpConfiguration& c) { return subnets.contains(c.subnet); });
        if (!inside && std::find(nsg.nics.begin(), nsg.nics.end(), nic.id) == nsg.nics.end())
            continue;
        ids.insert(lower(nic.id));
        if (nic.virtual_machine != model::kNone)
            ids.insert(lower(estate.virtual_machines[nic.virtual_machine].id));
    }
    for (const model::ApplicationGateway& gateway : estate.application_gateways)
        for (model::SubnetIndex s : gateway.subnets)
            if (subnets.contains(s))
                ids.insert(lower(gateway.id));
    return ids;
}

std::vector<std::string> asg_id_paths(const json::Value& rule, const std::string& at) {
    std::vector<std::string> out;
    const json::Value* properties = rule.find("properties");
    for (std::string_view side :
         {"sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"}) {
        const json::Value* groups = properties != nullptr ? properties->find(side) : nullptr;
        for (std::size_t i = 0; groups != nullptr && i < groups->as_array().size(); ++i)
            out.push_back(fmt::format("{}/properties/{}/{}/id", at, side, i));
    }
    return out;
}

// The new application security groups an NSG's rules name, with their memberships: each group
// declared beside its first member, and each member's IP configuration given its groups.
void group_changes(const model::Estate& original, const model::Estate& hardened,
                   const harden::HardenPlan& plan, const harden::NsgProposal& nsg, Fix& f) {
    std::set<std::uint32_t> named;
    for (const harden::ProposedRule& r : nsg.rules)
        for (const model::RuleEndpoint* side : {&r.rule.source, &r.rule.destination})
            for (model::AsgIndex g : side->application_security_groups)
                if (g.value() >= original.application_security_groups.size())
                    named.insert(g.value());
    for (std::uint32_t g : named) {
        const harden::ProposedAsg& asg = plan.asgs[g - original.application_security_groups.size()];
        json::Object body;
        body.set("type", std::string("Microsoft.Network/applicationSecurityGroups"));
        body.set("apiVersion", std::string("2023-11-01"));
        body.set("name", asg.name);
        body.set("location", asg.location);
        body.set("properties", json::Object());
        Change add;
        add.kind = Change::Kind::Add;
        add.resource_id = asg.id;
        add.value = json::Value(std::move(body));
        add.beside_id = asg.members.front().first;
        add.summary =
            fmt::format("new application security group {} for intent group '{}'", asg.name, asg.group);
        f.changes.push_back(std::move(add));
        for (const auto& [nic_id, config_name] : asg.members) {
            const auto ref = hardened.find(nic_id);
            if (!ref || ref->kind != model::ResourceKind::NetworkInterface)
                continue;
            const model::NetworkInterface& nic =
                hardened.network_interfaces[ref->as<model::NetworkInterface>()];
            for (const model::IpConfiguration& config : nic.ip_configurations) {
                if (config.name != config_name)
                    continue;
                json::Array groups;
                std::vector<std::string> id_paths;
                for (model::AsgIndex member_of : config.application_security_groups) {
                    json::Object reference;
                    reference.set("id", hardened.application_security_groups[member_of].id);
                    id_paths.push_back(fmt::format("/{}/id", groups.size()));
                    groups.emplace_back(std::move(reference));
                }
                Change join =
                    set(nic_id,
                        fmt::format("/properties/ipConfigurations/[{}]/properties/applicationSecurityGroups",
                                    config_name),
                        json::Value(std::move(groups)),
                        fmt::format("{} {}: joins {}", nic.name, config_name, asg.name));
                join.id_paths = std::move(id_paths);
                f.changes.push_back(std::move(join));
            }
        }
    }
}

// The changes that give one NSG the plan's rules. `estate`: the one the rules are read against
// (with the plan's new groups); `original`: the input's, where the NSG's current rules are.
void plan_changes(const model::Estate& original, const model::Estate& estate, const harden::NsgProposal& nsg,
                  Fix& f) {
    json::Array rules;
    std::vector<std::string> id_paths;
    for (const harden::ProposedRule& r : nsg.rules) {
        json::Value rule = harden::arm_security_rule(r.rule, estate);
        std::string at = nsg.is_new ? "/properties/securityRules/" : "/";
        for (std::string& p : asg_id_paths(rule, at + std::to_string(rules.size())))
            id_paths.push_back(std::move(p));
        rules.push_back(std::move(rule));
    }
    const std::size_t count = rules.size();
    if (!nsg.is_new) {
        Change c =
            set(nsg.nsg_id, "/properties/securityRules", json::Value(std::move(rules)),
                fmt::format("securityRules: {} rules from the intent (DenyAll at 4096 both ways)", count));
        c.id_paths = std::move(id_paths);
        f.changes.push_back(std::move(c));
        // Rules declared as resources of their own would stay beside the new list: they go.
        if (const auto ref = original.find(nsg.nsg_id);
            ref && ref->kind == model::ResourceKind::NetworkSecurityGroup) {
            const model::NetworkSecurityGroup& group =
                original.network_security_groups[ref->as<model::NetworkSecurityGroup>()];
            for (const model::SecurityRule& rule : group.rules) {
                if (rule.where.file == group.where.file &&
                    rule.where.pointer.starts_with(group.where.pointer + "/"))
                    continue;
                Change gone =
                    remove(rule.id, "", fmt::format("rule {} declared on its own: removed", rule.name));
                gone.where = rule.where;
                f.changes.push_back(std::move(gone));
            }
        }
        return;
    }
    if (nsg.subnets.empty())
        return;
    json::Object properties;
    properties.set("securityRules", json::Value(std::move(rules)));
    json::Object body;
    body.set("type", std::string("Microsoft.Network/networkSecurityGroups"));
    body.set("apiVersion", std::string("2023-11-01"));
    body.set("name", nsg.nsg_name);
    std::string location;
    if (auto ref = estate.find(nsg.subnets.front()); ref && ref->kind == model::ResourceKind::Subnet) {
        const model::Subnet& subnet = estate.subnets[ref->as<model::Subnet>()];
        if (subnet.virtual_network != model::kNone)
            location = estate.virtual_networks[subnet.virtual_network].location;
    }
    body.set("location", location);
    body.set("properties", std::move(properties));
    Change add;
    add.kind = Change::Kind::Add;
    add.resource_id = nsg.nsg_id;
    add.value = json::Value(std::move(body));
    add.id_paths = std::move(id_paths);
    add.beside_id = nsg.subnets.front();
    add.summary = fmt::format("new NSG {} with {} rules", nsg.nsg_name, count);
    f.changes.push_back(std::move(add));
    for (const std::string& subnet : nsg.subnets) {
        json::Object reference;
        reference.set("id", nsg.nsg_id);
        Change link = set(
            subnet, "/properties/networkSecurityGroup", json::Value(std::move(reference)),
            fmt::format("{}: networkSecurityGroup {}", model::parse_resource_id(subnet).name, nsg.nsg_name));
        link.id_paths = {"/id"};
        f.changes.push_back(std::move(link));
    }
}

// One NSG's fix from the plan: its rules, and the new groups they name with their members.
Fix plan_fix(const model::Estate& original, const model::Estate& estate, const harden::HardenPlan& plan,
             const harden::NsgProposal& nsg) {
    Fix f;
    f.resource_id = nsg.nsg_id;
    f.resource_name = nsg.nsg_name;
    f.title = nsg.is_new ? fmt::format("add NSG {} with the intent's rules", nsg.nsg_name)
                         : fmt::format("replace the rules of {} with the intent's", nsg.nsg_name);
    group_changes(original, estate, plan, nsg, f);
    plan_changes(original, estate, nsg, f);
    return f;
}

// The whole plan as one fix: when it adds groups, what one NSG's rules do depends on members other
// NSGs' rules name too, so the NSGs are proved together.
Fix whole_plan_fix(const model::Estate& original, const model::Estate& estate,
                   const harden::HardenPlan& plan) {
    Fix f;
    f.title = fmt::format("harden {} NSG(s) from the intent, with {} new application security group(s)",
                          plan.nsgs.size(), plan.asgs.size());
    if (!plan.nsgs.empty()) {
        f.resource_id = plan.nsgs.front().nsg_id;
        f.resource_name = plan.nsgs.front().nsg_name;
    }
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        group_changes(original, estate, plan, nsg, f);
        plan_changes(original, estate, nsg, f);
    }
    // A group two NSGs name is added, and joined, once.
    std::vector<Change> once;
    for (Change& c : f.changes)
        if (std::none_of(once.begin(), once.end(), [&](const Change& o) {
                return o.kind == c.kind && o.resource_id == c.resource_id && o.path == c.path &&
                       o.value == c.value;
            }))
            once.push_back(std::move(c));
    f.changes = std::move(once);
    return f;
}

std::string_view manual_reason(std::string_view check) {
    static const std::map<std::string_view, std::string_view> kReasons = {
        {"ZT-APP-002",
         "an HTTPS listener needs a certificate (a Key Vault secret) that the input does not name"},
        {"ZT-STG-005", "a private endpoint needs a subnet and a private DNS zone chosen for it"},
        {"ZT-STG-007", "customer-managed keys need a Key Vault key and an identity allowed to use it"},
        {"ZT-VM-004", "turning password logins off needs SSH keys deployed to the VM first"},
        {"ZT-NET-002", "application security groups per VM role are a design decision: `ztnet harden` writes "
                       "rules against the groups an intent names"},
        {"ZT-NET-006", "explicit outbound needs a NAT gateway or the hub firewall chosen for the subnet"},
        {"ZT-PAAS-002",
         "the callers inside Azure that rely on the rule must be named first (their addresses, "
         "virtual network rules or a private endpoint)"},
        {"ZT-PAAS-003", "a private endpoint needs a subnet and a private DNS zone chosen for it"},
        {"ZT-PAAS-009",
         "a network policy engine is chosen for the cluster (at creation or by an upgrade), with "
         "NetworkPolicies written for its workloads"},
        {"ZT-PAAS-011", "the zone group and the zone's virtual network link name a zone that often lives in "
                        "the connectivity subscription"},
        {"ZT-VM-005", "the credential moves to Key Vault, read by the VM's managed identity, and must be "
                      "rotated: the script itself changes"},
        {"ZT-APP-004",
         "a newer rule set can block requests the old one let through: run it in Detection mode "
         "against the application first"},
        {"ZT-HUB-009", "a routing policy for PrivateTraffic (the hub's routing intent, next hop its Azure "
                       "Firewall) sends every spoke's and branch's private traffic through the firewall at "
                       "once: its rules must allow what the spokes need of each other first"},
        {"ZT-HUB-010",
         "MACsec needs the connectivity and association keys (CKN, CAK) in a Key Vault the port's "
         "identity reads, agreed with the routers at the other end of each link"},
        {"ZT-AVD-001",
         "the session hosts' NSG rules that admit RDP are replaced by Bastion for administration: "
         "`ztnet harden` writes the rules an intent names"},
        {"ZT-AVD-002",
         "a private endpoint for the host pool needs a subnet and a private DNS zone chosen for it"},
        {"ZT-AVD-003",
         "the session hosts' outbound rules must allow the service tags on TCP 443, above their "
         "DenyAll, in the NSG and in the hub firewall's policy"},
    };
    auto found = kReasons.find(check);
    if (found != kReasons.end())
        return found->second;
    if (check.starts_with("ZT-IAM-") || check.starts_with("ZT-GOV-"))
        return "who holds which role, and how resources are grouped, are decisions for people: ztnet does "
               "not "
               "change them";
    if (check.starts_with("ZT-HUB-"))
        return "the hub (its firewall, gateways, DDoS plan) is shared: its change needs values the spoke's "
               "input "
               "does not hold, such as the firewall's private address";
    if (check.starts_with("ZT-LOG-") || check.starts_with("ZT-MON-"))
        return "logging needs a destination (a storage account or Log Analytics workspace) chosen for it";
    if (nsg_rule_checks().contains(check))
        return "what the NSG must still allow is the intent's to say: give --intent and fix writes the "
               "intent's "
               "rules (ztnet harden)";
    return "the remedy needs values or decisions the input does not hold";
}

} // namespace

Proposals propose_fixes(const analysis::Analysis& analysis, const checks::CheckRun& run,
                        const harden::HardenPlan* plan) {
    const model::Estate& estate = analysis.estate();
    Collector out;
    // The plan's rules name its new groups by their place in the estate with the plan applied.
    const model::Estate hardened =
        plan != nullptr && !plan->asgs.empty() ? harden::apply_plan(estate, *plan) : model::Estate();
    const model::Estate& named = plan != nullptr && !plan->asgs.empty() ? hardened : estate;
    // With a plan, every NSG finding on what a plan NSG governs is the plan's to fix.
    std::vector<std::pair<const harden::NsgProposal*, std::set<std::string>>> planned;
    if (plan != nullptr)
        for (const harden::NsgProposal& nsg : plan->nsgs)
            planned.emplace_back(&nsg, governed_by(estate, nsg));
    for (const checks::Finding& finding : run.findings) {
        if (finding.suppressed_by)
            continue;
        const std::string& id = finding.check_id;
        bool by_plan = false;
        const bool by_groups = id == "ZT-NET-002" && plan != nullptr && !plan->asgs.empty();
        if (nsg_rule_checks().contains(id) || by_groups) {
            for (const auto& entry : planned) {
                const harden::NsgProposal* nsg = entry.first; // a name a lambda can capture (clang 14)
                if (!entry.second.contains(lower(finding.resource_id)))
                    continue;
                by_plan = true;
                if (plan->asgs.empty()) {
                    out.add("plan|" + lower(nsg->nsg_id), finding, [&] {
                        Fix f = plan_fix(estate, named, *plan, *nsg);
                        f.check_id = id;
                        return f;
                    });
                } else {
                    out.add("plan", finding, [&] {
                        Fix f = whole_plan_fix(estate, named, *plan);
                        f.check_id = id;
                        return f;
                    });
                    break; // one target per finding
                }
            }
        }
        if (by_plan)
            continue;
        if (id.starts_with("ZT-STG-") && id != "ZT-STG-005" && id != "ZT-STG-007")
            storage(estate, finding, out);
        else if (id == "ZT-APP-001")
            waf_prevention(estate, finding, out);
        else if (id == "ZT-VM-001")
            vm_public_ip(estate, finding, out);
        else if (id == "ZT-VM-002" || id == "ZT-VM-003")
            vm_security(estate, finding, out);
        else if (id == "ZT-HUB-006")
            egress_through_firewall(estate, finding, out);
        else if (id == "ZT-NET-005" || id == "ZT-SEG-001")
            management_exposure(estate, finding, out);
        else if (std::optional<Result<SettingFix>> setting = setting_fix(estate, finding)) {
            if (*setting)
                setting_change(estate, finding, **setting, out);
            else
                out.manual(finding, setting->error().message);
        } else
            out.manual(finding, std::string(manual_reason(id)));
    }
    return out.take();
}

} // namespace ztnet::fix
