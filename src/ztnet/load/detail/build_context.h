// Internal to the estate builder: a cursor over a resource body that remembers its JSON pointer,
// and typed field readers that report wrong types and unknown values with their place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/model/azure_defaults.h"
#include "ztnet/model/estate.h"
#include "ztnet/model/setting.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load::detail {

/// A value inside a resource body, with the pointer that leads to it (relative to the body) and
/// the resource's place in its file.
struct Cursor {
    const json::Value* value = nullptr;
    std::string pointer; // relative to the resource body, e.g. "/properties/securityRules/0"
    const SourceLocation* resource_where = nullptr;

    explicit operator bool() const { return value != nullptr && !value->is_null(); }
    /// Member lookup, case-insensitive as ARM property names are.
    Cursor operator[](std::string_view key) const;
    Cursor at(std::size_t index) const;
    /// Elements of an array (empty when absent or not an array).
    std::vector<Cursor> elements() const;
    /// Source place of this value: its own offset when known, else the resource's.
    SourceLocation where() const;
};

/// Field readers shared by the per-kind builders. Each reports a wrong type as an error, records an
/// Unknown value in `unknown_fields` of the resource being built, and returns nullopt for both.
class FieldReader {
  public:
    /// `api_version`: the one the resource is deployed with (empty for an export), which decides
    /// Azure's defaults for the settings it leaves out.
    FieldReader(Diagnostics& diagnostics, std::vector<std::string>* unknown_fields,
                std::string_view api_version = {})
        : diagnostics_(diagnostics), unknown_fields_(unknown_fields), api_version_(api_version) {}

    std::optional<std::string> string(const Cursor& c);
    std::string string_or(const Cursor& c, std::string fallback);
    std::optional<bool> boolean(const Cursor& c);
    bool boolean_or(const Cursor& c, bool fallback);
    /// Integers; numeric strings are accepted, as ARM accepts "100" for an int property.
    std::optional<std::int64_t> integer(const Cursor& c);
    /// A string, or each string of an array of strings.
    std::vector<std::string> strings(const Cursor& c);
    /// The "id" member of a reference object ({"id": "..."}).
    std::optional<std::string> reference_id(const Cursor& c);
    /// Each "id" of an array of reference objects.
    std::vector<std::string> reference_ids(const Cursor& c);

    /// A setting of a resource of `kind`: the value at `c`, else Azure's default for `property`
    /// from the defaults table, for the resource's API version. A value that is not one Azure
    /// documents is warned about and recorded as unknown, with the default standing in.
    /// Precondition: the table has a row for (kind, property).
    model::Setting<bool> bool_setting(const Cursor& c, model::ResourceKind kind, std::string_view property);
    /// A setting Azure spells as free text ("1.2"), with its default when absent.
    model::Setting<std::string> text_setting(const Cursor& c, model::ResourceKind kind,
                                             std::string_view property);
    template <model::AzureEnum E>
    model::Setting<E> enum_setting(const Cursor& c, model::ResourceKind kind, std::string_view property);
    /// An enumeration Azure has no default for: nullopt when absent, unknown or unrecognised (the
    /// last two warned about and recorded as unknown, as for a setting).
    template <model::AzureEnum E>
    std::optional<E> optional_enum(const Cursor& c, std::string_view property) {
        std::optional<std::string> text = string(c);
        if (!text)
            return std::nullopt;
        std::optional<E> value = model::parse_azure<E>(*text);
        if (!value)
            unrecognised(c, property, *text, model::expected_names<E>());
        return value;
    }
    /// The same when only the value matters: an enumeration at `c`, else Azure's default.
    template <model::AzureEnum E>
    E enum_value(const Cursor& c, model::ResourceKind kind, std::string_view property) {
        return enum_setting<E>(c, kind, property).value;
    }

    void error(const Cursor& c, std::string code, std::string message);
    void warning(const Cursor& c, std::string code, std::string message);
    Diagnostics& diagnostics() { return diagnostics_; }

  private:
    bool note_unknown(const Cursor& c);
    /// Warns that `text` is none of `expected` and records the field as unknown.
    void unrecognised(const Cursor& c, std::string_view property, const std::string& text,
                      const std::string& expected);
    Diagnostics& diagnostics_;
    std::vector<std::string>* unknown_fields_;
    std::string api_version_;
};

template <model::AzureEnum E>
model::Setting<E> FieldReader::enum_setting(const Cursor& c, model::ResourceKind kind,
                                            std::string_view property) {
    model::Setting<E> out;
    out.where = c.where();
    if (std::optional<std::string> text = string(c)) {
        if (std::optional<E> value = model::parse_azure<E>(*text)) {
            out.value = *value;
            return out;
        }
        unrecognised(c, property, *text, model::expected_names<E>());
    }
    out.defaulted = &model::setting_default(kind, property);
    out.value = *model::parse_azure<E>(model::default_value(*out.defaulted, api_version_));
    return out;
}

/// The last segment of a resource name or id ("vnet/subnet" -> "subnet").
std::string last_segment(std::string_view name);

} // namespace ztnet::load::detail
