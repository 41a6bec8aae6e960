// Resources that carry traffic but are not modelled yet. Loading them as "other" without a word
// would let a check judge the traffic they carry as if they were not there; so each such type
// gets a warning. Where ztnet can tell what they touch (a Virtual WAN hub's gateways and
// appliances: build_virtual_wan.cpp) the verdicts through them are undecidable.
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
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        if (!unmodelled(other.type))
            continue;
        by_type[other.type].push_back(other.name);
        first_place.try_emplace(other.type, other.where);
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
