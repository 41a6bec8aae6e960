#include "ztnet/exposure/services.h"

namespace ztnet::exposure {

using reach::ServiceSet;

ServiceSet tcp_to(const net::PortSet& destination_ports) {
    return ServiceSet::of(net::ProtocolSet::single(kTcp), net::PortSet::all(), destination_ports);
}

ServiceSet management_ports() {
    net::PortSet ports;
    ports.insert(22);
    ports.insert(3389);
    return tcp_to(ports);
}

ServiceSet app_gateway_infrastructure_ports() {
    return tcp_to(net::PortSet::range(65200, 65535));
}

std::string management_names(const ServiceSet& services) {
    bool ssh = services.overlaps(tcp_to(net::PortSet::single(22)));
    bool rdp = services.overlaps(tcp_to(net::PortSet::single(3389)));
    if (ssh && rdp)
        return "SSH and RDP";
    return ssh ? "SSH" : rdp ? "RDP" : "management";
}

} // namespace ztnet::exposure
