// A setting as Azure applies it: the value the input writes, or Azure's default when the input
// leaves it out, and where it is written, so that a finding about it points at the property.
#pragma once

#include <string>
#include <string_view>

#include "ztnet/model/azure_enums.h"
#include "ztnet/support/source.h"

namespace ztnet::model {

struct SettingDefault; // azure_defaults.h

template <class T>
struct Setting {
    T value{};
    /// The property's place when the input writes it; the resource's when it leaves it out.
    SourceLocation where;
    /// The row of the defaults table that gave `value`, when the input leaves the setting out.
    const SettingDefault* defaulted = nullptr;

    bool given() const { return defaulted == nullptr; }
    bool operator==(const T& other) const { return value == other; }
};

/// The value as Azure spells it: "TLS1_2", "true".
template <AzureEnum E>
std::string_view value_text(E value) {
    return name_of(value);
}
inline std::string_view value_text(bool value) {
    return value ? "true" : "false";
}
inline std::string_view value_text(const std::string& value) {
    return value;
}

/// The setting for people: its value, or "absent (TLS1_0)" when Azure's default stands for it.
template <class T>
std::string setting_text(const Setting<T>& setting) {
    std::string value(value_text(setting.value));
    return setting.given() ? value : "absent (" + value + ")";
}

} // namespace ztnet::model
