// Microsoft's worked example from "How network security groups filter network traffic": VM1 and
// VM2 in Subnet1 (NSG1 on the subnet), VM1's and VM3's NICs with NSG2, VM3 in Subnet2 without a
// subnet NSG, VM4 in Subnet3 without any NSG. Each case traces a whole path, as `explain` does.
#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/route/path.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

std::string nsg(const std::string& name, const std::string& rules) {
    return R"({"id": ")" + kRg + "networkSecurityGroups/" + name +
           R"(", "type": "Microsoft.Network/networkSecurityGroups",
      "name": ")" +
           name + R"(", "properties": {"securityRules": [)" + rules + "]}}";
}

std::string rule(const std::string& name, int priority, const std::string& direction,
                 const std::string& access, const std::string& source, const std::string& destination,
                 const std::string& port) {
    return R"({"name": ")" + name + R"(", "properties": {"priority": )" + std::to_string(priority) +
           R"(, "direction": ")" + direction + R"(", "access": ")" + access +
           R"(", "protocol": "Tcp", "sourceAddressPrefix": ")" + source +
           R"(", "sourcePortRange": "*", "destinationAddressPrefix": ")" + destination +
           R"(", "destinationPortRange": ")" + port + R"("}})";
}

std::string nic(int vm, int subnet, bool nsg2) {
    std::string n = std::to_string(vm);
    return R"({"id": ")" + kRg + "networkInterfaces/nic" + n +
           R"(", "type": "Microsoft.Network/networkInterfaces",
      "name": "nic)" +
           n + R"(", "properties": {)" +
           (nsg2 ? R"("networkSecurityGroup": {"id": ")" + kRg + R"(networkSecurityGroups/NSG2"},)" : "") +
           R"("ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": "10.0.)" +
           std::to_string(subnet) + "." + std::to_string(3 + vm) + R"(", "subnet": {"id": ")" + kRg +
           "virtualNetworks/vnet/subnets/Subnet" + std::to_string(subnet) +
           R"("}, "publicIPAddress": {"id": ")" + kRg + "publicIPAddresses/pip" + n + R"("}}}]}},
      {"id": ")" +
           kRg + "publicIPAddresses/pip" + n + R"(", "type": "Microsoft.Network/publicIPAddresses",
       "name": "pip)" +
           n + R"(", "sku": {"name": "Basic"}, "properties": {"ipAddress": "20.0.0.)" + n +
           R"("}},
      {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/VM)" +
           n + R"(", "type": "Microsoft.Compute/virtualMachines", "name": "VM)" + n +
           R"(", "properties": {"networkProfile": {"networkInterfaces": [{"id": ")" + kRg +
           "networkInterfaces/nic" + n + R"("}]}}})";
}

std::string estate_json(const std::string& nsg1_rules, const std::string& nsg2_rules) {
    std::string subnet1 = R"({"name": "Subnet1", "properties": {"addressPrefix": "10.0.1.0/24",
        "networkSecurityGroup": {"id": ")" +
                          kRg + R"(networkSecurityGroups/NSG1"}}})";
    return "[" + std::string(R"({"id": ")") + kRg +
           R"(virtualNetworks/vnet", "type": "Microsoft.Network/virtualNetworks",
      "name": "vnet", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [)" +
           subnet1 +
           R"(, {"name": "Subnet2", "properties": {"addressPrefix": "10.0.2.0/24"}},
             {"name": "Subnet3", "properties": {"addressPrefix": "10.0.3.0/24"}}]}},)" +
           nsg("NSG1", nsg1_rules) + "," + nsg("NSG2", nsg2_rules) + "," + nic(1, 1, true) + "," +
           nic(2, 1, false) + "," + nic(3, 2, true) + "," + nic(4, 3, false) + "]";
}

class WorkedExample : public ::testing::Test {
  protected:
    struct Outcome {
        Verdict verdict;
        std::string nsg; // the NSG whose rule decided, when an NSG denied
        std::string rule;
    };

    Outcome trace(const std::string& estate_text, const std::string& from, const std::string& to) {
        SourceSet sources;
        FileId file = sources.add("worked-example.json", estate_text);
        Diagnostics diags;
        load::LoadResult loaded = load::load_sources(sources, {file}, {}, diags);
        EXPECT_FALSE(diags.has_errors());
        policy::ServiceTags tags;
        policy::PolicyEngine engine(loaded.estate, tags, diags);
        auto a = resolve_endpoint(loaded.estate, tags, from);
        auto b = resolve_endpoint(loaded.estate, tags, to);
        EXPECT_TRUE(a.ok() && b.ok());
        PathQuery q;
        q.flow.protocol = 6;
        q.flow.source_port = 50000;
        q.flow.destination_port = 80;
        PathResult r = trace_path(engine, *a, *b, q, diags);
        Outcome out{r.verdict, "", ""};
        for (const Hop& h : r.hops) {
            if (h.kind == Hop::Kind::Nsg && h.verdict == Verdict::Denied) {
                out.nsg = h.resource_name;
                out.rule = h.rule;
                break;
            }
        }
        return out;
    }
};

