// azurerm's attributes as ARM's properties. Each translator takes an instance's values (unknown
// ones stay unknown) and writes the body an export would show; the ids of what it refers to are
// the known ones, or those the referenced instances will get.
#include "ztnet/load/terraform_resources.h"

#include <functional>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "ztnet/support/ascii.h"

namespace ztnet::load {
namespace {

using json::Array;
using json::Object;
using json::Value;
using terraform::ResourceInstance;

const Value* attr(const ResourceInstance& r, std::string_view key) {
    return r.values.find(key);
}

std::optional<std::string> known_string(const Value* v) {
    if (v == nullptr || !v->is_string() || v->as_string().empty())
        return std::nullopt;
    return v->as_string();
}

// A value as ARM takes it: unknown stays unknown, null and empty strings are left out (nullopt).
std::optional<Value> given(const Value* v) {
    if (v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty()))
        return std::nullopt;
    return *v;
}

// Sets `key` when the value is given.
void put(Object& o, std::string key, const Value* v) {
    if (std::optional<Value> value = given(v))
        o.set(std::move(key), std::move(*value));
}

// The first of several attribute names that the instance has (azurerm renamed some in 4.0).
const Value* either(const ResourceInstance& r, std::initializer_list<std::string_view> keys) {
    for (std::string_view k : keys)
        if (const Value* v = attr(r, k); v != nullptr && !v->is_null())
            return v;
    return nullptr;
}

Value id_object(Value id) {
    Object o;
    o.set("id", std::move(id));
    return o;
}

// ARM's type of each translated azurerm type, and how an instance's id is made from its values.
struct Kind {
    std::string_view arm_type;
    // The id's path below the resource group: the names, in order, of the type's segments.
    std::vector<std::string_view> name_attributes;
};

const std::map<std::string_view, Kind, std::less<>>& kinds() {
    static const std::map<std::string_view, Kind, std::less<>> kKinds = {
        {"azurerm_resource_group", {"Microsoft.Resources/resourceGroups", {"name"}}},
        {"azurerm_virtual_network", {"Microsoft.Network/virtualNetworks", {"name"}}},
        {"azurerm_subnet", {"Microsoft.Network/virtualNetworks/subnets", {"virtual_network_name", "name"}}},
        {"azurerm_network_security_group", {"Microsoft.Network/networkSecurityGroups", {"name"}}},
        {"azurerm_network_security_rule",
         {"Microsoft.Network/networkSecurityGroups/securityRules", {"network_security_group_name", "name"}}},
        {"azurerm_network_interface", {"Microsoft.Network/networkInterfaces", {"name"}}},
        {"azurerm_public_ip", {"Microsoft.Network/publicIPAddresses", {"name"}}},
        {"azurerm_linux_virtual_machine", {"Microsoft.Compute/virtualMachines", {"name"}}},
        {"azurerm_windows_virtual_machine", {"Microsoft.Compute/virtualMachines", {"name"}}},
        {"azurerm_subnet_network_security_group_association", {"", {}}},
        {"azurerm_network_interface_security_group_association", {"", {}}},
    };
    return kKinds;
}

class Translator {
  public:
    Translator(const terraform::PlanDocument& doc, std::string subscription, Diagnostics& diagnostics)
        : doc_(doc), subscription_(std::move(subscription)), diagnostics_(diagnostics) {}

    std::vector<RawResource> run() {
        assign_ids();
        std::map<std::string, std::size_t> skipped;
        for (const ResourceInstance& r : doc_.resources) {
            const auto kind = kinds().find(r.type);
            if (kind == kinds().end()) {
                ++skipped[r.type];
                continue;
            }
            if (kind->second.arm_type.empty()) {
                associate(r);
                continue;
            }
            Object body;
            body.set("id", id_of(r));
            body.set("type", std::string(kind->second.arm_type));
            body.set("name", last_name(r, kind->second));
            put(body, "location", attr(r, "location"));
            Object properties = translate(r);
            body.set("properties", std::move(properties));
            if (r.type == "azurerm_public_ip")
                if (std::optional<Value> sku = given(attr(r, "sku"))) {
                    Object s;
                    s.set("name", std::move(*sku));
                    body.set("sku", std::move(s));
                }
            out_.push_back({Value(std::move(body)), r.where});
        }
        apply_associations();
        if (!skipped.empty()) {
            std::string list;
            for (const auto& [type, n] : skipped)
                list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", type, n);
            diagnostics_.warning(
                "terraform-unsupported-type",
                fmt::format("the plan holds resource types ztnet does not read from Terraform yet, "
                            "left out of the estate: {}",
                            list));
        }
        return std::move(out_);
    }

