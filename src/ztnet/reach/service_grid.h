// A service grid: the protocol, source-port and destination-port axes cut at every boundary some
// rule draws. Within one cell every rule matches all services or none, so deciding one
// representative flow per cell decides the whole cell: the exact, slow way to turn a one-flow
// decision procedure (a firewall, or path tracing as a whole) into a service set.
#pragma once

#include <cstdint>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/address.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/service_set.h"

namespace ztnet::reach {

enum class CellVerdict : std::uint8_t { Allowed, Denied, Undecidable };

struct GridOutcome {
    ServiceSet allowed;
    ServiceSet undecidable;
};

class ServiceGrid {
  public:
    /// Cuts for one Azure Firewall's rules: protocols TCP, UDP, ICMP and the rest; every port
    /// number its rules write (destination ports, application protocols, translated ports).
    static ServiceGrid for_firewall(const model::Estate& estate, model::FirewallIndex firewall);
    /// Cuts for everything that looks at services in the estate: every compiled NSG rule, every
    /// load-balancing rule and every firewall (the reference's grid).
    static ServiceGrid for_estate(const policy::PolicyEngine& engine);

    /// Decides every cell with `decide(flow)` on its representative flow from `source` to
    /// `destination`, and collects the allowed and undecidable cells.
    template <class Decide>
    GridOutcome evaluate(Decide decide, net::Address source, net::Address destination) const;

    std::size_t cell_count() const;

  private:
    void cut_protocol(unsigned value);
    void cut_source_port(unsigned value);
    void cut_destination_port(unsigned value);
    void cut_ports_in(std::string_view text);
    void finish();

    // Each axis lists the first value of each cell, ascending, starting at 0.
    std::vector<std::uint16_t> protocols_{0};
    std::vector<std::uint32_t> source_ports_{0};
    std::vector<std::uint32_t> destination_ports_{0};
};

template <class Decide>
GridOutcome ServiceGrid::evaluate(Decide decide, net::Address source, net::Address destination) const {
    GridOutcome out;
    auto cell_end = [](const auto& axis, std::size_t i, unsigned max) {
        return i + 1 < axis.size() ? static_cast<unsigned>(axis[i + 1] - 1) : max;
    };
    for (std::size_t p = 0; p < protocols_.size(); ++p) {
        auto protocol = static_cast<std::uint8_t>(protocols_[p]);
        net::ProtocolSet protocols =
            net::ProtocolSet::range(protocol, static_cast<std::uint8_t>(cell_end(protocols_, p, 255)));
        net::Flow flow;
        flow.protocol = protocol;
        flow.source = source;
        flow.destination = destination;
        if (!has_ports(protocol)) {
            CellVerdict v = decide(flow);
            ServiceSet cell = ServiceSet::of(protocols, net::PortSet::all(), net::PortSet::all());
            if (v == CellVerdict::Allowed)
                out.allowed = out.allowed.unite(cell);
            else if (v == CellVerdict::Undecidable)
                out.undecidable = out.undecidable.unite(cell);
            continue;
        }
        for (std::size_t s = 0; s < source_ports_.size(); ++s) {
            net::PortSet allowed;
            net::PortSet undecidable;
            flow.source_port = static_cast<std::uint16_t>(source_ports_[s]);
            for (std::size_t d = 0; d < destination_ports_.size(); ++d) {
                flow.destination_port = static_cast<std::uint16_t>(destination_ports_[d]);
                CellVerdict v = decide(flow);
                auto hi = static_cast<std::uint16_t>(cell_end(destination_ports_, d, 65535));
                if (v == CellVerdict::Allowed)
                    allowed.insert(flow.destination_port, hi);
                else if (v == CellVerdict::Undecidable)
                    undecidable.insert(flow.destination_port, hi);
            }
            net::PortSet sources = net::PortSet::range(
                flow.source_port, static_cast<std::uint16_t>(cell_end(source_ports_, s, 65535)));
            out.allowed = out.allowed.unite(ServiceSet::of(protocols, sources, allowed));
            out.undecidable = out.undecidable.unite(ServiceSet::of(protocols, sources, undecidable));
        }
    }
    return out;
}

} // namespace ztnet::reach
