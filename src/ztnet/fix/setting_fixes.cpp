#include "ztnet/fix/setting_fixes.h"

#include <fmt/format.h>

#include "ztnet/model/paas_kinds.h"

namespace ztnet::fix {
namespace {

using model::PaasService;
using model::PaasServiceType;

json::Value object(std::initializer_list<std::pair<std::string, json::Value>> members) {
    json::Object o;
    for (const auto& [key, value] : members)
        o.set(key, value);
    return json::Value(std::move(o));
}

SettingFix one(std::string what, std::string path, json::Value value, std::string note = {}) {
    SettingFix f;
    f.what = std::move(what);
    f.values.emplace_back(std::move(path), std::move(value));
    f.note = std::move(note);
    return f;
}

Result<SettingFix> close_public_access(const PaasService& s) {
    if (s.service == PaasServiceType::Kubernetes)
        return fail("an AKS API server is made private when the cluster is created, or limited with "
                    "authorizedIPRanges that only its operators know");
    const std::string path = model::is_flexible_server(s.service) ? "/properties/network/publicNetworkAccess"
                                                                  : "/properties/publicNetworkAccess";
    return one("turn public network access off on", path, json::Value("Disabled"),
               "clients reach the service only through a private endpoint afterwards: give it one in the "
               "spoke (with its private DNS zone) first");
}

Result<SettingFix> tls_floor(const PaasService& s) {
    switch (s.service) {
    case PaasServiceType::SqlServer:
        return one("require TLS 1.2 on", "/properties/minimalTlsVersion", json::Value("1.2"));
    case PaasServiceType::WebApp:
        return one("require TLS 1.2 on", "/properties/siteConfig/minTlsVersion", json::Value("1.2"));
    case PaasServiceType::CosmosDb:
        return one("require TLS 1.2 on", "/properties/minimalTlsVersion", json::Value("Tls12"));
    case PaasServiceType::EventHubs:
    case PaasServiceType::ServiceBus:
        return one("require TLS 1.2 on", "/properties/minimumTlsVersion", json::Value("1.2"));
    default:
        return fail("a flexible server's TLS floor is a server parameter (a configurations child), which "
                    "fix does not add");
    }
}

Result<SettingFix> entra_only(const PaasService& s) {
    const std::string keys_note = "clients that authenticate with keys, passwords or the admin user stop "
                                  "working: move them to Entra ID (managed identities) first";
    switch (s.service) {
    case PaasServiceType::SqlServer:
        return fail("Entra-only authentication locks SQL logins out and needs the server's Entra "
                    "administrator (administrators) in place and used by every client first");
    case PaasServiceType::CosmosDb:
    case PaasServiceType::EventHubs:
    case PaasServiceType::ServiceBus:
        return one("turn local (key) authentication off on", "/properties/disableLocalAuth",
                   json::Value(true), keys_note);
    case PaasServiceType::ContainerRegistry:
        return one("turn the admin user off on", "/properties/adminUserEnabled", json::Value(false),
                   keys_note);
    default:
        return fail("Entra-only authentication on a flexible server needs an Entra administrator chosen for "
                    "it");
    }
}

Result<SettingFix> paas_fix(const PaasService& s, std::string_view check) {
    if (check == "ZT-PAAS-001")
        return close_public_access(s);
    if (check == "ZT-PAAS-004")
        return tls_floor(s);
    if (check == "ZT-PAAS-005") {
        if (s.service == PaasServiceType::WebApp)
            return one("serve HTTPS only on", "/properties/httpsOnly", json::Value(true),
                       "plain HTTP requests are redirected to HTTPS");
        return fail("require_secure_transport is a server parameter (a configurations child), which fix does "
                    "not add");
    }
    if (check == "ZT-PAAS-006")
        return entra_only(s);
    if (check == "ZT-PAAS-007")
        return one("turn purge protection on for", "/properties/enablePurgeProtection", json::Value(true),
                   "purge protection cannot be turned off again");
    if (check == "ZT-PAAS-008")
        return one("authorise with Azure RBAC on", "/properties/enableRbacAuthorization", json::Value(true),
                   "the vault's access policies stop granting access: assign Key Vault data roles to the "
                   "callers first");
    if (check == "ZT-PAAS-012")
        return fail("VNet integration needs a subnet delegated to Microsoft.Web/serverFarms chosen for the "
                    "app, with a route to the hub firewall");
    if (check == "ZT-PAAS-010")
        return one("turn local accounts off on", "/properties/disableLocalAccounts", json::Value(true),
                   "the cluster needs Entra ID integration (aadProfile) for anyone to sign in afterwards");
    return fail("the remedy needs values or decisions the input does not hold");
}

Result<SettingFix> vm_patching(const model::VirtualMachine& vm) {
    if (!vm.os_type)
        return fail("the VM's operating system cannot be told, and the patch settings are per OS");
    const std::string profile = vm.scale_set ? "/properties/virtualMachineProfile" : "/properties";
    const std::string configuration =
        vm.os_type == model::OsType::Windows ? "windowsConfiguration" : "linuxConfiguration";
    SettingFix f;
    f.what = "patch automatically (AutomaticByPlatform) on";
    const std::string at = profile + "/osProfile/" + configuration + "/patchSettings";
    f.values.emplace_back(at + "/patchMode", json::Value("AutomaticByPlatform"));
    f.values.emplace_back(at + "/assessmentMode", json::Value("AutomaticByPlatform"));
    f.note = "the image must support automatic VM guest patching, and the VM needs its agent "
             "(provisionVMAgent)";
    return f;
}

} // namespace

std::optional<Result<SettingFix>> setting_fix(const model::Estate& estate, const checks::Finding& finding) {
    const std::string_view check = finding.check_id;
    const auto ref = estate.find(finding.resource_id);
    if (check.starts_with("ZT-PAAS-") && check != "ZT-PAAS-011") {
        if (!ref || ref->kind != model::ResourceKind::PaasService)
            return Result<SettingFix>(fail("the finding is not on a PaaS service of the estate"));
        return paas_fix(estate.paas_services[ref->as<PaasService>()], check);
    }
    if (check == "ZT-VM-006") {
        if (!ref || ref->kind != model::ResourceKind::VirtualMachine)
            return Result<SettingFix>(fail("the finding is not on a VM of the estate"));
        return vm_patching(estate.virtual_machines[ref->as<model::VirtualMachine>()]);
    }
    if (check == "ZT-APP-003")
        return Result<SettingFix>(one("use TLS policy AppGwSslPolicy20220101S on", "/properties/sslPolicy",
                                      object({{"policyType", json::Value("Predefined")},
                                              {"policyName", json::Value("AppGwSslPolicy20220101S")}}),
                                      "clients that only speak TLS 1.0 or 1.1 are refused"));
    if (check == "ZT-NET-007")
        return Result<SettingFix>(
            one("turn virtual network encryption on for", "/properties/encryption",
                object({{"enabled", json::Value(true)}, {"enforcement", json::Value("AllowUnencrypted")}}),
                "only VM sizes with accelerated networking encrypt; the others keep "
                "talking unencrypted (AllowUnencrypted)"));
    return std::nullopt;
}

} // namespace ztnet::fix
