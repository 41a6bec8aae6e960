#!/usr/bin/env python3
"""`ztnet audit --format sarif` on both examples (export, template and Terraform plan), and `ztnet paths --format
sarif` on the legacy one, validate against the SARIF 2.1.0 JSON schema, and carries what code scanning needs: rule metadata for every result, and for
template inputs a physical location with the line and column of the resource.

The schema is the OASIS SARIF 2.1.0 schema, kept in tests/data/sarif/ (see SOURCE.md there).
"""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:  # the interpreter CMake found may lack it; Debian's python3-jsonschema is for /usr/bin/python3
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

SCOPE = ["--subscription", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c", "--location", "westeurope"]


def main() -> int:
    binary, root, schema_path = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.exists(schema_path):
        print(f"missing {schema_path}")
        return 1
    schema = json.load(open(schema_path, encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    runs = [
        ["examples/legacy-spoke/export"],
        ["examples/zero-trust-spoke/export"],
        ["examples/legacy-spoke/template"] + SCOPE,
        ["examples/legacy-spoke/terraform/plan.json"],
    ]
    # The audit, then the attack paths of the examples with an attack path.
    commands = [["audit", *args] for args in runs] + [["paths", *args] for args in runs[:1] + runs[2:]]
    for command in commands:
        args = command[1:]
        out = subprocess.run([binary, *command, "--format", "sarif"], cwd=root, capture_output=True,
                             timeout=300)
        assert out.returncode in (0, 1), f"{args}: exit {out.returncode}: {out.stderr.decode()[-2000:]}"
        log = json.loads(out.stdout)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors[:10]:
            print(f"{args[0]}: {'/'.join(map(str, e.path))}: {e.message}")
        assert not errors, f"{len(errors)} schema errors"
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        for result in run["results"]:
            rule = rules[result["ruleIndex"]]
            assert rule["id"] == result["ruleId"], result
            assert rule["shortDescription"]["text"] and rule["help"]["text"], rule
            assert result["partialFingerprints"]["ztnet/v1"], result
        check_code_scanning_limits(run)
        if "template" in args[0]:
            for r in run["results"]:
                loc = r["locations"][0]["physicalLocation"]
                assert loc["artifactLocation"]["uri"].endswith(".json"), loc
        if "terraform" in args[0] and command[0] == "audit":  # each result also names its Terraform resource
            for r in run["results"]:
                names = [l for l in r["locations"][0]["logicalLocations"] if l["kind"] == "declaration"]
                assert len(names) == 1 and names[0]["fullyQualifiedName"].startswith("azurerm_"), r["locations"]
        assert command[0] != "paths" or run["results"], f"paths {args[0]}: the legacy spoke has attack paths"
        print(f"ok: {command[0]} {args[0]}: {len(run['results'])} results, {len(rules)} rules")
    return 0


def check_code_scanning_limits(run, max_results=5000):
    """What GitHub code scanning needs and accepts: a physical location on every result (relative to
    %SRCROOT%), at most 25,000 results per run (ztnet's default keeps the 5,000 it stores), 1,000
    locations per result and 20 tags per rule."""
    results = run["results"]
    assert len(results) <= min(max_results, 25000), len(results)
    for r in results:
        loc = r["locations"][0].get("physicalLocation")
        assert loc, f"no physical location: {r['ruleId']} {r['message']['text'][:100]}"
        artifact = loc["artifactLocation"]
        assert artifact.get("uriBaseId") == "%SRCROOT%", artifact
        assert not artifact["uri"].startswith("/") and "://" not in artifact["uri"], artifact
        assert loc["region"]["startLine"] >= 1, loc
        assert len(r["locations"]) + len(r.get("relatedLocations", [])) <= 1000, r["ruleId"]
    for rule in run["tool"]["driver"]["rules"]:
        assert len(rule.get("properties", {}).get("tags", [])) <= 20, rule["id"]


if __name__ == "__main__":
    sys.exit(main())
