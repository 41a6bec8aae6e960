#!/usr/bin/env python3
"""The pull-request gate end to end, on a before/after pair built from the zero-trust example's
template: the change adds one NSG rule that opens RDP (3389) from the Internet.

- `diff --format markdown` names the flow set, the rule that opens it and the line it is written on,
  and the findings the change adds; the reverse change is newly denied and removes them; a template
  against itself has nothing to say and exits 0.
- `diff --format sarif` validates against the SARIF 2.1.0 schema and places the newly allowed flow set
  and the new finding on the inserted rule's line of the AFTER template.
- `diff --git-base REV PATH` compares a path of a git work tree with itself at REV, and says so in the
  comment; a path the revision does not hold compares with nothing; a bad revision is a usage error.
- A rule name made of Markdown and HTML stays text: no raw tag, no extra table cell.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:  # Debian's python3-jsonschema is for /usr/bin/python3
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

RULE = """                  {{
                    "name": "{name}",
                    "properties": {{
                      "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "3389",
                      "sourceAddressPrefix": "Internet", "destinationAddressPrefix": "*",
                      "access": "Allow", "priority": 150, "direction": "Inbound"
                    }}
                  }},"""


def with_rdp_rule(template_dir, out_dir, name="Allow-Rdp-From-Internet"):
    """The template folder copied to out_dir (or edited in place), its nsg-appgw holding the rule first;
    the rule's line."""
    if os.path.abspath(template_dir) != os.path.abspath(out_dir):
        shutil.copytree(template_dir, out_dir, dirs_exist_ok=True)
    path = os.path.join(out_dir, "azuredeploy.json")
    lines = open(path, encoding="utf-8").read().split("\n")
    nsg = next(k for k, line in enumerate(lines) if '"name": "nsg-appgw"' in line)
    rules = next(k for k in range(nsg, len(lines)) if '"securityRules": [' in lines[k])
    lines[rules + 1:rules + 1] = RULE.format(name=name).split("\n")
    open(path, "w", encoding="utf-8").write("\n".join(lines))
    return rules + 2  # 1-based line of the rule's opening brace


def ztnet(binary, *args, cwd=None):
    out = subprocess.run([binary, "diff", *args], capture_output=True, timeout=300, cwd=cwd)
    return out.returncode, out.stdout.decode("utf-8"), out.stderr.decode("utf-8")


def table_rows(markdown, title):
    """The data rows of the table under **title**, each split into cells on unescaped pipes."""
    block = markdown.split(f"**{title}**", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in block.split("\n") if line.startswith("| ") and not line.startswith("| ---")][1:]
    return [re.split(r"(?<!\\)\|", row)[1:-1] for row in rows]


def check_markdown(binary, before, after, line):
    code, text, err = ztnet(binary, before, after, "--format", "markdown")
    assert code == 1, f"exit {code}: {err}"
    assert text.startswith("### ztnet: this change newly allows 1 flow set and adds"), text[:200]
    allowed = table_rows(text, "Newly allowed")
    assert len(allowed) == 1, allowed
    source, target, services, cause = (c.strip() for c in allowed[0])
    assert source == "Internet" and target.startswith("agw\\-spoke") or target.startswith("agw-spoke"), allowed
    assert services == "`tcp/3389`", services
    assert "Allow\\-Rdp\\-From\\-Internet" in cause or "Allow-Rdp-From-Internet" in cause, cause
    assert f"azuredeploy.json:{line}:" in cause, cause
    added = table_rows(text, "Findings added")
    assert any(row[1].strip() == "ZT-NET-005" and f"azuredeploy.json:{line}:" in row[3] for row in added), added
    assert "**Newly denied**" not in text and "**Findings removed**" not in text
    assert "How the Internet gets in now" in text
    # The reverse change denies what the rule allowed and removes its findings.
    code, back, err = ztnet(binary, after, before, "--format", "markdown")
    assert code == 1, err
    assert "newly denies 1 flow set" in back and "removes" in back, back[:300]
    assert table_rows(back, "Newly denied")[0][2].strip() == "`tcp/3389`"
    code, same, err = ztnet(binary, before, before, "--format", "markdown")
    assert code == 0 and "no change in reachability or findings" in same, (code, same, err)


