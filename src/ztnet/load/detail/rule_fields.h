// Internal to build_estate(): reading the fields security rules share, NSG rules and Virtual
// Network Manager's security admin rules alike.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "ztnet/load/detail/build_context.h"
#include "ztnet/model/estate.h"

namespace ztnet::load::detail {

/// One address entry of a rule ("*", a prefix or address, or a service tag); nullopt, with an
/// error naming `rule`, when `text` is none of them.
std::optional<model::AddressEntry> parse_address_entry(FieldReader& read, const Cursor& at,
                                                       const std::string& text, const std::string& rule);

/// Why the value at `c`, or one of its elements, is unknown; nullopt when it is known (or absent).
std::optional<std::string> unknown_reason(const Cursor& c);

/// Records that `field` of `rule` is unknown when any of `cursors` is.
void note_unknown_field(model::SecurityRule& rule, model::RuleField field,
                        std::initializer_list<Cursor> cursors);

} // namespace ztnet::load::detail
