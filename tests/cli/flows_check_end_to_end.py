#!/usr/bin/env python3
"""End-to-end `ztnet flows check` on the bundled examples: synthetic flow logs with planted traffic
(tests/observed/example_flow_logs.py) are ingested, then held against each example's export and
intent. The report must hold exactly the planted findings: the flows the intent forbids (lateral
ones marked), the intended flows Azure denied, the drift, the Internet reaching SSH, the scanner,
and the rule left unused (while the rules that carried traffic are not called unused). --since past
the traffic leaves nothing; a bad --since is a usage error. `ztnet audit --flows` carries the same
report. `harden --flows` cuts exactly the observed traffic the intent forbids, and without an
intent keeps all of it. The SARIF report validates against the SARIF 2.1.0 schema and holds one result per finding
of the JSON report, under its rule, placed in the input.

Usage: flows_check_end_to_end.py ZTNET PROJECT_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:  # the interpreter CMake found may lack it; Debian's python3-jsonschema is for /usr/bin/python3
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

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

    check_sarif(estate, store, intent, report, example)
    check_harden(estate, store, intent, report, example)

    # The audit with --flows carries the same report (the intent beside the export is used).
    audit = json.loads(run("audit", estate, "--flows", store, "--format", "json", expect=1))
    assert audit["flows"] == report, f"{example}: audit --flows differs from flows check"
    text = run("audit", estate, "--flows", store, expect=1)
    assert "Observed traffic" in text and "Traffic the intent forbids" in text, text[-2000:]
    # The audit's own findings carry the traffic their paths carried: the Internet reaching SSH is
    # evidence on the finding that says SSH is open to the Internet.
    observed = [f for f in audit["findings"] if any(e["text"].startswith("observed: ") for e in f["evidence"])]
    for destination, port in expected["management_reached"]:
        assert any(f"-> {destination} (" in e["text"] and f"/{port} (" in e["text"]
                   for f in observed for e in f["evidence"] if e["text"].startswith("observed: ")), \
            f"{example}: no finding carries the observed traffic to {destination}:{port}"
    assert f"{len(observed)} finding(s) above show a path that carried observed traffic" in text, text[-3000:]
    for f in observed:
        assert any(e["flow"] for e in f["evidence"]), f"{example}: observed evidence on a finding without a flow: {f}"

    # A window after the traffic holds nothing, and so finds nothing.
    late = json.loads(run("flows", "check", estate, "--store", store, "--intent", intent, "--format", "json",
                          "--since", "2024-01-15T11:00Z", expect=0))
    assert late["conversations"] == 0 and not late["drift"] and not late["scans"], late
    out = run("flows", "check", estate, "--store", store, "--since", "yesterday", expect=2)
    assert out == ""


def check_harden(estate, store, intent, report, example):
    """`harden --flows`: the plan cuts exactly the observed traffic the intent forbids, and its
    rules carry the intended traffic observed."""
    plan = json.loads(run("harden", estate, "--intent", intent, "--flows", store, "--format", "json", expect=0))
    observed = plan["observed"]
    cut = {(f["source"], f["destination"], f["destinationPort"]) for f in observed["cut"]}
    forbidden = {(b["flow"]["source"]["address"], b["flow"]["destination"]["address"],
                  b["flow"]["destinationPort"]) for b in report["forbiddenAllowed"]}
    assert cut == forbidden, f"{example}: harden cuts {cut}, the intent forbids {forbidden}"
    assert all(f["deniedBy"] for f in observed["cut"]), observed["cut"]
    carried = sum(r["observed"]["conversations"] for n in plan["nsgs"] for r in n["rules"] if "observed" in r)
    assert observed["conversations"] == 0 or carried > 0 or cut, f"{example}: no rule carries anything"
    text = run("harden", estate, "--intent", intent, "--flows", store, expect=0)
    assert "Observed traffic:" in text, text[:2000]
    # Without an intent, the traffic is what to allow: the plan proves against the intent the
    # traffic makes, keeps every allowed flow it holds, and each kept rule says what it carried.
    learnt = json.loads(run("harden", estate, "--flows", store, "--format", "json", expect=0))
    assert learnt["proof"]["holds"], learnt["proof"]
    assert learnt["observed"]["cut"] == [], f"{example}: the traffic's own plan cuts {learnt['observed']['cut']}"
    assert learnt["intent"].startswith("the traffic in "), learnt["intent"]
    kept = sum(r["observed"]["conversations"] for n in learnt["nsgs"] for r in n["rules"] if "observed" in r)
    assert kept > 0, f"{example}: no rule of the traffic's plan carries anything"
    assert run("harden", estate, expect=2) == ""


def check_sarif(estate, store, intent, report, example):
    schema = json.load(open(os.path.join(ROOT, "tests", "data", "sarif", "sarif-schema-2.1.0.json"), encoding="utf-8"))
    log = json.loads(run("flows", "check", estate, "--store", store, "--intent", intent, "--format", "sarif",
                         "--source-root", ROOT, expect=1))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert not errors, f"{example}: SARIF schema errors: {[e.message for e in errors[:5]]}"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_rule = {}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"], result
        assert result["partialFingerprints"]["ztnet/v1"], result
        by_rule[result["ruleId"]] = by_rule.get(result["ruleId"], 0) + 1
    reached = sum(1 for m in report["managementPorts"] if m["allowedTuples"])
    expected = {
        "ZT-FLOW-001": reached,
        "ZT-FLOW-002": len(report["drift"]),
        "ZT-FLOW-003": len(report["forbiddenAllowed"]),
        "ZT-FLOW-004": len(report["intendedDenied"]),
        "ZT-FLOW-005": len(report["scans"]),
        "ZT-FLOW-006": len(report["wideRules"]),
        "ZT-FLOW-007": len(report["managementPorts"]) - reached,
        "ZT-FLOW-008": len(report["unusedRules"]),
    }
    assert by_rule == {k: v for k, v in expected.items() if v}, f"{example}: {by_rule} != {expected}"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://"), run_
    # Rules are placed where the NSG rule is written; flows on the NIC that logged them.
    for result in run_["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith(f"examples/{example}/export/"), physical
        if result["ruleId"] in ("ZT-FLOW-006", "ZT-FLOW-008"):
            assert physical["region"]["startLine"] > 1, result
    # Most severe first.
    levels = [{"error": 0, "warning": 1, "note": 2}[r["level"]] for r in run_["results"]]
    assert levels == sorted(levels), f"{example}: results not most severe first"


def main():
    with tempfile.TemporaryDirectory(prefix="ztnet-flows-check-") as work:
        for example in ("legacy-spoke", "zero-trust-spoke"):
            check_example(work, example)
    print("flows check end to end: ok")


if __name__ == "__main__":
    main()
