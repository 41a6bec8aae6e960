// Resources that carry traffic but are not modelled yet. Loading them as "other" without a word
// would let a check judge a VNet connected to a Virtual WAN hub as if the hub were not there; so
// each such type gets a warning, and a VNet whose routing a hub decides has every flow that leaves
// it undecidable (and the checks that read its subnets' routes not assessed).
#include <algorithm>
#include <map>
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

} // namespace

void EstateBuilder::mark_unmodelled_traffic() {
    read_network_managers();
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
        for (model::SubnetIndex s : v.subnets) {
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
