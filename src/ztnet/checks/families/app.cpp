// The application's entry point (ZT-APP-*): the App Gateway's WAF blocking with a current managed
// rule set, its listeners on HTTPS, and its TLS policy.
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

bool front_door(const model::WafPolicy& policy) {
    return model::same_id(policy.type, "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies");
}

// A Front Door WAF policy that does not block: it stands for the Front Door endpoints it protects
// (the profiles' security policies, which the model does not keep).
std::optional<Finding> front_door_gap(const model::WafPolicy& policy) {
    if (policy.state.value == model::WafState::Enabled && policy.mode.value == model::WafMode::Prevention)
        return std::nullopt;
    const std::string_view state = model::name_of(policy.state.value);
    const std::string_view mode = model::name_of(policy.mode.value);
    Finding f = finding_on(policy, fmt::format("Front Door WAF policy {} is {} in {} mode, so attacks are "
                                               "not blocked",
                                               policy.name, state, mode));
    f.evidence.push_back(
        Evidence{fmt::format("{} policySettings.enabledState: {}, mode: {}", policy.name,
                             model::setting_text(policy.state), model::setting_text(policy.mode)),
                 policy.state.value == model::WafState::Enabled ? policy.mode.where : policy.state.where,
                 {}});
    return f;
}

std::vector<Finding> waf_prevention(const CheckContext& context) {
    std::vector<Finding> out;
    for (const model::ApplicationGateway& gateway : context.estate.application_gateways) {
        if (auto gap = waf_gap(context.estate, gateway))
            out.push_back(std::move(*gap));
    }
    for (const model::WafPolicy& policy : context.estate.waf_policies)
        if (front_door(policy))
            if (auto gap = front_door_gap(policy))
                out.push_back(std::move(*gap));
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

// A gateway with a frontend port other than 80 terminates TLS there.
bool terminates_tls(const model::ApplicationGateway& gateway) {
    return std::any_of(gateway.frontend_ports.begin(), gateway.frontend_ports.end(),
                       [](int port) { return port != kPlainHttpPort; });
}

std::vector<Finding> tls_policy(const CheckContext& context) {
    std::vector<Finding> out;
    for (const model::ApplicationGateway& gateway : context.estate.application_gateways) {
        if (!terminates_tls(gateway) || (gateway.ssl_minimum_minor && *gateway.ssl_minimum_minor >= 2))
            continue;
        Finding f = finding_on(
            gateway, gateway.ssl_minimum_minor
                         ? fmt::format("App Gateway {} accepts TLS 1.{} from clients", gateway.name,
                                       *gateway.ssl_minimum_minor)
                         : fmt::format("App Gateway {} uses a TLS policy ztnet does not know", gateway.name));
        f.evidence.push_back(
            Evidence{fmt::format("{} sslPolicy: {}", gateway.name, model::setting_text(gateway.ssl_policy)),
                     gateway.ssl_policy.where,
                     {}});
        out.push_back(std::move(f));
    }
    return out;
}

// The managed rule sets the WAF runs ("OWASP 3.2", "Microsoft_DefaultRuleSet 2.1"): one of the
// core sets, at a version Azure still develops (OWASP CRS 3.2 and later, the Default Rule Set).
std::optional<std::string> rule_set_gap(const std::vector<std::string>& sets) {
    bool core = false;
    for (const std::string& set : sets) {
        const std::size_t space = set.find(' ');
        const std::string type = set.substr(0, space);
        const std::string version = space == std::string::npos ? std::string() : set.substr(space + 1);
        if (same_word(type, "Microsoft_DefaultRuleSet")) {
            if (!version.empty() && version.front() < '2')
                return fmt::format("Microsoft_DefaultRuleSet {}, older than 2.1", version);
            core = true;
        } else if (same_word(type, "DefaultRuleSet")) {
            return fmt::format(
                "DefaultRuleSet {}, Front Door's classic rule set; Microsoft_DefaultRuleSet 2.1 "
                "replaces it",
                version);
        } else if (same_word(type, "OWASP")) {
            if (version == "3.2" || version.starts_with("3.2.") || version.starts_with("4"))
                core = true;
            else
                return fmt::format("OWASP {} is a rule set Azure no longer develops", version);
        }
    }
    if (!core)
        return std::string("no core managed rule set (OWASP or Microsoft_DefaultRuleSet)");
    return std::nullopt;
}

std::vector<Finding> current_rule_set(const CheckContext& context) {
    std::vector<Finding> out;
    const Estate& estate = context.estate;
    for (const model::WafPolicy& policy : estate.waf_policies)
        if (std::optional<std::string> gap = rule_set_gap(policy.managed_rule_sets)) {
            Finding f = finding_on(policy, fmt::format("WAF policy {} runs {}", policy.name, *gap));
            std::string sets;
            for (const std::string& set : policy.managed_rule_sets)
                sets += (sets.empty() ? "" : ", ") + set;
            f.evidence.push_back(setting(policy, fmt::format("{} managedRules.managedRuleSets: {}",
                                                             policy.name, sets.empty() ? "none" : sets)));
            out.push_back(std::move(f));
        }
    for (const model::ApplicationGateway& gateway : estate.application_gateways) {
        if (gateway.waf_policy != kNone || !gateway.waf_enabled)
            continue;
        if (std::optional<std::string> gap = rule_set_gap({gateway.waf_rule_set})) {
            Finding f = finding_on(gateway, fmt::format("App Gateway {}'s WAF runs {}", gateway.name, *gap));
            f.evidence.push_back(setting(gateway, fmt::format("{} webApplicationFirewallConfiguration: {}",
                                                              gateway.name, gateway.waf_rule_set)));
            out.push_back(std::move(f));
        }
    }
    return out;
}

} // namespace

