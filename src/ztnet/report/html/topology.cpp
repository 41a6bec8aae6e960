#include "ztnet/report/html/topology.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/reach/matrix.h"

namespace ztnet::report::html {

namespace {

// Sizes in SVG user units (pixels at 100%).
constexpr double kVnetWidth = 330;
constexpr double kHeader = 46;
constexpr double kSubnetHeight = 46;
constexpr double kCollapsedBody = 30;
constexpr double kGapX = 50;
constexpr double kGapY = 70;
constexpr double kMargin = 24;
constexpr double kInternetWidth = 170;
constexpr double kInternetHeight = 46;
constexpr double kFirstRow = kMargin + kInternetHeight + 60;
constexpr std::size_t kMaxColumns = 5;
constexpr std::size_t kMaxCollapsedColumns = 8;

std::string prefixes_text(const std::vector<net::Prefix>& prefixes) {
    std::string out;
    for (const net::Prefix& p : prefixes)
        out += (out.empty() ? "" : ", ") + p.to_string();
    return out;
}

Alarm alarm_of(checks::Severity severity) {
    return static_cast<Alarm>(static_cast<int>(severity) + 1);
}

// Where each subnet and VNet sits in the layout.
struct Place {
    std::size_t vnet = 0;
    std::size_t subnet = SIZE_MAX; // SIZE_MAX: the VNet itself
};

class Builder {
  public:
    Builder(const model::Estate& estate, const TopologyOptions& options)
        : estate_(estate), options_(options) {}

    Topology build(const checks::AuditResult& audit, const reach::Reachability* reach,
                   const reach::VerifyResult* verified) {
        add_vnets();
        index_resources();
        add_badges();
        add_findings(audit.run);
        if (reach && audit.matrix)
            add_internet(*audit.matrix, audit.internet_cells, *reach);
        if (reach && verified)
            add_intent(*verified, *reach);
        add_peerings();
        arrange();
        return std::move(out_);
    }

  private:
    void add_vnets() {
        for (model::VnetIndex v : estate_.virtual_networks.indices()) {
            const model::VirtualNetwork& vnet = estate_.virtual_networks[v];
            VnetBox box;
            box.vnet = v;
            box.name = vnet.name;
            box.address_space = prefixes_text(vnet.address_space);
            for (model::SubnetIndex s : vnet.subnets) {
                const model::Subnet& subnet = estate_.subnets[s];
                SubnetBox sb;
                sb.subnet = s;
                sb.name = subnet.name;
                sb.prefixes = prefixes_text(subnet.address_prefixes);
                if (!subnet.network_security_group.is_none())
                    sb.nsg = estate_.network_security_groups[subnet.network_security_group].name;
                else if (!subnet.network_security_group_unknown.empty())
                    sb.nsg = "unknown NSG";
                if (!subnet.route_table.is_none())
                    sb.route_table = estate_.route_tables[subnet.route_table].name;
                subnet_place_[s.value()] = {out_.vnets.size(), box.subnets.size()};
                box.subnets.push_back(std::move(sb));
            }
            out_.subnet_count += box.subnets.size();
            place_[model::id_key(vnet.id)] = {out_.vnets.size()};
            out_.vnets.push_back(std::move(box));
        }
        out_.collapsed = out_.subnet_count > options_.max_expanded_subnets;
        for (VnetBox& v : out_.vnets)
            v.collapsed = out_.collapsed;
    }

    void at_subnet(const std::string& id, model::SubnetIndex s) {
        if (s.is_none())
            return;
        auto it = subnet_place_.find(s.value());
        if (it != subnet_place_.end())
            place_.try_emplace(model::id_key(id), it->second);
    }

