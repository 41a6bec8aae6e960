// Storage checks (ZT-STG-*): every storage account encrypted in transit, closed to anonymous and
// public access, reached through a private endpoint, authenticated with Entra ID rather than
// account keys, and encrypted with keys the customer controls.
//
// Blob soft delete, versioning and immutability policies live in the blobServices child resource,
// which the model does not read; no check claims to see them.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"

namespace ztnet::checks::families {
namespace {

using model::StorageAccount;
using support::finding_on;
using support::same_word;
using support::setting;

/// One finding per storage account for which `failing` holds, with one setting as evidence.
template <typename Failing, typename Describe>
std::vector<Finding> each_account(const model::Estate& estate, Failing failing, Describe describe) {
    std::vector<Finding> out;
    for (const StorageAccount& account : estate.storage_accounts) {
        if (!failing(account))
            continue;
        auto [message, evidence] = describe(account);
        Finding f = finding_on(account, std::move(message));
        f.evidence.push_back(setting(account, std::move(evidence)));
        out.push_back(std::move(f));
    }
    return out;
}

using Described = std::pair<std::string, std::string>;

std::vector<Finding> secure_transfer(const CheckContext& context) {
    return each_account(
        context.estate, [](const StorageAccount& a) { return !a.https_only; },
        [](const StorageAccount& a) {
            return Described{fmt::format("storage account {} accepts unencrypted HTTP requests", a.name),
                             fmt::format("{} supportsHttpsTrafficOnly: false", a.name)};
        });
}

bool tls_1_2_or_later(const StorageAccount& account) {
    return same_word(account.minimum_tls_version, "TLS1_2") ||
           same_word(account.minimum_tls_version, "TLS1_3");
}

std::vector<Finding> minimum_tls(const CheckContext& context) {
    return each_account(
        context.estate, [](const StorageAccount& a) { return !tls_1_2_or_later(a); },
        [](const StorageAccount& a) {
            // Absent, the storage API reads the setting as TLS 1.0.
            std::string version = a.minimum_tls_version.empty() ? "absent (TLS1_0)" : a.minimum_tls_version;
            return Described{fmt::format("storage account {} accepts TLS versions older than 1.2", a.name),
                             fmt::format("{} minimumTlsVersion: {}", a.name, version)};
        });
}

std::vector<Finding> no_anonymous_blob_access(const CheckContext& context) {
    return each_account(
        context.estate, [](const StorageAccount& a) { return a.allow_blob_public_access; },
        [](const StorageAccount& a) {
            return Described{fmt::format("storage account {} lets containers be read anonymously", a.name),
                             fmt::format("{} allowBlobPublicAccess: true", a.name)};
        });
}

/// Public network access off, or the firewall denying every network not listed.
bool closed_to_public_networks(const StorageAccount& account) {
    return same_word(account.public_network_access, "Disabled") ||
           same_word(account.network_default_action, "Deny");
}

std::vector<Finding> public_network_access(const CheckContext& context) {
    return each_account(
        context.estate, [](const StorageAccount& a) { return !closed_to_public_networks(a); },
        [](const StorageAccount& a) {
            std::string access =
                a.public_network_access.empty() ? "absent (Enabled)" : a.public_network_access;
            return Described{fmt::format("storage account {} is reachable from every network", a.name),
                             fmt::format("{} publicNetworkAccess: {}, networkAcls.defaultAction: {}", a.name,
                                         access, a.network_default_action)};
        });
}

std::vector<Finding> private_endpoint(const CheckContext& context) {
    return each_account(
        context.estate, [](const StorageAccount& a) { return a.private_endpoints.empty(); },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} has no private endpoint: clients reach it over its "
                            "public endpoint",
                            a.name),
                fmt::format("{}: no Microsoft.Network/privateEndpoints targets it", a.name)};
        });
}

std::vector<Finding> shared_key_access(const CheckContext& context) {
    return each_account(
        context.estate, [](const StorageAccount& a) { return a.allow_shared_key_access; },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} accepts account keys and SAS signed with them", a.name),
                fmt::format("{} allowSharedKeyAccess: true", a.name)};
        });
}

std::vector<Finding> customer_managed_keys(const CheckContext& context) {
    return each_account(
        context.estate,
        [](const StorageAccount& a) { return !same_word(a.encryption_key_source, "Microsoft.Keyvault"); },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} is encrypted with Microsoft-managed keys{}", a.name,
                            a.infrastructure_encryption ? " (infrastructure encryption on)" : ""),
                fmt::format("{} encryption.keySource: {}", a.name, a.encryption_key_source)};
        });
}

} // namespace

