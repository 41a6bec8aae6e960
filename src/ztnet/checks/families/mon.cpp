// Monitoring (ZT-MON-*): whether threat detection is on, read from the subscription's Microsoft
// Defender for Cloud plans; none needs reachability.
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/checks/families/subscriptions.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::checks::families {
namespace {

using support::finding_on_subscription;
using support::setting;

// ---- ZT-MON-001 ----

struct DefenderPlan {
    std::string_view pricing; // the Microsoft.Security/pricings name
    std::string_view title;
};

constexpr DefenderPlan kServersPlan{"VirtualMachines", "Defender for Servers"};
constexpr DefenderPlan kStoragePlan{"StorageAccounts", "Defender for Storage"};

const model::OtherResource* find_pricing(const model::Estate& estate, const std::string& subscription,
                                         std::string_view plan) {
    for (const model::OtherResource& r : estate.others) {
        if (model::same_id(r.type, "Microsoft.Security/pricings") && model::same_id(r.name, plan) &&
            model::same_id(subscription_of(r.id), subscription))
            return &r;
    }
    return nullptr;
}

std::vector<Finding> defender_plans_off(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const std::string& subscription : subscriptions_in(estate)) {
        // A plan is asked for only where there is something for it to protect.
        std::vector<DefenderPlan> needed;
        if (any_in_subscription(estate.virtual_machines, subscription))
            needed.push_back(kServersPlan);
        if (any_in_subscription(estate.storage_accounts, subscription))
            needed.push_back(kStoragePlan);
        std::vector<Evidence> evidence;
        std::string missing;
        for (const DefenderPlan& plan : needed) {
            const model::OtherResource* pricing = find_pricing(estate, subscription, plan.pricing);
            if (pricing && pricing->pricing_tier == model::PricingTier::Standard)
                continue;
            missing += fmt::format("{}{} ({})", missing.empty() ? "" : ", ", plan.title, plan.pricing);
            evidence.push_back(
                pricing ? setting(*pricing,
                                  fmt::format("{}: pricingTier {}", plan.pricing,
                                              pricing->pricing_tier ? model::name_of(*pricing->pricing_tier)
                                                                    : std::string_view("absent")))
                        : Evidence{fmt::format("{}: no Microsoft.Security/pricings resource", plan.pricing),
                                   {},
                                   std::nullopt});
        }
        if (evidence.empty())
            continue;
        Finding f = finding_on_subscription(
            subscription, fmt::format("subscription {} lacks threat detection: {} not on the Standard tier",
                                      subscription, missing));
        f.evidence = std::move(evidence);
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_mon(std::vector<Check>& out) {
    out.push_back(Check{
        .id = "ZT-MON-001",
        .title = "Microsoft Defender plans on for servers and storage",
        .principles = {Principle::AssumeBreach},
        .severity = Severity::Medium,
        .guidance = "Spoke step 7: threat detection enabled with Microsoft Defender for Cloud plans",
        .rationale = R"(
            Segmentation limits what an intruder can reach; threat detection notices that one is
            there. Defender for Servers and Defender for Storage raise alerts on suspicious
            processes, logons and data access. A plan is required only where the subscription holds
            virtual machines or storage accounts.)",
        .remediation = R"(
            Set properties.pricingTier to 'Standard' on Microsoft.Security/pricings
            'VirtualMachines' (subPlan P2) and, when the subscription holds storage accounts, on
            'StorageAccounts'.)",
        .run = defender_plans_off,
        .needs = {"Microsoft.Security/pricings"},
    });
}

} // namespace ztnet::checks::families
