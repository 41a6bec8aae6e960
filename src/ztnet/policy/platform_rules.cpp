#include "ztnet/policy/platform_rules.h"

#include <algorithm>
#include <array>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::policy {
namespace {

using model::Index;
using model::kNone;
using net::Direction;

// One flow the platform needs: in `direction`, from (inbound) or to (outbound) `tag`, on the
// destination ports [low, high], TCP only or any protocol.
struct RequiredFlow {
    PlatformRole role;
    Direction direction;
    std::string_view tag;
    std::uint16_t low;
    std::uint16_t high;
    bool tcp_only;
    std::string_view source;
};

// Microsoft Learn, "Working with NSG access and Azure Bastion" (bastion/bastion-nsg): "if you apply
// an NSG to AzureBastionSubnet, you must create all of the following rules". Microsoft Learn,
// "Application Gateway infrastructure configuration" (application-gateway/configuration-
// infrastructure): v2 needs "incoming Internet traffic on TCP ports 65200-65535" from the
// GatewayManager tag (v1: 65503-65534), and traffic from the AzureLoadBalancer tag must be allowed.
constexpr std::string_view kBastionPage = "bastion/bastion-nsg";
constexpr std::string_view kAppGatewayPage = "application-gateway/configuration-infrastructure";
constexpr std::array<RequiredFlow, 14> kRequired{{
    {PlatformRole::Bastion, Direction::Inbound, "Internet", 443, 443, true, kBastionPage},
    {PlatformRole::Bastion, Direction::Inbound, "GatewayManager", 443, 443, true, kBastionPage},
    {PlatformRole::Bastion, Direction::Inbound, "AzureLoadBalancer", 443, 443, true, kBastionPage},
    {PlatformRole::Bastion, Direction::Inbound, "VirtualNetwork", 8080, 8080, false, kBastionPage},
    {PlatformRole::Bastion, Direction::Inbound, "VirtualNetwork", 5701, 5701, false, kBastionPage},
    {PlatformRole::Bastion, Direction::Outbound, "VirtualNetwork", 22, 22, false, kBastionPage},
    {PlatformRole::Bastion, Direction::Outbound, "VirtualNetwork", 3389, 3389, false, kBastionPage},
    {PlatformRole::Bastion, Direction::Outbound, "VirtualNetwork", 8080, 8080, false, kBastionPage},
    {PlatformRole::Bastion, Direction::Outbound, "VirtualNetwork", 5701, 5701, false, kBastionPage},
    {PlatformRole::Bastion, Direction::Outbound, "AzureCloud", 443, 443, true, kBastionPage},
    {PlatformRole::Bastion, Direction::Outbound, "Internet", 80, 80, false, kBastionPage},
    {PlatformRole::ApplicationGatewayV2, Direction::Inbound, "GatewayManager", 65200, 65535, true,
     kAppGatewayPage},
    {PlatformRole::ApplicationGatewayV1, Direction::Inbound, "GatewayManager", 65503, 65534, true,
     kAppGatewayPage},
    {PlatformRole::ApplicationGatewayV2, Direction::Inbound, "AzureLoadBalancer", 0, 65535, false,
     kAppGatewayPage},
}};

// The side that names the platform's peer: the source of an inbound rule, the destination of an
// outbound one. A rule that writes the tag, or "*", carries the peer's traffic.
bool names(const model::RuleEndpoint& side, std::string_view tag) {
    return std::any_of(side.addresses.begin(), side.addresses.end(), [&](const model::AddressEntry& e) {
        return e.kind == model::AddressEntry::Kind::Any ||
               (e.kind == model::AddressEntry::Kind::ServiceTag && canonical_tag_name(e.tag) == tag);
    });
}

bool carries(const model::SecurityRule& rule, const RequiredFlow& flow) {
    if (rule.access != model::Access::Allow || rule.direction != flow.direction)
        return false;
    if (!names(flow.direction == Direction::Inbound ? rule.source : rule.destination, flow.tag))
        return false;
    if (flow.tcp_only ? !rule.protocols.contains(6) : rule.protocols.empty())
        return false;
    net::PortSet wanted;
    wanted.insert(flow.low, flow.high);
    return rule.destination_port_set.overlaps(wanted) ||
           !(rule.protocols.contains(6) || rule.protocols.contains(17));
}

void add_role(std::vector<PlatformRole>& roles, PlatformRole role) {
    if (std::find(roles.begin(), roles.end(), role) == roles.end())
        roles.push_back(role);
}

} // namespace

std::string_view platform_role_name(PlatformRole role) {
    switch (role) {
    case PlatformRole::Bastion:
        return "Azure Bastion";
    case PlatformRole::ApplicationGatewayV1:
        return "Application Gateway v1";
    case PlatformRole::ApplicationGatewayV2:
        return "Application Gateway v2";
    }
    return "Azure Bastion";
}

// v2 and Basic gateways share the v2 platform ports. A gateway whose SKU name the input does not
// tell is judged by its tier, and taken as v1 when neither is known, as before SKUs were enums.
bool is_v2(const model::ApplicationGateway& gateway) {
    using model::AppGatewaySku, model::AppGatewayTier;
    if (gateway.sku_name)
        return *gateway.sku_name == AppGatewaySku::StandardV2 || *gateway.sku_name == AppGatewaySku::WafV2 ||
               *gateway.sku_name == AppGatewaySku::Basic;
    return gateway.sku_tier == AppGatewayTier::StandardV2 || gateway.sku_tier == AppGatewayTier::WafV2 ||
           gateway.sku_tier == AppGatewayTier::Basic;
}

std::vector<PlatformRole> platform_roles(const model::Estate& estate, model::NsgIndex nsg) {
    std::vector<PlatformRole> roles;
    for (model::SubnetIndex s : estate.subnets.indices()) {
        const model::Subnet& subnet = estate.subnets[s];
        if (subnet.network_security_group != nsg)
            continue;
        if (model::same_id(subnet.name, "AzureBastionSubnet") ||
            std::any_of(estate.bastion_hosts.begin(), estate.bastion_hosts.end(),
                        [&](const model::BastionHost& b) { return b.subnet == s; }))
            add_role(roles, PlatformRole::Bastion);
        for (const model::ApplicationGateway& gateway : estate.application_gateways)
            if (std::find(gateway.subnets.begin(), gateway.subnets.end(), s) != gateway.subnets.end())
                add_role(roles, is_v2(gateway) ? PlatformRole::ApplicationGatewayV2
                                               : PlatformRole::ApplicationGatewayV1);
    }
    std::sort(roles.begin(), roles.end());
    return roles;
}

std::optional<std::string_view> required_by(const model::SecurityRule& rule, PlatformRole role) {
    for (const RequiredFlow& flow : kRequired)
        if (flow.role == role && carries(rule, flow))
            return flow.source;
    return std::nullopt;
}

} // namespace ztnet::policy
