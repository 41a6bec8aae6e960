// Finding the inputs in a real repository: unrelated JSON beside the templates, --exclude, hidden
// folders, a named template's sibling parameters file, Blueprint artifacts, a template beside the
// export of the same estate, and the storage defaults of the template's API version.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/model/azure_defaults.h"

namespace ztnet::load {
namespace {

namespace fs = std::filesystem;

// A scratch folder, removed at the end of the test.
class Folder {
  public:
    Folder()
        : path_(fs::temp_directory_path() /
                ("ztnet-loader-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~Folder() { fs::remove_all(path_); }
    std::string write(const std::string& relative, const std::string& text) const {
        fs::path file = path_ / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file.string();
    }
    std::string path() const { return path_.string(); }

  private:
    static inline int counter_ = 0;
    fs::path path_;
};

const char* kNsgTemplate = R"({
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"nsgName": {"type": "string"}},
  "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2021-02-01",
                 "name": "[parameters('nsgName')]", "location": "westeurope", "properties": {}}]})";

const char* kNsgParameters = R"({
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0", "parameters": {"nsgName": {"value": "nsg-from-file"}}})";

struct Loaded {
    SourceSet sources;
    Diagnostics diagnostics;
    LoadResult result;
    std::size_t count(std::string_view code) const {
        std::size_t n = 0;
        for (const Diagnostic& d : diagnostics.all())
            n += d.code == code ? 1 : 0;
        return n;
    }
};

Loaded load(const std::vector<std::string>& paths, LoadOptions options = {}) {
    Loaded out;
    out.result = load_paths(paths, options, out.sources, out.diagnostics);
    return out;
}

TEST(LoaderInputs, UnrelatedJsonInAFolderIsSkippedWithANote) {
    Folder repo;
    repo.write("package.json", R"({"name": "app", "version": "1.0.0"})");
    repo.write("bicepconfig.json", R"({"analyzers": {}})");
    repo.write(".vscode/settings.json", "{ // comment\n \"a\": 1 }");
    repo.write("node_modules/x/package.json", R"({"name": "x"})");
    repo.write("infra/nsg.json", kNsgTemplate);
    repo.write("infra/nsg.parameters.json", kNsgParameters);
    Loaded loaded = load({repo.path()});
    EXPECT_FALSE(loaded.diagnostics.has_errors());
    EXPECT_EQ(loaded.count("skipped-input"), 2u); // hidden folders and node_modules are not read at all
    ASSERT_EQ(loaded.result.estate.network_security_groups.size(), 1u);
    EXPECT_EQ(loaded.result.estate.network_security_groups[0].name, "nsg-from-file");

    // Named on the command line, a file that is no Azure input is an error.
    Loaded named = load({repo.path() + "/package.json"});
    EXPECT_EQ(named.count("unrecognised-input"), 1u);
    EXPECT_TRUE(named.diagnostics.has_errors());
}

TEST(LoaderInputs, ExcludeLeavesOutFilesAndFolders) {
    Folder repo;
    repo.write("infra/nsg.json", kNsgTemplate);
    repo.write("infra/nsg.parameters.json", kNsgParameters);
    repo.write("legacy/broken.json", R"({"resources": [ not json ]})");
    Loaded all = load({repo.path()});
    EXPECT_TRUE(all.diagnostics.has_errors());
    LoadOptions options;
    options.exclude = {"legacy"};
    Loaded some = load({repo.path()}, options);
    EXPECT_FALSE(some.diagnostics.has_errors());
    options.exclude = {"*/broken.json"};
    EXPECT_FALSE(load({repo.path()}, options).diagnostics.has_errors());
}

TEST(LoaderInputs, ANamedTemplateBringsItsSiblingParametersFile) {
    Folder repo;
    std::string tmpl = repo.write("nsg.json", kNsgTemplate);
    repo.write("nsg.parameters.json", kNsgParameters);
    Loaded loaded = load({tmpl});
    EXPECT_FALSE(loaded.diagnostics.has_errors());
    ASSERT_EQ(loaded.result.inputs.parameter_files.size(), 1u);
    EXPECT_EQ(loaded.result.estate.network_security_groups.at(0).name, "nsg-from-file");
    // Alone, the name is unknown: the NSG still loads, under a placeholder, with a warning.
    Folder bare;
    Loaded alone = load({bare.write("nsg.json", kNsgTemplate)});
    EXPECT_FALSE(alone.diagnostics.has_errors());
    EXPECT_EQ(alone.count("arm-parameter-missing"), 1u);
    ASSERT_EQ(alone.result.estate.network_security_groups.size(), 1u);
    EXPECT_EQ(alone.result.estate.network_security_groups[0].name, "{unknown name at resources.0}");
}

