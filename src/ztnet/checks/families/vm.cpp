// Virtual machine checks (ZT-VM-*): no public IPs, trusted launch, disks encrypted at host or with
// Azure Disk Encryption, SSH keys only, no credentials in custom data, automatic guest patching.
// Scale sets are judged by their VM profile.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"

namespace ztnet::checks::families {
namespace {

using model::Estate;
using model::kNone;
using model::setting_text;
using model::VirtualMachine;
using support::finding_on;
using support::same_word;
using support::setting;

std::vector<Finding> no_public_ip(const CheckContext& context) {
    const Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const VirtualMachine& vm : estate.virtual_machines) {
        for (model::NicIndex n : vm.network_interfaces) {
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

using support::Described;
using support::each_failing;

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
    return each_failing(
        context.estate.virtual_machines, [](const VirtualMachine& vm) { return !verified_boot(vm); },
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

// Encryption at host, Azure Disk Encryption in the guest, or a confidential VM's disk encryption
// cover the temporary disk and the caches; server-side encryption (with platform or customer keys)
// covers only the managed disks at rest.
std::vector<Finding> encryption_at_host(const CheckContext& context) {
    return each_failing(
        context.estate.virtual_machines,
        [](const VirtualMachine& vm) {
            return !vm.encryption_at_host.value && !vm.azure_disk_encryption &&
                   !vm.confidential_disk_encryption;
        },
        [](const VirtualMachine& vm) {
            return Described{
                fmt::format("{} has no encryption at host and no Azure Disk Encryption: temporary disks "
                            "and caches are stored unencrypted",
                            vm.name),
                fmt::format("{} securityProfile.encryptionAtHost: {}; no AzureDiskEncryption extension{}",
                            vm.name, setting_text(vm.encryption_at_host),
                            vm.disk_encryption_set_id.empty()
                                ? std::string()
                                : "; its disk encryption set covers the managed disks at rest only"),
                vm.encryption_at_host.where};
        });
}

std::vector<Finding> custom_data_credentials(const CheckContext& context) {
    return each_failing(
        context.estate.virtual_machines,
        [](const VirtualMachine& vm) { return !vm.custom_data_secrets.empty(); },
        [](const VirtualMachine& vm) {
            std::string what;
            for (const std::string& secret : vm.custom_data_secrets)
                what += (what.empty() ? "" : ", ") + secret;
            return Described{
                fmt::format("{} carries credentials in its custom data, readable inside the VM and by "
                            "whoever reads the template or the deployment",
                            vm.name),
                fmt::format("{} custom data holds {} (values not shown)", vm.name, what),
                vm.custom_data_where};
        });
}

// Windows patches itself unless patchMode is Manual; a Linux image's own default is not patching
// that Azure orchestrates or reports. A scale set with automatic OS image upgrades is patched by
// reimaging.
bool unpatched(const VirtualMachine& vm) {
    if (vm.patch_mode.value.empty() || (vm.scale_set && vm.automatic_os_upgrade))
        return false;
    return same_word(vm.patch_mode.value, "Manual") || same_word(vm.patch_mode.value, "ImageDefault");
}

std::vector<Finding> guest_patching(const CheckContext& context) {
    return each_failing(context.estate.virtual_machines, unpatched, [](const VirtualMachine& vm) {
        const bool windows = vm.os_type == model::OsType::Windows;
        return Described{
            fmt::format("{} is not patched automatically", vm.name),
            fmt::format("{} osProfile.{}.patchSettings.patchMode: {}{}", vm.name,
                        windows ? "windowsConfiguration" : "linuxConfiguration", setting_text(vm.patch_mode),
                        vm.scale_set ? "; automaticOSUpgradePolicy.enableAutomaticOSUpgrade: false" : ""),
            vm.patch_mode.where};
    });
}

std::vector<Finding> ssh_keys_only(const CheckContext& context) {
    return each_failing(
        context.estate.virtual_machines,
        [](const VirtualMachine& vm) {
            return vm.os_type == model::OsType::Linux && !vm.disable_password_authentication.value;
        },
        [](const VirtualMachine& vm) {
            return Described{
                fmt::format("Linux VM {} accepts password logins over SSH", vm.name),
                fmt::format("{} osProfile.linuxConfiguration.disablePasswordAuthentication: false", vm.name),
                vm.disable_password_authentication.where};
        });
}
} // namespace

void add_vm(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-VM-001",
        .title = "No public IP on a VM",
        .principles = {P::AssumeBreach},
        .severity = Severity::High,
        .guidance = R"(
            Virtual machines: no public IP addresses; reach them through Bastion and the App Gateway)",
        .rationale = R"(
            A public IP on a VM's NIC makes it directly addressable from the Internet, so one
            permissive NSG rule exposes it to scanning and brute force. Entry belongs to the App
            Gateway, and management to Bastion.)",
        .remediation = R"(
            Remove publicIPAddress from the NIC's ipConfigurations (and delete the
            Microsoft.Network/publicIPAddresses resource); publish the application through the App
            Gateway and manage the VM through Azure Bastion.)",
        .run = no_public_ip,
        .reads = {{model::ResourceKind::NetworkInterface,
                   "/properties/ipConfigurations/*/properties/publicIPAddress"}},
    });
    out.push_back(Check{
        .id = "ZT-VM-002",
        .title = "Trusted launch with secure boot and vTPM",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Virtual machines: trusted launch (secure boot, vTPM)",
        .rationale = R"(
            Secure boot lets only signed boot components run, and the vTPM measures the boot chain
            so that the VM's integrity can be attested. Without them rootkits and bootkits persist
            unseen.)",
        .remediation = R"(
            Set properties.securityProfile.securityType to "TrustedLaunch" with
            uefiSettings.secureBootEnabled and uefiSettings.vTpmEnabled true (needs a generation 2
            image; existing generation 1 VMs must be redeployed or upgraded).)",
        .run = trusted_launch,
        .reads = {{model::ResourceKind::VirtualMachine, "/properties/securityProfile"},
                  {model::ResourceKind::VirtualMachine, "/properties/virtualMachineProfile/securityProfile"}},
    });
    out.push_back(Check{
        .id = "ZT-VM-003",
        .title = "Disks encrypted at host or with Azure Disk Encryption",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Virtual machines: disk encryption (encryption at host or Azure Disk Encryption)",
        .rationale = R"(
            Server-side encryption covers managed disks at rest, with platform or customer-managed
            keys, but not the temporary disk or the disk caches on the host. Encryption at host
            encrypts those too, end to end from the VM host to storage; Azure Disk Encryption (or a
            confidential VM's disk encryption) encrypts inside the guest.)",
        .remediation = R"(
            Register the EncryptionAtHost feature on the subscription and set
            properties.securityProfile.encryptionAtHost to true on the VM (deallocate it first).)",
        .run = encryption_at_host,
        .reads = {{model::ResourceKind::VirtualMachine, "/properties/securityProfile/encryptionAtHost"},
                  {model::ResourceKind::VirtualMachine,
                   "/properties/virtualMachineProfile/securityProfile/encryptionAtHost"},
                  {model::ResourceKind::VirtualMachine,
                   "/properties/virtualMachineProfile/extensionProfile"}},
    });
    out.push_back(Check{
        .id = "ZT-VM-004",
        .title = "SSH keys only on Linux VMs",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Virtual machines: SSH key authentication, password logins disabled",
        .rationale = R"(
            Passwords can be guessed, sprayed and reused; an SSH key login proves that the user
            holds a private key that never leaves their machine. Disabling password logins removes
            the easiest way in for anyone who reaches port 22.)",
        .remediation = R"(
            Set properties.osProfile.linuxConfiguration.disablePasswordAuthentication to true and
            provide linuxConfiguration.ssh.publicKeys (or sign in with Entra ID through the
            AADSSHLoginForLinux extension).)",
        .run = ssh_keys_only,
        .reads = {{model::ResourceKind::VirtualMachine, "/properties/osProfile/linuxConfiguration"},
                  {model::ResourceKind::VirtualMachine, "/properties/storageProfile/osDisk/osType"},
                  {model::ResourceKind::VirtualMachine,
                   "/properties/virtualMachineProfile/osProfile/linuxConfiguration"},
                  {model::ResourceKind::VirtualMachine,
                   "/properties/virtualMachineProfile/storageProfile/osDisk/osType"}},
    });
    out.push_back(Check{
        .id = "ZT-VM-005",
        .title = "No credentials in VM custom data",
        .principles = {P::VerifyExplicitly, P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Virtual machines: no secrets in custom data; secrets from Key Vault through a managed "
                    "identity",
        .rationale = R"(
            Custom data and user data are readable by every process in the VM (from the instance
            metadata service or the provisioning files), are kept in the deployment history, and
            travel with the template. A password, key or SAS token written there is a standing
            credential for whoever reaches any of them.)",
        .remediation = R"(
            Remove the credential from osProfile.customData or userData; give the VM a managed
            identity and have the script fetch the secret from Key Vault at boot (or use Key Vault
            VM extensions), and rotate the credential that was exposed.)",
        .run = custom_data_credentials,
        .reads = {{model::ResourceKind::VirtualMachine, "/properties/osProfile/customData"},
                  {model::ResourceKind::VirtualMachine, "/properties/userData"},
                  {model::ResourceKind::VirtualMachine,
                   "/properties/virtualMachineProfile/osProfile/customData"},
                  {model::ResourceKind::VirtualMachine, "/properties/virtualMachineProfile/userData"}},
    });
    out.push_back(Check{
        .id = "ZT-VM-006",
        .title = "Automatic guest patching",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance =
            "Virtual machines: automatic guest patching (or automatic OS image upgrades for scale sets)",
        .rationale = R"(
            Unpatched operating systems are the most common way from a foothold to the next host.
            With patchMode Manual, or a Linux image left to its own default, nothing the platform
            orchestrates or reports keeps the VM current.)",
        .remediation = R"(
            Set osProfile.windowsConfiguration.patchSettings.patchMode or
            linuxConfiguration.patchSettings.patchMode to "AutomaticByPlatform" (with assessmentMode
            "AutomaticByPlatform"); a scale set may instead enable
            upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade.)",
        .run = guest_patching,
        .reads = {{model::ResourceKind::VirtualMachine, "/properties/osProfile/windowsConfiguration"},
                  {model::ResourceKind::VirtualMachine, "/properties/osProfile/linuxConfiguration"},
                  {model::ResourceKind::VirtualMachine, "/properties/storageProfile/osDisk/osType"},
                  {model::ResourceKind::VirtualMachine, "/properties/virtualMachineProfile/osProfile"},
                  {model::ResourceKind::VirtualMachine, "/properties/upgradePolicy"}},
    });
}

} // namespace ztnet::checks::families
