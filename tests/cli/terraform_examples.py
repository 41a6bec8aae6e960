#!/usr/bin/env python3
"""The bundled examples' Terraform versions (examples/*/terraform/):

- the committed .tf files and plan.json are what examples/terraform_from_export.py writes;
- every command that reads an estate answers on the plan (never a usage or internal error);
- `check` gives the same findings (check and resource) on the plan as on the export, except where the export's manifest
  says a subscription-wide type was collected and found absent (Defender plans, diagnostic
  settings) while a plan holds only what Terraform manages: those checks must be "not assessed" on
  the plan, never silently passed;
- `explain` and `reach` give the same answers on the plan as on the export.
"""
import json
import os
import subprocess
import sys

SUBSCRIPTION = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"


def run(binary, root, args, ok=(0, 1)):
    run_ = subprocess.run([binary] + args, cwd=root, capture_output=True, text=True, timeout=600)
    if run_.returncode not in ok:
        raise AssertionError(f"ztnet {' '.join(args)} exited {run_.returncode}:\n{run_.stderr}")
    return run_


def findings(binary, root, path):
    out = json.loads(run(binary, root, ["check", "--format", "json", path]).stdout)
    # A finding is a check on a resource. Its message lists names in the input's order, and may quote
    # what only the export knows (a public IP's address): it is not compared.
    keys = {(f["checkId"], f["resourceId"].lower()) for f in out["findings"]}
    not_assessed = {n["checkId"]: n["reason"] for n in out["notAssessed"] if n.get("everyFindingOfTheCheck")}
    return keys, not_assessed


def compare_checks(binary, root, example):
    problems = []
    plan_keys, plan_not_assessed = findings(binary, root, f"examples/{example}/terraform/plan.json")
    export_keys, _ = findings(binary, root, f"examples/{example}/export")
    for key in sorted(plan_keys - export_keys):
        problems.append(f"only on the plan: {key}")
    for key in sorted(export_keys - plan_keys):
        reason = plan_not_assessed.get(key[0], "")
        if "the input holds no" not in reason:
            problems.append(f"only on the export, and not said to be not assessed on the plan: {key}")
    if not plan_keys:
        problems.append("no finding on the plan at all")
    return problems


def explain(binary, root, path, frm, to, port):
    out = run(binary, root, ["explain", path, "--from", frm, "--to", to, "--port", str(port),
                             "--format", "json", "--subscription", SUBSCRIPTION])
    return json.loads(out.stdout)["verdict"]


def main():
    binary, root = sys.argv[1], sys.argv[2]
    examples = sorted(d for d in os.listdir(os.path.join(root, "examples"))
                      if os.path.isfile(os.path.join(root, "examples", d, "terraform", "plan.json")))
    if len(examples) < 2:
        print(f"expected two examples with a Terraform version, found {examples}")
        return 1
    failed = False
    for example in examples:
        problems = []
        current = subprocess.run([sys.executable, "examples/terraform_from_export.py", f"examples/{example}",
                                  "--check"], cwd=root, capture_output=True, text=True)
        if current.returncode != 0:
            problems.append(f"the committed Terraform files are not what the generator writes:\n{current.stdout}"
                            f"{current.stderr}")
        plan = f"examples/{example}/terraform/plan.json"
        intent = next(os.path.join("examples", example, f) for f in os.listdir(os.path.join(root, "examples", example))
                      if f.endswith(".ztnet.yaml"))
        for args in (["inventory", plan], ["check", plan], ["audit", plan], ["reach", plan], ["rules", plan],
                     ["verify", plan, "--intent", intent], ["harden", plan, "--intent", intent],
                     ["fix", plan, "--intent", intent], ["diff", plan]):
            try:
                run(binary, root, args)
            except AssertionError as e:
                problems.append(str(e))
        problems += compare_checks(binary, root, example)
        for frm, to, port in (("Internet", "vm-web-1", 3389), ("Internet", "vm-web-1", 443),
                              ("vm-web-1", "vm-data-1", 1433), ("vm-app-1", "vm-data-1", 1433)):
            a = explain(binary, root, plan, frm, to, port)
            b = explain(binary, root, f"examples/{example}/export", frm, to, port)
            if a != b:
                problems.append(f"explain {frm} -> {to}:{port}: plan says {a}, export says {b}")
        print(f"{example}: {'agrees' if not problems else f'{len(problems)} problem(s)'}")
        for p in problems:
            print("  " + p)
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
