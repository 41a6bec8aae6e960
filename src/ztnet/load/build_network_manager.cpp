// Azure Virtual Network Manager: the network groups it manages, the security admin rules its
// configurations apply to their VNets, and what the input cannot tell of either.
//
// "Security admin rules are evaluated before NSG rules" (Microsoft Learn, virtual-network-manager/
// concept-security-admins); a rule collection applies its rules to every VNet of the network groups
// in its `appliesToGroups`. The rules reach model::VirtualNetwork::admin_rules; policy::AdminRules
// evaluates them.
#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/detail/rule_fields.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::Index;
using model::ResourceKind;

namespace {

constexpr std::string_view kManager = "microsoft.network/networkmanagers";
constexpr std::string_view kGroup = "microsoft.network/networkmanagers/networkgroups";
constexpr std::string_view kStaticMember = "microsoft.network/networkmanagers/networkgroups/staticmembers";
constexpr std::string_view kAdminConfiguration =
    "microsoft.network/networkmanagers/securityadminconfigurations";
constexpr std::string_view kConnectivityConfiguration =
    "microsoft.network/networkmanagers/connectivityconfigurations";
constexpr std::string_view kRuleCollection =
    "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections";
constexpr std::string_view kAdminRule =
    "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules";
constexpr std::string_view kPolicyDefinition = "microsoft.authorization/policydefinitions";

constexpr int kMinAdminPriority = 1;
constexpr int kMaxAdminPriority = 4096;

const std::string* text_of(const Cursor& c) {
    return c.value && c.value->is_string() ? &c.value->as_string() : nullptr;
}

// The id of the ancestor of `id` whose type is `type` (lower case), or "" when there is none.
std::string ancestor_of_type(std::string id, std::string_view type) {
    while (!id.empty()) {
        const model::ResourceIdParts parts = model::parse_resource_id(id);
        if (model::id_key(parts.type) == type)
            return id;
        id = parts.parent_id;
    }
    return {};
}

std::optional<std::vector<std::string>> manager_subscriptions(const Cursor& body) {
    const Cursor scopes = body["properties"]["networkManagerScopes"];
    if (!scopes["managementGroups"].elements().empty())
        return std::nullopt;
    std::vector<std::string> out;
    for (const Cursor& s : scopes["subscriptions"].elements()) {
        const std::string* text = text_of(s);
        if (!text) // an expression the input cannot tell: the scope is unknown
            return std::nullopt;
        const std::string subscription = model::parse_resource_id(*text).subscription;
        out.push_back(model::id_key(subscription.empty() ? *text : subscription));
    }
    if (out.empty())
        return std::nullopt;
    return out;
}

// Whether the manager's scope accesses name `access` ("SecurityAdmin", "Connectivity"), or the
// input cannot tell them.
bool grants(const Cursor& body, std::string_view access) {
    const Cursor accesses = body["properties"]["networkManagerScopeAccesses"];
    if (accesses.value && accesses.value->is_unknown())
        return true;
    for (const Cursor& a : accesses.elements()) {
        const std::string* text = text_of(a);
        if (!text || model::same_id(*text, access))
            return true;
    }
    return false;
}

// A Virtual Network Manager: its name, the subscriptions of its scope (nothing: a management
// group, or unknown), and which configurations its scope lets it deploy.
struct Manager {
    std::string id;
    std::string name;
    std::optional<std::vector<std::string>> subscriptions;
    bool security_admin = false;
    bool connectivity = false;
    bool has_admin_configuration = false;        // the input holds one of its security admin configurations
    bool has_connectivity_configuration = false; // ... one of its connectivity configurations

    bool covers(const model::VirtualNetwork& vnet) const {
        if (!subscriptions)
            return true;
        const std::string subscription = model::id_key(model::parse_resource_id(vnet.id).subscription);
        return std::find(subscriptions->begin(), subscriptions->end(), subscription) != subscriptions->end();
    }
};

// A network group: its static members (VNet id keys), and why it may have members the input does
// not list (Azure Policy adds members to a group without the group saying so).
struct NetworkGroup {
    std::string name;
    std::vector<std::string> members;
    std::string members_unknown;
};

// A security admin rule collection: the network groups it applies to (id keys) and its rules.
struct RuleCollection {
    std::string id;
    std::string label; // manager/configuration/collection
    std::vector<std::string> groups;
    std::string groups_unknown; // why the groups it applies to are unknown
    std::vector<model::SecurityAdminRule> rules;
};

// Everything of the managers in the input, gathered before it is applied to the VNets.
struct Managers {
    std::vector<Manager> managers;
    std::map<std::string, NetworkGroup> groups; // by id key
    std::vector<RuleCollection> collections;
    std::string policy_unknown; // a policy that adds members to groups the input cannot tell

