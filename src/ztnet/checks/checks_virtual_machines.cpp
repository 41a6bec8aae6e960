// Virtual machine checks (ZT-VM-*): no public IPs, trusted launch, encryption at host, SSH keys
// only; and the application's entry point (ZT-APP-*): the App Gateway's WAF blocking, and its
// listeners on HTTPS.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_groups.h"
#include "ztnet/checks/check_support.h"

namespace ztnet::checks::groups {
namespace {

using model::Estate;
using model::kNone;
using model::VirtualMachine;
using support::finding_on;
using support::same_word;
using support::setting;

// ---- ZT-VM-*: the machines ------------------------------------------------------------------

std::vector<Finding> no_public_ip(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const VirtualMachine& vm : estate.virtual_machines) {
        for (model::Index n : vm.network_interfaces) {
            const model::NetworkInterface& nic = estate.network_interfaces[n];
            for (const model::IpConfiguration& config : nic.ip_configurations) {
                if (config.public_ip == kNone)
                    continue;
                const model::PublicIpAddress& pip = estate.public_ip_addresses[config.public_ip];
                std::string address = pip.ip_address ? " (" + pip.ip_address->to_string() + ")" : "";
                Finding f =
                    finding_on(vm,
                               fmt::format("{} has public IP {}{}: it is addressable from the Internet",
                                           vm.name, pip.name, address),
                               pip.name);
                f.evidence.push_back(setting(nic, fmt::format("{} {} publicIPAddress: {}{}", nic.name,
                                                              config.name, pip.name, address)));
                out.push_back(std::move(f));
            }
        }
    }
    return out;
}

/// What a failing VM shows: the message, the evidence, and the setting that decides it, whose place
/// the finding points at (the property, or the VM when Azure's default stands in).
struct Described {
    std::string message;
    std::string evidence;
    SourceLocation where;
};

/// One finding per VM for which `failing` holds, with its deciding setting as evidence.
template <typename Failing, typename Describe>
std::vector<Finding> each_vm(const Estate& estate, Failing failing, Describe describe) {
    std::vector<Finding> out;
    for (const VirtualMachine& vm : estate.virtual_machines) {
        if (!failing(vm))
            continue;
        Described d = describe(vm);
        Finding f = finding_on(vm, std::move(d.message));
        f.where = d.where;
        f.evidence.push_back(Evidence{std::move(d.evidence), d.where, std::nullopt});
        out.push_back(std::move(f));
    }
    return out;
}

/// Trusted launch, or a confidential VM (which includes it).
bool trusted_type(const VirtualMachine& vm) {
    return vm.security_type.value != model::VmSecurityType::Standard;
}

/// Trusted launch with both secure boot and vTPM on.
bool verified_boot(const VirtualMachine& vm) {
    return trusted_type(vm) && vm.secure_boot.value && vm.vtpm.value;
}

/// The first of the settings verified boot needs that is off.
const SourceLocation& first_gap(const VirtualMachine& vm) {
    if (!trusted_type(vm))
        return vm.security_type.where;
    return vm.secure_boot.value ? vm.vtpm.where : vm.secure_boot.where;
}

std::vector<Finding> trusted_launch(const CheckContext& context) {
    return each_vm(
        context.estate, [](const VirtualMachine& vm) { return !verified_boot(vm); },
        [](const VirtualMachine& vm) {
            return Described{
                fmt::format("{} does not run trusted launch with secure boot and vTPM: boot-level "
                            "malware goes undetected",
                            vm.name),
                fmt::format("{} securityProfile.securityType: {}, secureBootEnabled: {}, "
                            "vTpmEnabled: {}",
                            vm.name, model::setting_text(vm.security_type), vm.secure_boot.value,
                            vm.vtpm.value),
                first_gap(vm)};
        });
}

std::vector<Finding> encryption_at_host(const CheckContext& context) {
    return each_vm(
        context.estate, [](const VirtualMachine& vm) { return !vm.encryption_at_host.value; },
        [](const VirtualMachine& vm) {
            return Described{
                fmt::format("{} has no encryption at host: temporary disks and caches are stored "
                            "unencrypted",
                            vm.name),
                fmt::format("{} securityProfile.encryptionAtHost: false", vm.name),
                vm.encryption_at_host.where};
        });
}

std::vector<Finding> ssh_keys_only(const CheckContext& context) {
    return each_vm(
        context.estate,
        [](const VirtualMachine& vm) {
            return same_word(vm.os_type, "Linux") && !vm.disable_password_authentication.value;
        },
        [](const VirtualMachine& vm) {
            return Described{
                fmt::format("Linux VM {} accepts password logins over SSH", vm.name),
                fmt::format("{} osProfile.linuxConfiguration.disablePasswordAuthentication: false", vm.name),
                vm.disable_password_authentication.where};
        });
}

// ---- ZT-APP-*: the App Gateway in front of them -----------------------------------------------

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
    if (gateway.waf_enabled && same_word(gateway.waf_mode, "Prevention"))
        return std::nullopt;
    std::string state = gateway.waf_enabled ? fmt::format("in {} mode", gateway.waf_mode) : "not enabled";
    Finding f =
        finding_on(gateway, fmt::format("App Gateway {} has no WAF policy and its WAF is {}: attacks are "
                                        "not blocked",
                                        gateway.name, state));
    f.evidence.push_back(
        setting(gateway, fmt::format("{} sku: {}, webApplicationFirewallConfiguration.enabled: "
                                     "{}, firewallMode: {}",
                                     gateway.name, gateway.sku_name, gateway.waf_enabled,
                                     gateway.waf_mode.empty() ? "absent" : gateway.waf_mode)));
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

void add_virtual_machines(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        "ZT-VM-001",
        "No public IP on a VM",
        {P::AssumeBreach},
        Severity::High,
        "Virtual machines: no public IP addresses; reach them through Bastion and the App Gateway",
        "A public IP on a VM's NIC makes it directly addressable from the Internet, so one permissive NSG "
        "rule exposes it to scanning and brute force. Entry belongs to the App Gateway, and management to "
        "Bastion.",
        "Remove publicIPAddress from the NIC's ipConfigurations (and delete the "
        "Microsoft.Network/publicIPAddresses resource); publish the application through the App Gateway and "
        "manage the VM through Azure Bastion.",
        no_public_ip,
        {{model::ResourceKind::NetworkInterface,
          "/properties/ipConfigurations/*/properties/publicIPAddress"}}});
    out.push_back(
        Check{"ZT-VM-002",
              "Trusted launch with secure boot and vTPM",
              {P::VerifyExplicitly},
              Severity::Medium,
              "Virtual machines: trusted launch (secure boot, vTPM)",
              "Secure boot lets only signed boot components run, and the vTPM measures the boot "
              "chain so that the VM's integrity can be attested. Without them rootkits and "
              "bootkits persist unseen.",
              "Set properties.securityProfile.securityType to \"TrustedLaunch\" with "
              "uefiSettings.secureBootEnabled and uefiSettings.vTpmEnabled true (needs a "
              "generation 2 image; existing generation 1 VMs must be redeployed or upgraded).",
              trusted_launch,
              {{model::ResourceKind::VirtualMachine, "/properties/securityProfile"},
               {model::ResourceKind::VirtualMachine, "/properties/virtualMachineProfile/securityProfile"}}});
    out.push_back(
        Check{"ZT-VM-003",
              "Encryption at host",
              {P::AssumeBreach},
              Severity::Medium,
              "Virtual machines: encryption at host",
              "Server-side encryption covers managed disks at rest, but not the temporary disk or the disk "
              "caches on the host. Encryption at host encrypts those too, end to end from the VM host to "
              "storage.",
              "Register the EncryptionAtHost feature on the subscription and set "
              "properties.securityProfile.encryptionAtHost to true on the VM (deallocate it first).",
              encryption_at_host,
              {{model::ResourceKind::VirtualMachine, "/properties/securityProfile/encryptionAtHost"},
               {model::ResourceKind::VirtualMachine,
                "/properties/virtualMachineProfile/securityProfile/encryptionAtHost"}}});
    out.push_back(Check{
        "ZT-VM-004",
        "SSH keys only on Linux VMs",
        {P::VerifyExplicitly},
        Severity::Medium,
        "Virtual machines: SSH key authentication, password logins disabled",
        "Passwords can be guessed, sprayed and reused; an SSH key login proves that the user holds a private "
        "key that never leaves their machine. Disabling password logins removes the easiest way in for "
        "anyone who reaches port 22.",
        "Set properties.osProfile.linuxConfiguration.disablePasswordAuthentication to true and provide "
        "linuxConfiguration.ssh.publicKeys (or sign in with Entra ID through the AADSSHLoginForLinux "
        "extension).",
        ssh_keys_only,
        {{model::ResourceKind::VirtualMachine, "/properties/osProfile/linuxConfiguration"},
         {model::ResourceKind::VirtualMachine, "/properties/storageProfile/osDisk/osType"},
         {model::ResourceKind::VirtualMachine,
          "/properties/virtualMachineProfile/osProfile/linuxConfiguration"},
         {model::ResourceKind::VirtualMachine,
          "/properties/virtualMachineProfile/storageProfile/osDisk/osType"}}});
    out.push_back(Check{
        "ZT-APP-001",
        "App Gateway WAF in Prevention mode",
        {P::VerifyExplicitly, P::AssumeBreach},
        Severity::High,
        "Spoke step 6: access through the App Gateway with WAF in prevention mode",
        "The App Gateway is the application's only public entry point; its web application firewall inspects "
        "each request against the OWASP rules. In Detection mode, or disabled, it only logs the attacks it "
        "recognises and forwards them to the web tier.",
        "Attach an ApplicationGatewayWebApplicationFirewallPolicies resource (firewallPolicy.id) with "
        "policySettings.state \"Enabled\" and policySettings.mode \"Prevention\", on a WAF_v2 SKU; or set "
        "webApplicationFirewallConfiguration.enabled true with firewallMode \"Prevention\".",
        waf_prevention,
        {{model::ResourceKind::ApplicationGateway, "/properties/webApplicationFirewallConfiguration"},
         {model::ResourceKind::ApplicationGateway, "/properties/firewallPolicy"},
         {model::ResourceKind::WafPolicy, "/properties/policySettings", SettingRead::Findings::Anywhere}}});
    out.push_back(Check{
        "ZT-APP-002",
        "App Gateway listeners on HTTPS only",
        {P::VerifyExplicitly},
        Severity::Medium,
        "Spoke step 6: the App Gateway terminates TLS (HTTPS listeners only)",
        "A plain HTTP listener carries cookies, credentials and data in clear text, and clients cannot "
        "verify the site they talk to. Port 80 is taken as plain HTTP because the listener's protocol is not "
        "read.",
        "Replace the HTTP listener and its frontendPorts entry for port 80 with an HTTPS listener on 443 "
        "(sslCertificates from Key Vault, sslPolicy AppGwSslPolicy20220101S or newer); if port 80 only "
        "redirects to HTTPS, suppress this finding with that reason.",
        https_listeners,
        {{model::ResourceKind::ApplicationGateway, "/properties/httpListeners"}}});
}

} // namespace ztnet::checks::groups
