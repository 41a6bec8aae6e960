// Virtual machines, storage accounts, flow logs, diagnostic settings, role definitions and assignments.
#include <algorithm>
#include <array>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/load/script_credentials.h"
#include "ztnet/model/built_in_roles.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::Index;
using model::kNone;
using model::ResourceKind;

namespace {

// The OS a marketplace image runs, from its publisher and offer, for a VM whose template says it
// nowhere else (a linuxConfiguration set to null when password authentication is chosen, say).
// Empty when the image is not one of the well-known ones.
std::optional<model::OsType> os_of_image(FieldReader& read, const Cursor& props) {
    Cursor image = props["storageProfile"]["imageReference"];
    std::string publisher = model::id_key(read.string_or(image["publisher"], ""));
    std::string offer = model::id_key(read.string_or(image["offer"], ""));
    auto has = [](const std::string& text, std::string_view part) {
        return text.find(part) != std::string::npos;
    };
    for (std::string_view windows :
         {"microsoftwindowsserver", "microsoftwindowsdesktop", "microsoftvisualstudio"})
        if (publisher == windows)
            return model::OsType::Windows;
    if (publisher == "microsoftsqlserver")
        return has(offer, "ubuntu") || has(offer, "rhel") || has(offer, "sles") ? model::OsType::Linux
                                                                                : model::OsType::Windows;
    for (std::string_view linux_publisher : {"canonical", "redhat", "openlogic", "suse", "debian", "credativ",
                                             "oracle", "kinvolk", "coreos", "almalinux"})
        if (publisher == linux_publisher)
            return model::OsType::Linux;
    for (std::string_view linux_offer :
         {"ubuntu", "centos", "rhel", "debian", "sles", "linux", "rocky", "alma"})
        if (has(offer, linux_offer))
            return model::OsType::Linux;
    if (has(offer, "windows"))
        return model::OsType::Windows;
    return std::nullopt;
}

} // namespace

void EstateBuilder::fill_virtual_machine(model::VirtualMachine& vm, const Cursor& body) {
    FieldReader read = reader(vm);
    // A scale set's instances share its virtualMachineProfile, which has a VM's properties.
    Cursor props = vm.scale_set ? body["properties"]["virtualMachineProfile"] : body["properties"];
    if (vm.scale_set) {
        vm.instances = read.integer(body["sku"]["capacity"]).value_or(1);
        Cursor configurations = props["networkProfile"]["networkInterfaceConfigurations"];
        for (const Cursor& configuration : configurations.elements()) {
            auto name = read.string(configuration["name"]);
            if (!name || name->empty())
                continue;
            if (auto nic = estate_.find(scale_set_interface_id(vm.id, *name));
                nic && nic->kind == ResourceKind::NetworkInterface)
                vm.network_interfaces.push_back(nic->as<model::NetworkInterface>());
        }
    }
    Cursor nics = props["networkProfile"]["networkInterfaces"];
    for (const std::string& id : read.reference_ids(nics)) {
        auto nic = resolve<model::NetworkInterface>(id, nics, true);
        if (nic != kNone)
            vm.network_interfaces.push_back(nic);
    }
    constexpr ResourceKind kVm = ResourceKind::VirtualMachine;
    Cursor security = props["securityProfile"];
    vm.security_type = read.enum_setting<model::VmSecurityType>(security["securityType"], kVm,
                                                                "properties.securityProfile.securityType");
    vm.secure_boot = read.bool_setting(security["uefiSettings"]["secureBootEnabled"], kVm,
                                       "properties.securityProfile.uefiSettings.secureBootEnabled");
    vm.vtpm = read.bool_setting(security["uefiSettings"]["vTpmEnabled"], kVm,
                                "properties.securityProfile.uefiSettings.vTpmEnabled");
    vm.encryption_at_host =
        read.bool_setting(security["encryptionAtHost"], kVm, "properties.securityProfile.encryptionAtHost");
    vm.os_type = read.optional_enum<model::OsType>(props["storageProfile"]["osDisk"]["osType"],
                                                   "properties.storageProfile.osDisk.osType");
    Cursor linux_config = props["osProfile"]["linuxConfiguration"];
    auto given = [](const Cursor& c) { return c.value != nullptr && !c.value->is_null(); };
    if (!vm.os_type)
        vm.os_type = given(linux_config)                                 ? model::OsType::Linux
                     : given(props["osProfile"]["windowsConfiguration"]) ? model::OsType::Windows
                                                                         : os_of_image(read, props);
    vm.disable_password_authentication =
        read.bool_setting(linux_config["disablePasswordAuthentication"], kVm,
                          "properties.osProfile.linuxConfiguration.disablePasswordAuthentication");
    fill_vm_hardening(vm, body, props);
}

