#include "ztnet/load/azurerm/translation.h"

#include <algorithm>

#include <fmt/format.h>

#include "ztnet/load/terraform_resources.h"
#include "ztnet/support/ascii.h"

namespace ztnet::load::azurerm {

const Value* attr(const ResourceInstance& r, std::string_view key) {
    return r.values.find(key);
}

std::optional<std::string> known_string(const Value* v) {
    if (v == nullptr || !v->is_string() || v->as_string().empty())
        return std::nullopt;
    return v->as_string();
}

std::optional<Value> given(const Value* v) {
    if (v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty()))
        return std::nullopt;
    return *v;
}

void put(Object& o, std::string key, const Value* v) {
    if (std::optional<Value> value = given(v))
        o.set(std::move(key), std::move(*value));
}

void put_or(Object& o, std::string key, const Value* v, Value fallback) {
    std::optional<Value> value = given(v);
    o.set(std::move(key), value ? std::move(*value) : std::move(fallback));
}

const Value* either(const ResourceInstance& r, std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys)
        if (const Value* v = attr(r, k); v != nullptr && !v->is_null())
            return v;
    return nullptr;
}

Value enabled_text(const Value* v, bool fallback) {
    if (v != nullptr && v->is_unknown())
        return *v;
    const bool on = v != nullptr && v->is_bool() ? v->as_bool() : fallback;
    return Value(on ? "Enabled" : "Disabled");
}

Value id_object(Value id) {
    Object o;
    o.set("id", std::move(id));
    return o;
}

Object& child(Object& o, std::string_view key) {
    Value* v = o.find(key);
    if (v == nullptr || !v->is_object()) {
        o.set(std::string(key), Object());
        v = o.find(key);
    }
    return v->as_object();
}

Object& properties(Object& body) {
    return child(body, "properties");
}

const Array& blocks(const Value* v) {
    static const Array kNone;
    return v != nullptr && v->is_array() ? v->as_array() : kNone;
}

const Value* first_block(const Value* v) {
    const Array& list = blocks(v);
    return list.empty() ? nullptr : &list.front();
}

void append(Object& o, std::string_view key, Value value) {
    Value* list = o.find(key);
    if (list == nullptr || !list->is_array()) {
        o.set(std::string(key), Array());
        list = o.find(key);
    }
    list->as_array().push_back(std::move(value));
}

TypeRule changes_others(Translate translate) {
    TypeRule rule;
    rule.translate = std::move(translate);
    return rule;
}

namespace {

// "module.m.azurerm_network_interface.web" -> "azurerm_network_interface".
std::string_view type_of_address(std::string_view address) {
    const std::size_t name_dot = address.rfind('.');
    if (name_dot == std::string_view::npos || name_dot == 0)
        return {};
    const std::size_t type_dot = address.rfind('.', name_dot - 1);
    const std::size_t start = type_dot == std::string_view::npos ? 0 : type_dot + 1;
    return address.substr(start, name_dot - start);
}

// An instance's configuration address: its module path without instance keys, as references name it.
std::string config_address(const ResourceInstance& r) {
    std::string module;
    int depth = 0;
    for (char c : r.module) {
        if (c == '[')
            ++depth;
        else if (c == ']')
            --depth;
        else if (depth == 0)
            module += c;
    }
    return (module.empty() ? "" : module + ".") + r.type + "." + r.name;
}

// The last segment of an ARM type: "Microsoft.Network/loadBalancers/probes" -> "probes".
std::string_view last_type_segment(std::string_view type) {
    return type.substr(type.rfind('/') + 1);
}

std::string name_of(const ResourceInstance& r, const IdRecipe& recipe) {
    std::string name;
    for (std::string_view a : recipe.names) {
        std::optional<std::string> part = known_string(attr(r, a));
        // As in its id: a GUID Azure gives at apply is stood in by the Terraform address.
        if (!part && recipe.base == IdRecipe::Base::Scope)
            part = r.address;
        name += (name.empty() ? "" : "/") + (part ? *part : std::string("{unknown}"));
    }
    return name;
}

Value* inline_subnets(Object& body) {
    Value* props = body.find("properties");
    Value* subnets = props != nullptr && props->is_object() ? props->as_object().find("subnets") : nullptr;
    return subnets != nullptr && subnets->is_array() ? subnets : nullptr;
}

} // namespace

const TypeTable& type_table() {
    static const TypeTable kTable = [] {
        TypeTable t;
        add_network_types(t);
        add_traffic_types(t);
        add_workload_types(t);
        add_paas_types(t);
        add_virtual_wan_types(t);
        add_connectivity_types(t);
        return t;
    }();
    return kTable;
}

Translation::Translation(const terraform::PlanDocument& doc, std::string subscription,
                         Diagnostics& diagnostics)
    : doc_(doc), subscription_(std::move(subscription)), diagnostics_(diagnostics) {}

