// The application's entry point (ZT-APP-*): the App Gateway's WAF blocking, and its listeners on
// HTTPS.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"

namespace ztnet::checks::families {
namespace {

using model::Estate;
using model::kNone;
using support::finding_on;
using support::same_word;
using support::setting;

/// Why a gateway's WAF does not block, as message and evidence; nullopt when it runs in Prevention.
std::optional<Finding> waf_gap(const Estate& estate, const model::ApplicationGateway& gateway) {
    if (gateway.waf_policy != kNone) {
        const model::WafPolicy& policy = estate.waf_policies[gateway.waf_policy];
        if (policy.state.value == model::WafState::Enabled && policy.mode.value == model::WafMode::Prevention)
            return std::nullopt;
        const std::string_view state = model::name_of(policy.state.value);
        const std::string_view mode = model::name_of(policy.mode.value);
        Finding f =
            finding_on(gateway, fmt::format("App Gateway {}: WAF policy {} is {} in {} mode, so attacks are "
                                            "not blocked",
                                            gateway.name, policy.name, state, mode));
        // The policy's setting that keeps it from blocking: its state when disabled, else its mode.
        const SourceLocation& where =
            policy.state.value == model::WafState::Enabled ? policy.mode.where : policy.state.where;
        f.evidence.push_back(Evidence{
            fmt::format("{} policySettings.state: {}, mode: {}", policy.name, state, mode), where, {}});
        return f;
    }
    if (gateway.waf_enabled && gateway.waf_mode == model::WafMode::Prevention)
        return std::nullopt;
    const std::string_view mode =
        gateway.waf_mode ? model::name_of(*gateway.waf_mode) : std::string_view("absent");
    std::string state = gateway.waf_enabled ? fmt::format("in {} mode", mode) : "not enabled";
    const std::string_view sku =
        gateway.sku_name ? model::name_of(*gateway.sku_name) : std::string_view("unknown");
    Finding f =
        finding_on(gateway, fmt::format("App Gateway {} has no WAF policy and its WAF is {}: attacks are "
                                        "not blocked",
                                        gateway.name, state));
    f.evidence.push_back(
        setting(gateway, fmt::format("{} sku: {}, webApplicationFirewallConfiguration.enabled: "
                                     "{}, firewallMode: {}",
                                     gateway.name, sku, gateway.waf_enabled, mode)));
    return f;
}

std::vector<Finding> waf_prevention(const CheckContext& context) {
    std::vector<Finding> out;
    for (const model::ApplicationGateway& gateway : context.estate.application_gateways) {
        if (auto gap = waf_gap(context.estate, gateway))
            out.push_back(std::move(*gap));
    }
    return out;
}

/// Port 80 stands for plain HTTP: the model keeps the frontend ports, not each listener's protocol.
constexpr int kPlainHttpPort = 80;

std::vector<Finding> https_listeners(const CheckContext& context) {
    std::vector<Finding> out;
    for (const model::ApplicationGateway& gateway : context.estate.application_gateways) {
        if (std::find(gateway.frontend_ports.begin(), gateway.frontend_ports.end(), kPlainHttpPort) ==
            gateway.frontend_ports.end())
            continue;
        Finding f = finding_on(gateway,
                               fmt::format("App Gateway {} listens on port {}: requests arrive as plain HTTP",
                                           gateway.name, kPlainHttpPort),
                               std::to_string(kPlainHttpPort));
        f.evidence.push_back(
            setting(gateway, fmt::format("{} frontendPorts: port {}", gateway.name, kPlainHttpPort)));
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_app(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-APP-001",
        .title = "App Gateway WAF in Prevention mode",
        .principles = {P::VerifyExplicitly, P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke step 6: access through the App Gateway with WAF in prevention mode",
        .rationale = R"(
            The App Gateway is the application's only public entry point; its web application
            firewall inspects each request against the OWASP rules. In Detection mode, or disabled,
            it only logs the attacks it recognises and forwards them to the web tier.)",
        .remediation = R"(
            Attach an ApplicationGatewayWebApplicationFirewallPolicies resource (firewallPolicy.id)
            with policySettings.state "Enabled" and policySettings.mode "Prevention", on a WAF_v2
            SKU; or set webApplicationFirewallConfiguration.enabled true with firewallMode
            "Prevention".)",
        .run = waf_prevention,
        .reads = {{model::ResourceKind::ApplicationGateway,
                   "/properties/webApplicationFirewallConfiguration"},
                  {model::ResourceKind::ApplicationGateway, "/properties/firewallPolicy"},
                  {model::ResourceKind::WafPolicy, "/properties/policySettings",
                   SettingRead::Findings::Anywhere}},
    });
    out.push_back(Check{
        .id = "ZT-APP-002",
        .title = "App Gateway listeners on HTTPS only",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke step 6: the App Gateway terminates TLS (HTTPS listeners only)",
        .rationale = R"(
            A plain HTTP listener carries cookies, credentials and data in clear text, and clients
            cannot verify the site they talk to. Port 80 is taken as plain HTTP because the
            listener's protocol is not read.)",
        .remediation = R"(
            Replace the HTTP listener and its frontendPorts entry for port 80 with an HTTPS listener
            on 443 (sslCertificates from Key Vault, sslPolicy AppGwSslPolicy20220101S or newer); if
            port 80 only redirects to HTTPS, suppress this finding with that reason.)",
        .run = https_listeners,
        .reads = {{model::ResourceKind::ApplicationGateway, "/properties/httpListeners"}},
    });
}

} // namespace ztnet::checks::families
