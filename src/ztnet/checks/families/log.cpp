// Flow logging (ZT-LOG-*): every virtual network covered by an enabled flow log, and flow records
// kept long enough to trace an intrusion found weeks later. These read the flow logs as written.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/checks/families/families.h"

namespace ztnet::checks::families {
namespace {

using model::Index;
using model::kNone;
using support::finding_on;
using support::join;
using support::setting;

// ---- ZT-LOG-001 ----

bool vnet_flow_logged(const model::Estate& estate, model::VnetIndex vnet) {
    return std::any_of(estate.flow_logs.begin(), estate.flow_logs.end(),
                       [&](const model::FlowLog& f) { return f.enabled && f.target_vnet == vnet; });
}

bool nsg_flow_logged(const model::Estate& estate, model::NsgIndex nsg) {
    return nsg != kNone &&
           std::any_of(estate.flow_logs.begin(), estate.flow_logs.end(),
                       [&](const model::FlowLog& f) { return f.enabled && f.target_nsg == nsg; });
}

std::vector<Finding> flow_logging_off(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::FlowLog& log : estate.flow_logs) {
        if (log.enabled)
            continue;
        Finding f = finding_on(log, fmt::format("flow log {} is disabled", log.name));
        f.evidence.push_back(
            setting(log, fmt::format("{}: enabled false (target {})", log.name, log.target_resource_id)));
        out.push_back(std::move(f));
    }
    for (model::VnetIndex v : estate.virtual_networks.indices()) {
        if (vnet_flow_logged(estate, v))
            continue;
        // Without a VNet flow log, NSG flow logs must cover every subnet that can carry an NSG.
        const model::VirtualNetwork& vnet = estate.virtual_networks[v];
        std::vector<std::string> unlogged;
        std::vector<Evidence> evidence;
        for (model::SubnetIndex s : vnet.subnets) {
            const model::Subnet& subnet = estate.subnets[s];
            if (support::subnet_takes_no_nsg(subnet.name) ||
                nsg_flow_logged(estate, subnet.network_security_group))
                continue;
            unlogged.push_back(subnet.name);
            evidence.push_back(setting(
                subnet,
                subnet.network_security_group == kNone
                    ? fmt::format("{}: no NSG, and no VNet flow log", subnet.name)
                    : fmt::format("{}: NSG {} has no enabled flow log", subnet.name,
                                  estate.network_security_groups[subnet.network_security_group].name)));
        }
        if (unlogged.empty())
            continue;
        Finding f = finding_on(
            vnet, fmt::format("no enabled flow log covers {} (subnets {})", vnet.name, join(unlogged)));
        f.evidence = std::move(evidence);
        out.push_back(std::move(f));
    }
    return out;
}

// ---- ZT-LOG-002 ----

/// The retention commonly asked of network logs by audit baselines.
constexpr int kMinimumRetentionDays = 90;

std::vector<Finding> flow_log_retention_short(const CheckContext& context) {
    const model::Estate& estate = context.estate;
    std::vector<Finding> out;
    for (const model::FlowLog& log : estate.flow_logs) {
        if (!log.enabled || log.traffic_analytics)
            continue; // a disabled log is ZT-LOG-001's finding; traffic analytics keeps the data in a
                      // workspace
        bool kept =
            log.retention_enabled && (log.retention_days == 0 || log.retention_days >= kMinimumRetentionDays);
        if (kept)
            continue;
        std::string problem = log.retention_enabled ? fmt::format("keeps flow records only {} days, under {}",
                                                                  log.retention_days, kMinimumRetentionDays)
                                                    : std::string("has no retention policy");
        Finding f = finding_on(log, fmt::format("flow log {} {}", log.name, problem));
        f.evidence.push_back(
            setting(log, fmt::format("{}: retentionPolicy enabled {}, days {}; traffic analytics off",
                                     log.name, log.retention_enabled, log.retention_days)));
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace

void add_log(std::vector<Check>& out) {
    out.push_back(Check{
        .id = "ZT-LOG-001",
        .title = "Flow logging on for every virtual network",
        .principles = {Principle::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke step 5: flow logging on",
        .rationale = R"(
            Flow logs are the record of which connections were allowed and denied; without them a
            breach cannot be traced and the rules cannot be tightened from observed traffic. A
            virtual network is covered by an enabled VNet flow log, or by enabled NSG flow logs on
            the NSG of every subnet that can carry one; a disabled flow log is reported on itself.)",
        .remediation = R"(
            Create an enabled Microsoft.Network/networkWatchers/flowLogs resource with
            targetResourceId the virtual network (VNet flow logs; NSG flow logs can no longer be
            created), or set properties.enabled to true on the existing one.)",
        .run = flow_logging_off,
        .reads = {{model::ResourceKind::FlowLog, "/properties/enabled", SettingRead::Findings::Anywhere},
                  {model::ResourceKind::FlowLog, "/properties/targetResourceId",
                   SettingRead::Findings::Anywhere}},
    });
    out.push_back(Check{
        .id = "ZT-LOG-002",
        .title = "Flow logs kept for at least 90 days",
        .principles = {Principle::VerifyExplicitly},
        .severity = Severity::Medium,
        .guidance = "Spoke step 5: flow logging into storage, with retention",
        .rationale = R"(
            Intrusions are often found weeks after they start, and then the flow records must still
            exist. An enabled flow log passes with a retention policy of at least 90 days (or 0,
            which keeps records indefinitely), or with traffic analytics sending them to a Log
            Analytics workspace. Disabled flow logs are left to ZT-LOG-001.)",
        .remediation = R"(
            Set properties.retentionPolicy.enabled to true and properties.retentionPolicy.days to 90
            or more on the flow log, or enable
            properties.flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration.)",
        .run = flow_log_retention_short,
        .reads = {{model::ResourceKind::FlowLog, "/properties/retentionPolicy"}},
    });
}

} // namespace ztnet::checks::families