std::vector<RawResource> Translation::run() {
    assign_ids();
    std::map<std::string, std::size_t> skipped;
    for (const ResourceInstance& r : doc_.resources) {
        const auto rule = type_table().find(r.type);
        if (rule == type_table().end()) {
            ++skipped[r.type];
            continue;
        }
        Object body;
        const bool resource = !rule->second.arm_type.empty() && !rule->second.part;
        if (resource) {
            body.set("id", id_of(r));
            body.set("type", std::string(rule->second.arm_type));
            body.set("name", name_of(r, rule->second.id));
            put(body, "location", attr(r, "location"));
            body.set("properties", Object());
        }
        if (rule->second.translate)
            rule->second.translate(*this, r, body);
        if (resource)
            out_.push_back({Value(std::move(body)), r.where});
    }
    apply_patches();
    if (!skipped.empty()) {
        std::string list;
        for (const auto& [type, n] : skipped)
            list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", type, n);
        diagnostics_.warning("terraform-unsupported-type",
                             fmt::format("the plan holds resource types ztnet does not read from "
                                         "Terraform, left out of the estate: {}",
                                         list));
    }
    return std::move(out_);
}

// Parents before children: a child's id is made from its parent's, which may itself be made.
void Translation::assign_ids() {
    for (int pass = 0; pass < 2; ++pass)
        for (const ResourceInstance& r : doc_.resources) {
            const auto rule = type_table().find(r.type);
            if (rule == type_table().end() || rule->second.arm_type.empty())
                continue;
            const IdRecipe& recipe = rule->second.id;
            const bool is_child =
                recipe.base == IdRecipe::Base::Parent || recipe.base == IdRecipe::Base::Scope;
            if (is_child != (pass == 1))
                continue;
            Value id = Value::unknown("known only after apply");
            if (std::optional<std::string> known =
                    recipe.known_id.empty() ? std::nullopt : known_string(attr(r, recipe.known_id));
                known && known->starts_with("/")) {
                id = Value(*known);
            } else {
                id = made_id(r, recipe);
            }
            ids_[r.address] = id;
            instances_[config_address(r)].push_back(r.address);
        }
}

