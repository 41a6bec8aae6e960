#include "testkit/random_intent.h"

#include <algorithm>

#include <fmt/format.h>

namespace ztnet::testkit {

model::IntentSelector intent_selector(model::IntentSelector::Kind kind, std::string value) {
    model::IntentSelector s;
    s.kind = kind;
    s.value = std::move(value);
    return s;
}

model::Intent random_intent(const SyntheticEstate& estate, Random& random) {
    using Kind = model::IntentSelector::Kind;
    model::Intent intent;
    intent.path = "random.ztnet.yaml";
    int groups = random.between(2, 4);
    for (int g = 0; g < groups; ++g) {
        model::IntentGroup group;
        group.name = fmt::format("group-{}", g + 1);
        int selectors = random.between(1, 2);
        for (int s = 0; s < selectors; ++s) {
            switch (random.below(5)) {
            case 0:
                group.selectors.push_back(intent_selector(Kind::Subnet, random.pick(estate.subnet_names)));
                break;
            case 1:
                if (!estate.asg_names.empty()) {
                    group.selectors.push_back(intent_selector(Kind::Asg, random.pick(estate.asg_names)));
                    break;
                }
                [[fallthrough]];
            case 2:
                group.selectors.push_back(intent_selector(Kind::Vm, random.pick(estate.vm_names)));
                break;
            case 3:
                group.selectors.push_back(intent_selector(Kind::Prefix, random.pick(estate.subnet_prefixes)));
                break;
            default:
                group.selectors.push_back(intent_selector(Kind::Prefix, random.pick(estate.nic_addresses)));
                break;
            }
        }
        intent.groups.push_back(std::move(group));
    }
    std::vector<std::string> names;
    for (const model::IntentGroup& g : intent.groups)
        names.push_back(g.name);
    names.push_back(std::string(model::kInternetGroup));
    auto flow = [&](bool platform) {
        model::IntentFlow f;
        f.platform = platform;
        f.from.push_back(random.pick(names));
        if (random.chance(25))
            f.from.push_back(random.pick(names));
        f.to.push_back(random.pick(names));
        int roll = static_cast<int>(random.below(100));
        std::uint8_t protocol = roll < 60 ? 6 : roll < 75 ? 17 : roll < 85 ? 1 : 0;
        f.protocols = protocol == 0 ? net::ProtocolSet::all() : net::ProtocolSet::single(protocol);
        if (protocol == 6 || protocol == 17) {
            static const std::vector<std::uint16_t> kPorts{22, 53, 80, 443, 1433, 3389, 8080, 8443};
            int shape = static_cast<int>(random.below(4));
            if (shape == 0) {
                f.ports = net::PortSet::single(random.pick(kPorts));
            } else if (shape == 1) {
                f.ports = net::PortSet::single(random.pick(kPorts))
                              .unite(net::PortSet::single(random.pick(kPorts)));
            } else if (shape == 2) {
                f.ports = net::PortSet::range(8000, 8100);
            }
        }
        return f;
    };
    int flows = random.between(1, 4);
    for (int i = 0; i < flows; ++i)
        intent.flows.push_back(flow(false));
    if (random.chance(30)) {
        model::IntentGroup probes;
        probes.name = "probes";
        probes.selectors.push_back(intent_selector(Kind::ServiceTag, "AzureLoadBalancer"));
        intent.groups.push_back(std::move(probes));
        model::IntentFlow f = flow(true);
        f.from = {"probes"};
        intent.platform_flows.push_back(std::move(f));
    }
    bool uses_internet = false;
    for (const auto* list : {&intent.flows, &intent.platform_flows}) {
        for (const model::IntentFlow& f : *list) {
            for (const auto* side : {&f.from, &f.to})
                uses_internet |= std::find(side->begin(), side->end(), model::kInternetGroup) != side->end();
        }
    }
    if (uses_internet) {
        model::IntentGroup internet;
        internet.name = std::string(model::kInternetGroup);
        internet.selectors.push_back(intent_selector(Kind::Internet, ""));
        intent.groups.push_back(std::move(internet));
    }
    return intent;
}

} // namespace ztnet::testkit