  private:
    // The id of every instance: the known one, or the one Azure will give it.
    void assign_ids() {
        for (const ResourceInstance& r : doc_.resources) {
            const auto kind = kinds().find(r.type);
            if (kind == kinds().end() || kind->second.arm_type.empty())
                continue;
            Value id = Value::unknown("known only after apply");
            if (std::optional<std::string> known = known_string(attr(r, "id"))) {
                id = Value(*known);
            } else if (std::optional<std::string> made = made_id(r, kind->second)) {
                id = Value(*made);
            }
            ids_[r.address] = id;
            instances_[config_address(r)].push_back(r.address);
        }
    }

    // "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V/subnets/N".
    std::optional<std::string> made_id(const ResourceInstance& r, const Kind& kind) const {
        if (r.type == "azurerm_resource_group") {
            std::optional<std::string> name = known_string(attr(r, "name"));
            return name ? std::optional(
                              fmt::format("/subscriptions/{}/resourceGroups/{}", subscription_, *name))
                        : std::nullopt;
        }
        std::optional<std::string> group = known_string(attr(r, "resource_group_name"));
        if (!group)
            return std::nullopt;
        const std::string_view type = kind.arm_type;
        const std::size_t provider_end = type.find('/');
        std::string out = fmt::format("/subscriptions/{}/resourceGroups/{}/providers/{}", subscription_,
                                      *group, type.substr(0, provider_end));
        std::string_view rest = type.substr(provider_end + 1);
        for (std::string_view name_attribute : kind.name_attributes) {
            std::optional<std::string> name = known_string(attr(r, name_attribute));
            if (!name)
                return std::nullopt;
            const std::size_t slash = rest.find('/');
            out += fmt::format("/{}/{}", rest.substr(0, slash), *name);
            rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        }
        return out;
    }

    static std::string config_address(const ResourceInstance& r) {
        std::string module;
        int depth = 0;
        for (char c : r.module) { // without instance keys, as references name it
            if (c == '[')
                ++depth;
            else if (c == ']')
                --depth;
            else if (depth == 0)
                module += c;
        }
        return (module.empty() ? "" : module + ".") + r.type + "." + r.name;
    }

    static std::string last_name(const ResourceInstance& r, const Kind& kind) {
        std::string name;
        for (std::string_view a : kind.name_attributes) {
            std::optional<std::string> part = known_string(attr(r, a));
            name += (name.empty() ? "" : "/") + (part ? *part : std::string("{unknown}"));
        }
        return name;
    }

    Value id_of(const ResourceInstance& r) const {
        auto found = ids_.find(r.address);
        return found != ids_.end() ? found->second : Value::unknown("known only after apply");
    }

    // A reference attribute's id: the known value, or the id the one instance it refers to (of one
    // of `types`) will have.
    Value link(const ResourceInstance& r, const Value* value, std::string_view top_attribute,
               std::initializer_list<std::string_view> types) const {
        if (std::optional<std::string> known = known_string(value))
            return Value(*known);
        if (value == nullptr || value->is_null())
            return Value();
        auto refs = r.references.find(std::string(top_attribute));
        std::vector<std::string> candidates;
        if (refs != r.references.end())
            for (const std::string& address : refs->second) {
                const std::size_t dot = address.rfind('.', address.rfind('.') - 1);
                const std::string type =
                    address.substr(dot == std::string::npos ? 0 : dot + 1,
                                   address.rfind('.') - (dot == std::string::npos ? 0 : dot + 1));
                if (std::find(types.begin(), types.end(), type) == types.end())
                    continue;
                auto instances = instances_.find(address);
                if (instances != instances_.end() && instances->second.size() == 1)
                    candidates.push_back(instances->second.front());
            }
        if (candidates.size() == 1)
            return id_of(
                *std::find_if(doc_.resources.begin(), doc_.resources.end(),
                              [&](const ResourceInstance& x) { return x.address == candidates.front(); }));
        return Value::unknown("known only after apply");
    }

