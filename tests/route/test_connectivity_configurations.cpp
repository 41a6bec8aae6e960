// Virtual Network Manager's connectivity configurations, as Microsoft Learn states them
// (virtual-network-manager/concept-connectivity-configuration): a hub-and-spoke configuration peers
// each spoke VNet of its network groups with the hub, in both directions; spokes reach one another
// only where a group has direct connectivity (a connected group); a mesh connects every VNet of its
// groups with every other, within a region unless the configuration is global. Each statement
// flips a verdict; the fast path must agree with path tracing.
#include <string>

#include <gtest/gtest.h>

#include "route_test_support.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";
const std::string kManager = kRg + "networkManagers/avnm";
const std::string kGroup = kManager + "/networkGroups/spokes";

// A VNet with one subnet and one NIC at `address` (its VNet is 10.N.0.0/16 for address 10.N.1.4).
std::string vnet(const std::string& name, int octet, const std::string& location) {
    const std::string id = kRg + "virtualNetworks/" + name;
    return R"({"id": ")" + id + R"(", "type": "Microsoft.Network/virtualNetworks", "name": ")" + name +
           R"(", "location": ")" + location +
           R"(", "properties": {"addressSpace": {"addressPrefixes": ["10.)" + std::to_string(octet) +
           R"(.0.0/16"]}, "subnets": [{"id": ")" + id +
           R"(/subnets/default", "name": "default", "properties": {"addressPrefix": "10.)" +
           std::to_string(octet) +
           R"(.1.0/24"}}]}},
     {"id": ")" +
           kRg + "networkInterfaces/nic-" + name +
           R"(", "type": "Microsoft.Network/networkInterfaces", "name": "nic-)" + name +
           R"(", "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAddress": "10.)" +
           std::to_string(octet) + R"(.1.4", "privateIPAllocationMethod": "Static", "subnet": {"id": ")" +
           id + R"(/subnets/default"}}}]}})";
}

std::string member(const std::string& name) {
    return R"({"id": ")" + kGroup + "/staticMembers/" + name +
           R"(", "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers", "name": ")" + name +
           R"(", "properties": {"resourceId": ")" + kRg + "virtualNetworks/" + name + R"("}})";
}

// The hub, spokes a and b in West Europe, spoke c in East US; the manager and its group of spokes
// (every spoke a static member unless `members` is false), and `configuration`'s properties.
std::string estate_json(const std::string& configuration, bool members = true) {
    std::string json = "[" + vnet("hub", 0, "westeurope") + ", " + vnet("spoke-a", 1, "westeurope") + ", " +
                       vnet("spoke-b", 2, "westeurope") + ", " + vnet("spoke-c", 3, "eastus") + R"(,
     {"id": ")" + kManager +
                       R"(", "type": "Microsoft.Network/networkManagers", "name": "avnm",
      "properties": {"networkManagerScopes": {"subscriptions": ["/subscriptions/s"]},
        "networkManagerScopeAccesses": ["Connectivity"]}},
     {"id": ")" + kGroup +
                       R"(", "type": "Microsoft.Network/networkManagers/networkGroups", "name": "spokes",
      "properties": {}})";
    if (members)
        json += ", " + member("spoke-a") + ", " + member("spoke-b") + ", " + member("spoke-c");
    if (!configuration.empty())
        json += R"(, {"id": ")" + kManager + R"(/connectivityConfigurations/topology",
      "type": "Microsoft.Network/networkManagers/connectivityConfigurations", "name": "topology",
      "properties": )" +
                configuration + "}";
    return json + "]";
}

std::string hub_and_spoke(const std::string& group_connectivity, const std::string& global = "False") {
    return R"({"connectivityTopology": "HubAndSpoke", "isGlobal": ")" + global + R"(",
      "hubs": [{"resourceId": ")" +
           kRg + R"(virtualNetworks/hub", "resourceType": "Microsoft.Network/virtualNetworks"}],
      "appliesToGroups": [{"networkGroupId": ")" +
           kGroup + R"(", "groupConnectivity": ")" + group_connectivity +
           R"(", "useHubGateway": "False", "isGlobal": ")" + global + R"("}]})";
}

