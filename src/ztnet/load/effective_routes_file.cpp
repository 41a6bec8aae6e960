#include "ztnet/load/effective_routes_file.h"

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/net/prefix.h"

namespace ztnet::load {

using model::Index;

namespace {

// The network interface named `nic` (by id, or by name when only one has it).
std::optional<Index> find_nic(const model::Estate& estate, const std::string& nic, std::string& why) {
    if (auto ref = estate.find(nic); ref && ref->kind == model::ResourceKind::NetworkInterface)
        return ref->index;
    std::optional<Index> found;
    for (Index n = 0; n < estate.network_interfaces.size(); ++n) {
        if (!model::same_id(estate.network_interfaces[n].name, nic))
            continue;
        if (found) {
            why = fmt::format("several network interfaces are named {}: give its id", nic);
            return std::nullopt;
        }
        found = n;
    }
    if (!found)
        why = fmt::format("the estate has no network interface {}", nic);
    return found;
}

const std::string* text(const json::Value* v) {
    return v && v->is_string() ? &v->as_string() : nullptr;
}

} // namespace

void apply_effective_routes(model::Estate& estate, const std::string& nic, const json::Value& root,
                            FileId file, Diagnostics& diagnostics) {
    const std::string name = "effective routes of " + nic;
    auto error = [&](const json::Value& at, const std::string& pointer, std::string message) {
        diagnostics.error("effective-routes", std::move(message), SourceLocation{file, at.offset(), pointer});
    };
    const json::Value* routes = &root;
    std::string base;
    if (root.is_object()) {
        routes = root.find("value");
        base = "/value";
    }
    if (!routes || !routes->is_array()) {
        error(root, "",
              fmt::format("{}: expected the output of az network nic show-effective-route-table (an "
                          "object with a \"value\" array of routes, or that array)",
                          name));
        return;
    }
    std::string why;
    const std::optional<Index> n = find_nic(estate, nic, why);
    if (!n) {
        error(root, "", fmt::format("--routes {}: {}", nic, why));
        return;
    }
    std::vector<net::Prefix> learned;
    for (std::size_t i = 0; i < routes->as_array().size(); ++i) {
        const json::Value& route = routes->as_array()[i];
        const std::string pointer = fmt::format("{}/{}", base, i);
        if (!route.is_object()) {
            error(route, pointer, fmt::format("{}: expected a route object", name));
            continue;
        }
        const std::string* source = text(route.find("source"));
        const std::string* state = text(route.find("state"));
        if (!source || !model::same_id(*source, "VirtualNetworkGateway") ||
            (state && !model::same_id(*state, "Active")))
            continue;
        const json::Value* prefixes = route.find("addressPrefix");
        if (!prefixes || !prefixes->is_array()) {
            error(route, pointer + "/addressPrefix",
                  fmt::format("{}: expected addressPrefix, a list of prefixes", name));
            continue;
        }
        for (std::size_t k = 0; k < prefixes->as_array().size(); ++k) {
            const json::Value& p = prefixes->as_array()[k];
            auto prefix = p.is_string() ? net::Prefix::parse(p.as_string()) : net::Prefix::parse("");
            if (!prefix) {
                error(p, fmt::format("{}/addressPrefix/{}", pointer, k),
                      fmt::format("{}: expected an address prefix, got {}", name,
                                  p.is_string() ? "'" + p.as_string() + "'" : std::string("another value")));
                continue;
            }
            learned.push_back(*prefix);
        }
    }
    for (const model::IpConfiguration& config : estate.network_interfaces[*n].ip_configurations) {
        if (config.subnet == model::kNone)
            continue;
        model::Subnet& subnet = estate.subnets[config.subnet];
        subnet.learned_prefixes.insert(subnet.learned_prefixes.end(), learned.begin(), learned.end());
        subnet.learned_from = fmt::format("the effective routes of {}", nic);
    }
}

} // namespace ztnet::load
