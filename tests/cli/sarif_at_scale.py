#!/usr/bin/env python3
"""The SARIF of a 10,000-NIC estate stays within GitHub code scanning's limits by default: a
generated export of about 10,000 NICs (ztnet-gen-export), audited with --format sarif, gives at
most 5,000 results (the most severe, one per check and resource, the others as related
locations), a run notification of what was left out, and a physical location on every result.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from validate_sarif import check_code_scanning_limits  # noqa: E402


def main() -> int:
    ztnet, generator = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as scratch:
        export = os.path.join(scratch, "estate.json")
        with open(export, "wb") as out:
            subprocess.run([generator, "64", "7"], stdout=out, check=True, timeout=300)
        inventory = subprocess.run([ztnet, "inventory", export], capture_output=True, text=True, timeout=600)
        nics = [int(line.split()[-1]) for line in inventory.stdout.splitlines() if "networkInterfaces" in line]
        assert nics and nics[0] >= 10000, inventory.stdout[:500]
        sarif = os.path.join(scratch, "audit.sarif")
        run = subprocess.run([ztnet, "audit", export, "--format", "sarif", "-o", sarif], cwd=scratch,
                             capture_output=True, text=True, timeout=900)
        assert run.returncode in (0, 1), run.stderr[-2000:]
        log = json.load(open(sarif, encoding="utf-8"))
        results = log["runs"][0]["results"]
        check_code_scanning_limits(log["runs"][0])
        assert len(results) == 5000, len(results)
        notes = log["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
        assert notes and "left out" in notes[0]["message"]["text"], notes
        levels = [r["level"] for r in results]
        rank = {"error": 0, "warning": 1, "note": 2}
        assert levels == sorted(levels, key=rank.get), "the most severe results come first"
        size = os.path.getsize(sarif)
        print(f"ok: {nics[0]} NICs, {len(results)} results kept, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
