#!/usr/bin/env python3
"""`ztnet fix` end to end on the legacy example's template, as a user runs it:

- the diff it prints applies with `git apply` to a copy of the template and gives exactly the
  patched copy `--write` writes;
- `ztnet audit` of the patched copy has none of the findings the proved fixes remove, and no
  finding more than `fix` said it would have;
- `ztnet fix` on the patched copy finds nothing more it can prove (the fixes are complete).

Usage: fix_end_to_end.py ZTNET PROJECT_ROOT
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ZTNET, ROOT = sys.argv[1], sys.argv[2]
TEMPLATE = "examples/legacy-spoke/template"
INTENT = "examples/legacy-spoke/three-tier.ztnet.yaml"


def ztnet(*args, cwd=ROOT, ok=(0,)):
    done = subprocess.run([ZTNET, *args], cwd=cwd, capture_output=True, timeout=600)
    assert done.returncode in ok, f"ztnet {' '.join(args)}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}"
    return done.stdout.decode("utf-8")


def main():
    with tempfile.TemporaryDirectory() as work:
        written = os.path.join(work, "written")
        report = json.loads(ztnet("fix", TEMPLATE, "--intent", INTENT, "--format", "json", "--write", written))
        proved = [f for f in report["fixes"] if f["status"] == "proved"]
        assert len(proved) >= 8, [f["title"] for f in report["fixes"]]
        removed = {r["fingerprint"] for f in proved for r in f["removes"]}

        # The diff, applied by git to a copy of the original, gives the written copy.
        diff = ztnet("fix", TEMPLATE, "--intent", INTENT, "--format", "diff")
        applied = os.path.join(work, "applied")
        shutil.copytree(os.path.join(ROOT, TEMPLATE), os.path.join(applied, TEMPLATE))
        subprocess.run(["git", "apply", "-"], cwd=applied, input=diff.encode(), check=True)
        name = os.path.join(TEMPLATE, "azuredeploy.json")
        assert open(os.path.join(applied, name)).read() == open(os.path.join(written, name)).read()

        # The patched template, with its parameters file beside it, audited as any template.
        shutil.copy(os.path.join(ROOT, TEMPLATE, "azuredeploy.parameters.json"), os.path.join(written, TEMPLATE))
        patched = os.path.join(written, TEMPLATE)
        audit = json.loads(ztnet("audit", patched, "--intent", INTENT, "--format", "json", ok=(0, 1)))
        after = {f["fingerprint"] for f in audit["findings"]}
        assert not removed & after, f"fixed findings are back: {removed & after}"
        assert len(after) == report["findingsAfter"], (len(after), report["findingsAfter"])

        # Nothing more to prove on the patched template.
        again = json.loads(ztnet("fix", patched, "--intent", INTENT, "--format", "json"))
        assert not [f for f in again["fixes"] if f["status"] == "proved"], again["fixes"]
        assert not again["files"], again["files"]
    print(f"ok: {len(proved)} fixes proved, {len(removed)} findings removed, the patch applies and re-audits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