void add_app(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-APP-001",
        .title = "WAF in Prevention mode (App Gateway, Front Door)",
        .principles = {P::VerifyExplicitly, P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Spoke step 6: access through the App Gateway with WAF in prevention mode",
        .rationale = R"(
            The App Gateway (or a Front Door in front of it) is the application's public entry
            point; its web application firewall inspects each request against the managed rules.
            In Detection mode, or disabled, it only logs the attacks it recognises and forwards
            them to the web tier.)",
        .remediation = R"(
            Attach an ApplicationGatewayWebApplicationFirewallPolicies resource (firewallPolicy.id)
            with policySettings.state "Enabled" and policySettings.mode "Prevention", on a WAF_v2
            SKU; or set webApplicationFirewallConfiguration.enabled true with firewallMode
            "Prevention". For Front Door, set policySettings.enabledState "Enabled" and mode
            "Prevention" on the FrontDoorWebApplicationFirewallPolicies resource.)",
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
    out.push_back(Check{
        .id = "ZT-APP-003",
        .title = "App Gateway TLS policy with TLS 1.2 minimum",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Encrypting network traffic: App Gateway TLS policy AppGwSslPolicy20220101 or newer",
        .rationale = R"(
            The TLS policy decides which protocol versions and ciphers clients may negotiate with
            the gateway. AppGwSslPolicy20150501, the default before API version 2023-02-01, accepts
            TLS 1.0 and 1.1 with weak ciphers; Azure stopped supporting them on 31 August 2025.)",
        .remediation = R"(
            Set properties.sslPolicy to {"policyType": "Predefined", "policyName":
            "AppGwSslPolicy20220101S"} (or a CustomV2 policy with minProtocolVersion "TLSv1_2" or
            "TLSv1_3") on the Microsoft.Network/applicationGateways resource.)",
        .run = tls_policy,
        .reads = {{model::ResourceKind::ApplicationGateway, "/properties/sslPolicy"}},
    });
    out.push_back(Check{
        .id = "ZT-APP-004",
        .title = "WAF with a current managed rule set",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke step 6: App Gateway and Front Door WAF with the current managed rule set",
        .rationale = R"(
            A WAF is as good as its rules. CRS 2.2.9, 3.0 and 3.1, Front Door's classic
            DefaultRuleSet and the Default Rule Set before 2.x no longer receive new signatures; a
            policy without a core rule set (only custom or bot rules) inspects requests for almost
            nothing.)",
        .remediation = R"(
            Set managedRules.managedRuleSets on the ApplicationGatewayWebApplicationFirewallPolicies
            or FrontDoorWebApplicationFirewallPolicies resource to include {"ruleSetType":
            "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1"} (or OWASP 3.2 on an App Gateway), and
            move an inline webApplicationFirewallConfiguration to such a policy.)",
        .run = current_rule_set,
        .reads = {{model::ResourceKind::WafPolicy, "/properties/managedRules"},
                  {model::ResourceKind::ApplicationGateway,
                   "/properties/webApplicationFirewallConfiguration"}},
    });
}

} // namespace ztnet::checks::families
