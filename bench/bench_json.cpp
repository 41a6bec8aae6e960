// JSON reader and writer throughput on a generated Azure resource export (fixed seed): an array of
// resources (VNets, NSGs, NICs) with ids, names, tags and nested arrays of subnets, rules and
// ipConfigurations. A plain byte scan over the same text is the baseline; the read tree is checked against
// the generated one before anything is timed.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "ztnet/json/reader.h"

namespace {

using ztnet::json::Array;
using ztnet::json::Object;
using ztnet::json::Value;

class ExportGenerator {
  public:
    explicit ExportGenerator(std::uint64_t seed) : rng_(seed) {}

    Value resources(std::size_t count) {
        Array out;
        out.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            switch (i % 3) {
            case 0:
                out.push_back(vnet(i));
                break;
            case 1:
                out.push_back(nsg(i));
                break;
            default:
                out.push_back(nic(i));
                break;
            }
        }
        return Value(std::move(out));
    }

  private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

    std::string group() { return "rg-app-" + std::to_string(pick(40)); }

    std::string resource_id(const std::string& rg, const std::string& type, const std::string& name) {
        return "/subscriptions/3f2a9c1e-5b7d-4e8a-9c0f-1d2e3f4a5b6c/resourceGroups/" + rg + "/providers/" +
               type + "/" + name;
    }

    std::string prefix(int second, int third, int length) {
        return "10." + std::to_string(second) + "." + std::to_string(third) + ".0/" + std::to_string(length);
    }

    Object common(const std::string& rg, const std::string& type, const std::string& name) {
        static const char* const kLocations[] = {"westeurope", "northeurope", "eastus2", "uksouth"};
        Object o;
        o.set("id", resource_id(rg, type, name));
        o.set("name", name);
        o.set("type", type);
        o.set("location", kLocations[pick(4)]);
        Object tags;
        tags.set("environment", pick(2) == 0 ? "prod" : "dev");
        tags.set("owner", "team-" + std::to_string(pick(12)));
        o.set("tags", std::move(tags));
        o.set("etag", "W/\"" + std::to_string(rng_()) + "\"");
        return o;
    }

    Value vnet(std::size_t index) {
        const std::string rg = group();
        const std::string name = "vnet-" + std::to_string(index);
        const std::string type = "Microsoft.Network/virtualNetworks";
        Object o = common(rg, type, name);
        Object properties;
        properties.set("provisioningState", "Succeeded");
        const int second = pick(256);
        Object space;
        space.set("addressPrefixes", Array{prefix(second, 0, 16)});
        properties.set("addressSpace", std::move(space));
        Array subnets;
        const int count = 2 + pick(5);
        for (int s = 0; s < count; ++s) {
            Object subnet;
            const std::string subnet_name = "snet-" + std::to_string(s);
            subnet.set("name", subnet_name);
            subnet.set("id", resource_id(rg, type, name + "/subnets/" + subnet_name));
            Object sp;
            sp.set("addressPrefix", prefix(second, s, 24));
            Object nsg_ref;
            nsg_ref.set("id", resource_id(rg, "Microsoft.Network/networkSecurityGroups",
                                          "nsg-" + std::to_string(pick(500))));
            sp.set("networkSecurityGroup", std::move(nsg_ref));
            sp.set("privateEndpointNetworkPolicies", "Disabled");
            sp.set("delegations", Array{});
            subnet.set("properties", std::move(sp));
            subnets.push_back(Value(std::move(subnet)));
        }
        properties.set("subnets", std::move(subnets));
        properties.set("enableDdosProtection", false);
        o.set("properties", std::move(properties));
        return Value(std::move(o));
    }

    Value nsg(std::size_t index) {
        static const char* const kProtocols[] = {"Tcp", "Udp", "*"};
        const std::string rg = group();
        const std::string name = "nsg-" + std::to_string(index);
        const std::string type = "Microsoft.Network/networkSecurityGroups";
        Object o = common(rg, type, name);
        Object properties;
        properties.set("provisioningState", "Succeeded");
        properties.set("resourceGuid", "8d1c2b3a-4e5f-6071-8293-a4b5c6d7e8f9");
        Array rules;
        const int count = 3 + pick(8);
        for (int r = 0; r < count; ++r) {
            Object rule;
            const std::string rule_name = "rule-" + std::to_string(r);
            rule.set("name", rule_name);
            rule.set("id", resource_id(rg, type, name + "/securityRules/" + rule_name));
            Object rp;
            rp.set("priority", 100 + r * 10);
            rp.set("direction", pick(2) == 0 ? "Inbound" : "Outbound");
            rp.set("access", pick(4) == 0 ? "Deny" : "Allow");
            rp.set("protocol", kProtocols[pick(3)]);
            rp.set("sourceAddressPrefix", pick(3) == 0 ? "*" : prefix(pick(256), pick(256), 24));
            rp.set("sourcePortRange", "*");
            rp.set("destinationAddressPrefix", "VirtualNetwork");
            rp.set("destinationPortRanges", Array{std::to_string(pick(65536)), "443", "8000-8080"});
            rule.set("properties", std::move(rp));
            rules.push_back(Value(std::move(rule)));
        }
        properties.set("securityRules", std::move(rules));
        o.set("properties", std::move(properties));
        return Value(std::move(o));
    }

