#!/usr/bin/env python3
"""End-to-end `ztnet diff` on the zero-trust-spoke export: against itself it reports nothing and
exits 0; after one added rule that opens RDP from the Internet to the App Gateway's subnet it
reports exactly that flow set, newly allowed, and exits 1; the reverse change is the same set,
newly denied.
"""
import json
import os
import subprocess
import sys
import tempfile

RULE = {
    "name": "AllowRdpFromInternet",
    "properties": {
        "priority": 150, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
        "destinationAddressPrefix": "10.1.0.0/24", "destinationPortRange": "3389",
    },
}


def run(binary, *args):
    result = subprocess.run([binary, "diff", *args, "--format", "json"], capture_output=True, timeout=300)
    return result.returncode, json.loads(result.stdout.decode("utf-8"))


def main() -> int:
    binary, root = sys.argv[1], sys.argv[2]
    original = os.path.join(root, "examples", "zero-trust-spoke", "export", "resources.json")
    code, same = run(binary, original, original)
    assert code == 0 and same["changes"] == [], f"self-diff: exit {code}, {same['changes'][:1]}"

    resources = json.load(open(original, encoding="utf-8"))
    nsg = next(r for r in resources if r["name"] == "nsg-appgw")
    nsg["properties"]["securityRules"].append(RULE)
    with tempfile.TemporaryDirectory() as scratch:
        changed = os.path.join(scratch, "resources.json")
        json.dump(resources, open(changed, "w", encoding="utf-8"))
        code, forward = run(binary, original, changed)
        assert code == 1, f"diff with a new rule exits {code}"
        changes = forward["changes"]
        assert changes, "the new rule changes nothing"
        for c in changes:
            assert c["from"].startswith("Internet") and c["to"] == "agw-spoke", c
            assert c["newlyAllowed"]["text"] == "tcp/3389", c["newlyAllowed"]
            assert c["newlyDenied"]["text"] == "none", c["newlyDenied"]
            assert any("AllowRdpFromInternet" in cause["text"] for cause in c["causes"]), c["causes"]
            assert c["after"]["verdict"] == "allowed" and c["before"]["verdict"] == "denied"
        code, backward = run(binary, changed, original)
        assert code == 1
        for c in backward["changes"]:
            assert c["newlyDenied"]["text"] == "tcp/3389" and c["newlyAllowed"]["text"] == "none", c
    print(f"ok: {len(changes)} change(s), each Internet -> agw-spoke tcp/3389")
    return 0


if __name__ == "__main__":
    sys.exit(main())
