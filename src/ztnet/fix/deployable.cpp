#include "ztnet/fix/deployable.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::fix {
namespace {

// The export's list of resources: the document, or its "value" or "data" member.
const json::Array* resource_list(const json::Value& root) {
    if (root.is_array())
        return &root.as_array();
    for (std::string_view key : {"value", "data"})
        if (const json::Value* list = root.find(key); list != nullptr && list->is_array())
            return &list->as_array();
    return nullptr;
}

std::string id_of(const json::Value& resource) {
    const json::Value* id = resource.find_ci("id");
    return id != nullptr && id->is_string() ? id->as_string() : std::string();
}

// Bookkeeping Azure writes and a PUT does not take, at any depth.
void drop_bookkeeping(json::Value& value) {
    if (value.is_array()) {
        for (json::Value& e : value.as_array())
            drop_bookkeeping(e);
        return;
    }
    if (!value.is_object())
        return;
    for (std::string_view key : {"etag", "provisioningState", "resourceGuid", "extended"})
        value.as_object().erase(key);
    for (auto& [key, member] : value.as_object().members())
        drop_bookkeeping(member);
}

// The members of a top-level resource that a PUT takes.
json::Value put_body(const json::Value& resource) {
    json::Object out;
    for (std::string_view key :
         {"location", "sku", "kind", "tags", "identity", "zones", "extendedLocation", "plan", "properties"}) {
        const json::Value* member = resource.find(key);
        if (member != nullptr && !member->is_null())
            out.set(std::string(key), *member);
    }
    json::Value body(std::move(out));
    drop_bookkeeping(body);
    return body;
}

Error no_version(std::string_view type) {
    Error e = fail(fmt::format("ztnet knows no API version to write a {} for", type));
    e.code = "fix-api-version";
    return e;
}

} // namespace

std::string_view api_version_for(std::string_view type) {
    // Versions whose schema has every property the fixers write.
    static const std::map<std::string, std::string_view, std::less<>> kVersions = {
        {"microsoft.network", "2023-11-01"},
        {"microsoft.storage/storageaccounts", "2023-01-01"},
        {"microsoft.compute/virtualmachines", "2023-09-01"},
    };
    const std::string lowered = ascii::lower(type);
    if (auto found = kVersions.find(lowered); found != kVersions.end())
        return found->second;
    if (auto found = kVersions.find(lowered.substr(0, lowered.find('/'))); found != kVersions.end())
        return found->second;
    return {};
}

Result<std::vector<Deployable>> deployable_changes(const FixRun& run) {
    std::vector<Deployable> out;
    for (const PatchedFile& file : run.files) {
        if (file.is_template)
            continue;
        const json::ReadLimits limits{.allow_comments = true, .allow_trailing_commas = true};
        Result<json::Value> before = json::read(file.before, limits);
        Result<json::Value> after = json::read(file.after, limits);
        if (!before || !after)
            return fail(fmt::format("{} does not read as an export", file.name));
        std::map<std::string, const json::Value*> was;
        if (const json::Array* list = resource_list(*before))
            for (const json::Value& r : *list)
                was.emplace(ascii::lower(id_of(r)), &r);
        const json::Array* now = resource_list(*after);
        for (std::size_t i = 0; now != nullptr && i < now->size(); ++i) {
            const json::Value& r = (*now)[i];
            const std::string id = id_of(r);
            auto old = was.find(ascii::lower(id));
            if (old != was.end() && *old->second == r)
                continue;
            Deployable d;
            d.id = id;
            const model::ResourceIdParts parts = model::parse_resource_id(id);
            d.type = parts.type;
            d.name = parts.name;
            d.api_version = std::string(api_version_for(d.type));
            if (d.api_version.empty())
                return no_version(d.type);
            d.body = put_body(r);
            d.is_new = old == was.end();
            out.push_back(std::move(d));
        }
    }
    return out;
}

} // namespace ztnet::fix
