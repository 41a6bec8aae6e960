#!/usr/bin/env python3
"""Writes the Terraform plans the loader's tests read (hub-spoke/, opens-rdp/ and virtual-wan/plan.json).

Each plan is written in the shape `terraform show -json PLANFILE` prints (format 1.2): planned values,
resource changes with after_unknown, the prior state when the plan changes existing resources, and
the configuration's references, which is where the reader learns what an id known only after apply
will be. Run it from anywhere; it rewrites the files beside it.
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROVIDER = "registry.terraform.io/hashicorp/azurerm"
SUB = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"


class Plan:
    def __init__(self):
        self.resources = []  # (address, type, name, values, unknown, references)

    def add(self, type_, name, values, unknown=(), refs=None):
        """`unknown`: attributes (dotted paths into blocks, "ip_configuration.0.subnet_id") known only
        after apply; `refs`: attribute -> the addresses its expression refers to."""
        self.resources.append((f"{type_}.{name}", type_, name, values, list(unknown), refs or {}))
        return f"{type_}.{name}"


def after_unknown(unknown):
    out = {"id": True}
    for path in unknown:
        node = out
        parts = path.split(".")
        for i, part in enumerate(parts[:-1]):
            nxt = parts[i + 1]
            key = int(part) if part.isdigit() else part
            if isinstance(node, list):
                while len(node) <= key:
                    node.append({})
                node = node[key]
            else:
                node = node.setdefault(key, [] if nxt.isdigit() else {})
        last = parts[-1]
        if isinstance(node, list):
            while len(node) <= int(last):
                node.append(True)
            node[int(last)] = True
        else:
            node[last] = True
    return out


def strip_unknown(values, unknown):
    values = copy.deepcopy(values)
    for path in unknown:
        node = values
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.get(part)
            if node is None:
                break
        else:
            last = parts[-1]
            if isinstance(node, list):
                node[int(last)] = None
            else:
                node.pop(last, None)
    return values


def expressions(values, refs):
    out = {}
    for key, value in values.items():
        if key in refs:
            out[key] = {"references": [r + suffix for r in refs[key] for suffix in (".id", "")]}
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[key] = [{k: {"constant_value": v} for k, v in block.items()} for block in value]
        else:
            out[key] = {"constant_value": value}
    for key in refs:
        out.setdefault(key, {"references": [r + suffix for r in refs[key] for suffix in (".id", "")]})
    return out


def write(plan, path, prior=None):
    def instance(address, type_, name, values, unknown, with_id=None):
        v = strip_unknown(values, unknown)
        if with_id:
            v["id"] = with_id
        return {"address": address, "mode": "managed", "type": type_, "name": name,
                "provider_name": PROVIDER, "schema_version": 0, "values": v, "sensitive_values": {}}

    doc = {"format_version": "1.2", "terraform_version": "1.9.8"}
    doc["planned_values"] = {"root_module": {"resources": [
        instance(a, t, n, v, u if prior is None or a not in prior else [], prior.get(a) if prior else None)
        for a, t, n, v, u, _ in plan.resources]}}
    changes = []
    for a, t, n, v, u, _ in plan.resources:
        existing = prior is not None and a in prior
        action = ("update" if a in prior_values else "no-op") if existing else "create"
        change = {"actions": [action],
                  "before": prior_values.get(a, v) if existing else None, "after": strip_unknown(v, [] if existing else u),
                  "after_unknown": {} if existing else after_unknown(u),
                  "before_sensitive": False, "after_sensitive": {}}
        changes.append({"address": a, "mode": "managed", "type": t, "name": n, "provider_name": PROVIDER,
                        "change": change})
    doc["resource_changes"] = changes
    if prior is not None:
        doc["prior_state"] = {"format_version": "1.0", "terraform_version": "1.9.8", "values": {
            "root_module": {"resources": [instance(a, t, n, prior_values.get(a, v), [], prior[a])
                                          for a, t, n, v, u, _ in plan.resources if a in prior]}}}
    doc["configuration"] = {
        "provider_config": {"azurerm": {"name": "azurerm", "full_name": PROVIDER,
                                        "expressions": {"features": [{}]}}},
        "root_module": {"resources": [
            {"address": a, "mode": "managed", "type": t, "name": n, "provider_config_key": "azurerm",
             "expressions": expressions(v, r), "schema_version": 0}
            for a, t, n, v, u, r in plan.resources]}}
    doc["timestamp"] = "2026-12-07T08:00:00Z"
    doc["applyable"] = True
    doc["complete"] = True
    doc["errored"] = False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")


prior_values = {}


def rule(name, priority, direction, access, protocol, src, dst_port, dst="*", src_asgs=None, dst_asgs=None):
    return {"name": name, "priority": priority, "direction": direction, "access": access, "protocol": protocol,
            "source_port_range": "*", "source_port_ranges": [], "destination_port_range": dst_port,
            "destination_port_ranges": [], "source_address_prefix": src if not src_asgs else "",
            "source_address_prefixes": [], "destination_address_prefix": dst if not dst_asgs else "",
            "destination_address_prefixes": [], "description": "",
            "source_application_security_group_ids": src_asgs or [],
            "destination_application_security_group_ids": dst_asgs or []}


def hub_spoke():
    p = Plan()
    rg = {"location": "westeurope"}
    p.add("azurerm_resource_group", "hub", {"name": "rg-hub", **rg})
    p.add("azurerm_resource_group", "spoke", {"name": "rg-spoke", **rg})
    p.add("azurerm_virtual_network", "hub", {"name": "vnet-hub", "resource_group_name": "rg-hub", **rg,
                                             "address_space": ["10.0.0.0/16"], "dns_servers": []})
    p.add("azurerm_virtual_network", "spoke", {"name": "vnet-spoke", "resource_group_name": "rg-spoke", **rg,
                                               "address_space": ["10.1.0.0/16"], "dns_servers": []})
    for rgn, vnet, name, prefix in [("rg-hub", "vnet-hub", "AzureFirewallSubnet", "10.0.1.0/26"),
                                    ("rg-spoke", "vnet-spoke", "snet-app", "10.1.2.0/24"),
                                    ("rg-spoke", "vnet-spoke", "snet-data", "10.1.3.0/24")]:
        p.add("azurerm_subnet", name.lower().replace("-", "_"),
              {"name": name, "resource_group_name": rgn, "virtual_network_name": vnet,
               "address_prefixes": [prefix], "service_endpoints": [], "delegation": [],
               "private_endpoint_network_policies": "Disabled"})
    p.add("azurerm_virtual_network_peering", "spoke_to_hub",
          {"name": "spoke-to-hub", "resource_group_name": "rg-spoke", "virtual_network_name": "vnet-spoke",
           "remote_virtual_network_id": None, "allow_virtual_network_access": True,
           "allow_forwarded_traffic": True, "allow_gateway_transit": False, "use_remote_gateways": False},
          ["remote_virtual_network_id"], {"remote_virtual_network_id": ["azurerm_virtual_network.hub"]})
    p.add("azurerm_virtual_network_peering", "hub_to_spoke",
          {"name": "hub-to-spoke", "resource_group_name": "rg-hub", "virtual_network_name": "vnet-hub",
           "remote_virtual_network_id": None, "allow_virtual_network_access": True,
           "allow_forwarded_traffic": True, "allow_gateway_transit": False, "use_remote_gateways": False},
          ["remote_virtual_network_id"], {"remote_virtual_network_id": ["azurerm_virtual_network.spoke"]})
    p.add("azurerm_public_ip", "afw", {"name": "pip-afw", "resource_group_name": "rg-hub", **rg,
                                       "sku": "Standard", "allocation_method": "Static", "ip_version": "IPv4"},
          ["ip_address"])
    p.add("azurerm_ip_group", "spoke", {"name": "ipg-spoke", "resource_group_name": "rg-hub", **rg,
                                        "cidrs": ["10.1.0.0/16"]})
    p.add("azurerm_firewall_policy", "hub", {"name": "afwp-hub", "resource_group_name": "rg-hub", **rg,
                                             "sku": "Premium", "threat_intelligence_mode": "Deny",
                                             "intrusion_detection": [{"mode": "Deny", "signature_overrides": [],
                                                                      "traffic_bypass": []}],
                                             "dns": [{"proxy_enabled": True, "servers": []}]})
    p.add("azurerm_firewall_policy_rule_collection_group", "egress",
          {"name": "rcg-egress", "priority": 200, "firewall_policy_id": None,
           "network_rule_collection": [{"name": "rc-net", "priority": 100, "action": "Allow", "rule": [
               {"name": "allow-ntp", "protocols": ["UDP"], "source_addresses": [], "source_ip_groups": [None],
                "destination_addresses": ["*"], "destination_ip_groups": [], "destination_fqdns": [],
                "destination_ports": ["123"], "description": ""}]}],
           "application_rule_collection": [{"name": "rc-app", "priority": 200, "action": "Allow", "rule": [
               {"name": "allow-updates", "protocols": [{"type": "Https", "port": 443}],
                "source_addresses": ["10.1.0.0/16"], "source_ip_groups": [], "destination_addresses": [],
                "destination_fqdns": ["packages.microsoft.com"], "destination_fqdn_tags": [],
                "destination_urls": [], "web_categories": [], "terminate_tls": False, "description": ""}]}],
           "nat_rule_collection": []},
          ["firewall_policy_id", "network_rule_collection.0.rule.0.source_ip_groups.0"],
          {"firewall_policy_id": ["azurerm_firewall_policy.hub"],
           "network_rule_collection": ["azurerm_ip_group.spoke"]})
    p.add("azurerm_firewall", "hub", {"name": "afw-hub", "resource_group_name": "rg-hub", **rg,
                                      "sku_name": "AZFW_VNet", "sku_tier": "Premium", "firewall_policy_id": None,
                                      "threat_intel_mode": "Alert",
                                      "ip_configuration": [{"name": "ipconfig", "subnet_id": None,
                                                            "public_ip_address_id": None,
                                                            "private_ip_address": None}]},
          ["firewall_policy_id", "ip_configuration.0.subnet_id", "ip_configuration.0.public_ip_address_id",
           "ip_configuration.0.private_ip_address"],
          {"firewall_policy_id": ["azurerm_firewall_policy.hub"],
           "ip_configuration": ["azurerm_subnet.azurefirewallsubnet", "azurerm_public_ip.afw"]})
    p.add("azurerm_route_table", "spoke", {"name": "rt-spoke", "resource_group_name": "rg-spoke", **rg,
                                           "bgp_route_propagation_enabled": False,
                                           "route": [{"name": "default-via-firewall", "address_prefix": "0.0.0.0/0",
                                                      "next_hop_type": "VirtualAppliance",
                                                      "next_hop_in_ip_address": "10.0.1.4"}]})
    p.add("azurerm_subnet_route_table_association", "app", {"subnet_id": None, "route_table_id": None},
          ["subnet_id", "route_table_id"],
          {"subnet_id": ["azurerm_subnet.snet_app"], "route_table_id": ["azurerm_route_table.spoke"]})
    p.add("azurerm_application_security_group", "app", {"name": "asg-app", "resource_group_name": "rg-spoke", **rg})
    p.add("azurerm_network_security_group", "data", {
        "name": "nsg-data", "resource_group_name": "rg-spoke", **rg, "security_rule": [
            rule("allow-app-sql", 100, "Inbound", "Allow", "Tcp", "", "1433", src_asgs=[None]),
            rule("deny-all-in", 4096, "Inbound", "Deny", "*", "*", "*")]},
        ["security_rule.0.source_application_security_group_ids.0"],
        {"security_rule": ["azurerm_application_security_group.app"]})
    p.add("azurerm_subnet_network_security_group_association", "data",
          {"subnet_id": None, "network_security_group_id": None}, ["subnet_id", "network_security_group_id"],
          {"subnet_id": ["azurerm_subnet.snet_data"],
           "network_security_group_id": ["azurerm_network_security_group.data"]})
    for name, subnet, ip in [("app", "snet_app", "10.1.2.4"), ("data", "snet_data", "10.1.3.4")]:
        p.add("azurerm_network_interface", name, {
            "name": f"nic-{name}", "resource_group_name": "rg-spoke", **rg, "ip_forwarding_enabled": False,
            "accelerated_networking_enabled": False,
            "ip_configuration": [{"name": "ipconfig1", "subnet_id": None, "private_ip_address_allocation": "Static",
                                  "private_ip_address": ip, "private_ip_address_version": "IPv4",
                                  "primary": True, "public_ip_address_id": None}]},
            [f"ip_configuration.0.subnet_id"], {"ip_configuration": [f"azurerm_subnet.{subnet}"]})
    p.add("azurerm_network_interface_application_security_group_association", "app",
          {"network_interface_id": None, "application_security_group_id": None},
          ["network_interface_id", "application_security_group_id"],
          {"network_interface_id": ["azurerm_network_interface.app"],
           "application_security_group_id": ["azurerm_application_security_group.app"]})
    p.add("azurerm_lb", "data", {"name": "lbi-data", "resource_group_name": "rg-spoke", **rg, "sku": "Standard",
                                 "frontend_ip_configuration": [{"name": "fe-data", "subnet_id": None,
                                                                "private_ip_address": "10.1.3.10",
                                                                "private_ip_address_allocation": "Static",
                                                                "private_ip_address_version": "IPv4"}]},
          ["frontend_ip_configuration.0.subnet_id"], {"frontend_ip_configuration": ["azurerm_subnet.snet_data"]})
    p.add("azurerm_lb_backend_address_pool", "data", {"name": "bep-data", "loadbalancer_id": None},
          ["loadbalancer_id"], {"loadbalancer_id": ["azurerm_lb.data"]})
    p.add("azurerm_lb_probe", "sql", {"name": "probe-sql", "loadbalancer_id": None, "protocol": "Tcp",
                                      "port": 1433, "interval_in_seconds": 5},
          ["loadbalancer_id"], {"loadbalancer_id": ["azurerm_lb.data"]})
    p.add("azurerm_lb_rule", "sql", {"name": "lbr-sql", "loadbalancer_id": None,
                                     "frontend_ip_configuration_name": "fe-data", "protocol": "Tcp",
                                     "frontend_port": 1433, "backend_port": 1433,
                                     "backend_address_pool_ids": None, "probe_id": None},
          ["loadbalancer_id", "backend_address_pool_ids", "probe_id"],
          {"loadbalancer_id": ["azurerm_lb.data"], "backend_address_pool_ids": ["azurerm_lb_backend_address_pool.data"],
           "probe_id": ["azurerm_lb_probe.sql"]})
    p.add("azurerm_network_interface_backend_address_pool_association", "data",
          {"network_interface_id": None, "ip_configuration_name": "ipconfig1", "backend_address_pool_id": None},
          ["network_interface_id", "backend_address_pool_id"],
          {"network_interface_id": ["azurerm_network_interface.data"],
           "backend_address_pool_id": ["azurerm_lb_backend_address_pool.data"]})
    p.add("azurerm_storage_account", "logs", {"name": "stlogs01", "resource_group_name": "rg-hub", **rg,
                                              "account_tier": "Standard", "account_replication_type": "ZRS"})
    p.add("azurerm_storage_account_network_rules", "logs",
          {"storage_account_id": None, "default_action": "Deny", "bypass": ["AzureServices"], "ip_rules": [],
           "virtual_network_subnet_ids": [None]},
          ["storage_account_id", "virtual_network_subnet_ids.0"],
          {"storage_account_id": ["azurerm_storage_account.logs"],
           "virtual_network_subnet_ids": ["azurerm_subnet.snet_app"]})
    p.add("azurerm_role_assignment", "ops", {"scope": None, "role_definition_name": "Network Contributor",
                                             "principal_id": "3364d56d-6bd8-4a7d-b933-47873c41ca78"},
          ["scope", "name", "role_definition_id", "principal_type"], {"scope": ["azurerm_resource_group.spoke"]})
    p.add("azurerm_log_analytics_workspace", "hub", {"name": "log-hub", "resource_group_name": "rg-hub", **rg,
                                                     "sku": "PerGB2018", "retention_in_days": 90})
    p.add("azurerm_monitor_diagnostic_setting", "afw",
          {"name": "diag-afw", "target_resource_id": None, "log_analytics_workspace_id": None,
           "log_analytics_destination_type": "Dedicated", "enabled_log": [{"category": "", "category_group": "allLogs"}],
           "enabled_metric": [{"category": "AllMetrics"}]},
          ["target_resource_id", "log_analytics_workspace_id"],
          {"target_resource_id": ["azurerm_firewall.hub"],
           "log_analytics_workspace_id": ["azurerm_log_analytics_workspace.hub"]})
    p.add("azurerm_linux_virtual_machine_scale_set", "web",
          {"name": "vmss-web", "resource_group_name": "rg-spoke", **rg, "sku": "Standard_D2s_v5", "instances": 3,
           "admin_username": "azureuser", "disable_password_authentication": True,
           "secure_boot_enabled": True, "vtpm_enabled": True, "encryption_at_host_enabled": True,
           "network_interface": [{"name": "nic-web", "primary": True, "network_security_group_id": None,
                                  "ip_configuration": [{"name": "ipconfig1", "primary": True, "subnet_id": None,
                                                        "application_security_group_ids": [None],
                                                        "load_balancer_backend_address_pool_ids": [],
                                                        "application_gateway_backend_address_pool_ids": [],
                                                        "public_ip_address": []}]}]},
          ["network_interface.0.ip_configuration.0.subnet_id",
           "network_interface.0.ip_configuration.0.application_security_group_ids.0"],
          {"network_interface": ["azurerm_subnet.snet_app", "azurerm_application_security_group.app"]})
    # The hub's way on premises: a VPN gateway in GatewaySubnet, a local network gateway, a connection.
    p.add("azurerm_subnet", "gatewaysubnet",
          {"name": "GatewaySubnet", "resource_group_name": "rg-hub", "virtual_network_name": "vnet-hub",
           "address_prefixes": ["10.0.2.0/27"], "service_endpoints": [], "delegation": []})
    p.add("azurerm_public_ip", "vpn", {"name": "pip-vpn", "resource_group_name": "rg-hub", **rg,
                                       "sku": "Standard", "allocation_method": "Static", "ip_version": "IPv4"},
          ["ip_address"])
    p.add("azurerm_virtual_network_gateway", "vpn",
          {"name": "vgw-hub", "resource_group_name": "rg-hub", **rg, "type": "Vpn", "vpn_type": "RouteBased",
           "sku": "VpnGw1", "bgp_enabled": False,
           "ip_configuration": [{"name": "vnetGatewayConfig", "subnet_id": None, "public_ip_address_id": None,
                                 "private_ip_address_allocation": "Dynamic"}]},
          ["ip_configuration.0.subnet_id", "ip_configuration.0.public_ip_address_id"],
          {"ip_configuration": ["azurerm_subnet.gatewaysubnet", "azurerm_public_ip.vpn"]})
    p.add("azurerm_local_network_gateway", "office",
          {"name": "lgw-office", "resource_group_name": "rg-hub", **rg, "gateway_address": "198.51.100.7",
           "address_space": ["192.168.10.0/24"]})
    p.add("azurerm_virtual_network_gateway_connection", "office",
          {"name": "cn-office", "resource_group_name": "rg-hub", **rg, "type": "IPsec",
           "virtual_network_gateway_id": None, "local_network_gateway_id": None, "bgp_enabled": False,
           "connection_protocol": "IKEv2",
           "ipsec_policy": [{"ike_encryption": "AES256", "ike_integrity": "SHA1", "dh_group": "DHGroup14",
                             "ipsec_encryption": "AES256", "ipsec_integrity": "SHA256", "pfs_group": "PFS2048",
                             "sa_lifetime": 27000, "sa_datasize": 102400000}]},
          ["virtual_network_gateway_id", "local_network_gateway_id"],
          {"virtual_network_gateway_id": ["azurerm_virtual_network_gateway.vpn"],
           "local_network_gateway_id": ["azurerm_local_network_gateway.office"]})
    # The data subnet's only way out: a NAT gateway.
    p.add("azurerm_public_ip", "nat", {"name": "pip-nat", "resource_group_name": "rg-spoke", **rg,
                                       "sku": "Standard", "allocation_method": "Static", "ip_version": "IPv4"},
          ["ip_address"])
    p.add("azurerm_nat_gateway", "spoke", {"name": "ng-spoke", "resource_group_name": "rg-spoke", **rg,
                                           "sku_name": "Standard", "idle_timeout_in_minutes": 4})
    p.add("azurerm_nat_gateway_public_ip_association", "spoke", {"nat_gateway_id": None, "public_ip_address_id": None},
          ["nat_gateway_id", "public_ip_address_id"],
          {"nat_gateway_id": ["azurerm_nat_gateway.spoke"], "public_ip_address_id": ["azurerm_public_ip.nat"]})
    p.add("azurerm_subnet_nat_gateway_association", "data", {"subnet_id": None, "nat_gateway_id": None},
          ["subnet_id", "nat_gateway_id"],
          {"subnet_id": ["azurerm_subnet.snet_data"], "nat_gateway_id": ["azurerm_nat_gateway.spoke"]})
    # PaaS in the spoke.
    p.add("azurerm_key_vault", "spoke", {"name": "kv-spoke", "resource_group_name": "rg-spoke", **rg,
                                         "sku_name": "standard", "tenant_id": "72f988bf-0000-4000-8000-000000000001",
                                         "public_network_access_enabled": True,
                                         "network_acls": [{"default_action": "Deny", "bypass": "AzureServices",
                                                           "ip_rules": ["203.0.113.0/24"],
                                                           "virtual_network_subnet_ids": []}]})
    p.add("azurerm_mssql_server", "spoke", {"name": "sql-spoke", "resource_group_name": "rg-spoke", **rg,
                                            "version": "12.0", "minimum_tls_version": "1.2",
                                            "azuread_administrator": [{"login_username": "sql-admins",
                                                                       "object_id": "3364d56d-6bd8-4a7d-b933-47873c41ca78",
                                                                       "azuread_authentication_only": True}]})
    p.add("azurerm_mssql_firewall_rule", "azure_services",
          {"name": "AllowAllWindowsAzureIps", "server_id": None, "start_ip_address": "0.0.0.0",
           "end_ip_address": "0.0.0.0"}, ["server_id"], {"server_id": ["azurerm_mssql_server.spoke"]})
    p.add("azurerm_linux_web_app", "spoke", {"name": "app-spoke", "resource_group_name": "rg-spoke", **rg,
                                             "service_plan_id": "/subscriptions/%s/resourceGroups/rg-spoke/providers/"
                                                                "Microsoft.Web/serverFarms/asp-spoke" % SUB,
                                             "site_config": [{"minimum_tls_version": "1.2", "ip_restriction": [],
                                                              "ip_restriction_default_action": "Allow"}]})
    p.add("azurerm_kubernetes_cluster", "spoke", {"name": "aks-spoke", "resource_group_name": "rg-spoke", **rg,
                                                  "dns_prefix": "aks-spoke", "private_cluster_enabled": False,
                                                  "api_server_access_profile": [{"authorized_ip_ranges": ["198.51.100.0/24"]}],
                                                  "network_profile": [{"network_plugin": "azure", "network_policy": "calico"}],
                                                  "local_account_disabled": True})
    # Data and messaging services: Cosmos DB with the 3.x comma-separated filter holding the
    # Azure-datacenters entry, a registry with its admin user, an Event Hubs namespace whose
    # network_rulesets block is ARM's networkRuleSets/default child, a PostgreSQL flexible server in a
    # delegated subnet with a parameter resource, a public MySQL flexible server with a firewall rule.
    p.add("azurerm_cosmosdb_account", "spoke", {"name": "cosmos-spoke", "resource_group_name": "rg-spoke", **rg,
                                                "offer_type": "Standard", "public_network_access_enabled": True,
                                                "ip_range_filter": "203.0.113.0/24,0.0.0.0",
                                                "is_virtual_network_filter_enabled": False,
                                                "local_authentication_disabled": True})
    p.add("azurerm_container_registry", "spoke", {"name": "acrspoke", "resource_group_name": "rg-spoke", **rg,
                                                  "sku": "Premium", "admin_enabled": True,
                                                  "public_network_access_enabled": True,
                                                  "network_rule_set": [{"default_action": "Deny",
                                                                        "ip_rule": [{"action": "Allow",
                                                                                     "ip_range": "203.0.113.0/24"}]}]})
    p.add("azurerm_eventhub_namespace", "spoke", {"name": "evh-spoke", "resource_group_name": "rg-spoke", **rg,
                                                  "sku": "Standard", "minimum_tls_version": "1.2",
                                                  "local_authentication_enabled": False,
                                                  "public_network_access_enabled": True,
                                                  "network_rulesets": [{"default_action": "Deny",
                                                                        "public_network_access_enabled": True,
                                                                        "trusted_service_access_enabled": False,
                                                                        "ip_rule": [{"ip_mask": "203.0.113.0/24",
                                                                                     "action": "Allow"}],
                                                                        "virtual_network_rule": []}]})
    p.add("azurerm_postgresql_flexible_server", "spoke",
          {"name": "pg-spoke", "resource_group_name": "rg-spoke", **rg, "version": "16",
           "sku_name": "GP_Standard_D2ds_v5", "delegated_subnet_id": None, "public_network_access_enabled": False,
           "authentication": [{"password_auth_enabled": False, "active_directory_auth_enabled": True}]},
          ["delegated_subnet_id"], {"delegated_subnet_id": ["azurerm_subnet.snet_data"]})
    p.add("azurerm_postgresql_flexible_server_configuration", "tls",
          {"name": "require_secure_transport", "server_id": None, "value": "off"},
          ["server_id"], {"server_id": ["azurerm_postgresql_flexible_server.spoke"]})
    p.add("azurerm_mysql_flexible_server", "spoke",
          {"name": "mysql-spoke", "resource_group_name": "rg-spoke", **rg, "version": "8.0.21",
           "sku_name": "GP_Standard_D2ds_v4", "public_network_access": "Enabled"})
    p.add("azurerm_mysql_flexible_server_firewall_rule", "everyone",
          {"name": "everyone", "server_id": None, "start_ip_address": "0.0.0.0",
           "end_ip_address": "255.255.255.255"}, ["server_id"], {"server_id": ["azurerm_mysql_flexible_server.spoke"]})
    # A Front Door WAF policy that only logs, with the classic rule set.
    p.add("azurerm_cdn_frontdoor_firewall_policy", "edge",
          {"name": "wafpedge", "resource_group_name": "rg-hub", "sku_name": "Standard_AzureFrontDoor",
           "mode": "Detection", "enabled": True,
           "managed_rule": [{"type": "DefaultRuleSet", "version": "1.0", "action": "Block"}]})
    p.add("azurerm_redis_cache", "hub", {"name": "redis-hub", "resource_group_name": "rg-hub", **rg,
                                              "sku_name": "Standard"})
    write(p, os.path.join(HERE, "hub-spoke", "plan.json"))


def opens_rdp():
    """A plan that changes one NSG of a deployed VM: the rule it adds opens 3389 to the Internet."""
    p = Plan()
    rg = {"location": "westeurope"}
    base = f"/subscriptions/{SUB}/resourceGroups/rg-app/providers/Microsoft.Network"
    ids = {
        "azurerm_resource_group.app": f"/subscriptions/{SUB}/resourceGroups/rg-app",
        "azurerm_virtual_network.app": f"{base}/virtualNetworks/vnet-app",
        "azurerm_subnet.app": f"{base}/virtualNetworks/vnet-app/subnets/snet-app",
        "azurerm_network_security_group.app": f"{base}/networkSecurityGroups/nsg-app",
        "azurerm_subnet_network_security_group_association.app": f"{base}/virtualNetworks/vnet-app/subnets/snet-app",
        "azurerm_public_ip.vm": f"{base}/publicIPAddresses/pip-vm",
        "azurerm_network_interface.vm": f"{base}/networkInterfaces/nic-vm",
        "azurerm_windows_virtual_machine.vm":
            f"/subscriptions/{SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app",
    }
    p.add("azurerm_resource_group", "app", {"name": "rg-app", **rg})
    p.add("azurerm_virtual_network", "app", {"name": "vnet-app", "resource_group_name": "rg-app", **rg,
                                             "address_space": ["10.2.0.0/16"], "dns_servers": []})
    p.add("azurerm_subnet", "app", {"name": "snet-app", "resource_group_name": "rg-app",
                                    "virtual_network_name": "vnet-app", "address_prefixes": ["10.2.1.0/24"],
                                    "service_endpoints": [], "delegation": []})
    https = rule("allow-https", 100, "Inbound", "Allow", "Tcp", "Internet", "443")
    rdp = rule("allow-rdp", 110, "Inbound", "Allow", "Tcp", "Internet", "3389")
    nsg = {"name": "nsg-app", "resource_group_name": "rg-app", **rg, "security_rule": [https, rdp]}
    p.add("azurerm_network_security_group", "app", nsg)
    prior_values["azurerm_network_security_group.app"] = {**nsg, "security_rule": [https]}
    p.add("azurerm_subnet_network_security_group_association", "app",
          {"subnet_id": ids["azurerm_subnet.app"],
           "network_security_group_id": ids["azurerm_network_security_group.app"]})
    p.add("azurerm_public_ip", "vm", {"name": "pip-vm", "resource_group_name": "rg-app", **rg, "sku": "Standard",
                                      "allocation_method": "Static", "ip_version": "IPv4",
                                      "ip_address": "20.50.60.70"})
    p.add("azurerm_network_interface", "vm", {
        "name": "nic-vm", "resource_group_name": "rg-app", **rg,
        "ip_configuration": [{"name": "ipconfig1", "subnet_id": ids["azurerm_subnet.app"],
                              "private_ip_address_allocation": "Static", "private_ip_address": "10.2.1.4",
                              "private_ip_address_version": "IPv4", "primary": True,
                              "public_ip_address_id": ids["azurerm_public_ip.vm"]}]})
    p.add("azurerm_windows_virtual_machine", "vm", {
        "name": "vm-app", "resource_group_name": "rg-app", **rg, "size": "Standard_D2s_v5",
        "network_interface_ids": [ids["azurerm_network_interface.vm"]], "secure_boot_enabled": True,
        "vtpm_enabled": True, "encryption_at_host_enabled": True})
    write(p, os.path.join(HERE, "opens-rdp", "plan.json"), prior=ids)


def virtual_wan():
    """A secured Virtual WAN hub created with two spokes: routing intent for private and Internet
    traffic through the hub's firewall, the CRM spoke's connection without the default route, a
    custom route table with a route added by its own resource, and a VPN gateway in the hub."""
    p = Plan()
    rg = {"location": "westeurope"}
    p.add("azurerm_resource_group", "hub", {"name": "rg-vwan-hub", **rg})
    p.add("azurerm_virtual_wan", "corp", {"name": "vwan-corp", "resource_group_name": "rg-vwan-hub", **rg,
                                          "type": "Standard", "allow_branch_to_branch_traffic": True})
    p.add("azurerm_virtual_hub", "weu", {"name": "vhub-weu", "resource_group_name": "rg-vwan-hub", **rg,
                                         "address_prefix": "10.80.0.0/23", "sku": "Standard", "route": [],
                                         "virtual_wan_id": None},
          ["virtual_wan_id", "default_route_table_id"], {"virtual_wan_id": ["azurerm_virtual_wan.corp"]})
    p.add("azurerm_firewall_policy", "hub", {"name": "afwp-vhub", "resource_group_name": "rg-vwan-hub", **rg,
                                             "sku": "Premium", "threat_intelligence_mode": "Deny"})
    p.add("azurerm_firewall", "hub", {"name": "afw-vhub", "resource_group_name": "rg-vwan-hub", **rg,
                                      "sku_name": "AZFW_Hub", "sku_tier": "Premium", "ip_configuration": [],
                                      "firewall_policy_id": None,
                                      "virtual_hub": [{"virtual_hub_id": None, "public_ip_count": 1}]},
          ["firewall_policy_id", "virtual_hub.0.virtual_hub_id", "virtual_hub.0.private_ip_address"],
          {"firewall_policy_id": ["azurerm_firewall_policy.hub"], "virtual_hub": ["azurerm_virtual_hub.weu"]})
    p.add("azurerm_virtual_hub_routing_intent", "weu",
          {"name": "ri-vhub-weu", "virtual_hub_id": None,
           "routing_policy": [{"name": "PrivateTraffic", "destinations": ["PrivateTraffic"], "next_hop": None},
                              {"name": "InternetTraffic", "destinations": ["Internet"], "next_hop": None}]},
          ["virtual_hub_id", "routing_policy.0.next_hop", "routing_policy.1.next_hop"],
          {"virtual_hub_id": ["azurerm_virtual_hub.weu"], "routing_policy": ["azurerm_firewall.hub"]})
    p.add("azurerm_virtual_hub_route_table", "isolated",
          {"name": "rt-isolated", "virtual_hub_id": None, "labels": ["isolated"], "route": []},
          ["virtual_hub_id"], {"virtual_hub_id": ["azurerm_virtual_hub.weu"]})
    p.add("azurerm_virtual_hub_route_table_route", "to_firewall",
          {"name": "to-firewall", "route_table_id": None, "destinations_type": "CIDR",
           "destinations": ["10.0.0.0/8"], "next_hop_type": "ResourceId", "next_hop": None},
          ["route_table_id", "next_hop"], {"route_table_id": ["azurerm_virtual_hub_route_table.isolated"],
                                           "next_hop": ["azurerm_firewall.hub"]})
    p.add("azurerm_vpn_gateway", "weu", {"name": "vpngw-vhub-weu", "resource_group_name": "rg-vwan-hub", **rg,
                                         "virtual_hub_id": None, "scale_unit": 1},
          ["virtual_hub_id"], {"virtual_hub_id": ["azurerm_virtual_hub.weu"]})
    for key, prefix in [("pay", "10.81.0.0/16"), ("crm", "10.82.0.0/16")]:
        p.add("azurerm_virtual_network", key, {"name": f"vnet-{key}", "resource_group_name": "rg-vwan-hub", **rg,
                                               "address_space": [prefix], "dns_servers": []})
        p.add("azurerm_subnet", key, {"name": f"snet-{key}", "resource_group_name": "rg-vwan-hub",
                                      "virtual_network_name": f"vnet-{key}",
                                      "address_prefixes": [prefix.replace("0.0/16", "1.0/24")],
                                      "service_endpoints": [], "delegation": []})
    # pay: routing left to Azure (azurerm computes the block); crm: the default route table both ways,
    # named through the hub's default_route_table_id, and no default route.
    p.add("azurerm_virtual_hub_connection", "pay",
          {"name": "conn-pay", "virtual_hub_id": None, "remote_virtual_network_id": None,
           "internet_security_enabled": True},
          ["virtual_hub_id", "remote_virtual_network_id", "routing"],
          {"virtual_hub_id": ["azurerm_virtual_hub.weu"], "remote_virtual_network_id": ["azurerm_virtual_network.pay"]})
    p.add("azurerm_virtual_hub_connection", "crm",
          {"name": "conn-crm", "virtual_hub_id": None, "remote_virtual_network_id": None,
           "internet_security_enabled": False,
           "routing": [{"associated_route_table_id": None,
                        "propagated_route_table": [{"labels": ["default"], "route_table_ids": None}]}]},
          ["virtual_hub_id", "remote_virtual_network_id", "routing.0.associated_route_table_id",
           "routing.0.propagated_route_table.0.route_table_ids"],
          {"virtual_hub_id": ["azurerm_virtual_hub.weu"], "remote_virtual_network_id": ["azurerm_virtual_network.crm"],
           "routing": ["azurerm_virtual_hub.weu"]})
    # lab: associated with the custom table, whose route (added by its own resource) ztnet does not
    # follow for a connection associated with it.
    p.add("azurerm_virtual_network", "lab", {"name": "vnet-lab", "resource_group_name": "rg-vwan-hub", **rg,
                                             "address_space": ["10.83.0.0/16"], "dns_servers": []})
    p.add("azurerm_virtual_hub_connection", "lab",
          {"name": "conn-lab", "virtual_hub_id": None, "remote_virtual_network_id": None,
           "internet_security_enabled": True,
           "routing": [{"associated_route_table_id": None,
                        "propagated_route_table": [{"labels": ["isolated"], "route_table_ids": None}]}]},
          ["virtual_hub_id", "remote_virtual_network_id", "routing.0.associated_route_table_id",
           "routing.0.propagated_route_table.0.route_table_ids"],
          {"virtual_hub_id": ["azurerm_virtual_hub.weu"], "remote_virtual_network_id": ["azurerm_virtual_network.lab"],
           "routing": ["azurerm_virtual_hub_route_table.isolated"]})
    # The hub's VPN gateway's site connection: one IKEv1 link. An ExpressRoute Direct port with
    # MACsec on link1 only.
    p.add("azurerm_vpn_site", "hq", {"name": "site-hq", "resource_group_name": "rg-vwan-hub", **rg,
                                     "virtual_wan_id": None, "address_cidrs": ["10.10.0.0/16"]},
          ["virtual_wan_id"], {"virtual_wan_id": ["azurerm_virtual_wan.corp"]})
    p.add("azurerm_vpn_gateway_connection", "hq",
          {"name": "conn-hq", "vpn_gateway_id": None, "remote_vpn_site_id": None, "internet_security_enabled": False,
           "vpn_link": [{"name": "link-a", "vpn_site_link_id": None, "protocol": "IKEv1", "ipsec_policy": []}]},
          ["vpn_gateway_id", "remote_vpn_site_id", "vpn_link.0.vpn_site_link_id"],
          {"vpn_gateway_id": ["azurerm_vpn_gateway.weu"], "remote_vpn_site_id": ["azurerm_vpn_site.hq"]})
    kv = "https://kv-er.vault.azure.net/secrets/"
    p.add("azurerm_express_route_port", "ams",
          {"name": "erport-ams", "resource_group_name": "rg-vwan-hub", **rg, "peering_location": "Equinix-Amsterdam-AM5",
           "bandwidth_in_gbps": 10, "encapsulation": "QinQ",
           "link1": [{"macsec_cipher": "GcmAes256", "macsec_ckn_keyvault_secret_id": kv + "ckn",
                      "macsec_cak_keyvault_secret_id": kv + "cak"}],
           "link2": [{"macsec_cipher": "GcmAes256"}]})
    # An Azure Virtual Desktop host pool and its session host, registered by the DSC extension.
    p.add("azurerm_virtual_desktop_host_pool", "avd",
          {"name": "hp-avd", "resource_group_name": "rg-vwan-hub", **rg, "type": "Pooled",
           "load_balancer_type": "BreadthFirst", "public_network_access": "Enabled"})
    p.add("azurerm_subnet", "avd", {"name": "snet-avd", "resource_group_name": "rg-vwan-hub",
                                    "virtual_network_name": "vnet-pay", "address_prefixes": ["10.81.2.0/24"],
                                    "service_endpoints": [], "delegation": []})
    p.add("azurerm_network_interface", "avd",
          {"name": "nic-avd-1", "resource_group_name": "rg-vwan-hub", **rg,
           "ip_configuration": [{"name": "ipconfig1", "subnet_id": None, "private_ip_address_allocation": "Static",
                                 "private_ip_address": "10.81.2.4", "private_ip_address_version": "IPv4",
                                 "primary": True}]},
          ["ip_configuration.0.subnet_id"], {"ip_configuration": ["azurerm_subnet.avd"]})
    p.add("azurerm_windows_virtual_machine", "avd",
          {"name": "vm-avd-1", "resource_group_name": "rg-vwan-hub", **rg, "size": "Standard_D4s_v5",
           "network_interface_ids": None, "secure_boot_enabled": True, "vtpm_enabled": True,
           "encryption_at_host_enabled": True},
          ["network_interface_ids"], {"network_interface_ids": ["azurerm_network_interface.avd"]})
    p.add("azurerm_virtual_machine_extension", "avd_dsc",
          {"name": "Microsoft.PowerShell.DSC", "virtual_machine_id": None, "publisher": "Microsoft.Powershell",
           "type": "DSC", "type_handler_version": "2.73",
           "settings": json.dumps({"modulesUrl": "https://example.invalid/Configuration.zip",
                                   "configurationFunction": "Configuration.ps1\\AddSessionHost",
                                   "properties": {"hostPoolName": "hp-avd"}})},
          ["virtual_machine_id"], {"virtual_machine_id": ["azurerm_windows_virtual_machine.avd"]})
    write(p, os.path.join(HERE, "virtual-wan", "plan.json"))


if __name__ == "__main__":
    hub_spoke()
    opens_rdp()
    virtual_wan()
    sys.exit(0)
