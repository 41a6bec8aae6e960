#include "ztnet/reach/service_grid.h"

#include <algorithm>
#include <cctype>

#include "ztnet/policy/admin_rules.h"
#include "ztnet/route/firewall.h"

namespace ztnet::reach {
namespace {

template <class T>
void add_cut(std::vector<T>& axis, unsigned value, unsigned max) {
    if (value <= max)
        axis.push_back(static_cast<T>(value));
}

template <class T>
void tidy(std::vector<T>& axis) {
    std::sort(axis.begin(), axis.end());
    axis.erase(std::unique(axis.begin(), axis.end()), axis.end());
}

} // namespace

void ServiceGrid::cut_protocol(unsigned value) {
    add_cut(protocols_, value, 255);
}
void ServiceGrid::cut_source_port(unsigned value) {
    add_cut(source_ports_, value, 65535);
}
void ServiceGrid::cut_destination_port(unsigned value) {
    add_cut(destination_ports_, value, 65535);
}

// Every decimal number in the text bounds a cell on both sides: "443", "8000-8080", "Https:443".
// Cutting at more places than needed only makes cells smaller, never wrong.
void ServiceGrid::cut_ports_in(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        unsigned value = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            value = std::min(value * 10 + static_cast<unsigned>(text[i] - '0'), 70000U);
            ++i;
        }
        cut_destination_port(value);
        cut_destination_port(value + 1);
    }
}

void ServiceGrid::finish() {
    for (unsigned p : {1U, 2U, 6U, 7U, 17U, 18U}) // ICMP, TCP and UDP each in a cell of their own
        cut_protocol(p);
    tidy(protocols_);
    tidy(source_ports_);
    tidy(destination_ports_);
}

ServiceGrid ServiceGrid::for_firewall(const model::Estate& estate, model::FirewallIndex firewall) {
    ServiceGrid grid;
    for (const model::FirewallRule* rule : route::firewall_rules(estate, firewall)) {
        for (const std::string& ports : rule->destination_ports)
            grid.cut_ports_in(ports);
        for (const std::string& protocol : rule->protocols)
            grid.cut_ports_in(protocol);
        grid.cut_ports_in(rule->translated_port);
    }
    grid.finish();
    return grid;
}

ServiceGrid ServiceGrid::for_estate(const policy::PolicyEngine& engine) {
    ServiceGrid grid;
    const model::Estate& estate = engine.estate();
    auto cut_rule = [&grid](const policy::ResolvedRule& rule) {
        for (const auto& iv : rule.protocols.intervals()) {
            grid.cut_protocol(iv.lo);
            grid.cut_protocol(iv.hi + 1U);
        }
        for (const auto& iv : rule.source_ports.intervals()) {
            grid.cut_source_port(iv.lo);
            grid.cut_source_port(iv.hi + 1U);
        }
        for (const auto& iv : rule.destination_ports.intervals()) {
            grid.cut_destination_port(iv.lo);
            grid.cut_destination_port(iv.hi + 1U);
        }
    };
    // Protocols and ports do not depend on the VNet an NSG is compiled for: one compilation each.
    for (model::NsgIndex n : estate.network_security_groups.indices()) {
        const policy::CompiledNsg& compiled = engine.nsg(n);
        for (net::Direction d : {net::Direction::Inbound, net::Direction::Outbound}) {
            for (const policy::ResolvedRule& rule : compiled.rules(d)) {
                cut_rule(rule);
                if (rule.uncertain())
                    cut_rule(*rule.narrowest);
            }
        }
    }
    for (model::VnetIndex v : estate.virtual_networks.indices()) {
        const policy::AdminRules* admin = engine.admin_rules(v);
        for (net::Direction d : {net::Direction::Inbound, net::Direction::Outbound}) {
            for (const policy::AdminRules::Entry& entry :
                 admin ? admin->rules(d) : std::vector<policy::AdminRules::Entry>{}) {
                cut_rule(entry.resolved);
                if (entry.resolved.uncertain())
                    cut_rule(*entry.resolved.narrowest);
            }
        }
    }
    for (const model::LoadBalancer& lb : estate.load_balancers) {
        for (const model::LoadBalancingRule& rule : lb.rules) {
            for (int port : {rule.frontend_port, rule.backend_port}) {
                grid.cut_destination_port(static_cast<unsigned>(port));
                grid.cut_destination_port(static_cast<unsigned>(port) + 1U);
            }
        }
    }
    for (model::FirewallIndex f : estate.azure_firewalls.indices()) {
        ServiceGrid fw = for_firewall(estate, f);
        grid.destination_ports_.insert(grid.destination_ports_.end(), fw.destination_ports_.begin(),
                                       fw.destination_ports_.end());
    }
    grid.finish();
    return grid;
}

std::size_t ServiceGrid::cell_count() const {
    std::size_t cells = 0;
    for (std::uint16_t p : protocols_)
        cells +=
            has_ports(static_cast<std::uint8_t>(p)) ? source_ports_.size() * destination_ports_.size() : 1;
    return cells;
}

} // namespace ztnet::reach
