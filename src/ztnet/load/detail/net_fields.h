// Internal to the estate builder: reading addresses and prefixes with diagnostics.
#pragma once

#include <optional>
#include <vector>

#include "ztnet/load/detail/build_context.h"
#include "ztnet/net/address.h"
#include "ztnet/net/prefix.h"

namespace ztnet::load::detail {

/// An IP address field; an invalid address is an error naming what was expected.
std::optional<net::Address> read_address(FieldReader& read, const Cursor& c);

/// Address prefixes of a VNet or subnet (a string or a list). Host bits are an error here,
/// since Azure rejects them in address spaces.
std::vector<net::Prefix> read_network_prefixes(FieldReader& read, const Cursor& c);

} // namespace ztnet::load::detail
