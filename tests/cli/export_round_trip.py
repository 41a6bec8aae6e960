#!/usr/bin/env python3
"""scripts/ztnet-export against a fake az that replays an estate built from an example (legacy-spoke,
and paas-spoke for the PaaS children): its resources split across the Resource Graph tables they
live in (Resources in two pages, SecurityResources, AuthorizationResources), the diagnostic
settings, and the children read from ARM per parent (SQL firewall rules and Entra-only
authentication, App Service web configuration). The folder it writes must
check exactly like the example's export (same findings, same resources), carry a manifest with the
counts, and a failing query must stop the script with az's message.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SUBSCRIPTION = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c"


def table_of(resource):
    t = resource["type"].lower()
    if t == "microsoft.security/pricings":
        return "SecurityResources"
    if t.startswith("microsoft.authorization/"):
        return "AuthorizationResources"
    if t == "microsoft.insights/diagnosticsettings":
        return "diagnostic-settings"
    return "Resources"


# Children Resource Graph does not hold, which the script reads from ARM per parent: the list or
# object a GET of "<parent id>/<suffix>" answers.
ARM_CHILDREN = {
    "microsoft.sql/servers/firewallrules": ("microsoft.sql/servers", "firewallRules", "list"),
    "microsoft.sql/servers/azureadonlyauthentications": ("microsoft.sql/servers", "azureADOnlyAuthentications", "list"),
    "microsoft.web/sites/config": ("microsoft.web/sites", "config/web", "object"),
}


def rest_file(answers, url):
    path = url.split("?")[0].strip("/").lower().replace("/", "~")
    os.makedirs(os.path.join(answers, "rest"), exist_ok=True)
    return os.path.join(answers, "rest", path + ".json")


def record(example, answers):
    resources = json.load(open(example, encoding="utf-8"))
    tables = {"Resources": [], "SecurityResources": [], "AuthorizationResources": [], "diagnostic-settings": []}
    arm = {}  # GET url -> answer
    for r in resources:
        child = ARM_CHILDREN.get(r["type"].lower())
        if child is None:
            tables[table_of(r)].append(r)
            continue
        parent = r["id"][: r["id"].lower().rindex("/" + child[1].split("/")[0].lower() + "/")]
        url = f"{parent}/{child[1]}"
        if child[2] == "list":
            arm.setdefault(url, {"value": []})["value"].append(r)
        else:
            arm[url] = r
    for r in tables["Resources"]:  # what ARM answers for a parent without such children
        for parent_type, suffix, shape in ARM_CHILDREN.values():
            if r["type"].lower() == parent_type:
                arm.setdefault(f"{r['id']}/{suffix}", {"value": []} if shape == "list" else
                               {"id": f"{r['id']}/{suffix}", "type": "Microsoft.Web/sites/config", "name": "web",
                                "properties": {}})
    for url, body in arm.items():
        json.dump(body, open(rest_file(answers, url), "w", encoding="utf-8"))
    page = len(tables["Resources"]) // 2
    pages = {
        "Resources-1.json": {"count": page, "data": tables["Resources"][:page], "skip_token": "page2"},
        "Resources-page2.json": {"count": len(tables["Resources"]) - page, "data": tables["Resources"][page:]},
        "SecurityResources-1.json": {"count": len(tables["SecurityResources"]), "data": tables["SecurityResources"]},
        "AuthorizationResources-1.json": {"count": len(tables["AuthorizationResources"]),
                                          "data": tables["AuthorizationResources"]},
        "diagnostic-settings.json": {"value": tables["diagnostic-settings"]},
    }
    for name, body in pages.items():
        json.dump(body, open(os.path.join(answers, name), "w", encoding="utf-8"))
    open(os.path.join(answers, "account.txt"), "w").write(SUBSCRIPTION + "\n")
    return {k: len(v) for k, v in tables.items()}


def findings(ztnet, root, path):
    out = subprocess.run([ztnet, "check", path, "--format", "json"], cwd=root, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode in (0, 1), out.stderr[-2000:]
    report = json.loads(out.stdout)
    return sorted((f["checkId"], f["resourceId"].lower(), f["message"]) for f in report["findings"])


def main() -> int:
    ztnet, root = sys.argv[1], sys.argv[2]
    script = os.path.join(root, "scripts", "ztnet-export")
    fake = os.path.join(root, "tests", "cli", "fake_az")
    for example in ("legacy-spoke", "paas-spoke"):
        round_trip(ztnet, root, script, fake, example)
    return 0


def round_trip(ztnet, root, script, fake, example):
    with tempfile.TemporaryDirectory() as scratch:
        answers = os.path.join(scratch, "answers")
        os.mkdir(answers)
        counts = record(os.path.join(root, "examples", example, "export", "resources.json"), answers)
        env = dict(os.environ, FAKE_AZ_DIR=answers, PATH=fake + os.pathsep + os.environ["PATH"])
        exported = os.path.join(scratch, "export")
        run = subprocess.run([script, "-o", exported], env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        calls = open(os.path.join(answers, "calls.log")).read()
        assert "--skip-token page2" in calls, "the second page is asked for"
        manifest = json.load(open(os.path.join(exported, "ztnet-manifest.json")))
        assert manifest["counts"]["Resources"] == counts["Resources"], manifest
        assert "Microsoft.Security/pricings" in manifest["collected"], manifest
        assert manifest["scopes"]["subscriptions"] == [SUBSCRIPTION], manifest
        got = findings(ztnet, root, exported)
        want = findings(ztnet, root, f"examples/{example}/export")
        assert got == want, f"{len(got)} findings from the export, {len(want)} from the example: " + \
            str(sorted(set(got) ^ set(want))[:5])
        # A query that fails stops the script with az's message, and no manifest claims completeness.
        failed = os.path.join(scratch, "failed")
        env["FAKE_AZ_FAIL"] = "AuthorizationResources"
        run = subprocess.run([script, "-o", failed], env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode != 0, run.stdout
        assert "AuthorizationFailed" in run.stderr, run.stderr
        assert not os.path.exists(os.path.join(failed, "ztnet-manifest.json"))
        print(f"ok: {example}: {len(got)} findings alike; {counts}")


if __name__ == "__main__":
    sys.exit(main())