    // Every resource a finding may be about, placed at the subnet it sits in.
    void index_resources() {
        for (model::SubnetIndex s : estate_.subnets.indices())
            at_subnet(estate_.subnets[s].id, s);
        for (const model::NetworkSecurityGroup& nsg : estate_.network_security_groups)
            for (model::SubnetIndex s : nsg.subnets)
                at_subnet(nsg.id, s);
        for (const model::NetworkInterface& nic : estate_.network_interfaces)
            for (const model::IpConfiguration& ip : nic.ip_configurations) {
                at_subnet(nic.id, ip.subnet);
                if (!nic.virtual_machine.is_none())
                    at_subnet(estate_.virtual_machines[nic.virtual_machine].id, ip.subnet);
            }
        for (const model::ApplicationGateway& g : estate_.application_gateways)
            for (model::SubnetIndex s : g.subnets)
                at_subnet(g.id, s);
        for (const model::LoadBalancer& lb : estate_.load_balancers)
            for (const model::Frontend& f : lb.frontends)
                at_subnet(lb.id, f.subnet);
        for (const model::AzureFirewall& fw : estate_.azure_firewalls)
            at_subnet(fw.id, fw.subnet);
        for (const model::BastionHost& b : estate_.bastion_hosts)
            at_subnet(b.id, b.subnet);
        for (const model::VirtualNetworkGateway& g : estate_.virtual_network_gateways)
            at_subnet(g.id, g.subnet);
        for (const model::PrivateEndpoint& pe : estate_.private_endpoints)
            at_subnet(pe.id, pe.subnet);
    }

    SubnetBox* subnet_box(model::SubnetIndex s) {
        auto it = subnet_place_.find(s.value());
        return it == subnet_place_.end() ? nullptr : &out_.vnets[it->second.vnet].subnets[it->second.subnet];
    }

    void badge(model::SubnetIndex s, std::string text) {
        if (SubnetBox* box = s.is_none() ? nullptr : subnet_box(s))
            box->badges.push_back(std::move(text));
    }

    void add_badges() {
        for (const model::AzureFirewall& fw : estate_.azure_firewalls)
            badge(fw.subnet, "FW " + fw.name);
        for (const model::ApplicationGateway& g : estate_.application_gateways)
            for (model::SubnetIndex s : g.subnets)
                badge(s, "AGW " + g.name);
        for (const model::LoadBalancer& lb : estate_.load_balancers)
            for (const model::Frontend& f : lb.frontends)
                if (!f.subnet.is_none()) {
                    badge(f.subnet, "LB " + lb.name);
                    break;
                }
        for (const model::BastionHost& b : estate_.bastion_hosts)
            badge(b.subnet, "BAS " + b.name);
        for (const model::VirtualNetworkGateway& g : estate_.virtual_network_gateways)
            badge(g.subnet, "GW " + g.name);
        // Counts: VMs (a scale set counts its instances) and private endpoints.
        std::map<std::uint32_t, std::int64_t> vms, endpoints;
        for (const model::VirtualMachine& vm : estate_.virtual_machines)
            for (model::NicIndex n : vm.network_interfaces)
                if (!estate_.network_interfaces[n].ip_configurations.empty() &&
                    !estate_.network_interfaces[n].ip_configurations[0].subnet.is_none()) {
                    vms[estate_.network_interfaces[n].ip_configurations[0].subnet.value()] +=
                        vm.scale_set ? std::max<std::int64_t>(vm.instances, 1) : 1;
                    break;
                }
        for (const model::PrivateEndpoint& pe : estate_.private_endpoints)
            if (!pe.subnet.is_none())
                ++endpoints[pe.subnet.value()];
        for (const auto& [s, n] : vms)
            badge(model::SubnetIndex(s), fmt::format("{} VM", n));
        for (const auto& [s, n] : endpoints)
            badge(model::SubnetIndex(s), fmt::format("{} PE", n));
    }

    void add_findings(const checks::CheckRun& run) {
        for (const checks::Finding& f : run.findings) {
            if (f.suppressed_by)
                continue;
            auto it = place_.find(model::id_key(f.resource_id));
            const checks::Check* check = checks::find_check(f.check_id);
            if (it == place_.end() || !check)
                continue;
            const Alarm alarm = alarm_of(check->severity);
            VnetBox& vnet = out_.vnets[it->second.vnet];
            vnet.alarm = std::max(vnet.alarm, alarm);
            ++vnet.findings;
            if (it->second.subnet != SIZE_MAX) {
                SubnetBox& subnet = vnet.subnets[it->second.subnet];
                subnet.alarm = std::max(subnet.alarm, alarm);
                ++subnet.findings;
            }
        }
    }