    Value nic(std::size_t index) {
        const std::string rg = group();
        const std::string name = "nic-" + std::to_string(index);
        const std::string type = "Microsoft.Network/networkInterfaces";
        Object o = common(rg, type, name);
        Object properties;
        Array configs;
        const int count = 1 + pick(3);
        for (int c = 0; c < count; ++c) {
            Object config;
            const std::string config_name = "ipconfig" + std::to_string(c);
            config.set("name", config_name);
            config.set("id", resource_id(rg, type, name + "/ipConfigurations/" + config_name));
            Object cp;
            cp.set("privateIPAddress", "10." + std::to_string(pick(256)) + "." + std::to_string(pick(256)) +
                                           "." + std::to_string(4 + pick(250)));
            cp.set("privateIPAllocationMethod", pick(2) == 0 ? "Dynamic" : "Static");
            cp.set("primary", c == 0);
            Object subnet;
            subnet.set("id", resource_id(rg, "Microsoft.Network/virtualNetworks",
                                         "vnet-" + std::to_string(pick(500)) + "/subnets/snet-0"));
            cp.set("subnet", std::move(subnet));
            config.set("properties", std::move(cp));
            configs.push_back(Value(std::move(config)));
        }
        properties.set("ipConfigurations", std::move(configs));
        properties.set("enableAcceleratedNetworking", pick(2) == 0);
        properties.set("enableIPForwarding", false);
        properties.set("dnsSettings", Object{});
        o.set("properties", std::move(properties));
        return Value(std::move(o));
    }

    std::mt19937_64 rng_;
};

struct Fixture {
    Value tree;
    std::string text;
};

// Generated once per size; ~2,900 bytes per resource, so 7,000 resources make about 20 MB.
const Fixture& fixture(std::size_t resources) {
    static std::map<std::size_t, Fixture> cache;
    auto it = cache.find(resources);
    if (it == cache.end()) {
        Fixture f;
        f.tree = ExportGenerator(42).resources(resources);
        f.text = ztnet::json::write(f.tree);
        auto check = ztnet::json::read(f.text);
        if (!check.ok() || !(*check == f.tree))
            std::abort(); // the reader must reproduce the tree before its speed means anything
        it = cache.emplace(resources, std::move(f)).first;
    }
    return it->second;
}

void BM_ScanBaseline(benchmark::State& state) {
    const std::string& text = fixture(static_cast<std::size_t>(state.range(0))).text;
    for (auto _ : state) {
        std::size_t quotes = 0;
        for (char c : text)
            quotes += c == '"';
        benchmark::DoNotOptimize(quotes);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_Read(benchmark::State& state) {
    const std::string& text = fixture(static_cast<std::size_t>(state.range(0))).text;
    for (auto _ : state) {
        auto result = ztnet::json::read(text);
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

void BM_ReadWithComments(benchmark::State& state) {
    const std::string& text = fixture(static_cast<std::size_t>(state.range(0))).text;
    ztnet::json::ReadLimits limits;
    limits.allow_comments = true;
    for (auto _ : state) {
        auto result = ztnet::json::read(text, limits);
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void BM_Write(benchmark::State& state) {
    const Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string out = ztnet::json::write(f.tree);
        bytes = out.size();
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void BM_WriteCompact(benchmark::State& state) {
    const Fixture& f = fixture(static_cast<std::size_t>(state.range(0)));
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string out = ztnet::json::write(f.tree, ztnet::json::WriteOptions{0});
        bytes = out.size();
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

BENCHMARK(BM_ScanBaseline)->Arg(7000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Read)->Arg(350)->Arg(7000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadWithComments)->Arg(7000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Write)->Arg(7000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteCompact)->Arg(7000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