    Manager* manager(const std::string& id) {
        for (Manager& m : managers)
            if (model::same_id(m.id, id))
                return &m;
        return nullptr;
    }
    RuleCollection* collection(const std::string& id) {
        for (RuleCollection& c : collections)
            if (model::same_id(c.id, id))
                return &c;
        return nullptr;
    }
};

void read_sides(FieldReader& read, model::SecurityRule& rule, const Cursor& props, bool source) {
    const model::RuleField field = source ? model::RuleField::Source : model::RuleField::Destination;
    const Cursor side = props[source ? "sources" : "destinations"];
    note_unknown_field(rule, field, {side});
    model::RuleEndpoint& out = source ? rule.source : rule.destination;
    for (const Cursor& entry : side.elements()) {
        const Cursor prefix = entry["addressPrefix"];
        note_unknown_field(rule, field, {prefix, entry["addressPrefixType"]});
        if (auto text = read.string(prefix))
            if (auto parsed = parse_address_entry(read, prefix, *text, rule.name))
                out.addresses.push_back(std::move(*parsed));
    }
    // A rule without sources (destinations) matches every address on that side, as "*" does.
    if (out.addresses.empty() && !rule.is_unknown(field))
        out.addresses.push_back(model::AddressEntry{});
}

net::PortSet read_ports(FieldReader& read, model::SecurityRule& rule, const Cursor& props,
                        std::string_view key, std::vector<std::string>& texts) {
    texts = read.strings(props[key]);
    if (texts.empty()) { // no port ranges: every port
        texts.push_back("*");
        return net::PortSet::all();
    }
    net::PortSet set;
    for (const std::string& text : texts) {
        auto ports = net::parse_port_spec(text);
        if (ports)
            set = set.unite(*ports);
        else
            read.error(props[key], "invalid-port",
                       fmt::format("admin rule {}: {}", rule.name, ports.error().message));
    }
    return set;
}

// A rule Microsoft defines (`kind: Default`, named by its `flag`): the input does not say what it
// matches or does.
model::SecurityAdminRule unknown_default_rule(model::SecurityAdminRule out, const std::string& flag) {
    const std::string why =
        fmt::format("a default security admin rule ({}) whose fields Microsoft defines", flag);
    for (model::RuleField field :
         {model::RuleField::Priority, model::RuleField::InboundOrOutbound, model::RuleField::AllowOrDeny,
          model::RuleField::Protocol, model::RuleField::Source, model::RuleField::Destination,
          model::RuleField::SourcePorts, model::RuleField::DestinationPorts})
        out.rule.unknowns.push_back({field, why});
    out.rule.protocols = net::ProtocolSet::all();
    out.rule.source_port_set = net::PortSet::all();
    out.rule.destination_port_set = net::PortSet::all();
    out.action_unknown = true;
    return out;
}

model::SecurityAdminRule read_admin_rule(FieldReader& read, const std::string& id, const Cursor& body) {
    model::SecurityAdminRule out;
    model::SecurityRule& rule = out.rule;
    rule.id = id;
    rule.name = last_segment(read.string_or(body["name"], id));
    rule.where = body.where();
    const Cursor props = body["properties"];
    rule.description = read.string_or(props["description"], "");
    if (model::same_id(read.string_or(body["kind"], "Custom"), "Default"))
        return unknown_default_rule(std::move(out), read.string_or(props["flag"], "unnamed"));
    note_unknown_field(rule, model::RuleField::Priority, {props["priority"]});
    note_unknown_field(rule, model::RuleField::InboundOrOutbound, {props["direction"]});
    note_unknown_field(rule, model::RuleField::AllowOrDeny, {props["access"]});
    note_unknown_field(rule, model::RuleField::Protocol, {props["protocol"]});
    note_unknown_field(rule, model::RuleField::SourcePorts, {props["sourcePortRanges"]});
    note_unknown_field(rule, model::RuleField::DestinationPorts, {props["destinationPortRanges"]});
    if (auto priority = read.integer(props["priority"])) {
        if (*priority < kMinAdminPriority || *priority > kMaxAdminPriority)
            read.error(props["priority"], "invalid-priority",
                       fmt::format("admin rule {}: priority {} is outside {}-{}", rule.name, *priority,
                                   kMinAdminPriority, kMaxAdminPriority));
        rule.priority = static_cast<int>(std::clamp<std::int64_t>(*priority, 0, 1 << 20));
    } else if (!rule.is_unknown(model::RuleField::Priority)) {
        read.error(props, "missing-field", fmt::format("admin rule {} has no priority", rule.name));
    }
    const std::string direction = read.string_or(props["direction"], "");
    if (model::same_id(direction, "Outbound"))
        rule.direction = model::Direction::Outbound;
    else if (!model::same_id(direction, "Inbound") && !rule.is_unknown(model::RuleField::InboundOrOutbound))
        read.error(
            props["direction"].value ? props["direction"] : props, "invalid-direction",
            fmt::format("admin rule {}: direction '{}', expected Inbound or Outbound", rule.name, direction));
    const std::string access = read.string_or(props["access"], "");
    if (model::same_id(access, "Allow"))
        out.action = model::AdminAction::Allow;
    else if (model::same_id(access, "AlwaysAllow"))
        out.action = model::AdminAction::AlwaysAllow;
    else if (model::same_id(access, "Deny"))
        out.action = model::AdminAction::Deny;
    else if (rule.is_unknown(model::RuleField::AllowOrDeny))
        out.action_unknown = true;
    else
        read.error(props["access"].value ? props["access"] : props, "invalid-access",
                   fmt::format("admin rule {}: access '{}', expected Allow, AlwaysAllow or Deny", rule.name,
                               access));
    rule.access = out.action == model::AdminAction::Deny ? model::Access::Deny : model::Access::Allow;
    rule.protocol = read.string_or(props["protocol"], "Any");
    if (model::same_id(rule.protocol, "Any"))
        rule.protocols = net::ProtocolSet::all();
    else if (auto protocols = net::parse_nsg_protocol(rule.protocol))
        rule.protocols = *protocols;
    else if (!rule.is_unknown(model::RuleField::Protocol))
        read.error(props["protocol"], "invalid-protocol",
                   fmt::format("admin rule {}: expected Tcp, Udp, Icmp, Esp, Ah or Any, got '{}'", rule.name,
                               rule.protocol));
    read_sides(read, rule, props, true);
    read_sides(read, rule, props, false);
    rule.source_port_set = read_ports(read, rule, props, "sourcePortRanges", rule.source_ports);
    rule.destination_port_set =
        read_ports(read, rule, props, "destinationPortRanges", rule.destination_ports);
    return out;
}

std::string collection_label(const std::string& id) {
    const model::ResourceIdParts collection = model::parse_resource_id(id);
    const model::ResourceIdParts configuration = model::parse_resource_id(collection.parent_id);
    const model::ResourceIdParts manager = model::parse_resource_id(configuration.parent_id);
    return fmt::format("{}/{}/{}", last_segment(manager.name), last_segment(configuration.name),
                       last_segment(collection.name));
}

// Whether a network group holds `vnet`: "" when it surely does, why it may when the group's members
// are not all known, nullopt when it surely does not.
std::optional<std::string> holds(const Managers& found, const std::string& group_key,
                                 const std::string& vnet_key) {
    auto group = found.groups.find(group_key);
    if (group == found.groups.end())
        return fmt::format("network group {} is outside the input, so its members are unknown",
                           last_segment(group_key));
    if (std::find(group->second.members.begin(), group->second.members.end(), vnet_key) !=
        group->second.members.end())
        return std::string();
    if (!group->second.members_unknown.empty())
        return fmt::format("network group {} may hold it: {}", group->second.name,
                           group->second.members_unknown);
    if (group->second.members.empty())
        return fmt::format("network group {} lists no static member in the input, so Azure Policy may choose "
                           "its members",
                           group->second.name);
    if (!found.policy_unknown.empty())
        return fmt::format("network group {} may hold it: {}", group->second.name, found.policy_unknown);
    return std::nullopt;
}

// Whether `collection` applies to `vnet`: "" surely, why it may, nullopt surely not.
std::optional<std::string> applies(const Managers& found, const RuleCollection& collection,
                                   const model::VirtualNetwork& vnet) {
    if (!collection.groups_unknown.empty())
        return collection.groups_unknown;
    std::optional<std::string> maybe;
    for (const std::string& group : collection.groups) {
        std::optional<std::string> held = holds(found, group, model::id_key(vnet.id));
        if (held && held->empty())
            return held;
        if (held && !maybe)
            maybe = std::move(held);
    }
    return maybe;
}

void mark_unknown(model::VirtualNetwork& vnet, const std::string& why) {
    if (vnet.admin_rules_unknown.empty())
        vnet.admin_rules_unknown = why;
}

// Gives every VNet the admin rules that (may) apply to it, and says where the input cannot tell.
void apply(const Managers& found, std::size_t configurations, model::Estate& estate,
           Diagnostics& diagnostics) {
    std::vector<const Manager*> owner; // per collection: its manager, null when outside the input
    for (const RuleCollection& collection : found.collections) {
        const std::string manager_id = ancestor_of_type(collection.id, kManager);
        auto it = std::find_if(found.managers.begin(), found.managers.end(),
                               [&](const Manager& m) { return model::same_id(m.id, manager_id); });
        owner.push_back(it == found.managers.end() ? nullptr : &*it);
    }
    for (model::VirtualNetwork& vnet : estate.virtual_networks) {
        for (const Manager& manager : found.managers) {
            if (manager.covers(vnet) && manager.security_admin && !manager.has_admin_configuration)
                mark_unknown(vnet,
                             fmt::format("Virtual Network Manager {} may apply security admin rules to it "
                                         "(before its NSGs), and the input holds none of its security "
                                         "admin configurations",
                                         manager.name));
            if (manager.covers(vnet) && manager.connectivity && !manager.has_connectivity_configuration &&
                vnet.connectivity_unknown.empty())
                vnet.connectivity_unknown =
                    fmt::format("Virtual Network Manager {} may connect it to other VNets without a peering, "
                                "and the input holds none of its connectivity configurations",
                                manager.name);
        }
        for (std::size_t c = 0; c < found.collections.size(); ++c) {
            const RuleCollection& collection = found.collections[c];
            if (owner[c] && !owner[c]->covers(vnet))
                continue;
            std::optional<std::string> why = applies(found, collection, vnet);
            if (!why)
                continue;
            if (collection.rules.empty()) {
                mark_unknown(vnet,
                             fmt::format("security admin rule collection {} may apply to it, and its rules "
                                         "are not in the input",
                                         collection.label));
                continue;
            }
            for (model::SecurityAdminRule rule : collection.rules) {
                rule.applies_unknown = *why;
                vnet.admin_rules.push_back(std::move(rule));
            }
        }
    }
    for (const auto& [group_key, group] : found.groups) {
        if (group.members_unknown.empty() && !group.members.empty())
            continue;
        diagnostics.warning(
            "network-group-members-unknown",
            fmt::format("network group {}: {}; the security admin rules applied to it are "
                        "undecidable wherever they would decide a flow",
                        group.name.empty() ? last_segment(group_key) : group.name,
                        group.members_unknown.empty()
                            ? "the input lists no static member of it (Azure Policy may add them)"
                            : group.members_unknown));
    }
    if (configurations > 0)
        diagnostics.note(
            "admin-configuration-deployed",
            fmt::format("{} security admin configuration(s) are read as deployed to every region "
                        "of their VNets: which configurations are committed is an action in Azure, "
                        "not a resource the input holds",
                        configurations));
}

std::string text_or_empty(const Cursor& c) {
    const std::string* text = text_of(c);
    return text ? *text : std::string();
}

// Whether the text of a flag ("True", true) is set.
bool flag(const Cursor& c) {
    if (c.value && c.value->is_bool())
        return c.value->as_bool();
    const std::string* text = text_of(c);
    return text && model::same_id(*text, "True");
}

// A peering Virtual Network Manager makes (a hub-and-spoke configuration's) or stands for (a
// connected group's direct connectivity), from `from` to `to`, unless one exists already.
void add_peering(model::Estate& estate, model::VnetIndex from, model::VnetIndex to, const std::string& name,
                 bool gateway_transit, bool use_remote_gateways) {
    model::VirtualNetwork& vnet = estate.virtual_networks[from];
    for (model::PeeringIndex p : vnet.peerings)
        if (estate.peerings[p].remote_virtual_network == to)
            return;
    model::Peering peering;
    peering.id = vnet.id + "/virtualNetworkPeerings/" + name;
    peering.name = name;
    peering.type = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";
    peering.where = vnet.where;
    peering.virtual_network = from;
    peering.remote_virtual_network = to;
    peering.remote_virtual_network_id = estate.virtual_networks[to].id;
    peering.remote_address_space = estate.virtual_networks[to].address_space;
    peering.allow_virtual_network_access = true;
    peering.allow_forwarded_traffic = true; // the conservative reading: forwarded traffic may pass
    peering.allow_gateway_transit = gateway_transit;
    peering.use_remote_gateways = use_remote_gateways;
    estate.peerings.push_back(std::move(peering));
    vnet.peerings.push_back(estate.peerings.index(estate.peerings.size() - 1));
}

// VNets in one region may always connect; across regions only a global configuration connects them.
bool may_connect(const model::VirtualNetwork& a, const model::VirtualNetwork& b, bool global) {
    return global || a.location.empty() || b.location.empty() || model::same_id(a.location, b.location);
}

// Every two of `members` connected directly (a connected group), where their regions allow.
void connect_all(model::Estate& estate, const std::vector<model::VnetIndex>& members, const std::string& name,
                 bool global) {
    for (model::VnetIndex a : members)
        for (model::VnetIndex b : members)
            if (a != b && may_connect(estate.virtual_networks[a], estate.virtual_networks[b], global))
                add_peering(estate, a, b, name, false, false);
}

// A connectivity configuration's VNets connected as it describes ("Hub and spoke": each spoke peered
// with the hub, and with direct connectivity the spokes of a group with one another; "Mesh": every
// VNet of its groups with every other, Microsoft Learn virtual-network-manager/
// concept-connectivity-configuration). A VNet a group may hold without the input saying so cannot
// tell its connectivity: its flows to VNets no peering reaches stay undecidable.
void connect(const Managers& found, const model::OtherResource& configuration, const Cursor& body,
             model::Estate& estate) {
    const Cursor props = body["properties"];
    const bool mesh = model::same_id(text_or_empty(props["connectivityTopology"]), "Mesh");
    const bool global = flag(props["isGlobal"]);
    std::vector<model::VnetIndex> hubs;
    for (const Cursor& hub : props["hubs"].elements())
        if (const std::string* id = text_of(hub["resourceId"]))
            if (auto ref = estate.find(*id); ref && ref->kind == ResourceKind::VirtualNetwork)
                hubs.push_back(ref->as<model::VirtualNetwork>());
    const std::string name = "ConnectedGroup-" + last_segment(configuration.id);
    std::vector<model::VnetIndex> meshed; // every member of a mesh
    for (const Cursor& applied : props["appliesToGroups"].elements()) {
        const std::string* group = text_of(applied["networkGroupId"]);
        const bool direct = model::same_id(text_or_empty(applied["groupConnectivity"]), "DirectlyConnected");
        const bool gateway = flag(applied["useHubGateway"]);
        std::vector<model::VnetIndex> members;
        for (model::VnetIndex v : estate.virtual_networks.indices()) {
            model::VirtualNetwork& vnet = estate.virtual_networks[v];
            std::optional<std::string> held =
                group ? holds(found, model::id_key(*group), model::id_key(vnet.id))
                      : std::optional<std::string>("its network group is unknown");
            if (held && held->empty()) {
                members.push_back(v);
            } else if (held && vnet.connectivity_unknown.empty()) {
                vnet.connectivity_unknown =
                    fmt::format("connectivity configuration {} may connect it to other VNets: {}",
                                configuration.name, *held);
            }
        }
        // Hub and spoke: peerings both ways, across regions too (global peering); with "use hub as
        // gateway", gateway transit from the hub.
        if (mesh) {
            meshed.insert(meshed.end(), members.begin(), members.end());
            continue;
        }
        for (model::VnetIndex spoke : members)
            for (model::VnetIndex hub : hubs)
                if (spoke != hub) {
                    add_peering(estate, hub, spoke, "ANM-" + last_segment(configuration.id), gateway, false);
                    add_peering(estate, spoke, hub, "ANM-" + last_segment(configuration.id), false, gateway);
                }
        if (direct) // the group's spokes with one another
            connect_all(estate, members, name, global);
    }
    connect_all(estate, meshed, name, global); // a mesh: every member of every group with every other
}

} // namespace