    // The ids of every instance of `type` an attribute's expression names (a list known after apply).
    std::vector<Value> links(const ResourceInstance& r, std::string_view top_attribute,
                             std::string_view type) const {
        std::vector<Value> out;
        auto refs = r.references.find(std::string(top_attribute));
        if (refs == r.references.end())
            return out;
        for (const std::string& address : refs->second) {
            // "module.m.azurerm_network_interface.web": the type is the segment before the name.
            const std::size_t name_dot = address.rfind('.');
            const std::size_t type_dot =
                name_dot == std::string::npos ? std::string::npos : address.rfind('.', name_dot - 1);
            const std::size_t type_start = type_dot == std::string::npos ? 0 : type_dot + 1;
            if (name_dot == std::string::npos || address.substr(type_start, name_dot - type_start) != type)
                continue;
            auto instances = instances_.find(address);
            if (instances == instances_.end())
                continue;
            for (const std::string& instance : instances->second)
                out.push_back(ids_.at(instance));
        }
        return out;
    }

    Object translate(const ResourceInstance& r) const {
        if (r.type == "azurerm_virtual_network")
            return virtual_network(r);
        if (r.type == "azurerm_subnet")
            return subnet(r, r);
        if (r.type == "azurerm_network_security_group")
            return security_group(r);
        if (r.type == "azurerm_network_security_rule")
            return security_rule(r, r.values, "");
        if (r.type == "azurerm_network_interface")
            return network_interface(r);
        if (r.type == "azurerm_public_ip")
            return public_ip(r);
        if (r.type == "azurerm_linux_virtual_machine" || r.type == "azurerm_windows_virtual_machine")
            return virtual_machine(r);
        return Object();
    }

    Object virtual_network(const ResourceInstance& r) const {
        Object p;
        if (std::optional<Value> space = given(attr(r, "address_space"))) {
            Object s;
            s.set("addressPrefixes", std::move(*space));
            p.set("addressSpace", std::move(s));
        }
        if (std::optional<Value> dns = given(attr(r, "dns_servers"));
            dns && dns->is_array() && !dns->as_array().empty()) {
            Object d;
            d.set("dnsServers", std::move(*dns));
            p.set("dhcpOptions", std::move(d));
        }
        if (const Value* blocks = attr(r, "subnet"); blocks != nullptr && blocks->is_array()) {
            Array subnets;
            for (const Value& block : blocks->as_array()) {
                Object s;
                put(s, "name", block.find("name"));
                Object sp;
                if (const Value* prefixes = block.find("address_prefixes"))
                    put(sp, "addressPrefixes", prefixes);
                else
                    put(sp, "addressPrefix", block.find("address_prefix"));
                if (Value nsg =
                        link(r, block.find("security_group"), "subnet", {"azurerm_network_security_group"});
                    !nsg.is_null())
                    sp.set("networkSecurityGroup", id_object(std::move(nsg)));
                s.set("properties", std::move(sp));
                subnets.emplace_back(std::move(s));
            }
            p.set("subnets", std::move(subnets));
        }
        return p;
    }

    Object subnet(const ResourceInstance& r, const ResourceInstance&) const {
        Object p;
        put(p, "addressPrefixes", attr(r, "address_prefixes"));
        if (const Value* endpoints = attr(r, "service_endpoints");
            endpoints != nullptr && endpoints->is_array()) {
            Array list;
            for (const Value& e : endpoints->as_array()) {
                Object o;
                o.set("service", e);
                list.emplace_back(std::move(o));
            }
            if (!list.empty())
                p.set("serviceEndpoints", std::move(list));
        }
        if (const Value* delegations = attr(r, "delegation");
            delegations != nullptr && delegations->is_array()) {
            Array list;
            for (const Value& d : delegations->as_array()) {
                const Value* service = d.find("service_delegation");
                const Value* first = service != nullptr && service->is_array() && !service->as_array().empty()
                                         ? &service->as_array().front()
                                         : nullptr;
                Object o;
                put(o, "name", d.find("name"));
                Object inner;
                if (first != nullptr)
                    put(inner, "serviceName", first->find("name"));
                o.set("properties", std::move(inner));
                list.emplace_back(std::move(o));
            }
            if (!list.empty())
                p.set("delegations", std::move(list));
        }
        put(p, "privateEndpointNetworkPolicies", attr(r, "private_endpoint_network_policies"));
        return p;
    }

