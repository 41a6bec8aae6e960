// Virtual machine scale sets: their network interface configurations are endpoints like a VM's NICs,
// and the VM checks judge their profile.
#include <string>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks::testing {
namespace {

// A scale set of three Linux instances in a subnet whose NSG allows SSH from anywhere; each instance
// gets a public IP when `public_ips`.
std::string scale_set_template(bool public_ips) {
    std::string public_ip = public_ips ? R"(,
                "publicIPAddressConfiguration": {"name": "pub", "properties": {"idleTimeoutInMinutes": 15}})"
                                       : "";
    return R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2021-02-01", "name": "nsg-vmss",
     "location": "westeurope", "properties": {"securityRules": [{"name": "Ssh", "properties": {
        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
        "destinationPortRange": "22"}}]}},
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2021-02-01", "name": "vnet",
     "location": "westeurope",
     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
       "subnets": [{"name": "snet-vmss", "properties": {"addressPrefix": "10.0.1.0/24",
         "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-vmss')]"}}}]}},
    {"type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2021-03-01", "name": "vmss-web",
     "location": "westeurope", "sku": {"name": "Standard_B2s", "capacity": 3},
     "properties": {"orchestrationMode": "Uniform", "upgradePolicy": {"mode": "Manual"},
       "virtualMachineProfile": {
         "osProfile": {"computerNamePrefix": "web", "adminUsername": "azureuser",
                       "linuxConfiguration": {"disablePasswordAuthentication": true}},
         "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "UbuntuServer",
                                               "sku": "18.04-LTS", "version": "latest"}},
         "networkProfile": {"networkInterfaceConfigurations": [{"name": "nic", "properties": {
           "primary": true,
           "ipConfigurations": [{"name": "ipconfig", "properties": {
             "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet-vmss')]"})" +
           public_ip + R"(}}]}}]}}}}]})";
}

TEST(ScaleSets, AreVirtualMachinesWithTheirInterfaces) {
    CheckFixture fixture(scale_set_template(true));
    ASSERT_FALSE(fixture.diagnostics().has_errors());
    const model::Estate& estate = fixture.estate();
    ASSERT_EQ(estate.virtual_machines.size(), 1u);
    const model::VirtualMachine& vmss = estate.virtual_machines[0];
    EXPECT_TRUE(vmss.scale_set);
    EXPECT_EQ(vmss.instances, 3);
    EXPECT_EQ(vmss.type, "Microsoft.Compute/virtualMachineScaleSets");
    EXPECT_EQ(vmss.os_type, model::OsType::Linux);
    EXPECT_TRUE(vmss.disable_password_authentication.value);
    ASSERT_EQ(vmss.network_interfaces.size(), 1u);
    const model::NetworkInterface& nic = estate.network_interfaces.at(vmss.network_interfaces[0].value());
    EXPECT_EQ(nic.virtual_machine, model::VmIndex(0u));
    ASSERT_EQ(nic.ip_configurations.size(), 1u);
    EXPECT_NE(nic.ip_configurations[0].subnet, model::kNone);
    EXPECT_NE(nic.ip_configurations[0].public_ip, model::kNone);
    EXPECT_TRUE(nic.ip_configurations[0].address_stand_in);
}

TEST(ScaleSets, SshFromTheInternetToTheInstancesIsFound) {
    CheckFixture open(scale_set_template(true));
    std::vector<Finding> path = open.run("ZT-SEG-001");
    ASSERT_EQ(path.size(), 1u);
    EXPECT_EQ(path[0].resource_name, "vmss-web");
    EXPECT_NE(path[0].message.find("SSH"), std::string::npos) << path[0].message;
    std::vector<Finding> public_ip = open.run("ZT-VM-001");
    ASSERT_EQ(public_ip.size(), 1u);
    EXPECT_EQ(public_ip[0].resource_name, "vmss-web");

    // Without public IPs the instances are not reachable from the Internet; the rule still is an
    // exposure waiting for a machine, which ZT-NET-005 reports.
    CheckFixture closed(scale_set_template(false));
    EXPECT_TRUE(closed.run("ZT-SEG-001").empty());
    EXPECT_TRUE(closed.run("ZT-VM-001").empty());
    EXPECT_EQ(closed.run("ZT-NET-005").size(), 1u);
}

} // namespace
} // namespace ztnet::checks::testing