TEST(LoaderInputs, ABlueprintArtifactIsReadAsTheTemplateItHolds) {
    Folder repo;
    std::string artifact = repo.write("artifact.json", std::string(R"({"kind": "template",
        "type": "Microsoft.Blueprint/blueprints/artifacts", "name": "nsg-artifact",
        "properties": {"parameters": {"nsgName": {"value": "[parameters('bpName')]"}}, "template": )") +
                                                           kNsgTemplate + "}}");
    Loaded loaded = load({artifact});
    EXPECT_FALSE(loaded.diagnostics.has_errors());
    EXPECT_EQ(loaded.result.inputs.templates.size(), 1u);
    EXPECT_EQ(loaded.result.estate.network_security_groups.size(), 1u);
}

TEST(LoaderInputs, ResourcesATemplateAndAnExportBothHoldComeFromTheExport) {
    Folder repo;
    repo.write("template/nsg.json", kNsgTemplate);
    repo.write("template/nsg.parameters.json", kNsgParameters);
    repo.write("export/resources.json", R"([{
        "id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-from-file",
        "name": "nsg-from-file", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
        "properties": {"securityRules": []}}])");
    Loaded loaded = load({repo.path()});
    EXPECT_FALSE(loaded.diagnostics.has_errors());
    EXPECT_EQ(loaded.count("template-and-export"), 1u);
    ASSERT_EQ(loaded.result.estate.network_security_groups.size(), 1u);
    EXPECT_NE(loaded.result.estate.network_security_groups[0].id.find("rg-net"), std::string::npos);
    // The templates deploy into the exported subscription, and say so.
    EXPECT_EQ(loaded.count("template-scope"), 1u);
}

// An export of one subscription whose NIC refers to an NSG of that subscription the export lacks.
const char* kNicWithMissingNsg = R"([{
    "id": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/nic-1",
    "name": "nic-1", "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
    "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAddress": "10.0.0.4",
      "privateIPAllocationMethod": "Static"}}], "networkSecurityGroup": {"id":
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-gone"}}}])";

TEST(LoaderInputs, CoverageSaysWhatEachInputShows) {
    Folder repo;
    repo.write("export/resources.json", kNicWithMissingNsg);
    repo.write("template/nsg.json", kNsgTemplate);
    repo.write("template/nsg.parameters.json", kNsgParameters);
    Loaded seen = load({repo.path()});
    EXPECT_FALSE(seen.diagnostics.has_errors());
    const auto& scopes = seen.result.estate.covered_scopes;
    ASSERT_EQ(scopes.size(), 2u);
    EXPECT_EQ(scopes[0].scope, "/subscriptions/11111111-2222-3333-4444-555555555555");
    EXPECT_EQ(scopes[0].basis, model::CoveredScope::Basis::Seen);
    EXPECT_EQ(scopes[1].scope, "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/ztnet-rg");
    EXPECT_EQ(scopes[1].basis, model::CoveredScope::Basis::Deployment);
    // Without a manifest the missing NSG may simply be elsewhere: outside the input.
    ASSERT_EQ(seen.result.estate.external_references.size(), 1u);
    EXPECT_TRUE(seen.result.estate.external_references[0].inside_covered_scope.empty());

    // With a manifest naming the subscription, it was collected whole: the NSG does not exist there.
    repo.write("export/ztnet-manifest.json", R"({"ztnetExportManifest": 1, "collected": [],
        "scopes": {"subscriptions": ["11111111-2222-3333-4444-555555555555"], "managementGroup": null}})");
    Loaded collected = load({repo.path() + "/export"});
    EXPECT_FALSE(collected.diagnostics.has_errors());
    ASSERT_EQ(collected.result.estate.covered_scopes.size(), 1u);
    EXPECT_EQ(collected.result.estate.covered_scopes[0].basis, model::CoveredScope::Basis::Collected);
    ASSERT_EQ(collected.result.estate.external_references.size(), 1u);
    EXPECT_EQ(collected.result.estate.external_references[0].inside_covered_scope,
              "/subscriptions/11111111-2222-3333-4444-555555555555");
    bool said = false;
    for (const Diagnostic& d : collected.diagnostics.all())
        said =
            said || (d.code == "external-reference" && d.message.find("does not exist") != std::string::npos);
    EXPECT_TRUE(said);

    // A manifest whose scopes have the wrong shape is an error at the place.
    repo.write("export/ztnet-manifest.json",
               R"({"ztnetExportManifest": 1, "collected": [], "scopes": {"subscriptions": "one"}})");
    Loaded wrong = load({repo.path() + "/export"});
    EXPECT_EQ(wrong.count("manifest-shape"), 1u);
}

