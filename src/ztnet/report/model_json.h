// One JSON writer per model type: a resource's security-relevant fields as ztnet resolved them, in
// the shape docs/inventory.md documents. References are written as resource ids, so that the output
// does not depend on input order; settings as Azure spells their values, Azure's default standing
// in for what the input leaves out. The inventory writes every resource with them; any report that
// shows a resource uses them too.
#pragma once

#include <string>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"

namespace ztnet::report {

/// A JSON array of the strings.
json::Value string_array(const std::vector<std::string>& items);

json::Object to_json(const model::Estate& estate, const model::ResourceGroup& resource);
json::Object to_json(const model::Estate& estate, const model::VirtualNetwork& resource);
json::Object to_json(const model::Estate& estate, const model::Subnet& resource);
json::Object to_json(const model::Estate& estate, const model::Peering& resource);
json::Object to_json(const model::Estate& estate, const model::NetworkSecurityGroup& resource);
json::Object to_json(const model::Estate& estate, const model::ApplicationSecurityGroup& resource);
json::Object to_json(const model::Estate& estate, const model::RouteTable& resource);
json::Object to_json(const model::Estate& estate, const model::NetworkInterface& resource);
json::Object to_json(const model::Estate& estate, const model::PublicIpAddress& resource);
json::Object to_json(const model::Estate& estate, const model::LoadBalancer& resource);
json::Object to_json(const model::Estate& estate, const model::ApplicationGateway& resource);
json::Object to_json(const model::Estate& estate, const model::WafPolicy& resource);
json::Object to_json(const model::Estate& estate, const model::AzureFirewall& resource);
json::Object to_json(const model::Estate& estate, const model::FirewallPolicy& resource);
json::Object to_json(const model::Estate& estate, const model::IpGroup& resource);
json::Object to_json(const model::Estate& estate, const model::BastionHost& resource);
json::Object to_json(const model::Estate& estate, const model::VirtualNetworkGateway& resource);
json::Object to_json(const model::Estate& estate, const model::DdosProtectionPlan& resource);
json::Object to_json(const model::Estate& estate, const model::PrivateEndpoint& resource);
json::Object to_json(const model::Estate& estate, const model::VirtualMachine& resource);
json::Object to_json(const model::Estate& estate, const model::StorageAccount& resource);
json::Object to_json(const model::Estate& estate, const model::NetworkWatcher& resource);
json::Object to_json(const model::Estate& estate, const model::FlowLog& resource);
json::Object to_json(const model::Estate& estate, const model::DiagnosticSetting& resource);
json::Object to_json(const model::Estate& estate, const model::RoleDefinition& resource);
json::Object to_json(const model::Estate& estate, const model::RoleAssignment& resource);
json::Object to_json(const model::Estate& estate, const model::PaasService& resource);
json::Object to_json(const model::Estate& estate, const model::PrivateDnsZone& resource);
json::Object to_json(const model::Estate& estate, const model::OtherResource& resource);

} // namespace ztnet::report