namespace {

bool is_disk_encryption_extension(std::string_view type) {
    return model::same_id(type, "AzureDiskEncryption") || model::same_id(type, "AzureDiskEncryptionForLinux");
}

} // namespace

// Disks encrypted beyond the platform's keys, the guest's patching, and credentials in custom data.
// `props` is a VM's properties or a scale set's virtualMachineProfile.
void EstateBuilder::fill_vm_hardening(model::VirtualMachine& vm, const Cursor& body, const Cursor& props) {
    FieldReader read = reader(vm);
    constexpr ResourceKind kVm = ResourceKind::VirtualMachine;
    Cursor storage = props["storageProfile"];
    Cursor os_disk = storage["osDisk"]["managedDisk"];
    vm.disk_encryption_set_id = read.string_or(os_disk["diskEncryptionSet"]["id"], "");
    for (const Cursor& disk : storage["dataDisks"].elements())
        if (vm.disk_encryption_set_id.empty())
            vm.disk_encryption_set_id = read.string_or(disk["managedDisk"]["diskEncryptionSet"]["id"], "");
    vm.confidential_disk_encryption = model::same_id(
        read.string_or(os_disk["securityProfile"]["securityEncryptionType"], ""), "DiskWithVMGuestState");
    for (const Cursor& extension : props["extensionProfile"]["extensions"].elements())
        if (is_disk_encryption_extension(read.string_or(extension["properties"]["type"], "")))
            vm.azure_disk_encryption = true;
    if (vm.os_type == model::OsType::Windows)
        vm.patch_mode =
            read.text_setting(props["osProfile"]["windowsConfiguration"]["patchSettings"]["patchMode"], kVm,
                              "properties.osProfile.windowsConfiguration.patchSettings.patchMode");
    else if (vm.os_type == model::OsType::Linux)
        vm.patch_mode =
            read.text_setting(props["osProfile"]["linuxConfiguration"]["patchSettings"]["patchMode"], kVm,
                              "properties.osProfile.linuxConfiguration.patchSettings.patchMode");
    if (vm.scale_set)
        vm.automatic_os_upgrade = read.boolean_or(
            body["properties"]["upgradePolicy"]["automaticOSUpgradePolicy"]["enableAutomaticOSUpgrade"],
            false);
    // Custom data is write-only (an export never shows it); user data is on the VM, or the profile.
    for (const Cursor& data : {props["osProfile"]["customData"], props["userData"]}) {
        std::optional<std::string> value = read.string(data);
        if (!value || value->empty())
            continue;
        const bool found_before = !vm.custom_data_secrets.empty();
        for (std::string& what : credentials_in_script(custom_data_text(*value)))
            if (std::find(vm.custom_data_secrets.begin(), vm.custom_data_secrets.end(), what) ==
                vm.custom_data_secrets.end())
                vm.custom_data_secrets.push_back(std::move(what));
        if (!found_before && !vm.custom_data_secrets.empty())
            vm.custom_data_where = data.where();
    }
}

void EstateBuilder::link_vm_extensions() {
    FieldReader read(diagnostics_, nullptr);
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        if (!model::same_id(other.type, "Microsoft.Compute/virtualMachines/extensions") &&
            !model::same_id(other.type, "Microsoft.Compute/virtualMachineScaleSets/extensions"))
            continue;
        if (!is_disk_encryption_extension(read.string_or(s.body["properties"]["type"], "")))
            continue;
        auto parent = estate_.find(model::parse_resource_id(other.id).parent_id);
        if (parent && parent->kind == ResourceKind::VirtualMachine)
            estate_.virtual_machines[parent->index].azure_disk_encryption = true;
    }
}

void EstateBuilder::fill_storage_account(model::StorageAccount& s, const Cursor& body) {
    FieldReader read = reader(s);
    Cursor props = body["properties"];
    s.kind = read.optional_enum<model::StorageKind>(body["kind"], "kind");
    s.sku = read.optional_enum<model::StorageSku>(body["sku"]["name"], "sku.name");
    constexpr ResourceKind kAccount = ResourceKind::StorageAccount;
    auto flag = [&](const Cursor& c, std::string_view property) {
        return read.bool_setting(c, kAccount, property);
    };
    s.https_only = flag(props["supportsHttpsTrafficOnly"], "properties.supportsHttpsTrafficOnly");
    s.minimum_tls_version = read.enum_setting<model::TlsVersion>(props["minimumTlsVersion"], kAccount,
                                                                 "properties.minimumTlsVersion");
    s.allow_blob_public_access = flag(props["allowBlobPublicAccess"], "properties.allowBlobPublicAccess");
    s.allow_shared_key_access = flag(props["allowSharedKeyAccess"], "properties.allowSharedKeyAccess");
    s.public_network_access = read.enum_setting<model::PublicNetworkAccess>(
        props["publicNetworkAccess"], kAccount, "properties.publicNetworkAccess");
    s.network_default_action = read.enum_setting<model::NetworkAclAction>(
        props["networkAcls"]["defaultAction"], kAccount, "properties.networkAcls.defaultAction");
    s.encryption_key_source = read.enum_setting<model::KeySource>(props["encryption"]["keySource"], kAccount,
                                                                  "properties.encryption.keySource");
    s.infrastructure_encryption = flag(props["encryption"]["requireInfrastructureEncryption"],
                                       "properties.encryption.requireInfrastructureEncryption");
}

