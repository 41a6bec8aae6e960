// The estate drawn: VNets as boxes holding their subnets (with NSG, route table and what runs in
// them), peerings between the boxes, the Internet above with a line to every subnet it reaches,
// and what is wrong highlighted (findings by severity, Internet exposure of management ports,
// flows the intent does not allow). The layout is computed here, as plain numbers, and drawn as SVG
// by topology_svg: a layered hub-and-spoke layout (the Internet, then the hubs, then the spokes
// under the hub they peer with) is what these estates are, and computing it here keeps the report
// free of a layout engine and its output format (see docs/audit.md, "HTML").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ztnet/checks/audit.h"
#include "ztnet/model/estate.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/reach/verify.h"

namespace ztnet::report::html {

struct Box {
    double x = 0, y = 0, width = 0, height = 0;
};

/// How bad what the report says about a place is: the worst unsuppressed finding on it.
enum class Alarm : std::uint8_t { None, Low, Medium, High, Critical };

struct SubnetBox {
    Box box;
    model::SubnetIndex subnet = model::kNone;
    std::string name;
    std::string prefixes;    // "10.1.1.0/24"
    std::string nsg;         // its NSG's name, "" when none
    std::string route_table; // its route table's name, "" when none
    /// What runs in it, short: "FW", "AGW agw-spoke", "LB", "BAS", "GW", "3 VM", "2 PE".
    std::vector<std::string> badges;
    Alarm alarm = Alarm::None;
    std::size_t findings = 0;
    /// What the Internet reaches in it ("tcp/443"), "" when nothing.
    std::string from_internet;
    bool management_exposed = false; // SSH, RDP, WinRM or SMB from the Internet
    bool intent_violated = false;    // an excess flow of the intent ends here
    bool newly_reached = false;      // a flow a change newly allows ends here (diff)
};

struct VnetBox {
    Box box;
    model::VnetIndex vnet = model::kNone;
    std::string name;
    std::string address_space;
    bool hub = false;
    /// Drawn as its header and a summary line only (large estates); its subnets are listed in the
    /// report's collapsible inventory instead.
    bool collapsed = false;
    std::vector<SubnetBox> subnets;
    Alarm alarm = Alarm::None; // the worst of its own findings and its subnets'
    std::size_t findings = 0;
    std::size_t exposed_subnets = 0;
};

struct PeeringLine {
    std::size_t from = 0, to = 0; // indices into Topology::vnets
    bool hub_connection = false;  // a Virtual WAN hub connection
    bool one_way = false;         // only one side of the peering is in the input
};

/// A line from the Internet to a subnet (or, collapsed, to its VNet).
struct EntryLine {
    std::size_t vnet = 0;
    std::size_t subnet = 0; // within the VNet; unused when the VNet is collapsed
    std::string services;
    bool management = false;
};

struct Topology {
    double width = 0, height = 0;
    Box internet;
    std::vector<VnetBox> vnets;
    std::vector<PeeringLine> peerings;
    std::vector<EntryLine> entries;
    std::size_t subnet_count = 0;
    bool collapsed = false; // every VNet drawn collapsed
};

struct TopologyOptions {
    /// Above this many subnets, VNets are drawn collapsed.
    std::size_t max_expanded_subnets = 60;
};

/// Lays out the estate. `reach` and `verified` may be null (no highlights from them).
Topology layout_topology(const model::Estate& estate, const checks::AuditResult& audit,
                         const reach::Reachability* reach, const reach::VerifyResult* verified,
                         const TopologyOptions& options = {});

/// Marks the subnets where flows a change newly allows end.
void mark_newly_reached(Topology& topology, const std::vector<model::SubnetIndex>& subnets);

/// The drawing: an <svg> element, every text escaped, subnets and VNets carrying data-find
/// attributes the page's script uses to filter the findings by them.
std::string topology_svg(const Topology& topology);

} // namespace ztnet::report::html
