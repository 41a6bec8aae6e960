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

using support::Described;
using support::each_failing;

using model::setting_text;
using model::value_text;

std::vector<Finding> secure_transfer(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts, [](const StorageAccount& a) { return !a.https_only.value; },
        [](const StorageAccount& a) {
            return Described{fmt::format("storage account {} accepts unencrypted HTTP requests", a.name),
                             fmt::format("{} supportsHttpsTrafficOnly: false", a.name), a.https_only.where};
        });
}

bool tls_1_2_or_later(const StorageAccount& account) {
    return account.minimum_tls_version.value >= model::TlsVersion::Tls1_2;
}

std::vector<Finding> minimum_tls(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts, [](const StorageAccount& a) { return !tls_1_2_or_later(a); },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} accepts TLS versions older than 1.2", a.name),
                fmt::format("{} minimumTlsVersion: {}", a.name, setting_text(a.minimum_tls_version)),
                a.minimum_tls_version.where};
        });
}

std::vector<Finding> no_anonymous_blob_access(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts,
        [](const StorageAccount& a) { return a.allow_blob_public_access.value; },
        [](const StorageAccount& a) {
            return Described{fmt::format("storage account {} lets containers be read anonymously", a.name),
                             fmt::format("{} allowBlobPublicAccess: true", a.name),
                             a.allow_blob_public_access.where};
        });
}

/// Public network access off, or the firewall denying every network not listed.
bool closed_to_public_networks(const StorageAccount& account) {
    return account.public_network_access.value == model::PublicNetworkAccess::Disabled ||
           account.network_default_action.value == model::NetworkAclAction::Deny;
}

std::vector<Finding> public_network_access(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts,
        [](const StorageAccount& a) { return !closed_to_public_networks(a); },
        [](const StorageAccount& a) {
            return Described{fmt::format("storage account {} is reachable from every network", a.name),
                             fmt::format("{} publicNetworkAccess: {}, networkAcls.defaultAction: {}", a.name,
                                         setting_text(a.public_network_access),
                                         value_text(a.network_default_action.value)),
                             a.public_network_access.where};
        });
}

std::vector<Finding> private_endpoint(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts, [](const StorageAccount& a) { return a.private_endpoints.empty(); },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} has no private endpoint: clients reach it over its "
                            "public endpoint",
                            a.name),
                fmt::format("{}: no Microsoft.Network/privateEndpoints targets it", a.name), a.where};
        });
}

std::vector<Finding> shared_key_access(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts,
        [](const StorageAccount& a) { return a.allow_shared_key_access.value; },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} accepts account keys and SAS signed with them", a.name),
                fmt::format("{} allowSharedKeyAccess: true", a.name), a.allow_shared_key_access.where};
        });
}

std::vector<Finding> customer_managed_keys(const CheckContext& context) {
    return each_failing(
        context.estate.storage_accounts,
        [](const StorageAccount& a) {
            return a.encryption_key_source.value != model::KeySource::MicrosoftKeyvault;
        },
        [](const StorageAccount& a) {
            return Described{
                fmt::format("storage account {} is encrypted with Microsoft-managed keys{}", a.name,
                            a.infrastructure_encryption.value ? " (infrastructure encryption on)" : ""),
                fmt::format("{} encryption.keySource: {}", a.name, value_text(a.encryption_key_source.value)),
                a.encryption_key_source.where};
        });
}

} // namespace

