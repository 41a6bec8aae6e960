#!/usr/bin/env python3
"""End-to-end `ztnet flows ingest` and `ztnet flows summary`.

- The three samples: the summary's totals are those the reader's tests count by hand.
- Ingesting again adds nothing; the JSON summary is unchanged.
- A larger generated input: an ingest killed with SIGKILL after a short delay, then run again,
  gives the same summary as one uninterrupted run, with tuples kept (each file read in its turn)
  and without (the next files read ahead on another thread); so does --threads 1, and two ingests
  running at once.
- Errors: a file that is not a store, a bad --bucket, another bucket on an existing store, a
  summary of a store that does not exist, a PostgreSQL store that cannot be reached (its password
  redacted): each exits 2 with its code.

Usage: flows_end_to_end.py ZTNET PROJECT_ROOT [GENERATED_FILES]
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time


def run(binary, *args, expect=0):
    result = subprocess.run([binary, "flows", *args], capture_output=True, timeout=600)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == expect, f"ztnet flows {' '.join(args)}: exit {result.returncode}\n{err}"
    return out, err


def summary(binary, store):
    out, _ = run(binary, "summary", "--store", store, "--format", "json")
    return json.loads(out)


def record(rng, tuples):
    items = []
    for _ in range(tuples):
        state = rng.choice("BCED")
        counters = "0,0,0,0" if state in "BD" else ",".join(str(rng.randint(1, 90000)) for _ in range(4))
        items.append(f"{1705312800000 + rng.randint(0, 3599999)},10.0.{rng.randint(0, 3)}.{rng.randint(4, 40)},"
                     f"10.1.0.{rng.randint(4, 20)},{rng.randint(1024, 65535)},{rng.choice([443, 22, 1433])},"
                     f"{rng.choice([6, 6, 17])},{rng.choice('IO')},{state},NX,{counters}")
    tuples_json = ",".join(f'"{t}"' for t in items)
    return ('{"time":"2024-01-15T10:00:00.0000000Z","flowLogVersion":4,"macAddress":"00224871C205",'
            '"flowLogResourceID":"/SUBSCRIPTIONS/S/FLOWLOGS/FL","targetResourceID":"/subscriptions/s/v",'
            '"flowRecords":{"flows":[{"aclID":"acl-1","flowGroups":[{"rule":"rule-'
            + str(rng.randint(0, 5)) + '","flowTuples":[' + tuples_json + ']}]}]}}')


def generate(folder, files, records):
    rng = random.Random(11)
    for f in range(files):
        blob = os.path.join(folder, "insights-logs-flowlogflowevent", f"h={f:03}", "PT1H.json")
        os.makedirs(os.path.dirname(blob))
        with open(blob, "w", encoding="utf-8") as out:
            out.write('{"records":[\n' + ",\n".join(record(rng, 40) for _ in range(records)) + "\n]}")


def check_samples(binary, root, scratch):
    store = os.path.join(scratch, "samples.db")
    samples = os.path.join(root, "tests", "data", "flowlogs")
    out, err = run(binary, "ingest", samples, "--store", store)
    assert "3 file(s) read: 3 with new records" in out, out
    first = summary(binary, store)
    for key, value in {"files": 3, "records": 6, "tuples": 42, "skipped_records": 0, "skipped_tuples": 0,
                       "packets": 46 + 37 + 33 + 44, "bytes": 25533 + 21128 + 4528 + 43292}.items():
        assert first[key] == value, f"{key}: {first[key]}, expected {value}"
    assert first["by_decision"] == {"allowed": 22, "denied": 20}, first["by_decision"]
    assert sum(first["by_direction"].values()) == 42 and sum(first["by_protocol"].values()) == 42, first
    out, _ = run(binary, "ingest", samples, "--store", store)
    assert "3 unchanged" in out, out
    assert summary(binary, store) == first, "a second ingest changed the store"
    text, _ = run(binary, "summary", "--store", store)
    assert "42 read" in text, text


def check_kill_and_resume(binary, scratch, files):
    logs = os.path.join(scratch, "logs")
    generate(logs, files, 300)
    # Tuples kept: each file read in its turn. Without: the next files read ahead on another
    # thread, which must neither lose nor double anything when killed; with one thread, the same.
    for mode in (["--keep-tuples"], []):
        reference = os.path.join(scratch, f"reference{''.join(mode)}.db")
        started = time.monotonic()
        run(binary, "ingest", logs, "--store", reference, *mode)
        took = time.monotonic() - started
        expected = summary(binary, reference)
        killed_early = 0
        for attempt, fraction in enumerate([0.15, 0.4, 0.7]):
            store = os.path.join(scratch, f"killed-{attempt}{''.join(mode)}.db")
            process = subprocess.Popen([binary, "flows", "ingest", logs, "--store", store, *mode],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(took * fraction)
            process.send_signal(signal.SIGKILL)
            killed_early += process.wait() == -signal.SIGKILL
            run(binary, "ingest", logs, "--store", store, *mode)
            got = summary(binary, store)
            assert got == expected, f"killed after {fraction:.0%} {mode}: {got} != {expected}"
        assert killed_early > 0, "no ingest was still running when killed: the input is too small to test"
    one_thread = os.path.join(scratch, "one-thread.db")
    run(binary, "ingest", logs, "--store", one_thread, "--threads", "1")
    assert summary(binary, one_thread) == expected, "--threads 1 stored something else"
    expected = summary(binary, os.path.join(scratch, "reference--keep-tuples.db"))

    shared = os.path.join(scratch, "shared.db")
    run(binary, "ingest", os.path.join(logs, "insights-logs-flowlogflowevent", "h=000"), "--store", shared)
    both = [subprocess.Popen([binary, "flows", "ingest", logs, "--store", shared, "--keep-tuples"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    for process in both:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode("utf-8")
    got = summary(binary, shared)
    # the first file was ingested without --keep-tuples: only the kept tuples differ
    assert {k: v for k, v in got.items() if k != "kept_tuples"} == \
        {k: v for k, v in expected.items() if k != "kept_tuples"}, f"two at once: {got} != {expected}"


def check_errors(binary, root, scratch):
    garbage = os.path.join(scratch, "garbage.db")
    with open(garbage, "w", encoding="utf-8") as out:
        out.write("x" * 4096)
    sample = os.path.join(root, "tests", "data", "flowlogs", "nsg-flow-log-v1-sample.json")
    _, err = run(binary, "ingest", sample, "--store", garbage, expect=2)
    assert "[store-not-a-store]" in err and "garbage.db" in err, err
    _, err = run(binary, "summary", "--store", garbage, expect=2)
    assert "[store-not-a-store]" in err, err
    _, err = run(binary, "summary", "--store", os.path.join(scratch, "missing.db"), expect=2)
    assert "[store-open-failed]" in err, err
    # A PostgreSQL store that cannot be reached: named in the error, never with its password.
    unreachable = "postgresql://alice:s3cr3t@/flows?host=/nonexistent-ztnet-socket-dir"
    _, err = run(binary, "ingest", sample, "--store", unreachable, expect=2)
    assert "[store-open-failed]" in err and "alice:***@" in err and "s3cr3t" not in err, err
    store = os.path.join(scratch, "bucket.db")
    _, err = run(binary, "ingest", sample, "--store", store, "--bucket", "7", expect=2)
    assert "[store-bucket-invalid]" in err, err
    run(binary, "ingest", sample, "--store", store, "--bucket", "15m")
    _, err = run(binary, "ingest", sample, "--store", store, "--bucket", "1h", expect=2)
    assert "[store-bucket-mismatch]" in err, err
    assert summary(binary, store)["bucket"] == "15m"


def main() -> int:
    binary, root = sys.argv[1], sys.argv[2]
    files = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    with tempfile.TemporaryDirectory() as scratch:
        check_samples(binary, root, scratch)
        check_errors(binary, root, scratch)
        check_kill_and_resume(binary, scratch, files)
    print("flows end to end: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