// The id Azure will give the instance, from its names and its parent's or scope's id.
Value Translation::made_id(const ResourceInstance& r, const IdRecipe& recipe) const {
    const auto rule = type_table().find(r.type);
    const std::string_view type = rule->second.arm_type;
    std::vector<std::string> names;
    for (std::string_view a : recipe.names) {
        std::optional<std::string> name = known_string(attr(r, a));
        if (!name &&
            recipe.base == IdRecipe::Base::Scope) // a GUID Azure gives at apply: the address stands in
            name = r.address;
        if (!name)
            return Value::unknown("known only after apply");
        names.push_back(*name);
    }
    if (type == "Microsoft.Resources/resourceGroups")
        return Value(fmt::format("/subscriptions/{}/resourceGroups/{}", subscription_, names.front()));
    switch (recipe.base) {
    case IdRecipe::Base::Subscription:
        return Value(fmt::format("/subscriptions/{}/providers/{}/{}", subscription_, type, names.front()));
    case IdRecipe::Base::Parent:
    case IdRecipe::Base::Scope: {
        Value base = link(r, attr(r, recipe.base_attribute), recipe.base_attribute, {});
        if (!base.is_string())
            return Value::unknown("known only after apply");
        if (recipe.base == IdRecipe::Base::Parent)
            return Value(fmt::format("{}/{}/{}", base.as_string(), last_type_segment(type), names.front()));
        return Value(fmt::format("{}/providers/{}/{}", base.as_string(), type, names.front()));
    }
    case IdRecipe::Base::ResourceGroup:
        break;
    }
    std::optional<std::string> group = known_string(attr(r, "resource_group_name"));
    if (!group)
        return Value::unknown("known only after apply");
    const std::size_t provider_end = type.find('/');
    std::string out = fmt::format("/subscriptions/{}/resourceGroups/{}/providers/{}", subscription_, *group,
                                  type.substr(0, provider_end));
    std::string_view rest = type.substr(provider_end + 1);
    for (const std::string& name : names) {
        const std::size_t slash = rest.find('/');
        out += fmt::format("/{}/{}", rest.substr(0, slash), name);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    return Value(std::move(out));
}

Value Translation::id_of(const ResourceInstance& r) const {
    auto found = ids_.find(r.address);
    return found != ids_.end() ? found->second : Value::unknown("known only after apply");
}

std::string Translation::in_block(const ResourceInstance& r, std::string_view top, const Value& block,
                                  std::string_view inner) {
    if (std::optional<std::string> name = known_string(block.find("name"))) {
        std::string key = fmt::format("{}[{}]", top, *name);
        if (!inner.empty() && r.references.contains(fmt::format("{}.{}", key, inner)))
            return fmt::format("{}.{}", key, inner);
        if (r.references.contains(key))
            return key;
    }
    return std::string(top);
}

Value Translation::link(const ResourceInstance& r, const Value* value, std::string_view top,
                        std::initializer_list<std::string_view> types) const {
    if (std::optional<std::string> known = known_string(value))
        return Value(*known);
    if (value == nullptr || value->is_null())
        return Value();
    auto refs = r.references.find(std::string(top));
    std::vector<std::string> candidates;
    if (refs != r.references.end())
        for (const std::string& address : refs->second) {
            const std::string_view type = type_of_address(address);
            if (types.size() != 0 && std::find(types.begin(), types.end(), type) == types.end())
                continue;
            auto instances = instances_.find(address);
            if (instances != instances_.end() && instances->second.size() == 1 &&
                std::find(candidates.begin(), candidates.end(), instances->second.front()) ==
                    candidates.end())
                candidates.push_back(instances->second.front());
        }
    if (candidates.size() == 1)
        return ids_.at(candidates.front());
    return Value::unknown("known only after apply");
}

std::vector<Value> Translation::links(const ResourceInstance& r, std::string_view top,
                                      std::string_view type) const {
    std::vector<Value> out;
    auto refs = r.references.find(std::string(top));
    if (refs == r.references.end())
        return out;
    for (const std::string& address : refs->second) {
        if (!type.empty() && type_of_address(address) != type)
            continue;
        auto instances = instances_.find(address);
        if (instances == instances_.end())
            continue;
        for (const std::string& instance : instances->second)
            out.push_back(ids_.at(instance));
    }
    return out;
}

Array Translation::link_list(const ResourceInstance& r, const Value* list, std::string_view top,
                             std::string_view type) const {
    Array out;
    if (list != nullptr && list->is_array()) {
        for (const Value& id : list->as_array())
            out.push_back(type.empty() ? link(r, &id, top, {}) : link(r, &id, top, {type}));
    } else if (list != nullptr && list->is_unknown()) {
        for (Value& id : links(r, top, type))
            out.push_back(std::move(id));
    }
    return out;
}

// Each patch written into the resource it changes, or into the subnet inside a virtual network.
void Translation::apply_patches() {
    for (Patch& p : patches_) {
        if (!p.target.is_string()) {
            diagnostics_.warning("terraform-unresolved",
                                 fmt::format("{} names a resource known only after apply, and the plan's "
                                             "references do not name one: it is left out",
                                             p.what),
                                 p.where);
            continue;
        }
        const std::string& target = p.target.as_string();
        bool done = false;
        for (RawResource& raw : out_) {
            Object& body = raw.body.as_object();
            const Value* id = body.find("id");
            if (id == nullptr || !id->is_string())
                continue;
            if (ascii::iequals(id->as_string(), target)) {
                p.apply(body);
                done = true;
            } else if (Value* subnets = inline_subnets(body)) {
                for (Value& s : subnets->as_array())
                    if (const Value* name = s.find("name");
                        name != nullptr && name->is_string() &&
                        ascii::iequals(id->as_string() + "/subnets/" + name->as_string(), target)) {
                        p.apply(s.as_object());
                        done = true;
                    }
            }
        }
        if (!done)
            diagnostics_.warning(
                "terraform-unresolved",
                fmt::format("{} names {}, which the plan does not hold: it is left out", p.what, target),
                p.where);
    }
}

Array ipsec_policies(const Value* policy_blocks, const IpsecNames& names) {
    static constexpr std::array<std::string_view, 6> kArm{"ikeEncryption",   "ikeIntegrity",   "dhGroup",
                                                          "ipsecEncryption", "ipsecIntegrity", "pfsGroup"};
    Array out;
    for (const Value& policy : blocks(policy_blocks)) {
        Object o;
        for (std::size_t i = 0; i < kArm.size(); ++i)
            put(o, std::string(kArm[i]), policy.find(names[i]));
        out.emplace_back(std::move(o));
    }
    return out;
}

} // namespace ztnet::load::azurerm

namespace ztnet::load {

const std::vector<RuleField>& azurerm_rule_fields() {
    static const std::vector<RuleField> kFields = {
        {"description", "description"},
        {"priority", "priority"},
        {"direction", "direction"},
        {"access", "access"},
        {"protocol", "protocol"},
        {"source_port_range", "sourcePortRange"},
        {"source_port_ranges", "sourcePortRanges", true},
        {"destination_port_range", "destinationPortRange"},
        {"destination_port_ranges", "destinationPortRanges", true},
        {"source_address_prefix", "sourceAddressPrefix"},
        {"source_address_prefixes", "sourceAddressPrefixes", true},
        {"destination_address_prefix", "destinationAddressPrefix"},
        {"destination_address_prefixes", "destinationAddressPrefixes", true},
    };
    return kFields;
}

std::vector<RawResource> terraform_resources(const terraform::PlanDocument& doc,
                                             const std::string& subscription, Diagnostics& diagnostics) {
    // The subscription of a known id, when the document has one: the ids made for the others match
    // it. Else the one the provider is configured with, else the one given.
    std::string sub = doc.subscription_id.empty() ? subscription : doc.subscription_id;
    for (const terraform::ResourceInstance& r : doc.resources)
        if (std::optional<std::string> id = azurerm::known_string(azurerm::attr(r, "id"));
            id && id->starts_with("/subscriptions/")) {
            sub = id->substr(15, id->find('/', 15) - 15);
            break;
        }
    return azurerm::Translation(doc, sub, diagnostics).run();
}

} // namespace ztnet::load