    Object security_group(const ResourceInstance& r) const {
        Object p;
        Array rules;
        if (const Value* blocks = attr(r, "security_rule"); blocks != nullptr && blocks->is_array())
            for (const Value& block : blocks->as_array()) {
                Object rule;
                put(rule, "name", block.find("name"));
                rule.set("properties", security_rule(r, block, "security_rule"));
                rules.emplace_back(std::move(rule));
            }
        p.set("securityRules", std::move(rules));
        return p;
    }

    // A rule's fields, from a standalone rule's values or an inline block.
    Object security_rule(const ResourceInstance& r, const Value& v, std::string_view top) const {
        Object p;
        for (const RuleField& f : azurerm_rule_fields()) {
            const Value* value = v.find(f.azurerm);
            // azurerm writes an empty list for the singular's sake: a list counts when it holds something.
            if (f.list && value != nullptr && value->is_array() && value->as_array().empty())
                continue;
            put(p, std::string(f.arm), value);
        }
        for (const auto& [tf, arm] :
             {std::pair{"source_application_security_group_ids", "sourceApplicationSecurityGroups"},
              std::pair{"destination_application_security_group_ids",
                        "destinationApplicationSecurityGroups"}}) {
            const Value* ids = v.find(tf);
            if (ids == nullptr || !ids->is_array() || ids->as_array().empty())
                continue;
            Array groups;
            for (const Value& id : ids->as_array())
                groups.push_back(
                    id_object(link(r, &id, top.empty() ? tf : top, {"azurerm_application_security_group"})));
            p.set(arm, std::move(groups));
        }
        return p;
    }

    Object network_interface(const ResourceInstance& r) const {
        Object p;
        Array configs;
        if (const Value* blocks = attr(r, "ip_configuration"); blocks != nullptr && blocks->is_array())
            for (const Value& block : blocks->as_array()) {
                Object c;
                put(c, "name", block.find("name"));
                Object cp;
                if (Value id = link(r, block.find("subnet_id"), "ip_configuration", {"azurerm_subnet"});
                    !id.is_null())
                    cp.set("subnet", id_object(std::move(id)));
                put(cp, "privateIPAllocationMethod", block.find("private_ip_address_allocation"));
                const Value* method = block.find("private_ip_address_allocation");
                if (method != nullptr && method->is_string() && ascii::iequals(method->as_string(), "Static"))
                    put(cp, "privateIPAddress", block.find("private_ip_address"));
                put(cp, "privateIPAddressVersion", block.find("private_ip_address_version"));
                put(cp, "primary", block.find("primary"));
                if (Value pip = link(r, block.find("public_ip_address_id"), "ip_configuration",
                                     {"azurerm_public_ip"});
                    !pip.is_null())
                    cp.set("publicIPAddress", id_object(std::move(pip)));
                c.set("properties", std::move(cp));
                configs.emplace_back(std::move(c));
            }
        p.set("ipConfigurations", std::move(configs));
        put(p, "enableIPForwarding", either(r, {"ip_forwarding_enabled", "enable_ip_forwarding"}));
        put(p, "enableAcceleratedNetworking",
            either(r, {"accelerated_networking_enabled", "enable_accelerated_networking"}));
        return p;
    }

    static Object public_ip(const ResourceInstance& r) {
        Object p;
        put(p, "publicIPAllocationMethod", attr(r, "allocation_method"));
        put(p, "ipAddress", attr(r, "ip_address"));
        put(p, "publicIPAddressVersion", attr(r, "ip_version"));
        return p;
    }

