// Test helper: writes small export-shaped resources (VNets with subnets and peerings, NSGs with rules,
// NICs, ASGs) as JSON and loads them through load::build_estate, so the policy tests see estates exactly
// as the loader makes them.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/estate_builder.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::policy::testing {

inline std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

inline std::string json_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + quoted(items[i]);
    return out + "]";
}

/// One side of a rule as written: address entries ("*", prefixes, tags), or ASG names.
struct Side {
    std::vector<std::string> addresses;
    std::vector<std::string> asgs;
};

struct RuleSpec {
    std::string name;
    int priority = 100;
    std::string direction = "Inbound";
    std::string access = "Allow";
    std::string protocol = "*";
    Side source{{"*"}, {}};
    std::vector<std::string> source_ports{"*"};
    Side destination{{"*"}, {}};
    std::vector<std::string> destination_ports{"*"};
};

struct SubnetSpec {
    std::string name;
    std::string prefix;
    std::string nsg; // empty: none
};

struct PeeringSpec {
    std::string name;
    std::string remote_vnet;               // name of the remote VNet (may be absent from the estate)
    std::vector<std::string> remote_space; // remoteAddressSpace as recorded on the peering
    bool allow_virtual_network_access = true;
};

class ExportBuilder {
  public:
    static std::string id(const std::string& type, const std::string& name) {
        return "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/" + type + "/" + name;
    }

