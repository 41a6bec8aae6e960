#!/usr/bin/env python3
"""What ztnet does for a person at a terminal, and never in a pipe or a CI log.

On pseudo-terminals: the audit's severities are in colour on stdout, and a progress line with the
phase and its elapsed time is on stderr, cleared before the report. NO_COLOR turns the colour off;
CI turns the progress off; TERM=dumb turns both off. In pipes there is no escape sequence at all.
--quiet (before or after the subcommand) keeps warnings and progress off stderr, never errors.
"""
import os
import pty
import subprocess
import sys
import tempfile
import threading

ESC = b"\x1b["


def drain(fd, into):
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed
            return
        if not chunk:
            return
        into.append(chunk)


def on_terminals(args, env_changes, cwd):
    """Runs with stdout and stderr each on a pseudo-terminal; (exit, stdout, stderr) bytes."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    env["TERM"] = "xterm"
    env.update(env_changes)
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    process = subprocess.Popen(args, stdout=out_slave, stderr=err_slave, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    os.close(out_slave)
    os.close(err_slave)
    out, err = [], []
    readers = [threading.Thread(target=drain, args=(out_master, out)), threading.Thread(target=drain, args=(err_master, err))]
    for r in readers:
        r.start()
    code = process.wait(timeout=300)
    for r in readers:
        r.join(timeout=30)
    os.close(out_master)
    os.close(err_master)
    return code, b"".join(out), b"".join(err)


def main() -> int:
    binary, root = sys.argv[1], sys.argv[2]
    audit = [binary, "audit", "examples/legacy-spoke/export"]

    code, out, err = on_terminals(audit, {}, root)
    assert code == 1, (code, err[-500:])
    assert b"\x1b[1;31mcritical\x1b[0m" in out and b"\x1b[31mhigh\x1b[0m" in out, out[:600]
    assert b"\rztnet: loading the estate" in err or b"ztnet: loading the estate" in err, err[:300]
    assert b"\r\x1b[K" in err, "the progress line is not cleared"
    assert b"warning:" in err  # the bundled service tags

    _, out, err = on_terminals(audit, {"NO_COLOR": "1"}, root)
    assert ESC not in out, out[:300]
    assert b"ztnet: loading the estate" in err

    _, out, err = on_terminals(audit, {"CI": "true"}, root)
    assert b"ztnet: loading" not in err and ESC in out

    _, out, err = on_terminals(audit, {"TERM": "dumb"}, root)
    assert ESC not in out and ESC not in err

    for args in (audit + ["--quiet"], [binary, "--quiet", *audit[1:]]):
        code, out, err = on_terminals(args, {}, root)
        assert code == 1 and b"warning:" not in err and b"ztnet: loading" not in err, err[:300]

    piped = subprocess.run(audit, capture_output=True, cwd=root, timeout=300, env={**os.environ, "TERM": "xterm"})
    assert ESC not in piped.stdout and ESC not in piped.stderr and b"\r" not in piped.stderr

    with tempfile.TemporaryDirectory() as scratch:  # errors are printed whatever --quiet says
        broken = os.path.join(scratch, "broken.json")
        open(broken, "w").write('{"resources": [')
        quiet = subprocess.run([binary, "check", broken, "--quiet"], capture_output=True, timeout=60)
        assert quiet.returncode == 2 and b"error:" in quiet.stderr, quiet.stderr
    print("ok: colour and progress on terminals only, NO_COLOR, CI, TERM=dumb and --quiet honoured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
