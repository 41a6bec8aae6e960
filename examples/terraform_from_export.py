#!/usr/bin/env python3
"""Write the Terraform version of a bundled example from its Azure export.

    python3 examples/terraform_from_export.py EXAMPLE_DIR [--check]

Reads EXAMPLE_DIR/export/resources.json (the `az resource list` / Resource Graph shape) and
writes EXAMPLE_DIR/terraform/*.tf (azurerm 4.x configuration that would deploy the same estate)
and EXAMPLE_DIR/terraform/plan.json: what `terraform show -json` prints for the plan of that
configuration on an empty state (format_version 1.2), so every resource is a create, values
that exist only after apply are unknown (`after_unknown`) and attributes that name other
resources carry `references` in `configuration`.

Terraform is not packaged in Debian, so the plan is written here, to the documented JSON
format, instead of by `terraform plan -out plan.tfplan && terraform show -json plan.tfplan`.
examples/README.md ("Terraform") says what it imitates and what it was checked against.

--check regenerates everything in memory and exits 1 if the committed files differ.
Standard library only; the output is byte-stable.
"""

import argparse
import json
import os
import re
import sys

TERRAFORM_VERSION = "1.12.1"
PROVIDER_VERSION = "4.31.0"
PROVIDER = "registry.terraform.io/hashicorp/azurerm"
# When the plan was made: fixed, so that the file is byte-stable. Before 30 June 2025, the day
# Azure stopped creating NSG flow logs (legacy-spoke still has one).
TIMESTAMP = "2025-06-02T09:00:00Z"


# --------------------------------------------------------------------------------------------
# Values known only after apply, references, blocks.

class Unknown:
    """A value known only after apply. kind: "prim", "list" or "map" (what it will be)."""

    def __init__(self, kind="prim"):
        self.kind = kind

    def __repr__(self):
        return "Unknown(%s)" % self.kind


UNK = Unknown("prim")
UNK_LIST = Unknown("list")
UNK_MAP = Unknown("map")


class Ref:
    """`TYPE.NAME.attr` in the configuration."""

    def __init__(self, res, attr):
        self.res = res
        self.attr = attr

    def hcl(self):
        return "%s.%s" % (self.res.address, self.attr)


class SetOf:
    """A set-typed attribute: written in the given order, planned in Terraform's (sorted) order."""

    def __init__(self, items):
        self.items = list(items)


class Block:
    """One nested block: configured attributes in order, and what the provider plans for the
    attributes left unset (defaults, "" and [] of the legacy SDK, or Unknown)."""

    def __init__(self, config, planned=None):
        self.config = list(config)
        self.planned = dict(planned or {})


class Blocks:
    def __init__(self, blocks):
        self.blocks = list(blocks)


class Res:
    def __init__(self, rtype, name, schema_version=0):
        self.type = rtype
        self.name = name
        self.schema_version = schema_version
        self.config = []     # [(attribute, config value)]
        self.planned = {}    # attributes not configured: provider defaults, computed, null
        self.sensitive = {}  # the schema's sensitive attributes: {attr: True or {nested: True}}
        self.file = None
        self._values = None

    @property
    def address(self):
        return "%s.%s" % (self.type, self.name)

    def set(self, attr, value):
        self.config.append((attr, value))
        return self

    def plan(self, **values):
        self.planned.update(values)
        return self


def is_unknown(v):
    return isinstance(v, Unknown)


# --------------------------------------------------------------------------------------------
# Planned values.

def plan_value(v):
    if isinstance(v, Ref):
        return v.res.values().get(v.attr, UNK)
    if isinstance(v, SetOf):
        items = [plan_value(x) for x in v.items]
        if any(is_unknown(x) for x in items):
            return UNK_LIST  # the legacy SDK plans a collection with an unknown element as unknown
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))
    if isinstance(v, list):
        items = [plan_value(x) for x in v]
        if any(is_unknown(x) for x in items):
            return UNK_LIST
        return items
    if isinstance(v, Blocks):
        out = []
        for b in v.blocks:
            d = {}
            for k, x in b.config:
                d[k] = plan_value(x)
            for k, x in b.planned.items():
                d.setdefault(k, x)
            out.append(d)
        return out
    if isinstance(v, dict):
        return {k: plan_value(x) for k, x in v.items()}
    return v


def _values(self):
    if self._values is None:
        d = {}
        for k, v in self.config:
            d[k] = plan_value(v)
        for k, v in self.planned.items():
            d.setdefault(k, v)
        for k in self.sensitive:
            d.setdefault(k, None)
        self._values = d
    return self._values


Res.values = _values


def omit_unknowns(v):
    """`after` and planned `values`: unknown attributes left out, unknown elements null."""
    if isinstance(v, dict):
        return {k: omit_unknowns(x) for k, x in v.items() if not is_unknown(x)}
    if isinstance(v, list):
        return [None if is_unknown(x) else omit_unknowns(x) for x in v]
    return v


def unknown_as_bool(v):
    """`after_unknown`: true where unknown, known leaves omitted, collections kept."""
    if is_unknown(v):
        return True
    if v is None:
        return False
    if isinstance(v, list):
        return [unknown_as_bool(x) for x in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            b = unknown_as_bool(x)
            if b is not False:
                out[k] = b
        return out
    return False


def sensitive_as_bool(v, mark=None):
    """`sensitive_values` / `after_sensitive`: true where the schema says sensitive."""
    if mark is True:
        return True
    if is_unknown(v):
        return {"list": [], "map": {}}.get(v.kind, False)
    if v is None:
        return False
    if isinstance(v, list):
        return [sensitive_as_bool(x, mark) for x in v]
    if isinstance(v, dict):
        out = {}
        mark = mark or {}
        for k, x in v.items():
            b = sensitive_as_bool(x, mark.get(k))
            if b is not False:
                out[k] = b
        return out
    return False


# --------------------------------------------------------------------------------------------
# Configuration expressions.

def references(v):
    out = []
    if isinstance(v, Ref):
        out += [v.hcl(), v.res.address]
    elif isinstance(v, (list, SetOf)):
        for x in (v.items if isinstance(v, SetOf) else v):
            out += references(x)
    elif isinstance(v, dict):
        for x in v.values():
            out += references(x)
    return out


def constant(v):
    if isinstance(v, SetOf):
        return [constant(x) for x in v.items]
    if isinstance(v, list):
        return [constant(x) for x in v]
    if isinstance(v, dict):
        return {k: constant(x) for k, x in v.items()}
    return v


def expression(v):
    if isinstance(v, Blocks):
        return [{k: expression(x) for k, x in b.config} for b in v.blocks]
    refs = references(v)
    if refs:
        return {"references": refs}
    return {"constant_value": constant(v)}


def all_refs(v, out):
    if isinstance(v, Ref):
        out.add((v.res.address, v.attr))
    elif isinstance(v, Blocks):
        for b in v.blocks:
            for _, x in b.config:
                all_refs(x, out)
    elif isinstance(v, (list, SetOf)):
        for x in (v.items if isinstance(v, SetOf) else v):
            all_refs(x, out)
    elif isinstance(v, dict):
        for x in v.values():
            all_refs(x, out)


# --------------------------------------------------------------------------------------------
# HCL.

def hcl_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v)


def hcl_inline(v):
    if isinstance(v, Ref):
        return v.hcl()
    if isinstance(v, SetOf):
        v = v.items
    if isinstance(v, list):
        return "[" + ", ".join(hcl_inline(x) for x in v) + "]"
    return hcl_scalar(v)


