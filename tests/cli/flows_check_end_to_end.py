#!/usr/bin/env python3
"""End-to-end `ztnet flows check` on the bundled examples: synthetic flow logs with planted traffic
(tests/observed/example_flow_logs.py) are ingested, then held against each example's export and
intent. The report must hold exactly the planted findings: the flows the intent forbids (lateral
ones marked), the intended flows Azure denied, the drift, the Internet reaching SSH, the scanner,
and the rule left unused (while the rules that carried traffic are not called unused). --since past
the traffic leaves nothing; a bad --since is a usage error. `ztnet audit --flows` carries the same
report.

Usage: flows_check_end_to_end.py ZTNET PROJECT_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

ZTNET, ROOT = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(ROOT, "tests", "observed"))
import example_flow_logs  # noqa: E402


def run(*args, expect):
    result = subprocess.run([ZTNET, *args], capture_output=True, timeout=600)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == expect, f"ztnet {' '.join(args)}: exit {result.returncode}\n{err}\n{out[-3000:]}"
    return out


def check_example(work, example):
    logs = os.path.join(work, example)
    store = os.path.join(work, example + ".db")
    example_flow_logs.write(logs, example)
    run("flows", "ingest", logs, "--store", store, expect=0)
    estate = os.path.join(ROOT, "examples", example, "export")
    intent = os.path.join(ROOT, "examples", example, "three-tier.ztnet.yaml")
    report = json.loads(run("flows", "check", estate, "--store", store, "--intent", intent, "--format", "json",
                            expect=1))
    expected = example_flow_logs.EXPECTED[example]

    def key(flow):
        return flow["source"]["address"], flow["destination"]["address"], flow["destinationPort"]

    forbidden = {key(b["flow"]) + (b["lateral"],) for b in report["forbiddenAllowed"]}
    assert forbidden == expected["forbidden"], f"{example}: forbidden {forbidden}"
    blocked = {key(b["flow"]) for b in report["intendedDenied"]}
    assert blocked == expected["blocked"], f"{example}: blocked {blocked}"
    assert all(b["intentFlow"] for b in report["intendedDenied"]), f"{example}: an intent flow is unnamed"
    drift = {key(d["flow"]) for d in report["drift"]}
    assert drift == expected["drift"], f"{example}: drift {drift}"
    reached = {(m["destination"]["address"], m["port"]) for m in report["managementPorts"] if m["allowedTuples"]}
    assert reached == expected["management_reached"], f"{example}: management {reached}"
    scanners = {s["source"]["address"] for s in report["scans"]}
    assert scanners == expected["scanners"], f"{example}: scanners {scanners}"
    unused = {u["rule"] for u in report["unusedRules"]}
    assert expected["unused"] <= unused, f"{example}: unused {unused}"
    assert not (expected["used"] & unused), f"{example}: rules that carried traffic called unused: {expected['used'] & unused}"
    assert report["unattributed"] == 0 and report["undecidable"] == 0, f"{example}: {report}"

    # The audit with --flows carries the same report (the intent beside the export is used).
    audit = json.loads(run("audit", estate, "--flows", store, "--format", "json", expect=1))
    assert audit["flows"] == report, f"{example}: audit --flows differs from flows check"
    text = run("audit", estate, "--flows", store, expect=1)
    assert "Observed traffic" in text and "Traffic the intent forbids" in text, text[-2000:]

    # A window after the traffic holds nothing, and so finds nothing.
    late = json.loads(run("flows", "check", estate, "--store", store, "--intent", intent, "--format", "json",
                          "--since", "2024-01-15T11:00Z", expect=0))
    assert late["conversations"] == 0 and not late["drift"] and not late["scans"], late
    out = run("flows", "check", estate, "--store", store, "--since", "yesterday", expect=2)
    assert out == ""


def main():
    with tempfile.TemporaryDirectory(prefix="ztnet-flows-check-") as work:
        for example in ("legacy-spoke", "zero-trust-spoke"):
            check_example(work, example)
    print("flows check end to end: ok")


if __name__ == "__main__":
    main()
