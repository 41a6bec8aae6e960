// Resources that carry traffic but are not modelled yet. Loading them as "other" without a word
// would let a check judge a VNet connected to a Virtual WAN hub as if the hub were not there; so
// each such type gets a warning, and a VNet whose routing a hub decides has every flow that leaves
// it undecidable (and the checks that read its subnets' routes not assessed).
#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::Index;
using model::kNone;
using model::ResourceKind;

namespace {

// ARM types (lower case) that route, filter or translate traffic and are not modelled yet.
constexpr std::string_view kUnmodelled[] = {
    "microsoft.network/virtualwans",
    "microsoft.network/virtualhubs",
    "microsoft.network/virtualhubs/hubvirtualnetworkconnections",
    "microsoft.network/virtualhubs/hubroutetables",
    "microsoft.network/virtualhubs/routingintent",
    "microsoft.network/networkmanagers",
    "microsoft.network/networkmanagers/connectivityconfigurations",
    "microsoft.network/networkmanagers/securityadminconfigurations",
    "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections",
    "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules",
    "microsoft.network/networkvirtualappliances",
    "microsoft.network/vpngateways",
    "microsoft.network/expressroutegateways",
    "microsoft.network/p2svpngateways",
};

bool unmodelled(std::string_view type) {
    const std::string key = model::id_key(type);
    for (std::string_view t : kUnmodelled)
        if (key == t)
            return true;
    return false;
}

const std::string* text_of(const Cursor& c) {
    return c.value && c.value->is_string() ? &c.value->as_string() : nullptr;
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

// A Virtual Network Manager as far as coverage goes: its name, the subscriptions of its scope
// (nothing: a management group, or unknown), and which configurations it may hold.
struct Manager {
    std::string name;
    std::optional<std::vector<std::string>> subscriptions;
    bool security_admin = false;
    bool connectivity = false;

    bool covers(const model::VirtualNetwork& vnet) const {
        if (!subscriptions)
            return true;
        const std::string subscription = model::id_key(model::parse_resource_id(vnet.id).subscription);
        return std::find(subscriptions->begin(), subscriptions->end(), subscription) != subscriptions->end();
    }
};

} // namespace

// A Virtual Network Manager's security admin rules apply before the NSGs, and its connectivity
// configurations connect VNets without peerings. Which VNets they cover depends on network groups
// whose members Azure Policy may choose, so the reading is the conservative one: every VNet in the
// manager's subscriptions (every VNet, when the scope is a management group or unknown) is covered.
void EstateBuilder::mark_network_managers() {
    std::vector<Manager> managers;
    Manager outside{"(outside the input)", std::nullopt, false, false}; // configurations without it
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        const std::string type = model::id_key(other.type);
        if (type.starts_with("microsoft.network/networkmanagers/securityadminconfigurations"))
            outside.security_admin = true;
        else if (type.starts_with("microsoft.network/networkmanagers/connectivityconfigurations"))
            outside.connectivity = true;
        else if (type == "microsoft.network/networkmanagers")
            managers.push_back({other.name, manager_subscriptions(s.body), grants(s.body, "SecurityAdmin"),
                                grants(s.body, "Connectivity")});
    }
    if (managers.empty())
        managers.push_back(outside);
    for (model::VirtualNetwork& vnet : estate_.virtual_networks) {
        for (const Manager& manager : managers) {
            if (!manager.covers(vnet))
                continue;
            if (manager.security_admin && vnet.admin_rules_unknown.empty())
                vnet.admin_rules_unknown =
                    fmt::format("Virtual Network Manager {} may apply security admin rules to it (before its "
                                "NSGs), which ztnet does not model yet",
                                manager.name);
            if (manager.connectivity && vnet.connectivity_unknown.empty())
                vnet.connectivity_unknown =
                    fmt::format("Virtual Network Manager {} may connect it to other VNets without a peering, "
                                "which ztnet does not model yet",
                                manager.name);
        }
    }
}

void EstateBuilder::mark_unmodelled_traffic() {
    mark_network_managers();
    std::map<std::string, std::vector<std::string>> by_type; // type -> names, in input order
    std::map<std::string, SourceLocation> first_place;
    FieldReader read(diagnostics_, nullptr);
    auto connect = [&](const std::string& vnet_id, const std::string& hub) {
        auto vnet = estate_.find(vnet_id);
        if (!vnet || vnet->kind != ResourceKind::VirtualNetwork)
            return;
        model::VirtualNetwork& v = estate_.virtual_networks[vnet->index];
        v.routing_unknown =
            fmt::format("it is connected to Virtual WAN hub {}, whose routing ztnet does not model yet", hub);
        for (Index s : v.subnets) {
            std::vector<std::string>& fields = estate_.subnets[s].unknown_fields;
            if (std::find(fields.begin(), fields.end(), "/properties/routeTable") == fields.end())
                fields.push_back("/properties/routeTable");
        }
    };
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        if (!unmodelled(other.type))
            continue;
        by_type[other.type].push_back(other.name);
        first_place.try_emplace(other.type, other.where);
        const std::string type = model::id_key(other.type);
        if (type == "microsoft.network/virtualhubs/hubvirtualnetworkconnections") {
            if (auto id = read.reference_id(s.body["properties"]["remoteVirtualNetwork"]))
                connect(*id, model::parse_resource_id(model::parse_resource_id(other.id).parent_id).name);
        } else if (type == "microsoft.network/virtualhubs") {
            for (const Cursor& c : s.body["properties"]["virtualNetworkConnections"].elements())
                if (auto id = read.reference_id(c["properties"]["remoteVirtualNetwork"]))
                    connect(*id, other.name);
        }
    }
    for (const auto& [type, names] : by_type) {
        std::string listed;
        for (std::size_t i = 0; i < names.size() && i < 3; ++i)
            listed += (i == 0 ? "" : ", ") + names[i];
        if (names.size() > 3)
            listed += fmt::format(" and {} more", names.size() - 3);
        diagnostics_.warning(
            "unmodelled-traffic-resource",
            fmt::format("{} {} ({}) carr{} traffic ztnet does not model yet: verdicts through "
                        "{} are undecidable where ztnet can tell, and may miss {} elsewhere",
                        names.size(), type, listed, names.size() == 1 ? "ies" : "y",
                        names.size() == 1 ? "it" : "them", names.size() == 1 ? "it" : "them"),
            first_place[type]);
    }
}

} // namespace ztnet::load::detail