TEST(LoaderInputs, StorageDefaultsFollowTheApiVersion) {
    Folder repo;
    std::string tmpl = repo.write("storage.json", R"({
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [
        {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2018-02-01", "name": "stold",
         "location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "properties": {}},
        {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stnew",
         "location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "properties": {}}]})");
    Loaded loaded = load({tmpl});
    ASSERT_EQ(loaded.result.estate.storage_accounts.size(), 2u);
    const model::StorageAccount& old_account = loaded.result.estate.storage_accounts[0];
    const model::StorageAccount& new_account = loaded.result.estate.storage_accounts[1];
    EXPECT_FALSE(old_account.https_only.value);
    EXPECT_TRUE(old_account.allow_blob_public_access.value);
    EXPECT_TRUE(new_account.https_only.value);
    EXPECT_FALSE(new_account.allow_blob_public_access.value);
    // Every absent setting says it holds Azure's default, and which row gave it.
    EXPECT_FALSE(new_account.minimum_tls_version.given());
    EXPECT_EQ(new_account.minimum_tls_version.value, model::TlsVersion::Tls1_0);
    EXPECT_EQ(model::setting_text(new_account.minimum_tls_version), "absent (TLS1_0)");
    ASSERT_NE(new_account.https_only.defaulted, nullptr);
    EXPECT_EQ(new_account.https_only.defaulted->property, "properties.supportsHttpsTrafficOnly");
}

// Subnets of VNets deployed with API 2025-07-01 or later are private by default; a subnet written
// inside its VNet is deployed with the VNet's API version, a child resource with its own.
TEST(LoaderInputs, DefaultOutboundAccessFollowsTheApiVersion) {
    Folder repo;
    std::string tmpl = repo.write("vnets.json", R"({
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet-old",
         "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
           "subnets": [{"name": "a", "properties": {"addressPrefix": "10.1.0.0/24"}}]}},
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-new",
         "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.2.0.0/16"]},
           "subnets": [{"name": "b", "properties": {"addressPrefix": "10.2.0.0/24"}}]}},
        {"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-09-01", "name": "vnet-new/c",
         "dependsOn": ["vnet-new"], "properties": {"addressPrefix": "10.2.1.0/24"}}]})");
    Loaded loaded = load({tmpl});
    EXPECT_FALSE(loaded.diagnostics.has_errors());
    const auto& subnets = loaded.result.estate.subnets;
    auto subnet = [&](std::string_view name) {
        auto at = std::find_if(subnets.begin(), subnets.end(),
                               [&](const model::Subnet& s) { return s.name == name; });
        EXPECT_NE(at, subnets.end()) << name;
        return at;
    };
    EXPECT_TRUE(subnet("a")->default_outbound_access);
    EXPECT_EQ(subnet("b")->api_version, "2025-07-01");
    EXPECT_FALSE(subnet("b")->default_outbound_access);
    EXPECT_TRUE(subnet("c")->default_outbound_access);
}

TEST(LoaderInputs, SettingsPointAtTheirPropertyAndUnrecognisedValuesAreUnknown) {
    Folder repo;
    std::string tmpl = repo.write("storage.json", R"({
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [
        {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st",
         "location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
         "properties": {
           "minimumTlsVersion": "tls1_2",
           "publicNetworkAccess": "Sometimes"}}]})");
    Loaded loaded = load({tmpl});
    ASSERT_EQ(loaded.result.estate.storage_accounts.size(), 1u);
    const model::StorageAccount& account = loaded.result.estate.storage_accounts[0];
    // Azure compares enumerations without regard to case.
    EXPECT_TRUE(account.minimum_tls_version.given());
    EXPECT_EQ(account.minimum_tls_version.value, model::TlsVersion::Tls1_2);
    // The setting's place is the property's, not the resource's.
    EXPECT_NE(account.minimum_tls_version.where.offset, account.where.offset);
    EXPECT_EQ(
        loaded.sources
            .line_column(account.minimum_tls_version.where.file, account.minimum_tls_version.where.offset)
            .line,
        8u);
    // A value Azure does not document is warned about and unknown: the default stands in.
    EXPECT_EQ(loaded.count("unrecognised-value"), 1u);
    EXPECT_FALSE(account.public_network_access.given());
    EXPECT_EQ(account.public_network_access.value, model::PublicNetworkAccess::Enabled);
    EXPECT_NE(std::find(account.unknown_fields.begin(), account.unknown_fields.end(),
                        "/properties/publicNetworkAccess"),
              account.unknown_fields.end());
}

TEST(LoaderInputs, TemplatesMayHoldRawControlCharactersInStrings) {
    Folder repo;
    std::string tmpl = repo.write("script.json", std::string(R"({
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2021-02-01",
        "name": "nsg", "location": "westeurope", "properties": {}, "tags": {"note": "two)") +
                                                     "\n\t" + R"(lines"}}]})");
    Loaded loaded = load({tmpl});
    EXPECT_FALSE(loaded.diagnostics.has_errors());
    EXPECT_EQ(loaded.result.estate.network_security_groups.size(), 1u);
}

TEST(LoaderInputs, LinuxIsRecognisedFromTheImageWhenNothingElseSaysIt) {
    Folder repo;
    std::string tmpl = repo.write("vm.json", R"({
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [{"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2021-03-01", "name": "vm",
        "location": "westeurope",
        "properties": {"osProfile": {"computerName": "vm", "adminUsername": "u", "linuxConfiguration": null},
          "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "UbuntuServer",
                                                "sku": "18.04-LTS", "version": "latest"}}}}]})");
    Loaded loaded = load({tmpl});
    ASSERT_EQ(loaded.result.estate.virtual_machines.size(), 1u);
    EXPECT_EQ(loaded.result.estate.virtual_machines[0].os_type, model::OsType::Linux);
}

} // namespace
} // namespace ztnet::load
