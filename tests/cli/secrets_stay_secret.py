#!/usr/bin/env python3
"""Secrets stay secret: every command, in every output format, over a template, its parameters file
and an export whose secrets are distinctive strings (secure parameters' defaults and values, a
--param override, a literal connection string, custom data, protected settings, a connection string
in an export) prints none of them, on stdout, on stderr or in the -o file; and ZT-SEC-001 names
each place a secret is exposed, without the value, and not a place that only names a secret.
"""
import json
import os
import subprocess
import sys
import tempfile

MARK = "SECRET-"
INPUT = "tests/cli/inputs/secrets/estate"
OVERRIDE = ["--param", "sshKey=SECRET-override-wumpus-3141"]

COMMANDS = [
    (["inventory"], ["text", "json"]),
    (["check"], ["text", "json", "sarif", "html"]),
    (["audit"], ["text", "json", "sarif", "html"]),
    (["reach"], ["text", "json", "csv"]),
    (["rules"], ["text", "json"]),
    (["explain", "--from", "vm-secrets", "--to", "Internet", "--port", "443"], ["text", "json"]),
    (["diff"], ["text", "json", "markdown", "sarif"]),
]


def run(binary, root, args):
    out = subprocess.run([binary, *args], cwd=root, capture_output=True, timeout=300)
    return out.returncode, out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")


def main() -> int:
    binary, root = sys.argv[1], sys.argv[2]
    failures = []
    runs = 0
    with tempfile.TemporaryDirectory() as scratch:
        for command, formats in COMMANDS:
            for fmt in formats:
                inputs = [INPUT, INPUT] if command[0] == "diff" else [INPUT]
                args = [*command, *inputs, *OVERRIDE]
                if fmt != "text":
                    args += ["--format", fmt]
                output = None
                if command[0] not in ("explain",):
                    output = os.path.join(scratch, f"{command[0]}.{fmt}")
                    args += ["-o", output]
                code, text = run(binary, root, args)
                runs += 1
                if code not in (0, 1):
                    failures.append(f"{' '.join(args)}: exit {code}: {text[-1500:]}")
                    continue
                if output:
                    text += open(output, encoding="utf-8", errors="replace").read()
                if MARK in text:
                    at = text.index(MARK)
                    failures.append(f"{' '.join(args)} prints a secret: ...{text[max(0, at - 80):at + 40]}...")
        out = subprocess.run([binary, "check", INPUT, "--checks", "ZT-SEC-001", "--format", "json"], cwd=root,
                             capture_output=True, timeout=300)
        found = json.loads(out.stdout)
        messages = sorted(f["message"] for f in found["findings"])
        expected = [
            "nic-secrets: /tags/copied holds the value of secure parameter 'adminPassword'",
            "secure parameter 'adminPassword' has a default value written in the template",
            "secure parameter 'adminPassword' is given in plain text in the parameters file",
            "secure parameter 'sshKey' is given in plain text in the parameters file",
            "secure parameter 'vmSecrets' has a default value written in the template",
        ]
        for want in expected:
            if not any(want in m for m in messages):
                failures.append(f"ZT-SEC-001 misses '{want}': {messages}")
        if len(messages) != len(expected):
            failures.append(f"ZT-SEC-001 gives {len(messages)} findings, expected {len(expected)}: {messages}")
        # What only names a secret is not one: a Key Vault secret's id (keyVaultSecretId on the
        # firewall policy and the App Gateway certificate) in the zero-trust template.
        out = subprocess.run([binary, "check", "examples/zero-trust-spoke/template", "--checks", "ZT-SEC-001",
                              "--format", "json", "--subscription", "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c",
                              "--location", "westeurope"], cwd=root, capture_output=True, timeout=300)
        named = [f["message"] for f in json.loads(out.stdout)["findings"]]
        if named:
            failures.append(f"ZT-SEC-001 takes references to secrets for secrets: {named}")
    for f in failures:
        print("FAIL", f)
    print(f"{runs} runs over every command and format; {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