void EstateBuilder::fill_flow_log(model::FlowLog& f, const Cursor& body) {
    FieldReader read = reader(f);
    Cursor props = body["properties"];
    f.target_resource_id = read.string_or(props["targetResourceId"], "");
    if (auto target = estate_.find(f.target_resource_id)) {
        if (target->kind == ResourceKind::NetworkSecurityGroup)
            f.target_nsg = target->as<model::NetworkSecurityGroup>();
        else if (target->kind == ResourceKind::VirtualNetwork)
            f.target_vnet = target->as<model::VirtualNetwork>();
    } else if (!f.target_resource_id.empty()) {
        resolve<model::NetworkSecurityGroup>(f.target_resource_id, props["targetResourceId"], false);
    }
    f.storage_id = read.string_or(props["storageId"], "");
    if (!f.storage_id.empty())
        f.storage_account = resolve<model::StorageAccount>(f.storage_id, props["storageId"], false);
    f.enabled = read.boolean_or(props["enabled"], false);
    f.retention_enabled = read.boolean_or(props["retentionPolicy"]["enabled"], false);
    f.retention_days = static_cast<int>(read.integer(props["retentionPolicy"]["days"]).value_or(0));
    f.format_version = static_cast<int>(read.integer(props["format"]["version"]).value_or(1));
    f.traffic_analytics = read.boolean_or(
        props["flowAnalyticsConfiguration"]["networkWatcherFlowAnalyticsConfiguration"]["enabled"], false);
}

void EstateBuilder::fill_diagnostic_setting(model::DiagnosticSetting& d, const Cursor& body) {
    FieldReader read = reader(d);
    Cursor props = body["properties"];
    d.scope_id = model::extension_scope(d.id);
    d.workspace_id = read.string_or(props["workspaceId"], "");
    d.storage_account_id = read.string_or(props["storageAccountId"], "");
    for (const Cursor& log : props["logs"].elements()) {
        if (!read.boolean_or(log["enabled"], false))
            continue;
        std::string category = read.string_or(log["category"], "");
        if (category.empty())
            category = read.string_or(log["categoryGroup"], "");
        d.enabled_categories.push_back(std::move(category));
    }
}

void EstateBuilder::fill_role_definition(model::RoleDefinition& r, const Cursor& body) {
    FieldReader read = reader(r);
    Cursor props = body["properties"];
    r.role_name = read.string_or(props["roleName"], "");
    r.custom = !model::same_id(read.string_or(props["type"], "CustomRole"), "BuiltInRole");
    for (const Cursor& permission : props["permissions"].elements()) {
        for (std::string& a : read.strings(permission["actions"]))
            r.actions.push_back(std::move(a));
        for (std::string& a : read.strings(permission["notActions"]))
            r.not_actions.push_back(std::move(a));
        for (std::string& a : read.strings(permission["dataActions"]))
            r.data_actions.push_back(std::move(a));
    }
    r.assignable_scopes = read.strings(props["assignableScopes"]);
}

void EstateBuilder::fill_role_assignment(model::RoleAssignment& r, const Cursor& body) {
    FieldReader read = reader(r);
    Cursor props = body["properties"];
    r.scope = read.string_or(props["scope"], "");
    if (r.scope.empty())
        r.scope = model::extension_scope(r.id);
    r.role_definition_id = read.string_or(props["roleDefinitionId"], "");
    r.principal_id = read.string_or(props["principalId"], "");
    r.principal_type =
        read.optional_enum<model::PrincipalType>(props["principalType"], "properties.principalType");
    r.built_in_role = std::string(model::built_in_role_name(r.role_definition_id));
    if (r.built_in_role.empty() && !r.role_definition_id.empty()) {
        if (auto ref = estate_.find(r.role_definition_id); ref && ref->kind == ResourceKind::RoleDefinition) {
            r.role_definition = ref->as<model::RoleDefinition>();
        } else {
            // Role definitions are often defined outside the loaded scope (other built-in roles):
            // match by the definition's GUID, the last segment of its id.
            std::string guid =
                model::id_key(r.role_definition_id.substr(r.role_definition_id.rfind('/') + 1));
            for (model::RoleDefinitionIndex i : estate_.role_definitions.indices()) {
                if (model::id_key(estate_.role_definitions[i].name) == guid)
                    r.role_definition = i;
            }
        }
    }
}

} // namespace ztnet::load::detail