def check_sarif(binary, before, after, line, validator):
    code, text, err = ztnet(binary, before, after, "--format", "sarif")
    assert code == 1, err
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]

    def placed(result):
        physical = result["locations"][0]["physicalLocation"]
        return physical["artifactLocation"]["uri"], physical["region"]["startLine"]

    flows = [r for r in run["results"] if r["ruleId"] == "ZT-DIFF-ALLOW"]
    assert len(flows) == 1 and "tcp/3389" in flows[0]["message"]["text"], flows
    assert flows[0]["level"] == "error"  # from the Internet
    assert placed(flows[0]) == ("after/azuredeploy.json", line), placed(flows[0])
    new_finding = [r for r in run["results"] if r["ruleId"] == "ZT-NET-005"]
    assert new_finding and placed(new_finding[0]) == ("after/azuredeploy.json", line), new_finding
    for r in run["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"], r
    # Nothing to report: a valid log with no results.
    code, text, _ = ztnet(binary, before, before, "--format", "sarif")
    assert code == 0 and json.loads(text)["runs"][0]["results"] == []


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.email=ci@example.invalid", "-c", "user.name=ci",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, timeout=60)


def check_git_base(binary, template, scratch):
    repo = os.path.join(scratch, "repo")
    os.makedirs(repo)
    shutil.copytree(template, os.path.join(repo, "infra"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    line = with_rdp_rule(os.path.join(repo, "infra"), os.path.join(repo, "infra"))
    code, text, err = ztnet(binary, "--git-base", "HEAD", "infra", "--format", "markdown", cwd=repo)
    assert code == 1, err
    assert re.search(r"HEAD \([0-9a-f]{10}\) → infra on disk", text), text[:300]
    assert f"infra/azuredeploy.json:{line}:" in text and "newly allows 1 flow set" in text, text[:600]
    assert "ztnet-base-" not in text + err, "the temporary folder shows"
    code, text, err = ztnet(binary, "--git-base", "HEAD", "infra", "--format", "sarif", cwd=repo)
    flows = [r for r in json.loads(text)["runs"][0]["results"] if r["ruleId"] == "ZT-DIFF-ALLOW"]
    assert [f["locations"][0]["physicalLocation"]["region"]["startLine"] for f in flows] == [line], flows
    # A folder the base does not hold: everything it allows is new.
    shutil.copytree(template, os.path.join(repo, "added"))
    code, text, err = ztnet(binary, "--git-base", "HEAD", "added", "--format", "markdown", cwd=repo)
    assert code == 1 and "newly allows" in text and "Newly denied" not in text, (code, text[:300], err)
    code, _, err = ztnet(binary, "--git-base", "no-such-revision", "infra", cwd=repo)
    assert code == 2 and "names no commit" in err, (code, err)
    code, _, err = ztnet(binary, "--git-base", "HEAD", "infra", "infra", cwd=repo)
    assert code == 2 and "give one path" in err, (code, err)
    assert not [d for d in os.listdir(tempfile.gettempdir()) if d.startswith("ztnet-base-")], "left behind"


def check_hostile_name(binary, template, scratch):
    before = os.path.join(scratch, "hostile-before")
    after = os.path.join(scratch, "hostile-after")
    shutil.copytree(template, before)
    name = "x|y`z`<img src=q onerror=alert(1)>[a](http://e.invalid)\\u202e"
    with_rdp_rule(template, after, name=name)  # \u202e: a JSON escape, RIGHT-TO-LEFT OVERRIDE
    code, text, err = ztnet(binary, before, after, "--format", "markdown")
    assert code == 1, err
    assert "<img" not in text and "](http" not in text, text
    assert "\u202e" not in text and "\\u{202E}" in text
    for row in table_rows(text, "Newly allowed") + table_rows(text, "Findings added"):
        assert len(row) == 4, row


def main() -> int:
    binary, root, schema_path = (os.path.abspath(a) for a in sys.argv[1:4])
    validator = jsonschema.Draft4Validator(json.load(open(schema_path, encoding="utf-8")))
    template = os.path.join(root, "examples", "zero-trust-spoke", "template")
    os.environ["TMPDIR"] = tempfile.mkdtemp(prefix="ztnet-gate-")
    tempfile.tempdir = os.environ["TMPDIR"]
    try:
        with tempfile.TemporaryDirectory() as scratch:
            os.chdir(scratch)
            shutil.copytree(template, "before")
            line = with_rdp_rule(template, "after")
            check_markdown(binary, "before", "after", line)
            check_sarif(binary, "before", "after", line, validator)
            check_git_base(binary, template, scratch)
            check_hostile_name(binary, template, scratch)
    finally:
        shutil.rmtree(os.environ["TMPDIR"], ignore_errors=True)
    print("ok: markdown, SARIF and --git-base place the new RDP rule on its line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