TEST_F(WorkedExample, DefaultRulesOnlyInbound) {
    std::string e = estate_json("", "");
    Outcome vm1 = trace(e, "Internet", "VM1");
    EXPECT_EQ(vm1.verdict, Verdict::Denied);
    EXPECT_EQ(vm1.nsg, "NSG1");
    EXPECT_EQ(vm1.rule, "DenyAllInBound");
    Outcome vm2 = trace(e, "Internet", "VM2");
    EXPECT_EQ(vm2.verdict, Verdict::Denied);
    EXPECT_EQ(vm2.nsg, "NSG1");
    Outcome vm3 = trace(e, "Internet", "VM3");
    EXPECT_EQ(vm3.verdict, Verdict::Denied);
    EXPECT_EQ(vm3.nsg, "NSG2");
    EXPECT_EQ(trace(e, "Internet", "VM4").verdict, Verdict::Allowed);
}

TEST_F(WorkedExample, Nsg1AllowsPort80FromInternet) {
    std::string e = estate_json(rule("Allow-HTTP-All", 100, "Inbound", "Allow", "Internet", "*", "80"), "");
    Outcome vm1 = trace(e, "Internet", "VM1");
    EXPECT_EQ(vm1.verdict, Verdict::Denied); // NSG1 allows, NSG2 (NIC) still denies
    EXPECT_EQ(vm1.nsg, "NSG2");
    EXPECT_EQ(trace(e, "Internet", "VM2").verdict, Verdict::Allowed);
    EXPECT_EQ(trace(e, "Internet", "VM3").verdict, Verdict::Denied);
    EXPECT_EQ(trace(e, "Internet", "VM4").verdict, Verdict::Allowed);
}

TEST_F(WorkedExample, BothNsgsAllowPort80ForVm1) {
    std::string allow = rule("Allow-HTTP-All", 100, "Inbound", "Allow", "Internet", "*", "80");
    std::string e = estate_json(allow, allow);
    EXPECT_EQ(trace(e, "Internet", "VM1").verdict, Verdict::Allowed);
    EXPECT_EQ(trace(e, "Internet", "VM3").verdict, Verdict::Allowed);
}

TEST_F(WorkedExample, OutboundToTheInternetIsAllowedByDefault) {
    std::string e = estate_json("", "");
    for (std::string vm : {"VM1", "VM2", "VM3", "VM4"})
        EXPECT_EQ(trace(e, vm, "20.1.2.3").verdict, Verdict::Allowed) << vm;
}

TEST_F(WorkedExample, DenyingPort80OutboundInNsg2BlocksVm1AndVm3) {
    std::string e =
        estate_json("", rule("Deny-Internet-All", 100, "Outbound", "Deny", "*", "Internet", "80"));
    Outcome vm1 = trace(e, "VM1", "20.1.2.3");
    EXPECT_EQ(vm1.verdict, Verdict::Denied);
    EXPECT_EQ(vm1.nsg, "NSG2");
    EXPECT_EQ(trace(e, "VM2", "20.1.2.3").verdict, Verdict::Allowed);
    EXPECT_EQ(trace(e, "VM3", "20.1.2.3").verdict, Verdict::Denied);
    EXPECT_EQ(trace(e, "VM4", "20.1.2.3").verdict, Verdict::Allowed);
}

TEST_F(WorkedExample, DenyingPort80OutboundInNsg1BlocksVm1AndVm2) {
    std::string e =
        estate_json(rule("Deny-Internet-All", 100, "Outbound", "Deny", "*", "Internet", "80"), "");
    EXPECT_EQ(trace(e, "VM1", "20.1.2.3").verdict, Verdict::Denied);
    Outcome vm2 = trace(e, "VM2", "20.1.2.3");
    EXPECT_EQ(vm2.verdict, Verdict::Denied);
    EXPECT_EQ(vm2.nsg, "NSG1");
    EXPECT_EQ(trace(e, "VM3", "20.1.2.3").verdict, Verdict::Allowed);
    EXPECT_EQ(trace(e, "VM4", "20.1.2.3").verdict, Verdict::Allowed);
}

TEST_F(WorkedExample, TrafficInsideASubnetIsEvaluatedByTheSubnetNsg) {
    std::string e =
        estate_json(rule("Deny-Inside", 100, "Inbound", "Deny", "10.0.1.0/24", "10.0.1.0/24", "80"), "");
    Outcome inside = trace(e, "VM2", "VM1");
    EXPECT_EQ(inside.verdict, Verdict::Denied);
    EXPECT_EQ(inside.rule, "Deny-Inside");
}

} // namespace
} // namespace ztnet::route
