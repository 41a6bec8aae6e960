// Rules the platform requires. Some subnets host Azure services whose NSG must carry platform
// traffic: Microsoft lists the rules an NSG on AzureBastionSubnet must hold, and the ports an App
// Gateway's subnet must open to GatewayManager and AzureLoadBalancer. Such a rule is never advised
// for deletion, even where another rule happens to decide its flows today: deleting it breaks the
// service as soon as the other rule changes.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "ztnet/model/estate.h"

namespace ztnet::policy {

/// Why a subnet's NSG must carry platform traffic.
enum class PlatformRole : std::uint8_t { Bastion, ApplicationGatewayV1, ApplicationGatewayV2 };
std::string_view platform_role_name(PlatformRole role);

/// Standard_v2, WAF_v2 and Basic are v2 SKUs; the v1 SKUs are the Standard_* and WAF_* sizes.
bool is_v2(const model::ApplicationGateway& gateway);

/// The roles of the subnets NSG `nsg` is associated with (each once, in a fixed order).
std::vector<PlatformRole> platform_roles(const model::Estate& estate, model::NsgIndex nsg);

/// When `rule` is an Allow rule that carries a flow the platform requires in a subnet of `role`:
/// where Microsoft says so (a short page name, e.g. "bastion/bastion-nsg").
std::optional<std::string_view> required_by(const model::SecurityRule& rule, PlatformRole role);

} // namespace ztnet::policy
