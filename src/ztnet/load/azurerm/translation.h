// The translation of a plan's azurerm instances into the ARM resources Azure will hold. This is
// the machinery every azurerm type shares: the id each instance gets, the ids its references name
// when they are known only after apply, and the changes a resource makes to another one (an
// association, a load balancer's probe, a storage account's network rules). What each type means
// is in the type tables (network.cpp, traffic.cpp, workloads.cpp).
#pragma once

#include <array>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/load/raw_resource.h"
#include "ztnet/load/terraform/plan_document.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load::azurerm {

using json::Array;
using json::Object;
using json::Value;
using terraform::ResourceInstance;

class Translation;

/// How an instance's Azure id is made when the plan does not know it yet.
struct IdRecipe {
    enum class Base : std::uint8_t {
        ResourceGroup, ///< /subscriptions/S/resourceGroups/{resource_group_name}/providers/...
        Parent,        ///< the id in `base_attribute` (a parent resource), then the last segment
        Scope,         ///< the id in `base_attribute`, then /providers/TYPE/{name}
        Subscription,  ///< /subscriptions/S/providers/TYPE/{name}
    };
    Base base = Base::ResourceGroup;
    std::string_view base_attribute;
    /// The attributes naming each segment below the base, in order ("virtual_network_name", "name").
    std::vector<std::string_view> names = {"name"};
    /// The attribute that holds Azure's id once known; empty when azurerm's `id` is not Azure's id
    /// (a diagnostic setting's is "TARGET|NAME").
    std::string_view known_id = "id";
};

/// What an azurerm type becomes. A type without an ARM type changes other resources only.
struct TypeRule {
    std::string_view arm_type;
    IdRecipe id;
    /// Fills the resource's body (its properties, sku, kind, …); `body` already has id, type, name
    /// and location.
    std::function<void(Translation&, const ResourceInstance&, Object& body)> translate;
    /// A part of its parent (a load balancer's probe): it has an id, and its translation patches the
    /// parent instead of adding a resource.
    bool part = false;
};

using TypeTable = std::map<std::string_view, TypeRule, std::less<>>;
using Translate = std::function<void(Translation&, const ResourceInstance&, Object& body)>;

/// A type that changes other resources only (an association).
TypeRule changes_others(Translate translate);

void add_network_types(TypeTable& table);      // network.cpp
void add_traffic_types(TypeTable& table);      // traffic.cpp
void add_workload_types(TypeTable& table);     // workloads.cpp
void add_paas_types(TypeTable& table);         // paas.cpp
void add_virtual_wan_types(TypeTable& table);  // virtual_wan.cpp
void add_connectivity_types(TypeTable& table); // connectivity.cpp
const TypeTable& type_table();

/// A change one instance makes to another resource (or to a subnet inside its virtual network),
/// applied once every resource is written.
struct Patch {
    Value target;     ///< the id of the resource it changes
    std::string what; ///< for a warning when the target is not in the plan: "an NSG association"
    std::function<void(Object& target_body)> apply;
    SourceLocation where;
};

class Translation {
  public:
    Translation(const terraform::PlanDocument& doc, std::string subscription, Diagnostics& diagnostics);

    std::vector<RawResource> run();

    const std::string& subscription() const { return subscription_; }

    /// A reference attribute's id: the known value, or the id of the one instance (of one of
    /// `types`; any type when empty) that the attribute `top`'s expression refers to. Null when the
    /// attribute is absent or null; unknown when the plan cannot say which resource it names.
    Value link(const ResourceInstance& r, const Value* value, std::string_view top,
               std::initializer_list<std::string_view> types) const;

    /// The ids of every instance of `type` that the attribute `top`'s expression names: a list that
    /// is known only after apply.
    std::vector<Value> links(const ResourceInstance& r, std::string_view top, std::string_view type) const;

    /// A list of ids: each known element as it is, each unknown one through the references; a
    /// wholly unknown list through the references.
    Array link_list(const ResourceInstance& r, const Value* list, std::string_view top,
                    std::string_view type) const;

    Value id_of(const ResourceInstance& r) const;

    /// The references key of one block of a block attribute: "security_rule[NAME]" when the
    /// configuration has that block's own references, else the attribute's.
    /// With `inner`, the block's attribute's own references when the configuration has them.
    static std::string in_block(const ResourceInstance& r, std::string_view top, const Value& block,
                                std::string_view inner = {});

    void patch(Patch p) { patches_.push_back(std::move(p)); }

    /// A child resource azurerm folds into its parent's block (an Event Hubs namespace's
    /// network_rulesets is ARM's networkRuleSets/default): added beside the parent, at its place.
    void add_child(const ResourceInstance& parent, Object body) {
        out_.push_back({Value(std::move(body)), parent.where});
    }

    Diagnostics& diagnostics() { return diagnostics_; }

  private:
    void assign_ids();
    Value made_id(const ResourceInstance& r, const IdRecipe& recipe) const;
    void apply_patches();

    const terraform::PlanDocument& doc_;
    std::string subscription_;
    Diagnostics& diagnostics_;
    std::map<std::string, Value> ids_;                          // by instance address
    std::map<std::string, std::vector<std::string>> instances_; // by configuration address
    std::vector<Patch> patches_;
    std::vector<RawResource> out_;
};

// Small helpers the type tables share.

const Value* attr(const ResourceInstance& r, std::string_view key);
/// A string value that is known and not empty.
std::optional<std::string> known_string(const Value* v);
/// A value as ARM takes it: unknown stays unknown; absent, null and "" are left out.
std::optional<Value> given(const Value* v);
/// Sets `key` when the value is given.
void put(Object& o, std::string key, const Value* v);
/// Sets `key` to the value, or to azurerm's documented default when the plan leaves it out.
void put_or(Object& o, std::string key, const Value* v, Value fallback);
/// The first of several attribute names the instance has (azurerm renamed some in 4.0).
const Value* either(const ResourceInstance& r, std::initializer_list<std::string_view> keys);
/// A bool attribute (or its default) as ARM's "Enabled"/"Disabled"; unknown stays unknown.
Value enabled_text(const Value* v, bool fallback);
Value id_object(Value id);
/// The object at `key` in `o`, created empty when absent.
Object& child(Object& o, std::string_view key);
/// The properties object of a body.
Object& properties(Object& body);
/// The blocks of a nested block attribute (an empty list when absent or unknown).
const Array& blocks(const Value* v);
/// The first block of a single nested block, or null.
const Value* first_block(const Value* v);
/// The ip_configuration blocks of a Bastion host, firewall or gateway (`top`: the block attribute)
/// as ARM's ipConfigurations: name, subnet, public IP, private address and its allocation.
Array ip_configurations(Translation& t, const ResourceInstance& r, std::string_view top);
/// The attribute names of an IPsec/IKE policy block, in ARM's order: ikeEncryption, ikeIntegrity,
/// dhGroup, ipsecEncryption, ipsecIntegrity, pfsGroup (azurerm names them apart per type).
using IpsecNames = std::array<std::string_view, 6>;
/// The ipsec_policy blocks as ARM's ipsecPolicies.
Array ipsec_policies(const Value* policy_blocks, const IpsecNames& names);
/// Appends `value` to the array at `key`, created when absent.
void append(Object& o, std::string_view key, Value value);

} // namespace ztnet::load::azurerm