void add_stg(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        "ZT-STG-001",
        "Secure transfer required",
        {P::VerifyExplicitly, P::AssumeBreach},
        Severity::High,
        "Storage: secure transfer only",
        "Requests over plain HTTP expose data and credentials (SAS tokens, keys) to anyone on the path. "
        "Requiring HTTPS makes every request encrypted and the endpoint authenticated.",
        "Set properties.supportsHttpsTrafficOnly to true on the Microsoft.Storage/storageAccounts resource.",
        secure_transfer,
        {{model::ResourceKind::StorageAccount, "/properties/supportsHttpsTrafficOnly"}}});
    out.push_back(Check{
        "ZT-STG-002",
        "TLS 1.2 minimum",
        {P::VerifyExplicitly},
        Severity::Medium,
        "Storage: TLS 1.2 minimum",
        "TLS 1.0 and 1.1 have known weaknesses and are being retired across Azure. Leaving the minimum unset "
        "lets clients negotiate them, because the storage API reads an absent value as TLS 1.0.",
        "Set properties.minimumTlsVersion to \"TLS1_2\" on the storage account.",
        minimum_tls,
        {{model::ResourceKind::StorageAccount, "/properties/minimumTlsVersion"}}});
    out.push_back(Check{"ZT-STG-003",
                        "No anonymous blob access",
                        {P::LeastPrivilege},
                        Severity::High,
                        "Storage: no public blob access",
                        "When anonymous access is allowed, one container set to public exposes its blobs to "
                        "anyone who guesses the URL, with no identity and no audit of who read them.",
                        "Set properties.allowBlobPublicAccess to false on the storage account.",
                        no_anonymous_blob_access,
                        {{model::ResourceKind::StorageAccount, "/properties/allowBlobPublicAccess"}}});
    out.push_back(Check{
        "ZT-STG-004",
        "Public network access off or default-deny",
        {P::AssumeBreach, P::LeastPrivilege},
        Severity::High,
        "Storage: public network access disabled, or the storage firewall denying by default",
        "An account open to all networks can be reached from anywhere on the Internet with a leaked key or "
        "token. Closing the public endpoint limits the damage of a stolen credential to the networks allowed "
        "in.",
        "Set properties.publicNetworkAccess to \"Disabled\" (with a private endpoint), or "
        "properties.networkAcls.defaultAction to \"Deny\" with only the required virtualNetworkRules and "
        "ipRules.",
        public_network_access,
        {{model::ResourceKind::StorageAccount, "/properties/publicNetworkAccess"},
         {model::ResourceKind::StorageAccount, "/properties/networkAcls/defaultAction"}}});
    out.push_back(
        Check{"ZT-STG-005",
              "Reached through a private endpoint",
              {P::AssumeBreach},
              Severity::Medium,
              "Storage: private endpoints for access from the virtual network",
              "A private endpoint gives the account an address inside the virtual network, so traffic stays "
              "off the Internet and NSGs and routes govern who reaches it.",
              "Create a Microsoft.Network/privateEndpoints resource in a spoke subnet with "
              "privateLinkServiceId the storage account and groupIds such as \"blob\", and a privatelink DNS "
              "zone for its name.",
              private_endpoint});
    out.push_back(
        Check{"ZT-STG-006",
              "Shared key access off",
              {P::VerifyExplicitly, P::LeastPrivilege},
              Severity::Medium,
              "Storage: shared-key access off (Entra ID authorisation only)",
              "Account keys grant full access to all data, carry no identity and are rarely rotated. With "
              "them off, every request is authorised through Entra ID and RBAC, and logged against a "
              "principal.",
              "Set properties.allowSharedKeyAccess to false on the storage account, after moving clients to "
              "Entra ID (managed identities) or user-delegation SAS.",
              shared_key_access,
              {{model::ResourceKind::StorageAccount, "/properties/allowSharedKeyAccess"}}});
    out.push_back(Check{
        "ZT-STG-007",
        "Customer-managed encryption keys",
        {P::AssumeBreach},
        Severity::Low,
        "Storage: encryption with customer-managed keys where required",
        "With customer-managed keys the organisation controls the key's lifecycle and access, and can revoke "
        "it to make the data unreadable. Infrastructure encryption adds a second layer but still uses keys "
        "Microsoft manages, so it does not give that control.",
        "Set properties.encryption.keySource to \"Microsoft.Keyvault\" with "
        "properties.encryption.keyvaultproperties (key vault URI and key name) and an identity allowed to "
        "use the key; where policy does not require customer-managed keys, suppress this finding with the "
        "reason.",
        customer_managed_keys,
        {{model::ResourceKind::StorageAccount, "/properties/encryption/keySource"}}});
}

} // namespace ztnet::checks::families
