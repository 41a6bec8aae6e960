// Internal to the estate builder: a cursor over a resource body that remembers its JSON pointer,
// and typed field readers that report wrong types and unknown values with their place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
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
    FieldReader(Diagnostics& diagnostics, std::vector<std::string>* unknown_fields)
        : diagnostics_(diagnostics), unknown_fields_(unknown_fields) {}

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

    void error(const Cursor& c, std::string code, std::string message);
    void warning(const Cursor& c, std::string code, std::string message);
    Diagnostics& diagnostics() { return diagnostics_; }

  private:
    bool note_unknown(const Cursor& c);
    Diagnostics& diagnostics_;
    std::vector<std::string>* unknown_fields_;
};

/// The last segment of a resource name or id ("vnet/subnet" -> "subnet").
std::string last_segment(std::string_view name);

} // namespace ztnet::load::detail