    void add_internet(const reach::ReachMatrix& matrix, const std::vector<std::size_t>& cells,
                      const reach::Reachability& reach) {
        static constexpr std::uint16_t kManagement[] = {22, 3389, 5985, 5986, 445};
        std::map<std::uint32_t, reach::ServiceSet> reached;
        const auto& endpoints = reach.endpoints().endpoints;
        for (std::size_t c : cells) {
            const reach::MatrixCell& cell = matrix.cells[c];
            if (matrix.groups[cell.from].kind != "internet" || cell.allowed.empty())
                continue;
            for (std::uint32_t e : matrix.groups[cell.to].endpoints) {
                const model::SubnetIndex s = endpoints[e].endpoint.subnet;
                if (!s.is_none())
                    reached[s.value()] = reached[s.value()].unite(cell.allowed);
            }
        }
        for (const auto& [s, allowed] : reached) {
            const reach::ServiceSet& services =
                allowed; // a lambda cannot capture a structured binding (C++20 in clang 14)
            auto it = subnet_place_.find(s);
            if (it == subnet_place_.end())
                continue;
            SubnetBox& box = out_.vnets[it->second.vnet].subnets[it->second.subnet];
            box.from_internet = services.to_string();
            box.management_exposed =
                std::any_of(std::begin(kManagement), std::end(kManagement), [&](std::uint16_t p) {
                    return services.contains(reach::Service{6, 49152, p});
                });
            ++out_.vnets[it->second.vnet].exposed_subnets;
            out_.entries.push_back(
                {it->second.vnet, it->second.subnet, box.from_internet, box.management_exposed});
        }
    }

    void add_intent(const reach::VerifyResult& verified, const reach::Reachability& reach) {
        const auto& endpoints = reach.endpoints().endpoints;
        for (const reach::Violation& v : verified.violations)
            if (v.kind == reach::Violation::Kind::Excess && v.to < endpoints.size())
                if (SubnetBox* box = subnet_box(endpoints[v.to].endpoint.subnet))
                    box->intent_violated = true;
    }

    void add_peerings() {
        // Per pair of VNets, the directions the input holds a peering for (1: lower to higher, 2: back).
        std::map<std::pair<std::size_t, std::size_t>, std::pair<int, bool>> pairs;
        for (const model::Peering& p : estate_.peerings) {
            if (p.virtual_network.is_none() || p.remote_virtual_network.is_none())
                continue;
            const std::size_t a = p.virtual_network.value(), b = p.remote_virtual_network.value();
            auto& [directions, hub] = pairs[{std::min(a, b), std::max(a, b)}];
            directions |= a < b ? 1 : 2;
            hub = hub || p.virtual_hub_connection;
        }
        for (const auto& [ends, seen] : pairs)
            out_.peerings.push_back({ends.first, ends.second, seen.second, seen.first != 3});
    }

    bool is_hub(std::size_t v) const {
        const model::VirtualNetwork& vnet = estate_.virtual_networks[model::VnetIndex(v)];
        if (vnet.virtual_hub)
            return true;
        for (model::SubnetIndex s : vnet.subnets) {
            const std::string& name = estate_.subnets[s].name;
            if (name == "AzureFirewallSubnet" || name == "GatewaySubnet")
                return true;
        }
        // A VNet peered with two or more that each have fewer peerings.
        std::size_t own = degree(v);
        if (own < 2)
            return false;
        for (const PeeringLine& p : out_.peerings)
            if ((p.from == v || p.to == v) && degree(p.from == v ? p.to : p.from) >= own)
                return false;
        return true;
    }

    std::size_t degree(std::size_t v) const {
        return static_cast<std::size_t>(
            std::count_if(out_.peerings.begin(), out_.peerings.end(),
                          [&](const PeeringLine& p) { return p.from == v || p.to == v; }));
    }

