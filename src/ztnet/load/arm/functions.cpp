#include "ztnet/load/arm/functions.h"

#include <string>
#include <unordered_map>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm {

namespace {

std::string ascii_lower(std::string_view name) {
    std::string out(name);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Every category's table, keyed by lower-case name; built once, on first use.
const std::unordered_map<std::string, PureFunction>& registry() {
    static const std::unordered_map<std::string, PureFunction> kTable = [] {
        std::unordered_map<std::string, PureFunction> out;
        for (auto tables : {detail::string_functions(), detail::collection_functions(),
                            detail::logic_functions(), detail::numeric_functions(), detail::cidr_functions(),
                            detail::hashing_functions(), detail::date_functions()}) {
            for (const detail::FunctionEntry& entry : tables)
                out.emplace(ascii_lower(entry.name), entry.function);
        }
        return out;
    }();
    return kTable;
}

} // namespace

PureFunction find_pure_function(std::string_view name) {
    const auto& table = registry();
    const auto it = table.find(ascii_lower(name));
    return it == table.end() ? nullptr : it->second;
}

bool template_equals(const json::Value& a, const json::Value& b) {
    return detail::equals3(a, b) == detail::Tri::True;
}

} // namespace ztnet::load::arm
