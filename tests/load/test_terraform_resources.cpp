// A Terraform plan as an input: its azurerm resources become the estate an export of the deployed
// result would give, with the ids Azure will give them, the associations written into the subnet
// and NIC they change, and what is known only after apply left unknown.
#include <gtest/gtest.h>

#include "ztnet/load/loader.h"

namespace ztnet::load {
namespace {

struct Loaded {
    SourceSet sources;
    Diagnostics diagnostics;
    LoadResult result;
};

std::unique_ptr<Loaded> load_plan() {
    auto out = std::make_unique<Loaded>();
    out->result = load_paths({std::string(ZTNET_SOURCE_DIR) + "/tests/data/terraform/web-vm/plan.json"}, {},
                             out->sources, out->diagnostics);
    return out;
}

TEST(TerraformResources, APlanBuildsTheEstateItDeploys) {
    auto loaded = load_plan();
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    const model::Estate& e = loaded->result.estate;
    EXPECT_EQ(loaded->result.inputs.plans.size(), 1u);
    ASSERT_EQ(e.virtual_machines.size(), 1u);
    ASSERT_EQ(e.network_interfaces.size(), 1u);
    ASSERT_EQ(e.subnets.size(), 1u);
    ASSERT_EQ(e.network_security_groups.size(), 1u);
    // Ids Azure will give, in the default subscription.
    EXPECT_EQ(e.virtual_machines.begin()->id,
              "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/"
              "Microsoft.Compute/virtualMachines/vm-web");
    // The VM's NIC, the NIC's subnet and public IP, and the subnet's NSG, all found through the plan's
    // references (every one of those ids is known only after apply).
    const model::VirtualMachine& vm = *e.virtual_machines.begin();
    ASSERT_EQ(vm.network_interfaces.size(), 1u);
    const model::NetworkInterface& nic = e.network_interfaces[vm.network_interfaces.front()];
    ASSERT_EQ(nic.ip_configurations.size(), 1u);
    const model::IpConfiguration& config = nic.ip_configurations.front();
    ASSERT_NE(config.subnet, model::kNone);
    EXPECT_NE(config.public_ip, model::kNone);
    const model::Subnet& subnet = e.subnets[config.subnet];
    ASSERT_NE(subnet.network_security_group, model::kNone);
    const model::NetworkSecurityGroup& nsg = e.network_security_groups[subnet.network_security_group];
    EXPECT_EQ(nsg.name, "nsg-web");
    ASSERT_EQ(nsg.rules.size(), 2u);
    EXPECT_EQ(nsg.rules[1].name, "AllowRdpFromInternet");
    EXPECT_TRUE(nsg.rules[1].destination_port_set.contains(3389));
    // The address Azure picks stands in, as for a template's dynamic allocation.
    EXPECT_TRUE(config.address_stand_in);
}

TEST(TerraformResources, TypesNotReadYetAreSaid) {
    auto loaded = load_plan();
    bool said = false;
    for (const Diagnostic& d : loaded->diagnostics.all())
        said = said || (d.code == "terraform-unsupported-type" &&
                        d.message.find("azurerm_key_vault (1)") != std::string::npos);
    EXPECT_TRUE(said);
}

} // namespace
} // namespace ztnet::load
