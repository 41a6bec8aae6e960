#include "ztnet/model/tls_version.h"

#include "ztnet/support/ascii.h"

namespace ztnet::model {

std::optional<int> tls_minor_version(std::string_view text) {
    for (std::string_view prefix : {"TLSv", "TLS"})
        if (text.size() >= prefix.size() && ascii::iequals(text.substr(0, prefix.size()), prefix))
            text.remove_prefix(prefix.size());
    if (text.empty() || text == "1")
        return 0;
    if (text.size() == 2 && text[0] == '1' && ascii::is_digit(text[1])) // Cosmos DB's "12"
        return text[1] - '0';
    if (text.size() == 3 && text[0] == '1' && (text[1] == '.' || text[1] == '_') && ascii::is_digit(text[2]))
        return text[2] - '0';
    return std::nullopt;
}

} // namespace ztnet::model
