// Azure Virtual Desktop: host pools (Microsoft.DesktopVirtualization/hostPools) and their session
// hosts. A VM is a session host when a sessionHosts child of a pool names it (an export), or when
// the DSC extension that registers it with the AVD agent names the pool (hostPoolName, in a
// template); the pool may be outside the input, and is then known by that name only.
#include <map>
#include <string>

#include "ztnet/load/detail/estate_builder.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load::detail {

using model::ResourceKind;

namespace {

// The host pool a DSC extension registers its VM with: settings.properties.hostPoolName (the
// Configuration.zip module's current shape) or settings.configurationArguments.hostPoolName (older).
std::string dsc_host_pool(FieldReader& read, const Cursor& props) {
    if (!model::same_id(read.string_or(props["type"], ""), "DSC"))
        return {};
    Cursor settings = props["settings"];
    std::string name = read.string_or(settings["properties"]["hostPoolName"], "");
    return name.empty() ? read.string_or(settings["configurationArguments"]["hostPoolName"], "") : name;
}

} // namespace

void EstateBuilder::read_virtual_desktop() {
    FieldReader read(diagnostics_, nullptr);
    std::map<std::string, std::string> pool_by_name; // lower-case name key -> the pool's id
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other ||
            !model::same_id(estate_.others[s.index].type, "Microsoft.DesktopVirtualization/hostPools"))
            continue;
        Cursor props = s.body["properties"];
        model::HostPool pool;
        pool.resource = s.index;
        pool.public_network_access = read.string_or(props["publicNetworkAccess"], "Enabled");
        pool.shortpath_managed = read.string_or(props["managedPrivateUDP"], "");
        pool.shortpath_public = read.string_or(props["publicUDP"], "");
        pool.shortpath_with_private_link = read.string_or(props["allowRdpShortPathWithPrivateLink"], "");
        pool.where = s.body.where();
        estate_.host_pools.push_back(std::move(pool));
        pool_by_name[model::id_key(estate_.others[s.index].name)] = estate_.others[s.index].id;
    }
    auto mark = [&](const std::string& vm_id, const std::string& pool) {
        auto vm = estate_.find(vm_id);
        if (vm && vm->kind == ResourceKind::VirtualMachine && !pool.empty())
            estate_.virtual_machines[vm->index].host_pool = pool;
    };
    for (const Staged& s : staged_) {
        if (s.kind != ResourceKind::Other)
            continue;
        const model::OtherResource& other = estate_.others[s.index];
        const std::string parent = model::parse_resource_id(other.id).parent_id;
        if (model::same_id(other.type, "Microsoft.DesktopVirtualization/hostPools/sessionHosts")) {
            if (auto vm = read.string(s.body["properties"]["resourceId"]))
                mark(*vm, parent);
        } else if (model::same_id(other.type, "Microsoft.Compute/virtualMachines/extensions")) {
            const std::string name = dsc_host_pool(read, s.body["properties"]);
            auto known = pool_by_name.find(model::id_key(name));
            mark(parent, known != pool_by_name.end() ? known->second : name);
        }
    }
}

} // namespace ztnet::load::detail