def hcl_body(items, indent):
    """Lines of a body: attributes (aligned like `terraform fmt`) then nested blocks."""
    pad = "  " * indent
    lines = []
    run = []

    def flush():
        if run:
            width = max(len(k) for k, _ in run)
            for k, text in run:
                lines.append("%s%s = %s" % (pad, k.ljust(width), text))
            run.clear()

    attrs = [(k, v) for k, v in items if not isinstance(v, Blocks)]
    blocks = [(k, v) for k, v in items if isinstance(v, Blocks)]
    for k, v in attrs:
        if isinstance(v, dict):
            flush()
            lines.append("%s%s = {" % (pad, k))
            inner = [(ik if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", ik) else json.dumps(ik), hcl_inline(iv))
                     for ik, iv in v.items()]
            width = max(len(ik) for ik, _ in inner) if inner else 0
            for ik, text in inner:
                lines.append("%s  %s = %s" % (pad, ik.ljust(width), text))
            lines.append("%s}" % pad)
            continue
        text = hcl_inline(v)
        if len(pad) + len(k) + 3 + len(text) > 110 and isinstance(v, (list, SetOf)):
            flush()
            elems = v.items if isinstance(v, SetOf) else v
            lines.append("%s%s = [" % (pad, k))
            for e in elems:
                lines.append("%s  %s," % (pad, hcl_inline(e)))
            lines.append("%s]" % pad)
            continue
        run.append((k, text))
    flush()
    for k, v in blocks:
        for b in v.blocks:
            if lines:
                lines.append("")
            body = hcl_body(b.config, indent + 1)
            if body:
                lines.append("%s%s {" % (pad, k))
                lines += body
                lines.append("%s}" % pad)
            else:
                lines.append("%s%s {}" % (pad, k))
    return lines


def hcl_resource(res):
    lines = ['resource "%s" "%s" {' % (res.type, res.name)]
    lines += hcl_body(res.config, 1)
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The export.

def lower(s):
    return s.lower() if isinstance(s, str) else s


def snake(name):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").lower()


def short(name, prefixes=(), suffixes=()):
    for p in prefixes:
        if name.lower().startswith(p):
            name = name[len(p):]
            break
    for s in suffixes:
        if name.lower().endswith(s):
            name = name[: -len(s)]
            break
    return snake(name)


def rg_of(rid):
    m = re.match(r"(?i)/subscriptions/[^/]+/resourceGroups/([^/]+)", rid)
    return m.group(1) if m else None


def sub_of(rid):
    m = re.match(r"(?i)/subscriptions/([^/]+)", rid)
    return m.group(1)


def parent_id(rid, marker):
    """The id before `/MARKER/` (case-insensitive)."""
    i = rid.lower().find("/" + marker.lower() + "/")
    return rid[:i] if i >= 0 else None


class Converter:
    def __init__(self, export):
        self.export = export
        self.res = []             # in creation order of this script
        self.by_id = {}           # lower(azure id) -> Res
        self.names = set()
        self.rgs = {}             # lower(rg name) -> Res
        self.subscription = sub_of(export[0]["id"])
        self.notes = []           # export values azurerm cannot express
        self.peering_items = []   # (vnet, resource group, peering), written once every VNet exists

    # -- bookkeeping

    def add(self, rtype, name, azure_id=None, schema_version=0, file="network.tf"):
        base = name
        n = 2
        while (rtype, name) in self.names:
            name = "%s_%d" % (base, n)
            n += 1
        self.names.add((rtype, name))
        r = Res(rtype, name, schema_version)
        r.file = file
        self.res.append(r)
        if azure_id:
            self.by_id[lower(azure_id)] = r
        return r

    def ref(self, azure_id, attr="id"):
        r = self.by_id.get(lower(azure_id))
        if r is None:
            raise SystemExit("export refers to %s, which it does not hold" % azure_id)
        return Ref(r, attr)

    def note(self, text):
        if text not in self.notes:
            self.notes.append(text)

    def placed(self, r, item):
        """name, location and resource group of a resource in a resource group."""
        rg = self.rgs[lower(rg_of(item["id"]))]
        r.set("name", item["name"])
        if "location" in item:
            if lower(item["location"]) == lower(rg.values()["location"]):
                r.set("location", Ref(rg, "location"))
            else:
                r.set("location", item["location"])
        r.set("resource_group_name", Ref(rg, "name"))
        return rg

    def common(self, r, item):
        if item.get("tags"):
            r.set("tags", dict(sorted(item["tags"].items())))
        else:
            r.plan(tags=None)
        r.plan(id=UNK, timeouts=None)

    # -- the conversion

    def run(self):
        order = [
            "Microsoft.Resources/resourceGroups",
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            "Microsoft.OperationalInsights/workspaces",
            "Microsoft.Network/ddosProtectionPlans",
            "Microsoft.Network/applicationSecurityGroups",
            "Microsoft.Network/networkSecurityGroups",
            "Microsoft.Network/routeTables",
            "Microsoft.Network/virtualNetworks",
            "Microsoft.Network/publicIPAddresses",
            "Microsoft.Storage/storageAccounts",
            "Microsoft.Network/privateEndpoints",
            "Microsoft.Network/loadBalancers",
            "Microsoft.Network/networkInterfaces",
            "Microsoft.Compute/virtualMachines",
            "Microsoft.Network/firewallPolicies",
            "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
            "Microsoft.Network/azureFirewalls",
            "Microsoft.Network/bastionHosts",
            "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
            "Microsoft.Network/applicationGateways",
            "Microsoft.Network/networkWatchers",
            "Microsoft.Network/networkWatchers/flowLogs",
            "Microsoft.Insights/diagnosticSettings",
            "Microsoft.Authorization/roleDefinitions",
            "Microsoft.Authorization/roleAssignments",
            "Microsoft.Security/pricings",
        ]
        known = {t.lower() for t in order}
        others = sorted({i["type"] for i in self.export if i["type"].lower() not in known})
        if others:
            raise SystemExit("the export holds types this script does not translate: " + ", ".join(others))
        for t in order:
            for item in self.export:
                if item["type"].lower() == t.lower():
                    getattr(self, "do_" + snake(t.split("/")[-1]))(item)
        return self.res

    # Resource groups, identities, workspace, Defender.

    def do_resource_groups(self, item):
        r = self.add("azurerm_resource_group", short(item["name"], ["rg-"]), item["id"], file="main.tf")
        r.set("name", item["name"]).set("location", item["location"])
        self.common(r, item)
        r.plan(managed_by=item.get("managedBy"))
        self.rgs[lower(item["name"])] = r

    def do_user_assigned_identities(self, item):
        r = self.add("azurerm_user_assigned_identity", short(item["name"], ["id-"]), item["id"], 1,
                     file="security.tf")
        self.placed(r, item)
        self.common(r, item)
        r.plan(client_id=UNK, principal_id=UNK, tenant_id=UNK)

    def do_workspaces(self, item):
        p = item["properties"]
        r = self.add("azurerm_log_analytics_workspace", short(item["name"], ["log-"]), item["id"], 3,
                     file="monitoring.tf")
        self.placed(r, item)
        r.set("sku", p["sku"]["name"])
        r.set("retention_in_days", p["retentionInDays"])
        quota = p.get("workspaceCapping", {}).get("dailyQuotaGb")
        if quota is not None:
            r.set("daily_quota_gb", int(quota) if float(quota).is_integer() else quota)
        features = p.get("features", {})
        if "enableLogAccessUsingOnlyResourcePermissions" in features:
            r.set("allow_resource_only_permissions", features["enableLogAccessUsingOnlyResourcePermissions"])
        if "publicNetworkAccessForIngestion" in p:
            r.set("internet_ingestion_enabled", p["publicNetworkAccessForIngestion"] == "Enabled")
        if "publicNetworkAccessForQuery" in p:
            r.set("internet_query_enabled", p["publicNetworkAccessForQuery"] == "Enabled")
        self.common(r, item)
        r.plan(workspace_id=UNK, primary_shared_key=UNK, secondary_shared_key=UNK)
        r.sensitive = {"primary_shared_key": True, "secondary_shared_key": True}
        self.note("workspace %s: customerId is the computed workspace_id (unknown before apply); "
                  "features.legacy and searchVersion have no azurerm argument" % item["name"])

    def do_pricings(self, item):
        p = item["properties"]
        r = self.add("azurerm_security_center_subscription_pricing", snake(item["name"]), item["id"], 1,
                     file="security.tf")
        r.set("tier", p["pricingTier"]).set("resource_type", item["name"])
        if p.get("subPlan"):
            r.set("subplan", p["subPlan"])
        r.plan(id=UNK, timeouts=None, extension=[])

    # Network.

    def do_ddos_protection_plans(self, item):
        r = self.add("azurerm_network_ddos_protection_plan", short(item["name"], ["ddos-"]), item["id"])
        self.placed(r, item)
        self.common(r, item)
        r.plan(virtual_network_ids=UNK_LIST)

    def do_application_security_groups(self, item):
        r = self.add("azurerm_application_security_group", short(item["name"], ["asg-"]), item["id"],
                     file="security.tf")
        self.placed(r, item)
        self.common(r, item)

    def do_network_security_groups(self, item):
        r = self.add("azurerm_network_security_group", short(item["name"], ["nsg-"]), item["id"],
                     file="security.tf")
        self.placed(r, item)
        rules = []
        for rule in item["properties"].get("securityRules", []):
            rp = rule["properties"]
            cfg = [("name", rule["name"])]
            if rp.get("description"):
                cfg.append(("description", rp["description"]))
            cfg += [("priority", rp["priority"]), ("direction", rp["direction"]),
                    ("access", rp["access"]), ("protocol", rp["protocol"])]
            planned = {"description": ""}
            for single, plural in (("sourcePortRange", "sourcePortRanges"),
                                   ("destinationPortRange", "destinationPortRanges"),
                                   ("sourceAddressPrefix", "sourceAddressPrefixes"),
                                   ("destinationAddressPrefix", "destinationAddressPrefixes")):
                s_attr, p_attr = snake(single), snake(plural)
                if rp.get(single):
                    cfg.append((s_attr, rp[single]))
                if rp.get(plural):
                    cfg.append((p_attr, SetOf(rp[plural])))
                planned[s_attr] = ""
                planned[p_attr] = []
            for side in ("source", "destination"):
                groups = rp.get(side + "ApplicationSecurityGroups") or []
                attr = side + "_application_security_group_ids"
                if groups:
                    cfg.append((attr, SetOf([self.ref(g["id"]) for g in groups])))
                planned[attr] = []
            rules.append(Block(cfg, planned))
        r.set("security_rule", Blocks(rules))
        self.common(r, item)

    def do_route_tables(self, item):
        p = item["properties"]
        r = self.add("azurerm_route_table", short(item["name"], ["rt-"]), item["id"])
        self.placed(r, item)
        r.set("bgp_route_propagation_enabled", not p.get("disableBgpRoutePropagation", False))
        routes = []
        for route in p.get("routes", []):
            rp = route["properties"]
            cfg = [("name", route["name"]), ("address_prefix", rp["addressPrefix"]),
                   ("next_hop_type", rp["nextHopType"])]
            if rp.get("nextHopIpAddress"):
                cfg.append(("next_hop_in_ip_address", rp["nextHopIpAddress"]))
            routes.append(Block(cfg, {"next_hop_in_ip_address": ""}))
        r.set("route", Blocks(routes))
        self.common(r, item)
        r.plan(subnets=UNK_LIST)

    def do_virtual_networks(self, item):
        p = item["properties"]
        vnet = self.add("azurerm_virtual_network", short(item["name"], ["vnet-"]), item["id"])
        rg = self.placed(vnet, item)
        vnet.set("address_space", p["addressSpace"]["addressPrefixes"])
        dns = (p.get("dhcpOptions") or {}).get("dnsServers")
        if dns:
            vnet.set("dns_servers", dns)
        else:
            vnet.plan(dns_servers=UNK_LIST)
        if p.get("ddosProtectionPlan"):
            vnet.set("ddos_protection_plan", Blocks([Block([
                ("id", self.ref(p["ddosProtectionPlan"]["id"])),
                ("enable", bool(p.get("enableDdosProtection"))),
            ])]))
        else:
            vnet.plan(ddos_protection_plan=[])
        if p.get("privateEndpointVNetPolicies"):
            vnet.set("private_endpoint_vnet_policies", p["privateEndpointVNetPolicies"])
        if (p.get("encryption") or {}).get("enabled"):
            vnet.set("encryption", Blocks([Block([("enforcement", p["encryption"].get("enforcement",
                                                                                       "AllowUnencrypted"))])]))
        else:
            vnet.plan(encryption=[])
        self.common(vnet, item)
        vnet.plan(bgp_community=None, edge_zone=None, flow_timeout_in_minutes=None,
                  subnet=[], guid=UNK)
        prefix = vnet.name
        for s in p.get("subnets", []):
            sp = s["properties"]
            sub = self.add("azurerm_subnet", "%s_%s" % (prefix, short(s["name"], ["snet-"])), s["id"])
            sub.set("name", s["name"])
            sub.set("resource_group_name", Ref(rg, "name"))
            sub.set("virtual_network_name", Ref(vnet, "name"))
            sub.set("address_prefixes", sp.get("addressPrefixes") or [sp["addressPrefix"]])
            if sp.get("serviceEndpoints"):
                sub.set("service_endpoints", SetOf([e["service"] for e in sp["serviceEndpoints"]]))
            else:
                sub.plan(service_endpoints=None)
            delegations = []
            for d in sp.get("delegations") or []:
                delegations.append(Block([
                    ("name", d["name"]),
                    ("service_delegation", Blocks([Block(
                        [("name", d["properties"]["serviceName"])]
                        + ([("actions", d["properties"]["actions"])] if d["properties"].get("actions") else []),
                    )])),
                ]))
            if delegations:
                sub.set("delegation", Blocks(delegations))
            else:
                sub.plan(delegation=[])
            if "defaultOutboundAccess" in sp:
                sub.set("default_outbound_access_enabled", bool(sp["defaultOutboundAccess"]))
            else:
                sub.plan(default_outbound_access_enabled=True)
            if sp.get("privateEndpointNetworkPolicies"):
                sub.set("private_endpoint_network_policies", sp["privateEndpointNetworkPolicies"])
            if sp.get("privateLinkServiceNetworkPolicies"):
                sub.set("private_link_service_network_policies_enabled",
                        sp["privateLinkServiceNetworkPolicies"] == "Enabled")
            sub.plan(id=UNK, timeouts=None, service_endpoint_policy_ids=None)
            if sp.get("networkSecurityGroup"):
                a = self.add("azurerm_subnet_network_security_group_association", sub.name, file="security.tf")
                a.set("subnet_id", Ref(sub, "id"))
                a.set("network_security_group_id", self.ref(sp["networkSecurityGroup"]["id"]))
                a.plan(id=UNK, timeouts=None)
            if sp.get("routeTable"):
                a = self.add("azurerm_subnet_route_table_association", sub.name)
                a.set("subnet_id", Ref(sub, "id"))
                a.set("route_table_id", self.ref(sp["routeTable"]["id"]))
                a.plan(id=UNK, timeouts=None)
        self.peering_items.extend((vnet, rg, peering) for peering in p.get("virtualNetworkPeerings", []))

    def peerings(self):
        # After every VNet exists: a peering names the VNet at its other end.
        for vnet, rg, peering in self.peering_items:
            pp = peering["properties"]
            r = self.add("azurerm_virtual_network_peering", short(peering["name"], ["peer-"]), peering["id"])
            r.set("name", peering["name"])
            r.set("resource_group_name", Ref(rg, "name"))
            r.set("virtual_network_name", Ref(vnet, "name"))
            r.set("remote_virtual_network_id", self.ref(pp["remoteVirtualNetwork"]["id"]))
            for arm, tf in (("allowVirtualNetworkAccess", "allow_virtual_network_access"),
                            ("allowForwardedTraffic", "allow_forwarded_traffic"),
                            ("allowGatewayTransit", "allow_gateway_transit"),
                            ("useRemoteGateways", "use_remote_gateways")):
                r.set(tf, bool(pp.get(arm, False)))
            r.plan(id=UNK, timeouts=None, triggers=None)
            self.note("peering %s: doNotVerifyRemoteGateways (%s) and peerCompleteVnets (%s) are not "
                      "set (azurerm's defaults); peeringState/peeringSyncLevel/remote address spaces "
                      "are read-only" % (peering["name"], str(pp.get("doNotVerifyRemoteGateways")).lower(),
                                          str(pp.get("peerCompleteVnets")).lower()))

    def do_public_ip_addresses(self, item):
        p = item["properties"]
        r = self.add("azurerm_public_ip", short(item["name"], ["pip-"]), item["id"])
        self.placed(r, item)
        r.set("allocation_method", p["publicIPAllocationMethod"])
        r.set("sku", item["sku"]["name"])
        if item["sku"].get("tier"):
            r.set("sku_tier", item["sku"]["tier"])
        r.set("ip_version", p.get("publicIPAddressVersion", "IPv4"))
        if "idleTimeoutInMinutes" in p:
            r.set("idle_timeout_in_minutes", p["idleTimeoutInMinutes"])
        mode = (p.get("ddosSettings") or {}).get("protectionMode")
        if mode:
            r.set("ddos_protection_mode", mode)
        if item.get("zones"):
            r.set("zones", SetOf(item["zones"]))
        else:
            r.plan(zones=None)
        self.common(r, item)
        r.plan(ip_address=UNK, fqdn=UNK, ddos_protection_plan_id=None, domain_name_label=None,
               edge_zone=None, ip_tags=None, public_ip_prefix_id=None, reverse_fqdn=None)
        if p.get("ipAddress"):
            self.note("public IP %s: ipAddress %s is assigned by Azure (ip_address is unknown before apply)"
                      % (item["name"], p["ipAddress"]))

    def do_storage_accounts(self, item):
        p = item["properties"]
        r = self.add("azurerm_storage_account", snake(item["name"]), item["id"], 4, file="storage.tf")
        self.placed(r, item)
        tier, replication = item["sku"]["name"].split("_", 1)
        r.set("account_kind", item["kind"]).set("account_tier", tier).set("account_replication_type", replication)
        if p.get("accessTier"):
            r.set("access_tier", p["accessTier"])
        r.set("https_traffic_only_enabled", bool(p.get("supportsHttpsTrafficOnly")))
        r.set("min_tls_version", p["minimumTlsVersion"])
        r.set("allow_nested_items_to_be_public", bool(p.get("allowBlobPublicAccess")))
        r.set("shared_access_key_enabled", bool(p.get("allowSharedKeyAccess", True)))
        r.set("public_network_access_enabled", p.get("publicNetworkAccess", "Enabled") == "Enabled")
        if "defaultToOAuthAuthentication" in p:
            r.set("default_to_oauth_authentication", p["defaultToOAuthAuthentication"])
        if "allowCrossTenantReplication" in p:
            r.set("cross_tenant_replication_enabled", p["allowCrossTenantReplication"])
        enc = p.get("encryption") or {}
        if "requireInfrastructureEncryption" in enc:
            r.set("infrastructure_encryption_enabled", enc["requireInfrastructureEncryption"])
        else:
            r.plan(infrastructure_encryption_enabled=False)
        if p.get("dnsEndpointType"):
            r.set("dns_endpoint_type", p["dnsEndpointType"])
        acls = p.get("networkAcls")
        if acls:
            cfg = [("default_action", acls["defaultAction"]),
                   ("bypass", SetOf([b.strip() for b in acls["bypass"].split(",")] if acls.get("bypass") else []))]
            if acls.get("ipRules"):
                cfg.append(("ip_rules", SetOf([x["value"] for x in acls["ipRules"]])))
            if acls.get("virtualNetworkRules"):
                cfg.append(("virtual_network_subnet_ids", SetOf([self.ref(x["id"]) for x in acls["virtualNetworkRules"]])))
            r.set("network_rules", Blocks([Block(cfg, {"ip_rules": [], "virtual_network_subnet_ids": [],
                                                       "private_link_access": []})]))
        self.common(r, item)
        r.plan(customer_managed_key=[], identity=[])
        secret = ["primary_access_key", "secondary_access_key", "primary_connection_string",
                  "secondary_connection_string", "primary_blob_connection_string",
                  "secondary_blob_connection_string"]
        for a in secret:
            r.planned[a] = UNK
        r.sensitive = {a: True for a in secret}
        for a in ("primary_location", "secondary_location", "primary_blob_endpoint", "primary_blob_host",
                  "primary_dfs_endpoint", "primary_file_endpoint", "primary_queue_endpoint",
                  "primary_table_endpoint", "primary_web_endpoint"):
            r.planned[a] = UNK
        if enc:
            self.note("storage %s: encryption keySource %s with account-scoped blob/file keys is the "
                      "default without customer_managed_key; keyCreationTime, primaryEndpoints and "
                      "statusOfPrimary are read-only" % (item["name"], enc.get("keySource")))

    def do_private_endpoints(self, item):
        p = item["properties"]
        r = self.add("azurerm_private_endpoint", short(item["name"], ["pe-"]), item["id"])
        self.placed(r, item)
        r.set("subnet_id", self.ref(p["subnet"]["id"]))
        if p.get("customNetworkInterfaceName"):
            r.set("custom_network_interface_name", p["customNetworkInterfaceName"])
        conns = []
        for c, manual in [(c, False) for c in p.get("privateLinkServiceConnections", [])] + \
                         [(c, True) for c in p.get("manualPrivateLinkServiceConnections", [])]:
            cp = c["properties"]
            conns.append(Block([
                ("name", c["name"]),
                ("is_manual_connection", manual),
                ("private_connection_resource_id", self.ref(cp["privateLinkServiceId"])),
                ("subresource_names", cp.get("groupIds", [])),
            ], {"private_ip_address": UNK, "request_message": None, "private_connection_resource_alias": None}))
        r.set("private_service_connection", Blocks(conns))
        ips = []
        for ipc in p.get("ipConfigurations", []):
            ip = ipc["properties"]
            ips.append(Block([("name", ipc["name"]), ("private_ip_address", ip["privateIPAddress"]),
                              ("subresource_name", ip.get("groupId")), ("member_name", ip.get("memberName"))]))
        if ips:
            r.set("ip_configuration", Blocks(ips))
        else:
            r.plan(ip_configuration=[])
        self.common(r, item)
        r.plan(custom_dns_configs=UNK_LIST, network_interface=UNK_LIST, private_dns_zone_configs=UNK_LIST,
               private_dns_zone_group=[])

    def do_load_balancers(self, item):
        p = item["properties"]
        lb = self.add("azurerm_lb", short(item["name"], ["lbi-", "lbe-", "lb-"]), item["id"])
        self.placed(lb, item)
        lb.set("sku", item["sku"]["name"])
        if item["sku"].get("tier"):
            lb.set("sku_tier", item["sku"]["tier"])
        fes = []
        for fe in p.get("frontendIPConfigurations", []):
            fp = fe["properties"]
            cfg = [("name", fe["name"])]
            planned = {"id": UNK, "inbound_nat_rules": UNK_LIST, "load_balancer_rules": UNK_LIST,
                       "outbound_rules": UNK_LIST, "gateway_load_balancer_frontend_ip_configuration_id": UNK,
                       "public_ip_prefix_id": UNK, "zones": UNK_LIST}
            if fp.get("subnet"):
                cfg.append(("subnet_id", self.ref(fp["subnet"]["id"])))
            else:
                planned["subnet_id"] = UNK
            if fp.get("publicIPAddress"):
                cfg.append(("public_ip_address_id", self.ref(fp["publicIPAddress"]["id"])))
            else:
                planned["public_ip_address_id"] = UNK  # Optional and Computed in azurerm 4.x
            cfg.append(("private_ip_address_allocation", fp["privateIPAllocationMethod"]))
            if fp["privateIPAllocationMethod"] == "Static":
                cfg.append(("private_ip_address", fp["privateIPAddress"]))
            else:
                planned["private_ip_address"] = UNK
            if fp.get("privateIPAddressVersion"):
                cfg.append(("private_ip_address_version", fp["privateIPAddressVersion"]))
            fes.append(Block(cfg, planned))
        lb.set("frontend_ip_configuration", Blocks(fes))
        self.common(lb, item)
        lb.plan(edge_zone=None, private_ip_address=UNK, private_ip_addresses=UNK_LIST)
        for pool in p.get("backendAddressPools", []):
            r = self.add("azurerm_lb_backend_address_pool", short(pool["name"], ["bep-"]), pool["id"])
            r.set("name", pool["name"]).set("loadbalancer_id", Ref(lb, "id"))
            r.plan(id=UNK, timeouts=None, backend_ip_configurations=UNK_LIST, inbound_nat_rules=UNK_LIST,
                   load_balancing_rules=UNK_LIST, outbound_rules=UNK_LIST, tunnel_interface=[],
                   virtual_network_id=None)
        for probe in p.get("probes", []):
            pp = probe["properties"]
            r = self.add("azurerm_lb_probe", short(probe["name"], ["hp-"]), probe["id"])
            r.set("name", probe["name"]).set("loadbalancer_id", Ref(lb, "id"))
            r.set("protocol", pp["protocol"]).set("port", pp["port"])
            if pp.get("requestPath"):
                r.set("request_path", pp["requestPath"])
            else:
                r.plan(request_path=None)
            r.set("interval_in_seconds", pp["intervalInSeconds"])
            r.set("number_of_probes", pp["numberOfProbes"])
            if "probeThreshold" in pp:
                r.set("probe_threshold", pp["probeThreshold"])
            r.plan(id=UNK, timeouts=None, load_balancer_rules=UNK_LIST)
            if pp.get("noHealthyBackendsBehavior"):
                self.note("probe %s/%s: noHealthyBackendsBehavior %s has no azurerm %s argument (it is "
                          "Azure's default)" % (item["name"], probe["name"], pp["noHealthyBackendsBehavior"],
                                                PROVIDER_VERSION))
        for rule in p.get("loadBalancingRules", []):
            rp = rule["properties"]
            r = self.add("azurerm_lb_rule", short(rule["name"], ["lbr-"]), rule["id"])
            r.set("name", rule["name"]).set("loadbalancer_id", Ref(lb, "id"))
            fe_name = rp["frontendIPConfiguration"]["id"].rstrip("/").split("/")[-1]
            r.set("frontend_ip_configuration_name", fe_name)
            r.set("protocol", rp["protocol"])
            r.set("frontend_port", rp["frontendPort"]).set("backend_port", rp["backendPort"])
            pools = rp.get("backendAddressPools") or ([rp["backendAddressPool"]] if rp.get("backendAddressPool") else [])
            if pools:
                r.set("backend_address_pool_ids", [self.ref(x["id"]) for x in pools])
            if rp.get("probe"):
                r.set("probe_id", self.ref(rp["probe"]["id"]))
            r.set("floating_ip_enabled", bool(rp.get("enableFloatingIP")))
            r.set("tcp_reset_enabled", bool(rp.get("enableTcpReset")))
            r.set("disable_outbound_snat", bool(rp.get("disableOutboundSnat")))
            r.set("idle_timeout_in_minutes", rp.get("idleTimeoutInMinutes", 4))
            r.set("load_distribution", rp.get("loadDistribution", "Default"))
            r.plan(id=UNK, timeouts=None, frontend_ip_configuration_id=UNK)
            self.note("rule %s/%s: allowBackendPortConflict and enableDestinationServiceEndpoint (both "
                      "false) have no azurerm argument" % (item["name"], rule["name"]))

    def do_network_interfaces(self, item):
        p = item["properties"]
        nic = self.add("azurerm_network_interface", short(item["name"], ["vm-"], ["-nic"]), item["id"],
                       file="compute.tf")
        self.placed(nic, item)
        nic.set("ip_forwarding_enabled", bool(p.get("enableIPForwarding")))
        nic.set("accelerated_networking_enabled", bool(p.get("enableAcceleratedNetworking")))
        dns = (p.get("dnsSettings") or {}).get("dnsServers")
        if dns:
            nic.set("dns_servers", dns)
        else:
            nic.plan(dns_servers=None)
        configs = []
        for ipc in p["ipConfigurations"]:
            ip = ipc["properties"]
            cfg = [("name", ipc["name"]), ("subnet_id", self.ref(ip["subnet"]["id"])),
                   ("private_ip_address_allocation", ip["privateIPAllocationMethod"])]
            planned = {"gateway_load_balancer_frontend_ip_configuration_id": UNK, "public_ip_address_id": None}
            if ip["privateIPAllocationMethod"] == "Static":
                cfg.append(("private_ip_address", ip["privateIPAddress"]))
            else:
                planned["private_ip_address"] = UNK
            cfg.append(("private_ip_address_version", ip.get("privateIPAddressVersion", "IPv4")))
            if "primary" in ip:
                cfg.append(("primary", ip["primary"]))
            if ip.get("publicIPAddress"):
                cfg.append(("public_ip_address_id", self.ref(ip["publicIPAddress"]["id"])))
            configs.append(Block(cfg, planned))
        nic.set("ip_configuration", Blocks(configs))
        self.common(nic, item)
        nic.plan(applied_dns_servers=UNK_LIST, internal_domain_name_suffix=UNK, mac_address=UNK,
                 private_ip_address=UNK, private_ip_addresses=UNK_LIST, virtual_machine_id=UNK,
                 auxiliary_mode=None, auxiliary_sku=None, edge_zone=None, internal_dns_name_label=None)
        if p.get("auxiliaryMode") == "None" or p.get("disableTcpStateTracking") is False:
            self.note("NICs: auxiliaryMode/auxiliarySku \"None\" is azurerm's unset auxiliary_mode/auxiliary_sku; "
                      "disableTcpStateTracking (false), nicType, macAddress and vnetEncryptionSupported have "
                      "no azurerm argument or are read-only")
        if p.get("networkSecurityGroup"):
            a = self.add("azurerm_network_interface_security_group_association", nic.name, file="security.tf")
            a.set("network_interface_id", Ref(nic, "id"))
            a.set("network_security_group_id", self.ref(p["networkSecurityGroup"]["id"]))
            a.plan(id=UNK, timeouts=None)
        for ipc in p["ipConfigurations"]:
            ip = ipc["properties"]
            for g in ip.get("applicationSecurityGroups") or []:
                a = self.add("azurerm_network_interface_application_security_group_association", nic.name,
                             schema_version=1, file="security.tf")
                a.set("network_interface_id", Ref(nic, "id"))
                a.set("application_security_group_id", self.ref(g["id"]))
                a.plan(id=UNK, timeouts=None)
            for pool in ip.get("loadBalancerBackendAddressPools") or []:
                a = self.add("azurerm_network_interface_backend_address_pool_association", nic.name)
                a.set("network_interface_id", Ref(nic, "id"))
                a.set("ip_configuration_name", ipc["name"])
                a.set("backend_address_pool_id", self.ref(pool["id"]))
                a.plan(id=UNK, timeouts=None)

    def do_virtual_machines(self, item):
        p = item["properties"]
        os_profile = p["osProfile"]
        linux = "linuxConfiguration" in os_profile
        rtype = "azurerm_linux_virtual_machine" if linux else "azurerm_windows_virtual_machine"
        vm = self.add(rtype, short(item["name"], ["vm-"]), item["id"], file="compute.tf")
        self.placed(vm, item)
        vm.set("size", p["hardwareProfile"]["vmSize"])
        if item.get("zones"):
            vm.set("zone", item["zones"][0])
        else:
            vm.plan(zone=None)
        vm.set("network_interface_ids", [self.ref(n["id"]) for n in p["networkProfile"]["networkInterfaces"]])
        vm.set("computer_name", os_profile["computerName"])
        vm.set("admin_username", os_profile["adminUsername"])
        if linux:
            lc = os_profile["linuxConfiguration"]
            vm.set("disable_password_authentication", lc["disablePasswordAuthentication"])
            keys = []
            for k in (lc.get("ssh") or {}).get("publicKeys", []):
                keys.append(Block([("username", os_profile["adminUsername"]), ("public_key", k["keyData"])]))
                expected = "/home/%s/.ssh/authorized_keys" % os_profile["adminUsername"]
                if k.get("path") != expected:
                    raise SystemExit("%s: an SSH key path other than %s is not expressible" % (item["name"], expected))
            if keys:
                vm.set("admin_ssh_key", Blocks(keys))
            patch = lc.get("patchSettings") or {}
            vm.set("provision_vm_agent", lc.get("provisionVMAgent", True))
            vm.sensitive = {"admin_password": True, "custom_data": True}
        else:
            wc = os_profile["windowsConfiguration"]
            # Never the real password: a placeholder, marked sensitive as azurerm's schema does.
            vm.set("admin_password", "REDACTED-EXAMPLE")
            patch = wc.get("patchSettings") or {}
            vm.set("provision_vm_agent", wc.get("provisionVMAgent", True))
            vm.sensitive = {"admin_password": True, "custom_data": True}
        if patch.get("patchMode"):
            vm.set("patch_mode", patch["patchMode"])
        if patch.get("assessmentMode"):
            vm.set("patch_assessment_mode", patch["assessmentMode"])
        vm.set("allow_extension_operations", os_profile.get("allowExtensionOperations", True))
        sec = p.get("securityProfile") or {}
        if "encryptionAtHost" in sec:
            vm.set("encryption_at_host_enabled", sec["encryptionAtHost"])
        else:
            vm.plan(encryption_at_host_enabled=None)
        uefi = sec.get("uefiSettings") or {}
        if "secureBootEnabled" in uefi:
            vm.set("secure_boot_enabled", uefi["secureBootEnabled"])
        else:
            vm.plan(secure_boot_enabled=None)
        if "vTpmEnabled" in uefi:
            vm.set("vtpm_enabled", uefi["vTpmEnabled"])
        else:
            vm.plan(vtpm_enabled=None)
        disk = p["storageProfile"]["osDisk"]
        vm.set("os_disk", Blocks([Block([
            ("name", disk["name"]),
            ("caching", disk["caching"]),
            ("storage_account_type", disk["managedDisk"]["storageAccountType"]),
            ("disk_size_gb", disk["diskSizeGB"]),
        ], {"diff_disk_settings": [], "disk_encryption_set_id": None, "secure_vm_disk_encryption_set_id": None,
            "security_encryption_type": None, "write_accelerator_enabled": False, "id": UNK})]))
        img = p["storageProfile"]["imageReference"]
        vm.set("source_image_reference", Blocks([Block([
            ("publisher", img["publisher"]), ("offer", img["offer"]), ("sku", img["sku"]), ("version", img["version"]),
        ])]))
        boot = (p.get("diagnosticsProfile") or {}).get("bootDiagnostics") or {}
        if boot.get("enabled"):
            # Managed boot diagnostics: the block without a storage account.
            vm.set("boot_diagnostics", Blocks([Block([], {"storage_account_uri": None})]))
        else:
            vm.plan(boot_diagnostics=[])
        ident = item.get("identity")
        if ident:
            cfg = [("type", ident["type"])]
            if ident.get("userAssignedIdentities"):
                cfg.append(("identity_ids", SetOf([self.ref(i) for i in sorted(ident["userAssignedIdentities"])])))
            vm.set("identity", Blocks([Block(cfg, {"principal_id": UNK, "tenant_id": UNK})]))
        else:
            vm.plan(identity=[])
        self.common(vm, item)
        vm.plan(private_ip_address=UNK, private_ip_addresses=UNK_LIST, public_ip_address=UNK,
                public_ip_addresses=UNK_LIST, virtual_machine_id=UNK, vm_agent_platform_updates_enabled=UNK,
                additional_capabilities=[], gallery_application=[], os_image_notification=[], plan=[], secret=[],
                termination_notification=[], availability_set_id=None, license_type=None, user_data=None,
                source_image_id=None, priority="Regular", eviction_policy=None, max_bid_price=-1)
        self.note("VMs: networkProfile/osDisk deleteOption, diskControllerType, requireGuestProvisionSignal and "
                  "imageReference.exactVersion have no azurerm argument or are read-only (azurerm deletes the OS "
                  "disk with the VM by its provider feature flag); enableVMAgentPlatformUpdates is read-only in "
                  "azurerm 4.26+ (vm_agent_platform_updates_enabled unknown); timeCreated and vmId are computed")

    # Hub.

    def do_firewall_policies(self, item):
        p = item["properties"]
        r = self.add("azurerm_firewall_policy", short(item["name"], ["afwp-"]), item["id"], file="security.tf")
        self.placed(r, item)
        r.set("sku", p["sku"]["tier"])
        if p.get("threatIntelMode"):
            r.set("threat_intelligence_mode", p["threatIntelMode"])
        if p.get("intrusionDetection"):
            r.set("intrusion_detection", Blocks([Block([("mode", p["intrusionDetection"]["mode"])],
                                                       {"private_ranges": None, "signature_overrides": [],
                                                        "traffic_bypass": []})]))
        ca = (p.get("transportSecurity") or {}).get("certificateAuthority")
        if ca:
            r.set("tls_certificate", Blocks([Block([("key_vault_secret_id", ca["keyVaultSecretId"]),
                                                   ("name", ca["name"])])]))
        dns = p.get("dnsSettings")
        if dns:
            cfg = [("proxy_enabled", bool(dns.get("enableProxy")))]
            if dns.get("servers"):
                cfg.append(("servers", dns["servers"]))
            r.set("dns", Blocks([Block(cfg, {"servers": None})]))
        ident = item.get("identity")
        if ident:
            r.set("identity", Blocks([Block([
                ("type", ident["type"]),
                ("identity_ids", SetOf([self.ref(i) for i in sorted(ident["userAssignedIdentities"])])),
            ], {"principal_id": UNK, "tenant_id": UNK})]))
        self.common(r, item)
        r.plan(child_policies=UNK_LIST, firewalls=UNK_LIST, rule_collection_groups=UNK_LIST, base_policy_id=None,
               private_ip_ranges=None, threat_intelligence_allowlist=[], explicit_proxy=[], insights=[])

    def do_rule_collection_groups(self, item):
        p = item["properties"]
        policy_id = parent_id(item["id"], "ruleCollectionGroups")
        r = self.add("azurerm_firewall_policy_rule_collection_group", short(item["name"], ["rcg-"]), item["id"],
                     file="security.tf")
        r.set("name", item["name"])
        r.set("firewall_policy_id", self.ref(policy_id))
        r.set("priority", p["priority"])
        net, app, nat = [], [], []
        for c in p.get("ruleCollections", []):
            if c["ruleCollectionType"] == "FirewallPolicyNatRuleCollection":
                kind = "nat"
            else:
                types = {x["ruleType"] for x in c.get("rules", [])}
                if types == {"NetworkRule"}:
                    kind = "net"
                elif types == {"ApplicationRule"}:
                    kind = "app"
                else:
                    raise SystemExit("rule collection %s mixes rule types" % c["name"])
            rules = []
            for x in c.get("rules", []):
                if kind == "net":
                    cfg = [("name", x["name"]), ("protocols", x["ipProtocols"])]
                    for arm, tf in (("sourceAddresses", "source_addresses"), ("sourceIpGroups", "source_ip_groups"),
                                    ("destinationAddresses", "destination_addresses"),
                                    ("destinationIpGroups", "destination_ip_groups"),
                                    ("destinationFqdns", "destination_fqdns"),
                                    ("destinationPorts", "destination_ports")):
                        if x.get(arm):
                            cfg.append((tf, x[arm]))
                    rules.append(Block(cfg, {"source_addresses": None, "source_ip_groups": None,
                                             "destination_addresses": None, "destination_ip_groups": None,
                                             "destination_fqdns": None, "description": None}))
                elif kind == "app":
                    cfg = [("name", x["name"])]
                    if x.get("description"):
                        cfg.append(("description", x["description"]))
                    cfg.append(("protocols", Blocks([Block([("type", pr["protocolType"]), ("port", pr["port"])])
                                                     for pr in x.get("protocols", [])])))
                    for arm, tf in (("sourceAddresses", "source_addresses"), ("sourceIpGroups", "source_ip_groups"),
                                    ("destinationAddresses", "destination_addresses"),
                                    ("targetFqdns", "destination_fqdns"), ("targetUrls", "destination_urls"),
                                    ("fqdnTags", "destination_fqdn_tags"), ("webCategories", "web_categories")):
                        if x.get(arm):
                            cfg.append((tf, x[arm]))
                    cfg.append(("terminate_tls", bool(x.get("terminateTLS"))))
                    if x.get("httpHeadersToInsert"):
                        raise SystemExit("httpHeadersToInsert is not translated")
                    rules.append(Block(cfg, {"description": None, "source_addresses": None, "source_ip_groups": None,
                                             "destination_addresses": None, "destination_fqdns": None,
                                             "destination_urls": None, "destination_fqdn_tags": None,
                                             "web_categories": None, "http_headers": []}))
                else:
                    raise SystemExit("NAT rule collections are not in the bundled examples")
            block = Block([("name", c["name"]), ("priority", c["priority"]), ("action", c["action"]["type"]),
                           ("rule", Blocks(rules))])
            {"net": net, "app": app, "nat": nat}[kind].append(block)
        if app:
            r.set("application_rule_collection", Blocks(app))
        else:
            r.plan(application_rule_collection=[])
        if net:
            r.set("network_rule_collection", Blocks(net))
        else:
            r.plan(network_rule_collection=[])
        r.plan(nat_rule_collection=[], id=UNK, timeouts=None)

    def do_azure_firewalls(self, item):
        p = item["properties"]
        r = self.add("azurerm_firewall", short(item["name"], ["afw-"]), item["id"], file="security.tf")
        self.placed(r, item)
        r.set("sku_name", p["sku"]["name"]).set("sku_tier", p["sku"]["tier"])
        if p.get("firewallPolicy"):
            r.set("firewall_policy_id", self.ref(p["firewallPolicy"]["id"]))
        configs = []
        for ipc in p["ipConfigurations"]:
            ip = ipc["properties"]
            cfg = [("name", ipc["name"])]
            if ip.get("subnet"):
                cfg.append(("subnet_id", self.ref(ip["subnet"]["id"])))
            if ip.get("publicIPAddress"):
                cfg.append(("public_ip_address_id", self.ref(ip["publicIPAddress"]["id"])))
            configs.append(Block(cfg, {"private_ip_address": UNK}))
            if ip.get("privateIPAddress"):
                self.note("firewall %s: its private address %s is assigned by Azure "
                          "(ip_configuration.private_ip_address unknown before apply)"
                          % (item["name"], ip["privateIPAddress"]))
        r.set("ip_configuration", Blocks(configs))
        if item.get("zones"):
            r.set("zones", SetOf(item["zones"]))
        else:
            r.plan(zones=None)
        self.common(r, item)
        r.plan(management_ip_configuration=[], virtual_hub=[])

    def do_bastion_hosts(self, item):
        p = item["properties"]
        r = self.add("azurerm_bastion_host", short(item["name"], ["bas-"]), item["id"], file="security.tf")
        self.placed(r, item)
        r.set("sku", item["sku"]["name"])
        if "scaleUnits" in p:
            r.set("scale_units", p["scaleUnits"])
        r.set("copy_paste_enabled", not p.get("disableCopyPaste", False))
        r.set("file_copy_enabled", bool(p.get("enableFileCopy", False)))
        r.set("ip_connect_enabled", bool(p.get("enableIpConnect", False)))
        r.set("kerberos_enabled", bool(p.get("enableKerberos", False)))
        r.set("shareable_link_enabled", bool(p.get("enableShareableLink", False)))
        r.set("tunneling_enabled", bool(p.get("enableTunneling", False)))
        r.set("session_recording_enabled", bool(p.get("enableSessionRecording", False)))
        configs = []
        for ipc in p["ipConfigurations"]:
            ip = ipc["properties"]
            configs.append(Block([("name", ipc["name"]), ("subnet_id", self.ref(ip["subnet"]["id"])),
                                  ("public_ip_address_id", self.ref(ip["publicIPAddress"]["id"]))]))
        r.set("ip_configuration", Blocks(configs))
        self.common(r, item)
        r.plan(dns_name=UNK, virtual_network_id=None, zones=None)
        if "enableFileCopy" not in p:
            self.note("bastion %s: enableFileCopy is absent from the export; file_copy_enabled is written as "
                      "false, Azure's and azurerm's default" % item["name"])

    # Entry point.

    def do_application_gateway_web_application_firewall_policies(self, item):
        p = item["properties"]
        r = self.add("azurerm_web_application_firewall_policy", short(item["name"], ["wafp-"]), item["id"], 1,
                     file="security.tf")
        self.placed(r, item)
        ps = p["policySettings"]
        cfg = [("enabled", ps["state"] == "Enabled"), ("mode", ps["mode"])]
        for arm, tf in (("requestBodyCheck", "request_body_check"),
                        ("requestBodyEnforcement", "request_body_enforcement"),
                        ("requestBodyInspectLimitInKB", "request_body_inspect_limit_in_kb"),
                        ("maxRequestBodySizeInKb", "max_request_body_size_in_kb"),
                        ("fileUploadEnforcement", "file_upload_enforcement"),
                        ("fileUploadLimitInMb", "file_upload_limit_in_mb")):
            if arm in ps:
                cfg.append((tf, ps[arm]))
        r.set("policy_settings", Blocks([Block(cfg, {"js_challenge_cookie_expiration_in_minutes": 30,
                                                     "log_scrubbing": []})]))
        mr = p["managedRules"]
        sets = [Block([("type", s["ruleSetType"]), ("version", s["ruleSetVersion"])], {"rule_group_override": []})
                for s in mr["managedRuleSets"]]
        if mr.get("exclusions") or any(s.get("ruleGroupOverrides") for s in mr["managedRuleSets"]):
            raise SystemExit("WAF exclusions and overrides are not in the bundled examples")
        r.set("managed_rules", Blocks([Block([("managed_rule_set", Blocks(sets))], {"exclusion": []})]))
        if p.get("customRules"):
            raise SystemExit("WAF custom rules are not in the bundled examples")
        r.plan(custom_rules=[])
        self.common(r, item)
        r.plan(http_listener_ids=UNK_LIST, path_based_rule_ids=UNK_LIST)

    def do_application_gateways(self, item):
        p = item["properties"]
        r = self.add("azurerm_application_gateway", short(item["name"], ["agw-"]), item["id"], file="security.tf")
        self.placed(r, item)
        last = lambda ref: ref["id"].rstrip("/").split("/")[-1]  # noqa: E731
        sku = p["sku"]
        r.set("sku", Blocks([Block([("name", sku["name"]), ("tier", sku["tier"])]
                                   + ([("capacity", sku["capacity"])] if "capacity" in sku else []),
                                   {"capacity": None})]))
        if p.get("autoscaleConfiguration"):
            a = p["autoscaleConfiguration"]
            r.set("autoscale_configuration", Blocks([Block([("min_capacity", a["minCapacity"]),
                                                             ("max_capacity", a["maxCapacity"])])]))
        else:
            r.plan(autoscale_configuration=[])
        if "enableHttp2" in p:
            r.set("enable_http2", p["enableHttp2"])
        else:
            r.plan(enable_http2=None)
        if p.get("firewallPolicy"):
            r.set("firewall_policy_id", self.ref(p["firewallPolicy"]["id"]))
        ident = item.get("identity")
        if ident:
            r.set("identity", Blocks([Block([
                ("type", ident["type"]),
                ("identity_ids", SetOf([self.ref(i) for i in sorted(ident["userAssignedIdentities"])])),
            ])]))
        else:
            r.plan(identity=[])
        r.set("gateway_ip_configuration", Blocks([
            Block([("name", g["name"]), ("subnet_id", self.ref(g["properties"]["subnet"]["id"]))], {"id": UNK})
            for g in p["gatewayIPConfigurations"]]))
        fes = []
        for fe in p["frontendIPConfigurations"]:
            fp = fe["properties"]
            cfg = [("name", fe["name"])]
            planned = {"id": UNK, "private_link_configuration_id": UNK, "private_link_configuration_name": None}
            if fp.get("publicIPAddress"):
                cfg.append(("public_ip_address_id", self.ref(fp["publicIPAddress"]["id"])))
            else:
                planned["public_ip_address_id"] = None
            if fp.get("subnet"):
                cfg.append(("subnet_id", self.ref(fp["subnet"]["id"])))
            else:
                planned["subnet_id"] = None
            cfg.append(("private_ip_address_allocation", fp["privateIPAllocationMethod"]))
            if fp["privateIPAllocationMethod"] == "Static":
                cfg.append(("private_ip_address", fp["privateIPAddress"]))
            else:
                planned["private_ip_address"] = UNK
            fes.append(Block(cfg, planned))
        r.set("frontend_ip_configuration", Blocks(fes))
        r.set("frontend_port", Blocks([Block([("name", x["name"]), ("port", x["properties"]["port"])], {"id": UNK})
                                       for x in p["frontendPorts"]]))
        pools = []
        for x in p["backendAddressPools"]:
            addrs = x["properties"].get("backendAddresses", [])
            ips = [a["ipAddress"] for a in addrs if a.get("ipAddress")]
            fqdns = [a["fqdn"] for a in addrs if a.get("fqdn")]
            cfg = [("name", x["name"])]
            if ips:
                cfg.append(("ip_addresses", SetOf(ips)))
            if fqdns:
                cfg.append(("fqdns", SetOf(fqdns)))
            pools.append(Block(cfg, {"id": UNK, "ip_addresses": [], "fqdns": UNK_LIST}))
        r.set("backend_address_pool", Blocks(pools))
        settings = []
        for x in p["backendHttpSettingsCollection"]:
            xp = x["properties"]
            cfg = [("name", x["name"]), ("cookie_based_affinity", xp["cookieBasedAffinity"]),
                   ("port", xp["port"]), ("protocol", xp["protocol"]), ("request_timeout", xp["requestTimeout"]),
                   ("pick_host_name_from_backend_address", bool(xp.get("pickHostNameFromBackendAddress")))]
            if xp.get("hostName"):
                cfg.append(("host_name", xp["hostName"]))
            if xp.get("probe"):
                cfg.append(("probe_name", last(xp["probe"])))
            settings.append(Block(cfg, {"id": UNK, "probe_id": UNK, "affinity_cookie_name": "", "host_name": "",
                                        "path": "", "probe_name": "", "trusted_root_certificate_names": [],
                                        "authentication_certificate": [], "connection_draining": []}))
        r.set("backend_http_settings", Blocks(settings))
        listeners = []
        for x in p["httpListeners"]:
            xp = x["properties"]
            cfg = [("name", x["name"]), ("frontend_ip_configuration_name", last(xp["frontendIPConfiguration"])),
                   ("frontend_port_name", last(xp["frontendPort"])), ("protocol", xp["protocol"])]
            if xp.get("hostName"):
                cfg.append(("host_name", xp["hostName"]))
            if xp.get("hostNames"):
                cfg.append(("host_names", SetOf(xp["hostNames"])))
            cfg.append(("require_sni", bool(xp.get("requireServerNameIndication"))))
            if xp.get("sslCertificate"):
                cfg.append(("ssl_certificate_name", last(xp["sslCertificate"])))
            if xp.get("firewallPolicy"):
                cfg.append(("firewall_policy_id", self.ref(xp["firewallPolicy"]["id"])))
            listeners.append(Block(cfg, {"id": UNK, "frontend_ip_configuration_id": UNK, "frontend_port_id": UNK,
                                         "ssl_certificate_id": UNK, "ssl_profile_id": UNK, "host_name": "",
                                         "host_names": [], "ssl_certificate_name": "", "ssl_profile_name": "",
                                         "firewall_policy_id": "", "custom_error_configuration": []}))
        r.set("http_listener", Blocks(listeners))
        if p.get("probes"):
            probes = []
            for x in p["probes"]:
                xp = x["properties"]
                cfg = [("name", x["name"]), ("protocol", xp["protocol"]), ("path", xp["path"])]
                if xp.get("host"):
                    cfg.append(("host", xp["host"]))
                cfg += [("interval", xp["interval"]), ("timeout", xp["timeout"]),
                        ("unhealthy_threshold", xp["unhealthyThreshold"]),
                        ("pick_host_name_from_backend_http_settings", bool(xp.get("pickHostNameFromBackendHttpSettings"))),
                        ("minimum_servers", xp.get("minServers", 0))]
                match = xp.get("match") or {}
                if match:
                    mcfg = [("status_code", match.get("statusCodes", []))]
                    if match.get("body"):
                        mcfg.append(("body", match["body"]))
                    cfg.append(("match", Blocks([Block(mcfg, {"body": ""})])))
                probes.append(Block(cfg, {"id": UNK, "host": "", "port": None}))
            r.set("probe", Blocks(probes))
        else:
            r.plan(probe=[])
        rules = []
        for x in p["requestRoutingRules"]:
            xp = x["properties"]
            cfg = [("name", x["name"]), ("rule_type", xp["ruleType"]), ("priority", xp["priority"]),
                   ("http_listener_name", last(xp["httpListener"]))]
            if xp.get("backendAddressPool"):
                cfg.append(("backend_address_pool_name", last(xp["backendAddressPool"])))
            if xp.get("backendHttpSettings"):
                cfg.append(("backend_http_settings_name", last(xp["backendHttpSettings"])))
            rules.append(Block(cfg, {"id": UNK, "backend_address_pool_id": UNK, "backend_http_settings_id": UNK,
                                     "http_listener_id": UNK, "redirect_configuration_id": UNK,
                                     "rewrite_rule_set_id": UNK, "url_path_map_id": UNK,
                                     "redirect_configuration_name": "", "rewrite_rule_set_name": "",
                                     "url_path_map_name": ""}))
        r.set("request_routing_rule", Blocks(rules))
        certs = []
        for x in p.get("sslCertificates", []):
            xp = x["properties"]
            if not xp.get("keyVaultSecretId"):
                raise SystemExit("only Key Vault certificates are translated")
            certs.append(Block([("name", x["name"]), ("key_vault_secret_id", xp["keyVaultSecretId"])],
                               {"id": UNK, "public_cert_data": UNK, "data": None, "password": None}))
        if certs:
            r.set("ssl_certificate", Blocks(certs))
        else:
            r.plan(ssl_certificate=[])
        r.sensitive = {"ssl_certificate": {"data": True, "password": True}}
        pol = p.get("sslPolicy")
        if pol:
            cfg = [("policy_type", pol["policyType"])]
            if pol.get("policyName"):
                cfg.append(("policy_name", pol["policyName"]))
            r.set("ssl_policy", Blocks([Block(cfg, {"cipher_suites": None, "disabled_protocols": None,
                                                    "min_protocol_version": None})]))
        else:
            r.plan(ssl_policy=UNK_LIST)
            if p.get("defaultPredefinedSslPolicy"):
                self.note("app gateway %s: no sslPolicy is set, so Azure applies its default %s "
                          "(defaultPredefinedSslPolicy is read-only; ssl_policy is unknown before apply)"
                          % (item["name"], p["defaultPredefinedSslPolicy"]))
        for key in ("redirectConfigurations", "rewriteRuleSets", "urlPathMaps", "sslProfiles",
                    "trustedRootCertificates", "trustedClientCertificates", "privateLinkConfigurations"):
            if p.get(key):
                raise SystemExit("app gateway %s is not translated" % key)
        self.common(r, item)
        r.plan(authentication_certificate=[], custom_error_configuration=[],
               private_endpoint_connection=UNK_LIST, private_link_configuration=[], redirect_configuration=[],
               rewrite_rule_set=[], ssl_profile=[], trusted_client_certificate=[], trusted_root_certificate=[],
               url_path_map=[], waf_configuration=[], zones=None, fips_enabled=None,
               force_firewall_policy_association=None)
        r.planned["global"] = []
        if sku.get("family"):
            self.note("app gateway %s: sku.family %s has no azurerm argument" % (item["name"], sku["family"]))
        if any("enableHttp3" in x["properties"] for x in p["httpListeners"]):
            self.note("app gateway %s: the listeners' enableHttp3 (false) has no azurerm argument" % item["name"])

    # Private endpoints come after storage; monitoring last.

    def do_network_watchers(self, item):
        r = self.add("azurerm_network_watcher", short(item["name"], ["networkwatcher_"]), item["id"],
                     file="monitoring.tf")
        self.placed(r, item)
        self.common(r, item)

    def do_flow_logs(self, item):
        p = item["properties"]
        nw_id = parent_id(item["id"], "flowLogs")
        nw = self.by_id[lower(nw_id)]
        r = self.add("azurerm_network_watcher_flow_log", short(item["name"], ["fl-"]), item["id"], 1,
                     file="monitoring.tf")
        r.set("name", item["name"])
        r.set("network_watcher_name", Ref(nw, "name"))
        r.set("resource_group_name", Ref(self.rgs[lower(rg_of(item["id"]))], "name"))
        if lower(item.get("location")) == lower(nw.values()["location"]):
            r.set("location", Ref(nw, "location"))
        elif item.get("location"):
            r.set("location", item["location"])
        target = p["targetResourceId"]
        if "/networksecuritygroups/" in target.lower():
            # An NSG flow log: azurerm 4.x's (deprecated) argument for it.
            r.set("network_security_group_id", self.ref(target))
            r.plan(target_resource_id=UNK)
        else:
            r.set("target_resource_id", self.ref(target))
            r.plan(network_security_group_id=UNK)
        r.set("storage_account_id", self.ref(p["storageId"]))
        r.set("enabled", p["enabled"])
        r.set("version", (p.get("format") or {}).get("version", 1))
        rp = p.get("retentionPolicy") or {}
        r.set("retention_policy", Blocks([Block([("enabled", rp.get("enabled", False)), ("days", rp.get("days", 0))])]))
        ta = (p.get("flowAnalyticsConfiguration") or {}).get("networkWatcherFlowAnalyticsConfiguration")
        if ta:
            law = self.by_id[lower(ta["workspaceResourceId"])]
            cfg = [("enabled", ta["enabled"]), ("workspace_id", Ref(law, "workspace_id"))]
            if lower(ta["workspaceRegion"]) == lower(law.values()["location"]):
                cfg.append(("workspace_region", Ref(law, "location")))
            else:
                cfg.append(("workspace_region", ta["workspaceRegion"]))
            cfg += [("workspace_resource_id", Ref(law, "id")),
                    ("interval_in_minutes", ta.get("trafficAnalyticsInterval", 60))]
            r.set("traffic_analytics", Blocks([Block(cfg)]))
        else:
            r.plan(traffic_analytics=[])
        self.common(r, item)
        if item.get("identity"):
            names = ", ".join(i.rstrip("/").split("/")[-1] for i in sorted(item["identity"].get("userAssignedIdentities", {})))
            self.note("flow log %s: its %s identity (%s) has no azurerm %s argument; Azure uses it to write to "
                      "the storage account" % (item["name"], item["identity"]["type"], names, PROVIDER_VERSION))
        if (p.get("format") or {}).get("type"):
            self.note("flow log %s: format.type %s is implied (azurerm sets only the version)"
                      % (item["name"], p["format"]["type"]))
        if ta and ta.get("workspaceId"):
            self.note("flow log %s: traffic_analytics.workspace_id is the workspace's computed customer id "
                      "(%s in the export), unknown before apply" % (item["name"], ta["workspaceId"]))

    def do_diagnostic_settings(self, item):
        p = item["properties"]
        target = parent_id(item["id"], "providers/Microsoft.Insights/diagnosticSettings")
        name = short(item["name"], ["diag-"])
        r = self.add("azurerm_monitor_diagnostic_setting", name, item["id"], file="monitoring.tf")
        r.set("name", item["name"])
        if re.fullmatch(r"(?i)/subscriptions/[^/]+", target):
            r.set("target_resource_id", target)
        else:
            r.set("target_resource_id", self.ref(target))
        if p.get("workspaceId"):
            r.set("log_analytics_workspace_id", self.ref(p["workspaceId"]))
        if p.get("logAnalyticsDestinationType"):
            r.set("log_analytics_destination_type", p["logAnalyticsDestinationType"])
        else:
            r.plan(log_analytics_destination_type=UNK)
        logs = []
        for x in p.get("logs", []):
            if not x.get("enabled"):
                continue
            if x.get("categoryGroup"):
                logs.append(Block([("category_group", x["categoryGroup"])], {"category": ""}))
            else:
                logs.append(Block([("category", x["category"])], {"category_group": ""}))
        if logs:
            r.set("enabled_log", Blocks(logs))
        metrics = [Block([("category", x["category"])]) for x in p.get("metrics", []) if x.get("enabled")]
        if metrics:
            r.set("enabled_metric", Blocks(metrics))
        else:
            r.plan(enabled_metric=UNK_LIST)
        # azurerm 4.x keeps the deprecated `metric` block, Optional and Computed beside enabled_metric.
        r.plan(metric=UNK_LIST, id=UNK, timeouts=None, eventhub_name=None, eventhub_authorization_rule_id=None,
               storage_account_id=None, partner_solution_id=None)
        if any((x.get("retentionPolicy") or {}) for x in p.get("logs", []) + p.get("metrics", [])):
            self.note("diagnostic setting %s: the (disabled, 0-day) retentionPolicy of logs and metrics was "
                      "removed from azurerm in 4.0" % item["name"])

    def do_role_definitions(self, item):
        p = item["properties"]
        r = self.add("azurerm_role_definition", snake(re.sub(r"^Contoso ", "", p["roleName"])), item["id"], 1,
                     file="security.tf")
        r.set("role_definition_id", item["name"])
        r.set("name", p["roleName"])
        scope = item["id"].split("/providers/Microsoft.Authorization/")[0]
        r.set("scope", scope)
        if p.get("description"):
            r.set("description", p["description"])
        perms = []
        for x in p["permissions"]:
            perms.append(Block([("actions", x.get("actions", [])), ("not_actions", x.get("notActions", [])),
                                ("data_actions", SetOf(x.get("dataActions", []))),
                                ("not_data_actions", SetOf(x.get("notDataActions", [])))]))
        r.set("permissions", Blocks(perms))
        r.set("assignable_scopes", [self.scope_value(s) for s in p["assignableScopes"]])
        r.plan(id=UNK, role_definition_resource_id=UNK, timeouts=None)

    def scope_value(self, scope):
        r = self.by_id.get(lower(scope))
        return Ref(r, "id") if r is not None else scope

    def do_role_assignments(self, item):
        p = item["properties"]
        rd = self.by_id.get(lower(p["roleDefinitionId"]))
        if rd is None:
            # A built-in role: its id, exactly as the export has it (Contributor is b24988ac-...).
            name = {"b24988ac-6180-42a0-ab88-20f7382dd24c": "contributor"}.get(
                p["roleDefinitionId"].rsplit("/", 1)[-1], "builtin_role")
        else:
            name = rd.name
        r = self.add("azurerm_role_assignment", name, item["id"], file="security.tf")
        r.set("name", item["name"])
        r.set("scope", self.scope_value(p["scope"]))
        if rd is None:
            r.set("role_definition_id", p["roleDefinitionId"])
        else:
            r.set("role_definition_id", Ref(rd, "role_definition_resource_id"))
        r.set("principal_id", p["principalId"])
        if p.get("principalType"):
            r.set("principal_type", p["principalType"])
        else:
            r.plan(principal_type=UNK)
        if p.get("description"):
            r.set("description", p["description"])
        else:
            r.plan(description=None)
        if p.get("condition"):
            raise SystemExit("role assignment conditions are not in the bundled examples")
        r.plan(id=UNK, role_definition_name=UNK, skip_service_principal_aad_check=UNK, condition=None,
               condition_version=None, delegated_managed_identity_resource_id=None, timeouts=None)


def convert(export):
    c = Converter(export)
    c.run()
    c.peerings()
    return c


# --------------------------------------------------------------------------------------------
# Output.

FILES = [
    ("main.tf", "Provider, resource groups."),
    ("network.tf", "Virtual networks, subnets, peerings, routes, public IPs, load balancers, private endpoints."),
    ("security.tf", "NSGs, ASGs, firewall, Bastion, App Gateway and WAF, identities, roles, Defender."),
    ("compute.tf", "Network interfaces and virtual machines."),
    ("storage.tf", "Storage accounts."),
    ("monitoring.tf", "Log Analytics, Network Watcher, flow logs, diagnostic settings."),
]


def render_tf(conv, example):
    by_file = {f: [] for f, _ in FILES}
    for r in sorted(conv.res, key=lambda r: (r.type, r.name)):
        by_file[r.file].append(r)
    out = {}
    for f, what in FILES:
        header = ("# %s: %s\n# Generated by examples/terraform_from_export.py from export/resources.json; do not edit.\n"
                  % (example, what))
        if f == "main.tf":
            header += ("#\n# Export values azurerm %s cannot express, or that only Azure knows:\n" % PROVIDER_VERSION
                       + "".join("#   - %s\n" % n for n in conv.notes))
        parts = [header]
        if f == "main.tf":
            parts.append(
                'terraform {\n'
                '  required_version = ">= 1.9"\n'
                '  required_providers {\n'
                '    azurerm = {\n'
                '      source  = "hashicorp/azurerm"\n'
                '      version = "%s"\n'
                '    }\n'
                '  }\n'
                '}\n' % PROVIDER_VERSION)
            parts.append(
                'provider "azurerm" {\n'
                '  subscription_id = "%s"\n'
                '  features {}\n'
                '}\n' % conv.subscription)
        for r in by_file[f]:
            parts.append(hcl_resource(r))
        if len(parts) == 1:
            continue
        out[f] = "\n".join(parts)
    return out


def render_plan(conv):
    resources = sorted(conv.res, key=lambda r: r.address)
    planned, changes, config = [], [], []
    refs = set()
    for r in resources:
        values = r.values()
        after = omit_unknowns(values)
        sens = sensitive_as_bool(values, r.sensitive)
        planned.append({
            "address": r.address, "mode": "managed", "type": r.type, "name": r.name,
            "provider_name": PROVIDER, "schema_version": r.schema_version,
            "values": after, "sensitive_values": sens,
        })
        changes.append({
            "address": r.address, "mode": "managed", "type": r.type, "name": r.name,
            "provider_name": PROVIDER,
            "change": {
                "actions": ["create"], "before": None, "after": after,
                "after_unknown": unknown_as_bool(values),
                "before_sensitive": False, "after_sensitive": sens,
            },
        })
        config.append({
            "address": r.address, "mode": "managed", "type": r.type, "name": r.name,
            "provider_config_key": "azurerm", "schema_version": r.schema_version,
            "expressions": {k: expression(v) for k, v in r.config},
        })
        for _, v in r.config:
            all_refs(v, refs)
    plan = {
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"azurerm": {
                "name": "azurerm", "full_name": PROVIDER, "version_constraint": PROVIDER_VERSION,
                "expressions": {"features": [{}], "subscription_id": {"constant_value": conv.subscription}},
            }},
            "root_module": {"resources": config},
        },
        "relevant_attributes": [{"resource": a, "attribute": [attr]} for a, attr in sorted(refs)],
        "timestamp": TIMESTAMP,
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    return json.dumps(plan, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(example_dir):
    with open(os.path.join(example_dir, "export", "resources.json"), encoding="utf-8") as f:
        export = json.load(f)
    conv = convert(export)
    example = os.path.basename(os.path.normpath(example_dir))
    files = render_tf(conv, example)
    files["plan.json"] = render_plan(conv)
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("example_dir")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the committed files differ from what this script writes")
    args = ap.parse_args(argv)
    files = generate(args.example_dir)
    out_dir = os.path.join(args.example_dir, "terraform")
    if args.check:
        stale = []
        for name, text in sorted(files.items()):
            path = os.path.join(out_dir, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        stale.append(name + " differs")
            except FileNotFoundError:
                stale.append(name + " is missing")
        if os.path.isdir(out_dir):
            for name in sorted(os.listdir(out_dir)):
                if (name.endswith(".tf") or name == "plan.json") and name not in files:
                    stale.append(name + " is not generated any more")
        if stale:
            print("%s: the Terraform version is stale (%s); run python3 examples/terraform_from_export.py %s"
                  % (out_dir, "; ".join(stale), args.example_dir), file=sys.stderr)
            return 1
        return 0
    os.makedirs(out_dir, exist_ok=True)
    for name, text in sorted(files.items()):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
