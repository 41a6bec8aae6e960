#!/usr/bin/env python3
"""The audit on the bundled examples (JSON output): zero-trust-spoke has no finding above low and
exits 0; every gap planted in legacy-spoke (examples/legacy-spoke/README.md, "The gaps") is found
by the check written for it, on the resource it concerns, and the audit exits 1; hybrid-paas-spoke
gives exactly the findings its README lists, exits 1, holds its intent, and `explain` shows its
admin rules and NSGs deciding as the README says; paas-spoke gives exactly the findings its README
lists (every planted PaaS gap), on its template as on its export; virtual-wan-hub gives exactly the
findings its README lists on both, its lateral SSH path goes through the hub's router, and the
README's fix leaves only the low storage finding. Also: findings carry fingerprints that do not
change between runs, and a suppression takes a finding out of the failing set while an expired one
does not.
"""
import json
import os
import subprocess
import sys
import tempfile

# gap number -> (check id, resource name) pairs that must be found.
LEGACY_GAPS = {
    1: [("ZT-SEG-001", "vm-web-1")],
    2: [("ZT-VM-001", "vm-web-1")],
    3: [("ZT-NET-001", "snet-data")],
    4: [("ZT-NET-004", "nsg-orders-web"), ("ZT-NET-004", "nsg-orders-app"), ("ZT-NET-004", "nsg-orders-appgw")],
    5: [("ZT-NET-002", "vm-web-1-nic"), ("ZT-NET-003", "nsg-orders-app")],
    6: [("ZT-SEG-006", "nsg-orders-app")],
    7: [("ZT-SEG-003", "vm-app-1")],
    8: [("ZT-APP-001", "agw-orders"), ("ZT-APP-002", "agw-orders")],
    9: [("ZT-HUB-001", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"), ("ZT-HUB-005", "vnet-orders"),
        ("ZT-HUB-006", "snet-web")],
    10: [("ZT-STG-001", "stordersdiag01"), ("ZT-STG-002", "stordersdiag01"), ("ZT-STG-003", "stordersdiag01"),
         ("ZT-STG-004", "stordersdiag01"), ("ZT-STG-005", "stordersdiag01"), ("ZT-STG-006", "stordersdiag01")],
    11: [("ZT-LOG-001", "vnet-orders")],
    12: [("ZT-IAM-001", "ef6d9708-1e9a-468a-af39-120a5e7de6c0"),
         ("ZT-IAM-002", "ef6d9708-1e9a-468a-af39-120a5e7de6c0")],
    13: [("ZT-VM-002", "vm-data-2"), ("ZT-VM-003", "vm-app-1"), ("ZT-VM-006", "vm-web-2")],
    14: [("ZT-GOV-001", "rg-legacy-orders"), ("ZT-GOV-002", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"),
         ("ZT-MON-001", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c")],
    15: [("ZT-NET-007", "vnet-orders")],
}


# hybrid-paas-spoke: (check id, resource name) of every finding, as its README lists them.
HYBRID_FINDINGS = {
    ("ZT-HUB-006", "snet-app"),
    ("ZT-HUB-001", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"),
    ("ZT-HUB-007", "GatewaySubnet"),
    ("ZT-STG-007", "sthybclaimsweu01"),
    ("ZT-STG-007", "sthybflowlogsweu01"),
    ("ZT-NET-007", "vnet-hyb-spoke"),
}


# paas-spoke: (check id, resource name) of every finding, as its README lists them: each planted PaaS
# gap, on the template as on the export.
PAAS_FINDINGS = {
    ("ZT-PAAS-001", "aks-inv-batch-weu"), ("ZT-PAAS-001", "app-inv-portal-weu"),
    ("ZT-PAAS-001", "kv-inv-legacy-weu"), ("ZT-PAAS-001", "sql-inv-invoices-weu"),
    ("ZT-PAAS-002", "sql-inv-invoices-weu"),
    ("ZT-PAAS-003", "app-inv-portal-weu"), ("ZT-PAAS-003", "kv-inv-legacy-weu"),
    ("ZT-PAAS-003", "sql-inv-invoices-weu"),
    ("ZT-PAAS-004", "app-inv-portal-weu"), ("ZT-PAAS-004", "sql-inv-invoices-weu"),
    ("ZT-PAAS-005", "app-inv-portal-weu"), ("ZT-PAAS-006", "sql-inv-invoices-weu"),
    ("ZT-PAAS-007", "kv-inv-legacy-weu"), ("ZT-PAAS-008", "kv-inv-legacy-weu"),
    ("ZT-PAAS-009", "aks-inv-batch-weu"), ("ZT-PAAS-010", "aks-inv-batch-weu"),
    ("ZT-PAAS-012", "app-inv-portal-weu"), ("ZT-PAAS-012", "app-inv-pdf-weu"),
    ("ZT-STG-007", "stinvflowlogsweu01"),
}


# virtual-wan-hub: (check id, resource name) of every finding, as its README lists them, on the
# template as on the export.
VWAN_FINDINGS = {
    ("ZT-HUB-006", "snet-crm-api"),
    ("ZT-SEG-003", "vm-crm-1"), ("ZT-SEG-004", "snet-crm-api"),
    ("ZT-HUB-009", "vnet-orders"), ("ZT-HUB-009", "vnet-crm"), ("ZT-HUB-009", "vhub-weu"),
    ("ZT-NET-006", "snet-crm-api"),
    ("ZT-STG-007", "stvwanflowlogsweu01"),
}


def check_virtual_wan(binary, root):
    expect_findings_on_both(binary, root, "virtual-wan-hub", VWAN_FINDINGS)
    estate = "examples/virtual-wan-hub/export"
    # Gap 1: the orders spoke reaches the CRM VM's SSH through the hub's router, around the firewall.
    ssh = explain(binary, root, estate, "--from", "vm-orders-1", "--to", "vm-crm-1", "--port", "22")
    assert ssh["verdict"] == "allowed", ssh["summary"]
    assert not any(h["kind"] == "firewall" for h in ssh["hops"]), ssh["hops"]
    assert any("VirtualHub" in h["detail"] for h in ssh["hops"]), ssh["hops"]
    # The README's fix for gaps 1 and 2: only the low storage finding is left, and the firewall
    # stops the SSH attempt.
    with tempfile.TemporaryDirectory() as scratch:
        with open(os.path.join(root, estate, "resources.json"), encoding="utf-8") as f:
            resources = json.load(f)
        for r in resources:
            if r["name"] == "ri-vhub-weu":
                policies = r["properties"]["routingPolicies"]
                policies.append({"name": "PrivateTraffic", "destinations": ["PrivateTraffic"],
                                 "nextHop": policies[0]["nextHop"]})
            if r["name"] == "conn-crm":
                r["properties"]["enableInternetSecurity"] = True
        with open(os.path.join(scratch, "resources.json"), "w", encoding="utf-8") as f:
            json.dump(resources, f)
        with open(os.path.join(root, estate, "ztnet-manifest.json"), encoding="utf-8") as f:
            manifest = f.read()
        with open(os.path.join(scratch, "ztnet-manifest.json"), "w", encoding="utf-8") as f:
            f.write(manifest)
        code, fixed = audit(binary, root, scratch)
        found = {(f["checkId"], f["resourceName"]) for f in fixed["findings"]}
        assert code == 0 and found == {("ZT-STG-007", "stvwanflowlogsweu01")}, (code, sorted(found))
        denied = explain(binary, root, scratch, "--from", "vm-orders-1", "--to", "vm-crm-1", "--port", "22")
        assert denied["verdict"] == "denied" and denied["hops"][-1]["kind"] == "firewall", denied["summary"]
    return len(VWAN_FINDINGS)


def expect_findings_on_both(binary, root, example, expected):
    """The example's audit exits 1 with exactly `expected` findings, on its export and its template."""
    for args in ([f"examples/{example}/export"],
                 [f"examples/{example}/template", "--subscription", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c",
                  "--location", "westeurope"]):
        code, report = audit(binary, root, *args)
        assert code == 1, f"{example} audit of {args[0]} exits {code}"
        found = {(f["checkId"], f["resourceName"]) for f in report["findings"]}
        assert found == expected, (f"{example} findings on {args[0]} differ from its README: "
                                   f"missing {sorted(expected - found)}, extra {sorted(found - expected)}")


def check_paas(binary, root):
    expect_findings_on_both(binary, root, "paas-spoke", PAAS_FINDINGS)
    return len(PAAS_FINDINGS)


def audit(binary, root, *args):
    out = subprocess.run([binary, "audit", *args, "--format", "json"], cwd=root, capture_output=True, timeout=300)
    return out.returncode, json.loads(out.stdout)


def explain(binary, root, estate, *args):
    out = subprocess.run([binary, "explain", estate, *args, "--format", "json"], cwd=root, capture_output=True,
                         timeout=300)
    assert out.returncode == 0, f"explain {args} exits {out.returncode}: {out.stderr.decode()[:500]}"
    return json.loads(out.stdout)


def hop(path, step):
    return next((h for h in path["hops"] if h["step"] == step), None)


def check_hybrid(binary, root):
    estate = "examples/hybrid-paas-spoke/export"
    run = subprocess.run([binary, "audit", estate, "--format", "json"], cwd=root, capture_output=True, timeout=300)
    errors = [line for line in run.stderr.decode().splitlines() if ": error:" in line or line.startswith("error")]
    assert run.returncode == 1 and not errors, f"hybrid-paas-spoke audit exits {run.returncode}: {errors[:3]}"
    report = json.loads(run.stdout)
    found = {(f["checkId"], f["resourceName"]) for f in report["findings"]}
    assert found == HYBRID_FINDINGS, f"hybrid-paas-spoke findings differ from its README: {sorted(found)}"
    assert report["intent"] and report["intent"]["holds"], "the intent beside hybrid-paas-spoke does not hold"

    # Offices -> app VM on 443: in through the VPN gateway, then the admin rules and nsg-app let it through.
    onprem = explain(binary, root, estate, "--from", "192.168.1.10", "--to", "vm-app-1", "--port", "443")
    assert onprem["verdict"] == "allowed", onprem
    assert onprem["hops"][0]["kind"] == "entry" and onprem["hops"][0]["resourceName"] == "vgw-hyb-hub", onprem["hops"][0]
    assert hop(onprem, "security admin rules (inbound)")["verdict"] == "allowed", onprem["hops"]
    assert hop(onprem, "destination subnet NSG (inbound)")["rule"] == "Allow-OnPrem-To-App-Https-Inbound"

    # Internet -> app VM on 22: the admin rule denies it (the VM has no public IP either).
    ssh = explain(binary, root, estate, "--from", "Internet", "--to", "vm-app-1", "--port", "22")
    admin = hop(ssh, "security admin rules (inbound)")
    assert ssh["verdict"] == "denied" and admin and admin["verdict"] == "denied", ssh
    assert admin["rule"] == "deny-ssh-rdp-from-internet", admin

    # App VM -> Internet on 445: the outbound admin rule decides before any NSG.
    smb = explain(binary, root, estate, "--from", "vm-app-1", "--to", "Internet", "--port", "445")
    assert smb["verdict"] == "denied" and smb["hops"][-1]["rule"] == "deny-smb-to-internet", smb

    # App VM -> the documents' private endpoint on 443: allowed through nsg-app and nsg-pe.
    blob = explain(binary, root, estate, "--from", "vm-app-1", "--to", "pe-sthybclaimsweu01-blob", "--port", "443")
    assert blob["verdict"] == "allowed", blob["summary"]
    return len(report["findings"]), onprem["verdict"]


def main() -> int:
    binary, root = sys.argv[1], sys.argv[2]
    code, zt = audit(binary, root, "examples/zero-trust-spoke/export")
    above_low = [f for f in zt["findings"] if f["severity"] != "low"]
    assert not above_low, f"zero-trust-spoke has findings above low: {above_low[:3]}"
    assert code == 0, f"zero-trust-spoke audit exits {code}"
    assert zt["intent"] and zt["intent"]["holds"], "the intent beside zero-trust-spoke was not verified"

    code, legacy = audit(binary, root, "examples/legacy-spoke/export")
    assert code == 1, f"legacy-spoke audit exits {code}"
    found = {(f["checkId"], f["resourceName"]) for f in legacy["findings"]}
    missing = [(gap, pair) for gap, pairs in LEGACY_GAPS.items() for pair in pairs if pair not in found]
    assert not missing, f"planted gaps not found: {missing}"
    assert legacy["intent"] and not legacy["intent"]["holds"]

    code, again = audit(binary, root, "examples/legacy-spoke/export")
    assert [f["fingerprint"] for f in again["findings"]] == [f["fingerprint"] for f in legacy["findings"]]

    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "suppressions.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("suppressions:\n"
                    "  - { check: ZT-VM-002, resource: vm-*, reason: generation 1 images until Q2, expires: 2027-06-30 }\n"
                    "  - { check: ZT-VM-003, resource: vm-*, reason: expired exception, expires: 2026-01-31 }\n")
        code, suppressed = audit(binary, root, "examples/legacy-spoke/export", "--suppressions", path,
                                 "--today", "2026-11-25")
        vm2 = [f for f in suppressed["findings"] if f["checkId"] == "ZT-VM-002"]
        vm3 = [f for f in suppressed["findings"] if f["checkId"] == "ZT-VM-003"]
        assert vm2 and all(f["suppressed"] == "generation 1 images until Q2" for f in vm2), vm2[:1]
        assert vm3 and all(f["suppressed"] is None for f in vm3), vm3[:1]
        assert [s["check"] for s in suppressed["suppressions"]["expired"]] == ["ZT-VM-003"]
        assert suppressed["summary"]["suppressed"] == len(vm2)
    hybrid_findings, onprem = check_hybrid(binary, root)
    paas_findings = check_paas(binary, root)
    vwan_findings = check_virtual_wan(binary, root)
    print(f"ok: zero-trust-spoke {len(zt['findings'])} low findings; legacy-spoke {len(legacy['findings'])} "
          f"findings covering all {len(LEGACY_GAPS)} gaps; hybrid-paas-spoke {hybrid_findings} findings, "
          f"offices -> vm-app-1:443 {onprem}; paas-spoke {paas_findings} findings on template and export; "
          f"virtual-wan-hub {vwan_findings} findings on template and export, closed by its README's fix")
    return 0


if __name__ == "__main__":
    sys.exit(main())
