#include "synthetic_export.h"

#include <random>

#include <fmt/format.h>

namespace ztnet::bench {
namespace {

constexpr const char* kSub = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c";
constexpr const char* kTags[] = {"VirtualNetwork", "Internet", "AzureLoadBalancer",
                                 "Storage",        "Sql",      "AzureCloud"};
constexpr const char* kProtocols[] = {"Tcp", "Udp", "*", "Icmp"};

std::string rg_prefix(int rg) {
    return fmt::format("/subscriptions/{}/resourceGroups/rg-{}/providers/", kSub, rg);
}

class Generator {
  public:
    explicit Generator(std::uint64_t seed) : rng_(seed) {}

    std::string run(std::size_t target) {
        out_.reserve(target + (1 << 20));
        out_ += "[\n";
        for (int block = 0; out_.size() < target; ++block)
            add_block(block);
        out_ += "\n]\n";
        return std::move(out_);
    }

  private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

    void separator() {
        if (!first_)
            out_ += ",\n";
        first_ = false;
    }

    std::string address_side(int block) {
        switch (pick(4)) {
        case 0:
            return fmt::format(R"(AddressPrefix": "{}")", kTags[pick(6)]);
        case 1:
            return fmt::format(R"(AddressPrefix": "10.{}.{}.0/24")", block % 250, pick(250));
        case 2:
            return fmt::format(R"(AddressPrefixes": ["10.{}.{}.0/24", "172.16.{}.{}"])", block % 250,
                               pick(250), pick(250), pick(250));
        default:
            return R"(AddressPrefix": "*")";
        }
    }

    // One resource group's worth: a VNet with subnets, one NSG per subnet, ASGs, NICs, VMs.
    void add_block(int block) {
        std::string rg = rg_prefix(block);
        const int subnets = 4;
        separator();
        out_ += fmt::format(R"({{"id": "{0}Microsoft.Network/virtualNetworks/vnet-{1}", "name": "vnet-{1}",
 "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
 "properties": {{"addressSpace": {{"addressPrefixes": ["10.{2}.0.0/16"]}}, "subnets": [)",
                            rg, block, block % 250);
        for (int s = 0; s < subnets; ++s) {
            out_ += fmt::format(
                R"({}{{"id": "{}Microsoft.Network/virtualNetworks/vnet-{}/subnets/snet-{}", "name": "snet-{}",
   "properties": {{"addressPrefix": "10.{}.{}.0/24", "provisioningState": "Succeeded",
   "networkSecurityGroup": {{"id": "{}Microsoft.Network/networkSecurityGroups/nsg-{}-{}"}}}}}})",
                s ? ",\n  " : "\n  ", rg, block, s, s, block % 250, s, rg, block, s);
        }
        out_ += "]}}";
        for (int a = 0; a < 3; ++a) {
            separator();
            out_ += fmt::format(
                R"({{"id": "{0}Microsoft.Network/applicationSecurityGroups/asg-{1}-{2}", "name": "asg-{1}-{2}",
 "type": "Microsoft.Network/applicationSecurityGroups", "location": "westeurope", "properties": {{}}}})",
                rg, block, a);
        }
        for (int s = 0; s < subnets; ++s)
            add_nsg(rg, block, s);
        for (int n = 0; n < 8; ++n)
            add_nic_and_vm(rg, block, n % subnets, n);
    }

    void add_nsg(const std::string& rg, int block, int subnet) {
        separator();
        out_ += fmt::format(
            R"({{"id": "{0}Microsoft.Network/networkSecurityGroups/nsg-{1}-{2}", "name": "nsg-{1}-{2}",
 "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
 "properties": {{"securityRules": [)",
            rg, block, subnet);
        int rules = 8 + pick(16);
        for (int r = 0; r < rules; ++r) {
            const char* direction = r % 2 ? "Outbound" : "Inbound";
            std::string source =
                pick(5) == 0
                    ? fmt::format(
                          R"("sourceApplicationSecurityGroups": [{{"id": "{}Microsoft.Network/applicationSecurityGroups/asg-{}-{}"}}])",
                          rg, block, pick(3))
                    : "\"source" + address_side(block);
            out_ += fmt::format(
                R"({}{{"name": "rule-{}", "id": "{}Microsoft.Network/networkSecurityGroups/nsg-{}-{}/securityRules/rule-{}",
   "properties": {{"priority": {}, "direction": "{}", "access": "{}", "protocol": "{}",
   {}, "sourcePortRange": "*", "destination{}, "destinationPortRanges": ["{}", "{}-{}"],
   "provisioningState": "Succeeded", "description": "generated rule {} of nsg {}-{}"}}}})",
                r ? ",\n  " : "\n  ", r, rg, block, subnet, r, 100 + r * 10, direction,
                pick(3) ? "Allow" : "Deny", kProtocols[pick(4)], source, address_side(block), 1 + pick(1024),
                2000 + pick(1000), 3000 + pick(1000), r, block, subnet);
        }
        out_ += "]}}";
    }

    void add_nic_and_vm(const std::string& rg, int block, int subnet, int n) {
        separator();
        out_ += fmt::format(
            R"({{"id": "{0}Microsoft.Network/networkInterfaces/nic-{1}-{2}", "name": "nic-{1}-{2}",
 "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
 "properties": {{"ipConfigurations": [{{"id": "{0}Microsoft.Network/networkInterfaces/nic-{1}-{2}/ipConfigurations/ipconfig1",
   "name": "ipconfig1", "properties": {{"privateIPAddress": "10.{3}.{4}.{5}", "privateIPAllocationMethod": "Static",
   "primary": true, "subnet": {{"id": "{0}Microsoft.Network/virtualNetworks/vnet-{1}/subnets/snet-{4}"}},
   "applicationSecurityGroups": [{{"id": "{0}Microsoft.Network/applicationSecurityGroups/asg-{1}-{6}"}}]}}}}],
   "macAddress": "00-0D-3A-{7:02X}-{8:02X}-{9:02X}"}}}})",
            rg, block, n, block % 250, subnet, 4 + n, n % 3, block % 256, n, pick(256));
        separator();
        out_ +=
            fmt::format(R"({{"id": "{0}Microsoft.Compute/virtualMachines/vm-{1}-{2}", "name": "vm-{1}-{2}",
 "type": "Microsoft.Compute/virtualMachines", "location": "westeurope",
 "properties": {{"hardwareProfile": {{"vmSize": "Standard_B2s"}},
   "securityProfile": {{"securityType": "TrustedLaunch", "uefiSettings": {{"secureBootEnabled": true, "vTpmEnabled": true}}}},
   "storageProfile": {{"osDisk": {{"osType": "Linux", "createOption": "FromImage"}}}},
   "networkProfile": {{"networkInterfaces": [{{"id": "{0}Microsoft.Network/networkInterfaces/nic-{1}-{2}"}}]}}}}}})",
                        rg, block, n);
    }

    std::mt19937_64 rng_;
    std::string out_;
    bool first_ = true;
};

} // namespace

std::string synthetic_export(std::size_t target_bytes, std::uint64_t seed) {
    return Generator(seed).run(target_bytes);
}

} // namespace ztnet::bench