std::string mesh(const std::string& global) {
    return R"({"connectivityTopology": "Mesh", "isGlobal": ")" + global + R"(",
      "appliesToGroups": [{"networkGroupId": ")" +
           kGroup + R"(", "groupConnectivity": "None", "isGlobal": ")" + global + R"("}]})";
}

using testing::LoadedText;

std::unique_ptr<LoadedText> load(const std::string& json) {
    auto loaded = testing::load_text(json);
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    return loaded;
}

Verdict trace(LoadedText& loaded, const std::string& from, const std::string& to) {
    return testing::trace_between(loaded, from, to).verdict;
}

TEST(ConnectivityConfigurations, WithoutOneVnetsAreApart) {
    auto loaded = load(estate_json(""));
    EXPECT_EQ(trace(*loaded, "nic-spoke-a", "nic-hub"), Verdict::Undecidable); // a manager that may connect
    auto alone = load("[" + vnet("hub", 0, "westeurope") + ", " + vnet("spoke-a", 1, "westeurope") + "]");
    EXPECT_EQ(trace(*alone, "nic-spoke-a", "nic-hub"), Verdict::Denied);
}

// Hub and spoke peers each spoke with the hub both ways; spokes stay apart without direct connectivity.
TEST(ConnectivityConfigurations, HubAndSpokePeersEachSpokeWithTheHub) {
    auto loaded = load(estate_json(hub_and_spoke("None")));
    EXPECT_EQ(trace(*loaded, "nic-spoke-a", "nic-hub"), Verdict::Allowed);
    EXPECT_EQ(trace(*loaded, "nic-hub", "nic-spoke-c"), Verdict::Allowed); // across regions too
    EXPECT_EQ(trace(*loaded, "nic-spoke-a", "nic-spoke-b"), Verdict::Denied);
    testing::expect_fast_path_agrees(*loaded);
}

// Direct connectivity connects the group's spokes with one another, within a region unless global.
TEST(ConnectivityConfigurations, DirectConnectivityConnectsTheSpokes) {
    auto regional = load(estate_json(hub_and_spoke("DirectlyConnected")));
    EXPECT_EQ(trace(*regional, "nic-spoke-a", "nic-spoke-b"), Verdict::Allowed);
    EXPECT_EQ(trace(*regional, "nic-spoke-a", "nic-spoke-c"), Verdict::Denied);
    testing::expect_fast_path_agrees(*regional);
    auto global = load(estate_json(hub_and_spoke("DirectlyConnected", "True")));
    EXPECT_EQ(trace(*global, "nic-spoke-a", "nic-spoke-c"), Verdict::Allowed);
}

// A mesh connects every member with every other; the hub is not a member.
TEST(ConnectivityConfigurations, AMeshConnectsEveryMember) {
    auto regional = load(estate_json(mesh("False")));
    EXPECT_EQ(trace(*regional, "nic-spoke-b", "nic-spoke-a"), Verdict::Allowed);
    EXPECT_EQ(trace(*regional, "nic-spoke-b", "nic-spoke-c"), Verdict::Denied);
    EXPECT_EQ(trace(*regional, "nic-spoke-a", "nic-hub"), Verdict::Denied);
    testing::expect_fast_path_agrees(*regional);
    auto global = load(estate_json(mesh("True")));
    EXPECT_EQ(trace(*global, "nic-spoke-b", "nic-spoke-c"), Verdict::Allowed);
    testing::expect_fast_path_agrees(*global);
}

// A group whose members the input does not list may hold any VNet: flows it may connect are undecidable.
TEST(ConnectivityConfigurations, UnknownMembersLeaveConnectivityUndecidable) {
    auto loaded = load(estate_json(mesh("True"), false));
    EXPECT_EQ(trace(*loaded, "nic-spoke-a", "nic-spoke-b"), Verdict::Undecidable);
    testing::expect_fast_path_agrees(*loaded);
}

} // namespace
} // namespace ztnet::route
