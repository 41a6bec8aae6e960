#include "ztnet/load/api_version_defaults.h"

#include <cassert>

#include "ztnet/model/resource_id.h"

namespace ztnet::load {
namespace {

constexpr ApiVersionDefault kDefaults[] = {
    // Secure transfer: on by default for accounts created with API 2019-04-01 or later ("Require
    // secure transfer to ensure secure connections", Azure Storage documentation; the storage REST
    // API reference of 2019-04-01 describes the new default).
    {"Microsoft.Storage/storageAccounts", "supportsHttpsTrafficOnly", "2019-04-01", false, true,
     "learn.microsoft.com/azure/storage/common/storage-require-secure-transfer"},
    // Anonymous blob access: the REST reference of the API versions before 2023-01-01 reads an absent
    // allowBlobPublicAccess as true, that of 2023-01-01 and later as false ("Remediate anonymous read
    // access to blob data", Azure Storage documentation). Where the change's exact version is
    // unclear, the older reading is kept for older versions: it is the one that does not hide an
    // exposure.
    {"Microsoft.Storage/storageAccounts", "allowBlobPublicAccess", "2023-01-01", true, false,
     "learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent"},
};

} // namespace

std::span<const ApiVersionDefault> api_version_defaults() {
    return kDefaults;
}

bool api_version_default(std::string_view type, std::string_view property, std::string_view api_version) {
    for (const ApiVersionDefault& row : kDefaults) {
        if (!model::same_id(row.type, type) || !model::same_id(row.property, property))
            continue;
        // API versions are dates, so the first ten characters order them ("-preview" aside).
        if (api_version.empty())
            return row.from;
        return api_version.substr(0, 10) >= row.since ? row.from : row.before;
    }
    assert(false && "no API version default for this setting");
    return false;
}

} // namespace ztnet::load
