// TLS versions as Azure spells them across services: "1.2", "Tls12", "TLSv1.2", "TLS1_2",
// "TLSv1_2", "12" (Cosmos DB), "Tls" (1.0). One reader, for the loaders and the checks alike.
#pragma once

#include <optional>
#include <string_view>

namespace ztnet::model {

/// The minor number of the TLS 1.x version a spelling names (1.0 -> 0, 1.2 -> 2); nullopt for
/// "None" or text that names no version.
std::optional<int> tls_minor_version(std::string_view spelling);

} // namespace ztnet::model
