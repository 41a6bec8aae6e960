#include "ztnet/report/inventory.h"

#include <algorithm>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/report/model_json.h"

namespace ztnet::report {

using json::Array;
using json::Object;
using json::Value;
using model::Estate;

namespace {

// Every resource with its writer's fields and what the input cannot tell, keyed for sorting.
struct Writer {
    const Estate& e;
    std::vector<std::pair<std::string, Value>> out; // (sort key, resource)

    template <class T>
    void add_all(const std::vector<T>& resources) {
        for (const T& r : resources) {
            Object o = to_json(e, r);
            if (!r.unknown_fields.empty())
                o.set("unknownFields", string_array(r.unknown_fields));
            out.emplace_back(model::id_key(r.id), std::move(o));
        }
    }

    void write_all() {
        add_all(e.resource_groups);
        add_all(e.virtual_networks);
        add_all(e.subnets);
        add_all(e.peerings);
        add_all(e.network_security_groups);
        add_all(e.application_security_groups);
        add_all(e.route_tables);
        add_all(e.network_interfaces);
        add_all(e.public_ip_addresses);
        add_all(e.load_balancers);
        add_all(e.application_gateways);
        add_all(e.waf_policies);
        add_all(e.azure_firewalls);
        add_all(e.firewall_policies);
        add_all(e.ip_groups);
        add_all(e.bastion_hosts);
        add_all(e.virtual_network_gateways);
        add_all(e.ddos_protection_plans);
        add_all(e.private_endpoints);
        add_all(e.virtual_machines);
        add_all(e.storage_accounts);
        add_all(e.network_watchers);
        add_all(e.flow_logs);
        add_all(e.diagnostic_settings);
        add_all(e.role_definitions);
        add_all(e.role_assignments);
        add_all(e.paas_services);
        add_all(e.private_dns_zones);
        add_all(e.others);
    }
};

std::size_t virtual_hub_count(const Estate& estate) {
    return static_cast<std::size_t>(
        std::count_if(estate.virtual_networks.begin(), estate.virtual_networks.end(),
                      [](const model::VirtualNetwork& v) { return v.virtual_hub.has_value(); }));
}

} // namespace

json::Value inventory_json(const Estate& estate) {
    Writer w{estate, {}};
    w.write_all();
    std::stable_sort(w.out.begin(), w.out.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    Object counts;
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        auto kind = static_cast<model::ResourceKind>(k);
        counts.set(std::string(model::kind_name(kind)), static_cast<std::int64_t>(estate.count(kind)));
    }
    if (const std::size_t hubs = virtual_hub_count(estate); hubs > 0)
        counts.set("virtualHubs", static_cast<std::int64_t>(hubs));
    Array resources;
    resources.reserve(w.out.size());
    for (auto& [key, value] : w.out)
        resources.push_back(std::move(value));
    Object root;
    root.set("counts", std::move(counts));
    root.set("resources", std::move(resources));
    return root;
}

std::string inventory_text(const Estate& estate) {
    std::string out;
    std::size_t total = 0;
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        auto kind = static_cast<model::ResourceKind>(k);
        std::size_t n = estate.count(kind);
        total += n;
        if (n > 0)
            out += fmt::format("  {:<28} {:>6}\n", model::kind_name(kind), n);
        // A Virtual WAN hub is read as a VNet with one subnet, each connection as two peerings.
        if (const std::size_t hubs = virtual_hub_count(estate);
            kind == model::ResourceKind::VirtualNetwork && hubs > 0)
            out += fmt::format("    {:<26} {:>6}\n", "of which virtualHubs", hubs);
    }
    std::size_t rules = 0;
    for (const auto& nsg : estate.network_security_groups)
        rules += nsg.rules.size();
    out += fmt::format("  {:<28} {:>6}\n", "securityRules", rules);
    return fmt::format("{} resources\n", total) + out;
}

} // namespace ztnet::report