    double height_of(const VnetBox& v) const {
        return kHeader +
               (v.collapsed ? kCollapsedBody : static_cast<double>(v.subnets.size()) * kSubnetHeight + 8);
    }

    // Places a row of boxes centred on `width`, from `y`; returns the row's height.
    double place_row(const std::vector<std::size_t>& row, double y, double width) {
        const double used =
            static_cast<double>(row.size()) * kVnetWidth + static_cast<double>(row.size() - 1) * kGapX;
        double x = (width - used) / 2;
        double tallest = 0;
        for (std::size_t v : row) {
            VnetBox& box = out_.vnets[v];
            box.box = {x, y, kVnetWidth, height_of(box)};
            tallest = std::max(tallest, box.box.height);
            x += kVnetWidth + kGapX;
        }
        return tallest;
    }

    void arrange() {
        std::vector<std::size_t> hubs, spokes;
        for (std::size_t v = 0; v < out_.vnets.size(); ++v) {
            out_.vnets[v].hub = is_hub(v);
            (out_.vnets[v].hub ? hubs : spokes).push_back(v);
        }
        // Spokes under the first hub they peer with, in the hubs' order; the unpeered last.
        auto parent = [&](std::size_t v) {
            for (std::size_t h = 0; h < hubs.size(); ++h)
                for (const PeeringLine& p : out_.peerings)
                    if ((p.from == v && p.to == hubs[h]) || (p.to == v && p.from == hubs[h]))
                        return h;
            return hubs.size();
        };
        std::stable_sort(spokes.begin(), spokes.end(),
                         [&](std::size_t a, std::size_t b) { return parent(a) < parent(b); });
        // Collapsed boxes are short: a large estate gets more of them per row.
        const std::size_t columns = std::clamp<std::size_t>(
            static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(spokes.size())))), 1,
            out_.collapsed ? kMaxCollapsedColumns : kMaxColumns);
        const std::size_t widest = std::max(hubs.size(), std::min(columns, spokes.size()));
        out_.width = std::max(2 * kMargin + static_cast<double>(widest) * (kVnetWidth + kGapX) - kGapX,
                              2 * kMargin + kInternetWidth);
        out_.internet = {(out_.width - kInternetWidth) / 2, kMargin, kInternetWidth, kInternetHeight};
        double y = kFirstRow;
        if (!hubs.empty())
            y += place_row(hubs, y, out_.width) + kGapY;
        for (std::size_t at = 0; at < spokes.size(); at += columns) {
            std::vector<std::size_t> row(
                spokes.begin() + static_cast<std::ptrdiff_t>(at),
                spokes.begin() + static_cast<std::ptrdiff_t>(std::min(at + columns, spokes.size())));
            y += place_row(row, y, out_.width) + kGapY;
        }
        out_.height = y - kGapY + kMargin + (out_.vnets.empty() ? kGapY : 0);
        for (VnetBox& v : out_.vnets) {
            double sy = v.box.y + kHeader;
            for (SubnetBox& s : v.subnets) {
                s.box = {v.box.x + 8, sy, v.box.width - 16, kSubnetHeight - 6};
                sy += kSubnetHeight;
            }
        }
    }

    const model::Estate& estate_;
    TopologyOptions options_;
    Topology out_;
    std::unordered_map<std::uint32_t, Place> subnet_place_;
    std::unordered_map<std::string, Place> place_;
};

} // namespace

void mark_newly_reached(Topology& topology, const std::vector<model::SubnetIndex>& subnets) {
    for (VnetBox& v : topology.vnets)
        for (SubnetBox& s : v.subnets)
            if (std::find(subnets.begin(), subnets.end(), s.subnet) != subnets.end())
                s.newly_reached = true;
}

Topology layout_topology(const model::Estate& estate, const checks::AuditResult& audit,
                         const reach::Reachability* reach, const reach::VerifyResult* verified,
                         const TopologyOptions& options) {
    return Builder(estate, options).build(audit, reach, verified);
}

} // namespace ztnet::report::html
