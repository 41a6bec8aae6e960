// Encryption of the links into the hub: the site-to-site links of a Virtual WAN hub's VPN gateway
// (ZT-HUB-008, as for a VPN gateway's connections) and MACsec on ExpressRoute Direct ports
// (ZT-HUB-010), on the secured hub of tests/data/virtual-wan/secured-hub.json.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::read_text;

const std::string kHub =
    "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/providers/"
    "Microsoft.Network/virtualHubs/vhub-weu";
const std::string kGateway = "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/"
                             "providers/Microsoft.Network/vpnGateways/vpngw-vhub-weu";

std::string with(const std::string& resources) {
    std::string json = read_text(std::string(ZTNET_SOURCE_DIR) + "/tests/data/virtual-wan/secured-hub.json");
    json.insert(json.rfind(']'), ", " + resources);
    return json;
}

// A VPN gateway in the hub whose one site connection has the given link connections.
std::string vpn_gateway(const std::string& links) {
    return R"({"id": ")" + kGateway + R"(", "name": "vpngw-vhub-weu", "type": "Microsoft.Network/vpnGateways",
      "location": "westeurope", "properties": {"virtualHub": {"id": ")" +
           kHub + R"("}, "connections": [{"name": "conn-hq", "properties": {"vpnLinkConnections": [)" +
           links + "]}}]}}";
}

std::vector<std::string> discriminators(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings)
        out.push_back(f.resource_name + " " + f.discriminator);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(HubEncryption, VirtualWanVpnLinksWithIkev1OrWeakPoliciesAreFlagged) {
    CheckFixture strong(with(vpn_gateway(
        R"({"name": "link-a", "properties": {"vpnConnectionProtocolType": "IKEv2", "ipsecPolicies": [
            {"ikeEncryption": "GCMAES256", "ikeIntegrity": "SHA384", "dhGroup": "ECP384", "ipsecEncryption": "GCMAES256",
             "ipsecIntegrity": "GCMAES256", "pfsGroup": "ECP384"}]}})")));
    EXPECT_TRUE(strong.run("ZT-HUB-008").empty());
    CheckFixture weak(with(vpn_gateway(
        R"({"name": "link-a", "properties": {"vpnConnectionProtocolType": "IKEv1"}},
           {"name": "link-b", "properties": {"ipsecPolicies": [{"ikeEncryption": "DES3", "ikeIntegrity": "SHA256",
             "dhGroup": "DHGroup14", "ipsecEncryption": "AES256", "ipsecIntegrity": "SHA256", "pfsGroup": "None"}]}})")));
    const std::vector<Finding> findings = weak.run("ZT-HUB-008");
    EXPECT_EQ(discriminators(findings), (std::vector<std::string>{"vhub-weu vpngw-vhub-weu/conn-hq/link-a",
                                                                  "vhub-weu vpngw-vhub-weu/conn-hq/link-b"}));
    for (const Finding& f : findings)
        EXPECT_NE(f.message.find(f.discriminator.ends_with("link-a") ? "IKEv1" : "IKE encryption DES3"),
                  std::string::npos)
            << f.message;
}

TEST(HubEncryption, AVpnConnectionGivenAsAChildResourceIsJudgedToo) {
    CheckFixture fixture(with(vpn_gateway("") + R"(, {"id": ")" + kGateway +
                              R"(/vpnConnections/conn-branch", "name": "vpngw-vhub-weu/conn-branch",
      "type": "Microsoft.Network/vpnGateways/vpnConnections", "properties": {"vpnLinkConnections": [
        {"name": "link-1", "properties": {"vpnConnectionProtocolType": "IKEv1"}}]}})"));
    EXPECT_EQ(discriminators(fixture.run("ZT-HUB-008")),
              std::vector<std::string>{"vhub-weu vpngw-vhub-weu/conn-branch/link-1"});
}

std::string express_route_port(const std::string& properties) {
    return R"({"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/providers/Microsoft.Network/expressRoutePorts/erport-ams",
      "name": "erport-ams", "type": "Microsoft.Network/expressRoutePorts", "location": "westeurope",
      "properties": )" +
           properties + "}";
}

TEST(HubEncryption, ExpressRouteDirectLinksWithoutMacsecAreFlagged) {
    const std::string keys = R"("cknSecretIdentifier": "https://kv-er.vault.azure.net/secrets/ckn",
                                 "cakSecretIdentifier": "https://kv-er.vault.azure.net/secrets/cak")";
    CheckFixture both(with(express_route_port(
        R"({"peeringLocation": "Equinix-Amsterdam-AM5", "bandwidthInGbps": 10, "encapsulation": "QinQ", "links": [
          {"name": "link1", "properties": {"macSecConfig": {)" +
        keys + R"(, "cipher": "GcmAes256"}}},
          {"name": "link2", "properties": {"macSecConfig": {)" +
        keys + R"(, "cipher": "GcmAes256"}}}]})")));
    EXPECT_TRUE(both.run("ZT-HUB-010").empty());
    CheckFixture one(with(express_route_port(
        R"({"links": [{"name": "link1", "properties": {"macSecConfig": {)" + keys +
        R"(, "cipher": "GcmAes256"}}}, {"name": "link2", "properties": {"macSecConfig": {"cipher": "GcmAes256"}}}]})")));
    EXPECT_EQ(discriminators(one.run("ZT-HUB-010")), std::vector<std::string>{"erport-ams link2"});
    // A port whose links the input does not list has Azure's two links, without MACsec.
    CheckFixture bare(with(express_route_port(R"({"bandwidthInGbps": 10})")));
    EXPECT_EQ(bare.run("ZT-HUB-010").size(), 1u);
}

} // namespace
} // namespace ztnet::checks