void add_stg(std::vector<Check>& out) {
    using P = Principle;
    out.push_back(Check{
        .id = "ZT-STG-001",
        .title = "Secure transfer required",
        .principles = {P::VerifyExplicitly, P::AssumeBreach},
        .severity = Severity::High,
        .guidance = "Storage: secure transfer only",
        .rationale = R"(
            Requests over plain HTTP expose data and credentials (SAS tokens, keys) to anyone on the
            path. Requiring HTTPS makes every request encrypted and the endpoint authenticated.)",
        .remediation = R"(
            Set properties.supportsHttpsTrafficOnly to true on the Microsoft.Storage/storageAccounts
            resource.)",
        .run = secure_transfer,
        .reads = {{model::ResourceKind::StorageAccount, "/properties/supportsHttpsTrafficOnly"}},
    });
    out.push_back(Check{
        .id = "ZT-STG-002",
        .title = "TLS 1.2 minimum",
        .principles = {P::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Storage: TLS 1.2 minimum",
        .rationale = R"(
            TLS 1.0 and 1.1 have known weaknesses and are being retired across Azure. Leaving the
            minimum unset lets clients negotiate them, because the storage API reads an absent value
            as TLS 1.0.)",
        .remediation = R"(Set properties.minimumTlsVersion to "TLS1_2" on the storage account.)",
        .run = minimum_tls,
        .reads = {{model::ResourceKind::StorageAccount, "/properties/minimumTlsVersion"}},
    });
    out.push_back(Check{
        .id = "ZT-STG-003",
        .title = "No anonymous blob access",
        .principles = {P::LeastPrivilege},
        .severity = Severity::High,
        .guidance = "Storage: no public blob access",
        .rationale = R"(
            When anonymous access is allowed, one container set to public exposes its blobs to
            anyone who guesses the URL, with no identity and no audit of who read them.)",
        .remediation = R"(Set properties.allowBlobPublicAccess to false on the storage account.)",
        .run = no_anonymous_blob_access,
        .reads = {{model::ResourceKind::StorageAccount, "/properties/allowBlobPublicAccess"}},
    });
    out.push_back(Check{
        .id = "ZT-STG-004",
        .title = "Public network access off or default-deny",
        .principles = {P::AssumeBreach, P::LeastPrivilege},
        .severity = Severity::High,
        .guidance = "Storage: public network access disabled, or the storage firewall denying by default",
        .rationale = R"(
            An account open to all networks can be reached from anywhere on the Internet with a
            leaked key or token. Closing the public endpoint limits the damage of a stolen
            credential to the networks allowed in.)",
        .remediation = R"(
            Set properties.publicNetworkAccess to "Disabled" (with a private endpoint), or
            properties.networkAcls.defaultAction to "Deny" with only the required
            virtualNetworkRules and ipRules.)",
        .run = public_network_access,
        .reads = {{model::ResourceKind::StorageAccount, "/properties/publicNetworkAccess"},
                  {model::ResourceKind::StorageAccount, "/properties/networkAcls/defaultAction"}},
    });
    out.push_back(Check{
        .id = "ZT-STG-005",
        .title = "Reached through a private endpoint",
        .principles = {P::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Storage: private endpoints for access from the virtual network",
        .rationale = R"(
            A private endpoint gives the account an address inside the virtual network, so traffic
            stays off the Internet and NSGs and routes govern who reaches it.)",
        .remediation = R"(
            Create a Microsoft.Network/privateEndpoints resource in a spoke subnet with
            privateLinkServiceId the storage account and groupIds such as "blob", and a privatelink
            DNS zone for its name.)",
        .run = private_endpoint,
    });
    out.push_back(Check{
        .id = "ZT-STG-006",
        .title = "Shared key access off",
        .principles = {P::VerifyExplicitly, P::LeastPrivilege},
        .severity = Severity::Medium,
        .guidance = "Storage: shared-key access off (Entra ID authorisation only)",
        .rationale = R"(
            Account keys grant full access to all data, carry no identity and are rarely rotated.
            With them off, every request is authorised through Entra ID and RBAC, and logged against
            a principal.)",
        .remediation = R"(
            Set properties.allowSharedKeyAccess to false on the storage account, after moving
            clients to Entra ID (managed identities) or user-delegation SAS.)",
        .run = shared_key_access,
        .reads = {{model::ResourceKind::StorageAccount, "/properties/allowSharedKeyAccess"}},
    });
    out.push_back(Check{
        .id = "ZT-STG-007",
        .title = "Customer-managed encryption keys",
        .principles = {P::AssumeBreach},
        .severity = Severity::Low,
        .guidance = "Storage: encryption with customer-managed keys where required",
        .rationale = R"(
            With customer-managed keys the organisation controls the key's lifecycle and access, and
            can revoke it to make the data unreadable. Infrastructure encryption adds a second layer
            but still uses keys Microsoft manages, so it does not give that control.)",
        .remediation = R"(
            Set properties.encryption.keySource to "Microsoft.Keyvault" with
            properties.encryption.keyvaultproperties (key vault URI and key name) and an identity
            allowed to use the key; where policy does not require customer-managed keys, suppress
            this finding with the reason.)",
        .run = customer_managed_keys,
        .reads = {{model::ResourceKind::StorageAccount, "/properties/encryption/keySource"}},
    });
}

} // namespace ztnet::checks::families
