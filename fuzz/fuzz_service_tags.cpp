// Fuzz target for the service tags reader: any input must be read or rejected cleanly, an error must
// point inside the input, and whatever is read must hold what the document says: every named tag is
// found under any letter case and contains every prefix listed for it.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/json/reader.h"
#include "ztnet/net/prefix.h"
#include "ztnet/policy/service_tags.h"

namespace {

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void check_tag(const ztnet::policy::ServiceTags& tags, const ztnet::json::Value& entry) {
    const ztnet::json::Value* name = entry.find_ci("name");
    const ztnet::json::Value* properties = entry.find_ci("properties");
    if (name == nullptr || !name->is_string() || properties == nullptr)
        std::abort(); // parse() accepted an entry without them
    const ztnet::net::AddressSet* set = tags.find(name->as_string());
    if (set == nullptr || tags.find(upper(name->as_string())) != set)
        std::abort();
    const ztnet::json::Value* prefixes = properties->find_ci("addressPrefixes");
    if (prefixes == nullptr || !prefixes->is_array())
        std::abort();
    for (const ztnet::json::Value& text : prefixes->as_array()) {
        auto prefix = ztnet::net::Prefix::parse(text.as_string());
        if (!prefix || !set->contains(ztnet::net::AddressSet::from(*prefix)))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto tags = ztnet::policy::ServiceTags::parse(text);
    if (!tags.ok()) {
        if (tags.error().offset != ztnet::Error::kNoOffset && tags.error().offset > size)
            std::abort();
        return 0;
    }
    auto document = ztnet::json::read(text);
    if (!document.ok())
        std::abort(); // the tags were read from a document the JSON reader rejects
    const ztnet::json::Value* values = document->find_ci("values");
    if (values == nullptr || !values->is_array() || values->as_array().size() != tags->size())
        std::abort();
    for (const ztnet::json::Value& entry : values->as_array())
        check_tag(*tags, entry);
    return 0;
}
