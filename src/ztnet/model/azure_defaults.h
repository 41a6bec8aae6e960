// Azure's defaults for the settings a resource may leave out, in one table: what Azure applies when
// the input does not say, from which API version, and where Azure documents it. The front ends
// (templates, exports, later Terraform) only map the fields they read; the builder applies this
// table, so that every check sees the value Azure applies and can say where it came from.
#pragma once

#include <span>
#include <string_view>

#include "ztnet/model/estate.h"

namespace ztnet::model {

/// One setting's default. Values are spelt as Azure spells them ("TLS1_0", "true").
struct SettingDefault {
    ResourceKind kind = ResourceKind::Other;
    /// The setting, as Azure's reference names it: "properties.minimumTlsVersion".
    std::string_view property;
    /// What Azure applies when a resource deployed with API version `since` or later leaves the
    /// setting out (every API version when `since` is empty).
    std::string_view value;
    /// The first API version (YYYY-MM-DD) with `value`, and what older ones apply; empty when the
    /// default never changed.
    std::string_view since = {};
    std::string_view before = {};
    /// What a resource in an export (which carries no API version: it shows what Azure holds) that
    /// leaves the setting out has. It may have been created under an older default, so where the
    /// default changed towards the stricter value, the older, laxer value is read: it is the one
    /// that does not hide an exposure.
    std::string_view in_export = {};
    /// Where Azure documents it.
    std::string_view source;
};

/// Every row.
std::span<const SettingDefault> setting_defaults();

/// The row for this setting of this kind. Precondition: the table has one (a test checks that
/// every setting the builder defaults has its row).
const SettingDefault& setting_default(ResourceKind kind, std::string_view property);

/// What Azure applies when the setting is left out by a resource deployed with `api_version`
/// ("2019-04-01", "2021-06-01-preview"); an empty `api_version` is an export's.
std::string_view default_value(const SettingDefault& row, std::string_view api_version);

} // namespace ztnet::model
