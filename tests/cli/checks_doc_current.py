#!/usr/bin/env python3
"""docs/checks.md must equal `ztnet checks --format markdown` (the registry is its only source)."""
import subprocess
import sys


def main() -> int:
    binary, root = sys.argv[1], sys.argv[2]
    generated = subprocess.run([binary, "checks", "--format", "markdown"], capture_output=True, check=True).stdout
    committed = open(f"{root}/docs/checks.md", "rb").read()
    if generated != committed:
        print("docs/checks.md is stale: run `./build/release/bin/ztnet checks --format markdown > docs/checks.md`")
        return 1
    print("ok: docs/checks.md matches the registry")
    return 0


if __name__ == "__main__":
    sys.exit(main())
