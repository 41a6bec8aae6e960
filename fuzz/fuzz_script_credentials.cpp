// Fuzz target for the custom data scanner: any bytes, as a script or as base64 of one, are scanned
// without crashing; every description it gives is one of its known shapes and never holds the
// input's text beyond a key name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/load/script_credentials.h"

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

bool known_shape(const std::string& what) {
    return what == "a private key" || what == "a storage account key" || what == "a shared access key" ||
           what == "a SAS token" ||
           (what.starts_with("a credential assignment (") && what.ends_with(")") &&
            what.find('\n') == std::string::npos && what.find('=') == std::string::npos);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const std::string& what : ztnet::load::credentials_in_script(text))
        check(known_shape(what));
    const std::string decoded = ztnet::load::custom_data_text(text);
    for (const std::string& what : ztnet::load::credentials_in_script(decoded))
        check(known_shape(what));
    return 0;
}