// Gathers the managers, their groups and their security admin rules, then gives each VNet the rules
// of the collections whose groups hold it. Conservative readings, each said where it applies: a
// group the input lists no static member of, or one an Azure Policy definition in the input adds
// members to, may hold any VNet of its manager's scope (its rules then may or may not apply); a
// configuration is read as deployed (a deployment is an action, not a resource an export shows).
void EstateBuilder::read_network_managers() {
    Managers found;
    FieldReader read(diagnostics_, nullptr);
    std::vector<std::pair<std::string, const Staged*>> rules; // collection id, rule
    std::vector<std::string> configurations;                  // security admin configurations' ids
    std::vector<const Staged*> connectivity;                  // connectivity configurations
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        const std::string type = model::id_key(other.type);
        if (type == kManager) {
            found.managers.push_back({other.id, other.name, manager_subscriptions(s.body),
                                      grants(s.body, "SecurityAdmin"), grants(s.body, "Connectivity"),
                                      false});
        } else if (type == kGroup) {
            found.groups[model::id_key(other.id)].name = other.name;
        } else if (type == kStaticMember) {
            NetworkGroup& group = found.groups[model::id_key(model::parse_resource_id(other.id).parent_id)];
            const Cursor member = s.body["properties"]["resourceId"];
            if (const std::string* id = text_of(member))
                group.members.push_back(model::id_key(*id));
            else if (member.value && member.value->is_unknown())
                group.members_unknown =
                    "a static member's id is unknown: " + member.value->as_unknown().reason;
        } else if (type == kRuleCollection) {
            RuleCollection collection{other.id, collection_label(other.id), {}, {}, {}};
            const Cursor groups = s.body["properties"]["appliesToGroups"];
            if (auto reason = unknown_reason(groups))
                collection.groups_unknown = "the network groups it applies to are unknown: " + *reason;
            for (const Cursor& g : groups.elements()) {
                if (const std::string* id = text_of(g["networkGroupId"]))
                    collection.groups.push_back(model::id_key(*id));
                else if (auto reason = unknown_reason(g["networkGroupId"]))
                    collection.groups_unknown = "a network group it applies to is unknown: " + *reason;
            }
            found.collections.push_back(std::move(collection));
        } else if (type == kAdminConfiguration) {
            configurations.push_back(other.id);
        } else if (type == kConnectivityConfiguration) {
            connectivity.push_back(&s);
        } else if (type == kAdminRule) {
            rules.emplace_back(model::parse_resource_id(other.id).parent_id, &s);
        } else if (type == kPolicyDefinition) {
            const Cursor then = s.body["properties"]["policyRule"]["then"];
            if (!model::same_id(read.string_or(then["effect"], ""), "addToNetworkGroup"))
                continue;
            const Cursor group = then["details"]["networkGroupId"];
            if (const std::string* id = text_of(group))
                found.groups[model::id_key(*id)].members_unknown =
                    fmt::format("Azure Policy definition {} adds VNets to it", other.name);
            else
                found.policy_unknown =
                    fmt::format("Azure Policy definition {} adds VNets to a network group the "
                                "input cannot tell",
                                other.name);
        }
    }
    for (const std::string& configuration : configurations)
        if (Manager* manager = found.manager(model::parse_resource_id(configuration).parent_id))
            manager->has_admin_configuration = true;
    for (const Staged* s : connectivity)
        if (Manager* manager = found.manager(model::parse_resource_id(estate_.others[s->index].id).parent_id))
            manager->has_connectivity_configuration = true;
    for (const auto& [collection_id, staged] : rules) {
        const model::OtherResource& other = estate_.others[staged->index];
        RuleCollection* collection = found.collection(collection_id);
        if (!collection) {
            found.collections.push_back({collection_id,
                                         collection_label(collection_id),
                                         {},
                                         "its rule collection is outside the input",
                                         {}});
            collection = &found.collections.back();
        }
        model::SecurityAdminRule rule = read_admin_rule(read, other.id, staged->body);
        rule.collection = collection->label;
        collection->rules.push_back(std::move(rule));
    }
    for (const std::string& configuration : configurations) {
        const bool has_collection =
            std::any_of(found.collections.begin(), found.collections.end(), [&](const RuleCollection& c) {
                return model::same_id(ancestor_of_type(c.id, kAdminConfiguration), configuration);
            });
        if (!has_collection) // its rules may apply to any VNet of the scope
            found.collections.push_back({configuration + "/ruleCollections/(outside the input)",
                                         last_segment(configuration) + " (its rule collections)",
                                         {},
                                         "the input holds none of its rule collections",
                                         {}});
    }
    apply(found, configurations.size(), estate_, diagnostics_);
    for (const Staged* s : connectivity)
        connect(found, estate_.others[s->index], s->body, estate_);
}

} // namespace ztnet::load::detail
