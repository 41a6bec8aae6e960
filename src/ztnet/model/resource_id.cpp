#include "ztnet/model/resource_id.h"

#include <vector>

#include "ztnet/support/ascii.h"

namespace ztnet::model {
namespace {

std::string_view trim_slash(std::string_view id) {
    while (!id.empty() && id.back() == '/')
        id.remove_suffix(1);
    return id;
}

std::vector<std::string_view> split_segments(std::string_view id) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= id.size()) {
        std::size_t slash = id.find('/', start);
        if (slash == std::string_view::npos)
            slash = id.size();
        if (slash > start)
            parts.push_back(id.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

// Position of the last "/providers/" segment (case-insensitive), or npos.
std::size_t last_providers(std::string_view id) {
    std::string key = id_key(id);
    return key.rfind("/providers/");
}

} // namespace

std::string id_key(std::string_view id) {
    id = trim_slash(id);
    return ascii::lower(id);
}

bool same_id(std::string_view a, std::string_view b) {
    return ascii::iequals(trim_slash(a), trim_slash(b));
}

ResourceIdParts parse_resource_id(std::string_view id) {
    ResourceIdParts parts;
    id = trim_slash(id);
    std::vector<std::string_view> seg = split_segments(id);
    std::size_t i = 0;
    if (i + 1 < seg.size() && ascii::iequals(seg[i], "subscriptions")) {
        parts.subscription = std::string(seg[i + 1]);
        i += 2;
    }
    if (i + 1 < seg.size() && ascii::iequals(seg[i], "resourceGroups")) {
        parts.resource_group = std::string(seg[i + 1]);
        i += 2;
    }
    // Use the last provider segment: for extension resources that is the extension itself.
    std::size_t provider = seg.size();
    for (std::size_t k = i; k < seg.size(); ++k) {
        if (ascii::iequals(seg[k], "providers"))
            provider = k;
    }
    if (provider + 1 >= seg.size()) {
        if (!parts.resource_group.empty() && provider == seg.size() && i == seg.size()) {
            parts.type = "Microsoft.Resources/resourceGroups";
            parts.name = parts.resource_group;
        } else if (parts.resource_group.empty() && !parts.subscription.empty() && i == seg.size()) {
            parts.type = "Microsoft.Resources/subscriptions";
            parts.name = parts.subscription;
        }
        return parts;
    }
    parts.type = std::string(seg[provider + 1]);
    // Alternating type/name segments after the namespace.
    std::size_t names = 0;
    for (std::size_t k = provider + 2; k + 1 < seg.size(); k += 2) {
        parts.type += '/';
        parts.type += seg[k];
        if (names++ > 0)
            parts.name += "/";
        parts.name += std::string(seg[k + 1]);
    }
    if (names > 1) {
        // Parent: the id without the last type/name pair.
        std::size_t cut = id.rfind('/');
        cut = id.rfind('/', cut - 1);
        parts.parent_id = std::string(id.substr(0, cut));
    }
    return parts;
}

std::string extension_scope(std::string_view id) {
    id = trim_slash(id);
    std::size_t pos = last_providers(id);
    if (pos == std::string::npos || pos == 0)
        return {};
    std::string_view scope = id.substr(0, pos);
    // Only an extension when the scope itself names a resource or a scope (not the plain RG prefix).
    return std::string(scope);
}

} // namespace ztnet::model