    Object virtual_machine(const ResourceInstance& r) const {
        const bool linux = r.type == "azurerm_linux_virtual_machine";
        Object p;
        Array nics;
        const Value* ids = attr(r, "network_interface_ids");
        if (ids != nullptr && ids->is_array()) {
            for (const Value& id : ids->as_array())
                nics.push_back(
                    id_object(link(r, &id, "network_interface_ids", {"azurerm_network_interface"})));
        } else if (ids != nullptr && ids->is_unknown()) { // the whole list after apply: the NICs it names
            for (Value& id : links(r, "network_interface_ids", "azurerm_network_interface"))
                nics.push_back(id_object(std::move(id)));
        }
        Object network;
        network.set("networkInterfaces", std::move(nics));
        p.set("networkProfile", std::move(network));
        Object os;
        Object configuration;
        if (linux)
            put(configuration, "disablePasswordAuthentication", attr(r, "disable_password_authentication"));
        os.set(linux ? "linuxConfiguration" : "windowsConfiguration", std::move(configuration));
        p.set("osProfile", std::move(os));
        Object disk;
        disk.set("osType", std::string(linux ? "Linux" : "Windows"));
        Object storage;
        storage.set("osDisk", std::move(disk));
        p.set("storageProfile", std::move(storage));
        Object security;
        put(security, "encryptionAtHost", attr(r, "encryption_at_host_enabled"));
        const Value* boot = attr(r, "secure_boot_enabled");
        const Value* vtpm = attr(r, "vtpm_enabled");
        const bool trusted = (boot != nullptr && boot->is_bool() && boot->as_bool()) ||
                             (vtpm != nullptr && vtpm->is_bool() && vtpm->as_bool());
        if (trusted)
            security.set("securityType", std::string("TrustedLaunch"));
        Object uefi;
        put(uefi, "secureBootEnabled", boot);
        put(uefi, "vTpmEnabled", vtpm);
        if (!uefi.empty())
            security.set("uefiSettings", std::move(uefi));
        p.set("securityProfile", std::move(security));
        return p;
    }

    // An association, kept for when every resource is written.
    void associate(const ResourceInstance& r) {
        const bool subnet = r.type == "azurerm_subnet_network_security_group_association";
        const char* target = subnet ? "subnet_id" : "network_interface_id";
        associations_.push_back(
            {link(r, attr(r, target), target, {subnet ? "azurerm_subnet" : "azurerm_network_interface"}),
             link(r, attr(r, "network_security_group_id"), "network_security_group_id",
                  {"azurerm_network_security_group"}),
             r.where});
    }

    // Each association written into the subnet (standalone or inside its VNet) or NIC it changes.
    void apply_associations() {
        for (const auto& [target, nsg, where] : associations_) {
            if (!target.is_string()) {
                diagnostics_.warning(
                    "terraform-unresolved",
                    "an NSG association's subnet or network interface is known only after apply, "
                    "and the plan's references do not name one resource: it is left out",
                    where);
                continue;
            }
            bool done = false;
            for (RawResource& raw : out_) {
                const Value* id = raw.body.find("id");
                if (id != nullptr && id->is_string() && ascii::iequals(id->as_string(), target.as_string())) {
                    raw.body.as_object()
                        .find("properties")
                        ->as_object()
                        .set("networkSecurityGroup", id_object(nsg));
                    done = true;
                }
                if (Value* subnets = inline_subnets(raw))
                    for (Value& s : subnets->as_array())
                        if (const Value* name = s.find("name");
                            name != nullptr && name->is_string() && id != nullptr && id->is_string() &&
                            ascii::iequals(id->as_string() + "/subnets/" + name->as_string(),
                                           target.as_string())) {
                            s.as_object()
                                .find("properties")
                                ->as_object()
                                .set("networkSecurityGroup", id_object(nsg));
                            done = true;
                        }
            }
            if (!done)
                diagnostics_.warning(
                    "terraform-unresolved",
                    fmt::format("an NSG association names {}, which the plan does not hold: it is "
                                "left out",
                                target.as_string()),
                    where);
        }
    }

    static Value* inline_subnets(RawResource& raw) {
        Value* properties = raw.body.as_object().find("properties");
        Value* subnets = properties != nullptr && properties->is_object()
                             ? properties->as_object().find("subnets")
                             : nullptr;
        return subnets != nullptr && subnets->is_array() ? subnets : nullptr;
    }

    struct Association {
        Value target;
        Value nsg;
        SourceLocation where;
    };

    const terraform::PlanDocument& doc_;
    std::string subscription_;
    Diagnostics& diagnostics_;
    std::map<std::string, Value> ids_;                          // by instance address
    std::map<std::string, std::vector<std::string>> instances_; // by configuration address
    std::vector<Association> associations_;
    std::vector<RawResource> out_;
};

} // namespace

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
    // The subscription of a known id, when the document has one: the ids made for the others match it.
    std::string sub = subscription;
    for (const ResourceInstance& r : doc.resources)
        if (std::optional<std::string> id = known_string(attr(r, "id"));
            id && id->starts_with("/subscriptions/")) {
            sub = id->substr(15, id->find('/', 15) - 15);
            break;
        }
    return Translator(doc, sub, diagnostics).run();
}

} // namespace ztnet::load
