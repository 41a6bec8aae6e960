#!/usr/bin/env python3
"""Runs one golden CLI case: tests/golden/<case>/cmd holds the arguments (one shell-quoted line,
relative to the repository root); expected.stdout, expected.stderr and expected.exit hold what the
run must print and return. ZTNET_UPDATE_GOLDEN=1 rewrites the expectations instead (review the diff).
"""
import os
import shlex
import subprocess
import sys


def main() -> int:
    binary, root, case_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(os.path.join(case_dir, "cmd"), encoding="utf-8") as f:
        args = shlex.split(f.read().strip())
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    run = subprocess.run([binary] + args, cwd=root, env=env, capture_output=True, timeout=300)
    actual = {
        "expected.stdout": run.stdout.decode("utf-8", "replace"),
        "expected.stderr": run.stderr.decode("utf-8", "replace"),
        "expected.exit": f"{run.returncode}\n",
    }
    if os.environ.get("ZTNET_UPDATE_GOLDEN") == "1":
        for name, text in actual.items():
            with open(os.path.join(case_dir, name), "w", encoding="utf-8") as f:
                f.write(text)
        return 0
    failed = False
    for name, text in actual.items():
        path = os.path.join(case_dir, name)
        expected = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if expected != text:
            failed = True
            print(f"--- {name} differs for {os.path.basename(case_dir)}")
            print("expected:\n" + (expected if expected is not None else "<missing file>"))
            print("actual:\n" + text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