    ExportBuilder& vnet(const std::string& name, const std::vector<std::string>& space,
                        const std::vector<SubnetSpec>& subnets,
                        const std::vector<PeeringSpec>& peerings = {}) {
        const std::string vnet_id = id("virtualNetworks", name);
        std::string subnet_json;
        for (const SubnetSpec& s : subnets) {
            if (!subnet_json.empty())
                subnet_json += ",";
            subnet_json += R"({"name": ")" + s.name + R"(", "id": ")" + vnet_id + "/subnets/" + s.name +
                           R"(", "properties": {"addressPrefix": ")" + s.prefix + "\"";
            if (!s.nsg.empty())
                subnet_json +=
                    R"(, "networkSecurityGroup": {"id": ")" + id("networkSecurityGroups", s.nsg) + "\"}";
            subnet_json += "}}";
        }
        std::string peering_json;
        for (const PeeringSpec& p : peerings) {
            if (!peering_json.empty())
                peering_json += ",";
            peering_json +=
                R"({"name": ")" + p.name + R"(", "id": ")" + vnet_id + "/virtualNetworkPeerings/" + p.name +
                R"(", "properties": {"remoteVirtualNetwork": {"id": ")" +
                id("virtualNetworks", p.remote_vnet) + R"("}, "remoteAddressSpace": {"addressPrefixes": )" +
                json_list(p.remote_space) + R"(}, "allowVirtualNetworkAccess": )" +
                (p.allow_virtual_network_access ? "true" : "false") + "}}";
        }
        resources_.push_back(R"({"id": ")" + vnet_id + R"(", "name": ")" + name +
                             R"(", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
            "properties": {"addressSpace": {"addressPrefixes": )" +
                             json_list(space) + R"(}, "subnets": [)" + subnet_json +
                             R"(], "virtualNetworkPeerings": [)" + peering_json + "]}}");
        return *this;
    }

    ExportBuilder& nsg(const std::string& name, const std::vector<RuleSpec>& rules) {
        std::string rule_json;
        for (const RuleSpec& r : rules) {
            if (!rule_json.empty())
                rule_json += ",";
            rule_json += R"({"name": ")" + r.name + R"(", "properties": {"priority": )" +
                         std::to_string(r.priority) + R"(, "direction": ")" + r.direction +
                         R"(", "access": ")" + r.access + R"(", "protocol": ")" + r.protocol + "\", " +
                         side("source", r.source) + ", " + side("destination", r.destination) +
                         R"(, "sourcePortRanges": )" + json_list(r.source_ports) +
                         R"(, "destinationPortRanges": )" + json_list(r.destination_ports) + "}}";
        }
        resources_.push_back(
            R"({"id": ")" + id("networkSecurityGroups", name) + R"(", "name": ")" + name +
            R"(", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
            "properties": {"securityRules": [)" +
            rule_json + "]}}");
        return *this;
    }

    ExportBuilder& asg(const std::string& name) {
        resources_.push_back(
            R"({"id": ")" + id("applicationSecurityGroups", name) + R"(", "name": ")" + name +
            R"(", "type": "Microsoft.Network/applicationSecurityGroups", "location": "westeurope",
            "properties": {}})");
        return *this;
    }

    /// A NIC with one ip configuration in `vnet`/`subnet`; `ip` empty leaves the private IP unknown.
    ExportBuilder& nic(const std::string& name, const std::string& vnet, const std::string& subnet,
                       const std::string& ip, const std::string& nsg = "",
                       const std::vector<std::string>& asgs = {}) {
        const std::string nic_id = id("networkInterfaces", name);
        std::string asg_json;
        for (const std::string& a : asgs)
            asg_json += std::string(asg_json.empty() ? "" : ",") + R"({"id": ")" +
                        id("applicationSecurityGroups", a) + "\"}";
        std::string config = R"({"name": "ipconfig1", "id": ")" + nic_id +
                             R"(/ipConfigurations/ipconfig1", "properties": {"subnet": {"id": ")" +
                             id("virtualNetworks", vnet) + "/subnets/" + subnet + "\"}";
        if (!ip.empty())
            config += R"(, "privateIPAddress": ")" + ip + "\"";
        config +=
            R"(, "privateIPAllocationMethod": "Dynamic", "applicationSecurityGroups": [)" + asg_json + "]}}";
        std::string body = R"({"id": ")" + nic_id + R"(", "name": ")" + name +
                           R"(", "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
            "properties": {"ipConfigurations": [)" +
                           config + "]";
        if (!nsg.empty())
            body += R"(, "networkSecurityGroup": {"id": ")" + id("networkSecurityGroups", nsg) + "\"}";
        resources_.push_back(body + "}}");
        return *this;
    }

    /// Loads everything written so far; loader diagnostics go to `diagnostics`.
    model::Estate build(Diagnostics& diagnostics) const {
        std::string text = "[";
        for (std::size_t i = 0; i < resources_.size(); ++i)
            text += (i ? ",\n" : "") + resources_[i];
        text += "]";
        auto root = json::read(text);
        EXPECT_TRUE(root.ok()) << (root.ok() ? "" : root.error().message) << "\n" << text;
        std::vector<load::RawResource> raw;
        if (root.ok()) {
            for (std::size_t i = 0; i < root->as_array().size(); ++i)
                raw.push_back({root->as_array()[i], {0, 0, "/" + std::to_string(i)}});
        }
        return load::build_estate(raw, diagnostics);
    }

  private:
    static std::string side(const std::string& prefix, const Side& s) {
        if (!s.asgs.empty()) {
            std::string refs;
            for (const std::string& a : s.asgs)
                refs += std::string(refs.empty() ? "" : ",") + R"({"id": ")" +
                        id("applicationSecurityGroups", a) + "\"}";
            return "\"" + prefix + "ApplicationSecurityGroups\": [" + refs + "]";
        }
        return "\"" + prefix + "AddressPrefixes\": " + json_list(s.addresses);
    }

    std::vector<std::string> resources_;
};

/// Index of the named resource in `items` (by Resource::name), or kNone.
template <class T>
model::IndexOf<T> index_of(const model::Table<T>& items, const std::string& name) {
    for (model::IndexOf<T> i : items.indices()) {
        if (items[i].name == name)
            return i;
    }
    return model::kNone;
}

/// A TCP/UDP/other flow from text addresses (the test fails on a bad address).
inline net::Flow flow(std::uint8_t protocol, const std::string& source, std::uint16_t source_port,
                      const std::string& destination, std::uint16_t destination_port) {
    net::Flow f;
    f.protocol = protocol;
    auto s = net::Address::parse(source);
    auto d = net::Address::parse(destination);
    EXPECT_TRUE(s.ok()) << source;
    EXPECT_TRUE(d.ok()) << destination;
    if (s.ok())
        f.source = *s;
    if (d.ok())
        f.destination = *d;
    f.source_port = source_port;
    f.destination_port = destination_port;
    return f;
}

/// Whether some diagnostic has this code and severity and its message contains `text`.
inline bool has_diagnostic(const Diagnostics& diagnostics, std::string_view code, std::string_view text,
                           Severity severity = Severity::Error) {
    for (const Diagnostic& d : diagnostics.all()) {
        if (d.code == code && d.severity == severity && d.message.find(text) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace ztnet::policy::testing
