// Fuzz target for the effective route table reader (--routes NIC=FILE): any JSON must be applied or
// rejected cleanly. A rejection carries an error pointing inside the input; what is applied is only
// prefixes, on the subnet of the one network interface named.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/json/reader.h"
#include "ztnet/load/effective_routes_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ztnet::json::ReadLimits limits;
    limits.max_bytes = std::size_t{1} << 16;
    limits.max_depth = 16;
    auto root = ztnet::json::read(text, limits);
    if (!root)
        return 0;
    ztnet::model::Estate estate;
    estate.subnets.resize(2);
    ztnet::model::NetworkInterface nic;
    nic.id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic";
    nic.name = "nic";
    ztnet::model::IpConfiguration config;
    config.subnet = ztnet::model::SubnetIndex(1u);
    nic.ip_configurations.push_back(config);
    estate.network_interfaces.push_back(nic);
    ztnet::Diagnostics diagnostics;
    ztnet::load::apply_effective_routes(estate, "nic", *root, 0, diagnostics);
    for (const ztnet::Diagnostic& d : diagnostics.all())
        if (d.where.has_offset() && d.where.offset > size)
            std::abort();
    if (!estate.subnets[0].learned_prefixes.empty() || !estate.subnets[0].learned_from.empty())
        std::abort(); // another subnet than the interface's
    if (!estate.subnets[1].learned_prefixes.empty() && estate.subnets[1].learned_from.empty())
        std::abort(); // prefixes without saying where they came from
    return 0;
}
