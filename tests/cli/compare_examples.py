#!/usr/bin/env python3
"""Each example's ARM template and its independently written export must give the same inventory,
and so must its Terraform plan (terraform/plan.json) where it has one.

The only values allowed to differ are the ones Azure assigns at deployment, which neither a template
nor a plan can know: the address of a public IP, the private address of a firewall, and the name of
the peering Azure adds to a VNet connected to a Virtual WAN hub. For those the
template or plan side must be null and the export side must hold an address; every other field must
be identical, and no template value may be left unknown. A plan may leave unknown only what Terraform
itself knows only after apply (PLAN_UNKNOWN). Terraform keeps some lists as sets, in its own order
(the ports of a rule) and lists resources by address, so lists whose order carries no meaning are
compared as sets (UNORDERED).
"""
import json
import os
import subprocess
import sys

SUBSCRIPTION = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"
DEPLOYMENT_ASSIGNED = {
    "Microsoft.Network/publicIPAddresses": ["ipAddress"],
    "Microsoft.Network/azureFirewalls": ["privateIpAddress"],
}


# What a create plan cannot know before apply, by the pointer of the unknown field in the resource.
PLAN_UNKNOWN = {
    "Microsoft.Network/publicIPAddresses": {"/properties/ipAddress"},
    "Microsoft.Network/azureFirewalls": {"/properties/ipConfigurations/0/properties/privateIPAddress"},
    # azurerm's dns_servers is optional and computed: unset in the configuration, unknown in the plan.
    "Microsoft.Network/virtualNetworks": {"/properties/dhcpOptions/dnsServers"},
    "Microsoft.Network/applicationGateways": {"/properties/frontendIPConfigurations/0/properties/privateIPAddress",
                                              "/properties/frontendIPConfigurations/1/properties/privateIPAddress"},
}
UNORDERED = {"subnets", "sourcePorts", "destinationPorts"}


def unordered(value):
    """The value with the lists whose order means nothing sorted, at any depth."""
    if isinstance(value, dict):
        return {k: sorted(unordered(v), key=json.dumps) if k in UNORDERED and isinstance(v, list) else unordered(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [unordered(v) for v in value]
    return value


def inventory(binary, root, path):
    args = [binary, "inventory", "--format", "json", "--subscription", SUBSCRIPTION, "--location", "westeurope", path]
    run = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:])} exited {run.returncode}:\n{run.stderr}")
    return json.loads(run.stdout)


def match_hub_peerings(tmpl, export):
    """A VNet connected to a Virtual WAN hub holds a peering Azure names at deployment
    (RemoteVnetToHubPeering_<guid>): the template side, which ztnet names after the connection, is
    matched to the export's by the VNet that holds it, and takes the export's id and name."""
    def hub_peering(r):
        return r["type"] == "Microsoft.Network/virtualNetworks/virtualNetworkPeerings" and \
            r["id"].rsplit("/", 1)[1].startswith("RemoteVnetToHubPeering_")
    azure_named = {r["virtualNetwork"].lower(): r for r in export["resources"] if hub_peering(r)}
    for r in tmpl["resources"]:
        other = azure_named.get(str(r.get("virtualNetwork", "")).lower())
        if other is not None and hub_peering(r):
            r["id"], r["name"] = other["id"], other["name"]


def compare(binary, root, example):
    problems = []
    tmpl = inventory(binary, root, f"examples/{example}/template")
    export = inventory(binary, root, f"examples/{example}/export")
    match_hub_peerings(tmpl, export)
    by_id = {r["id"].lower(): r for r in export["resources"]}
    for r in tmpl["resources"]:
        if "unknownFields" in r:
            problems.append(f"{r['id']}: template leaves {r['unknownFields']} unknown")
        other = by_id.get(r["id"].lower())
        if other is None:
            continue
        for field in DEPLOYMENT_ASSIGNED.get(r["type"], []):
            if r.get(field) is not None:
                problems.append(f"{r['id']}: template knows {field}, which Azure assigns at deployment")
            if other.get(field) is None:
                problems.append(f"{r['id']}: export lacks {field}")
            r.pop(field, None)
            other.pop(field, None)
    if tmpl["counts"] != export["counts"]:
        problems.append(f"counts differ:\n  template {tmpl['counts']}\n  export   {export['counts']}")
    tmpl_ids = [r["id"].lower() for r in tmpl["resources"]]
    export_ids = [r["id"].lower() for r in export["resources"]]
    for missing in sorted(set(export_ids) - set(tmpl_ids)):
        problems.append(f"only in the export: {missing}")
    for extra in sorted(set(tmpl_ids) - set(export_ids)):
        problems.append(f"only in the template: {extra}")
    for r in tmpl["resources"]:
        other = by_id.get(r["id"].lower())
        if other is not None and other != r:
            for key in sorted(set(r) | set(other)):
                if r.get(key) != other.get(key):
                    problems.append(f"{r['id']}: {key} differs\n  template {json.dumps(r.get(key))}\n"
                                    f"  export   {json.dumps(other.get(key))}")
    return problems


def compare_plan(binary, root, example):
    problems = []
    plan = inventory(binary, root, f"examples/{example}/terraform/plan.json")
    export = inventory(binary, root, f"examples/{example}/export")
    by_id = {r["id"].lower(): r for r in export["resources"]}
    for r in plan["resources"]:
        allowed = PLAN_UNKNOWN.get(r["type"], set())
        for pointer in r.pop("unknownFields", []):
            if pointer not in allowed:
                problems.append(f"{r['id']}: the plan leaves {pointer} unknown")
        other = by_id.get(r["id"].lower())
        if other is None:
            continue
        for field in DEPLOYMENT_ASSIGNED.get(r["type"], []):
            if r.get(field) is not None:
                problems.append(f"{r['id']}: the plan knows {field}, which Azure assigns at deployment")
            r.pop(field, None)
            other.pop(field, None)
    if plan["counts"] != export["counts"]:
        problems.append(f"counts differ:\n  plan   {plan['counts']}\n  export {export['counts']}")
    plan_ids = {r["id"].lower() for r in plan["resources"]}
    for missing in sorted(set(by_id) - plan_ids):
        problems.append(f"only in the export: {missing}")
    for extra in sorted(plan_ids - set(by_id)):
        problems.append(f"only in the plan: {extra}")
    for r in plan["resources"]:
        other = by_id.get(r["id"].lower())
        if other is None:
            continue
        a, b = unordered(r), unordered(other)
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                problems.append(f"{r['id']}: {key} differs\n  plan   {json.dumps(a.get(key))}\n"
                                f"  export {json.dumps(b.get(key))}")
    return problems


def main():
    binary, root = sys.argv[1], sys.argv[2]
    examples = sorted(d for d in os.listdir(os.path.join(root, "examples"))
                      if os.path.isdir(os.path.join(root, "examples", d, "template")))
    if len(examples) < 2:
        print(f"expected at least two examples, found {examples}")
        return 1
    failed = False
    for example in examples:
        problems = compare(binary, root, example)
        print(f"{example}: {'identical' if not problems else f'{len(problems)} difference(s)'}")
        for p in problems:
            print("  " + p)
        failed = failed or bool(problems)
    plans = [e for e in examples if os.path.isfile(os.path.join(root, "examples", e, "terraform", "plan.json"))]
    if len(plans) < 2:
        print(f"expected at least two examples with a Terraform plan, found {plans}")
        return 1
    for example in plans:
        problems = compare_plan(binary, root, example)
        print(f"{example} (Terraform plan): {'identical' if not problems else f'{len(problems)} difference(s)'}")
        for p in problems:
            print("  " + p)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
