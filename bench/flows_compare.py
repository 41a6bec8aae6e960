#!/usr/bin/env python3
"""End-to-end flow log ingest on one machine, readers of the same files in one run:

  ztnet flows ingest DIR --store FILE   (parse, aggregate into conversations, store in SQLite), on
                                         every core, then pinned to one (taskset -c 0) when taskset
                                         is there
  ztnet_bench_flows is not used here: this measures the command as a user runs it, from disk
  python3 flows_python_reader.py DIR     (json + split, no store)

Each line gives the wall time and the CPU time (user + system, of the process and its threads), and
the throughput per second of each.

The files are written first by ztnet-gen-flows (a spoke's NICs, an hour blob each), and read once
before timing so that every reader finds them in the page cache. Each reader runs --repeat times; the
best time counts. Tuple totals must agree, or the run fails.

  python3 bench/flows_compare.py --build build/release [--hours 1] [--nics 2000] [--repeat 3]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command, cpu=None):
    before = cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if cpu is not None:
        cpu.append(cpu_of_children() - before)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def folder_bytes(root):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(root) for f in files)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--hours", type=int, default=1)
    parser.add_argument("--nics", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    ztnet = os.path.join(args.build, "bin", "ztnet")
    generator = os.path.join(args.build, "bench", "ztnet-gen-flows")
    work = tempfile.mkdtemp(prefix="ztnet-flows-compare-")
    try:
        logs = os.path.join(work, "logs")
        _, generated = run([generator, logs, str(args.hours), str(args.nics)])
        generated = json.loads(generated)
        size = folder_bytes(logs)
        run(["python3", os.path.join(here, "flows_python_reader.py"), logs])  # warms the page cache

        def ingest(prefix):
            def reader(cpu):
                store = os.path.join(work, "store.db")
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(store + suffix):
                        os.remove(store + suffix)
                elapsed, _ = run(prefix + [ztnet, "flows", "ingest", logs, "--store", store], cpu)
                _, summary = run([ztnet, "flows", "summary", "--store", store, "--format", "json"])
                return elapsed, json.loads(summary)["tuples"]
            return reader

        def python_reader(cpu):
            elapsed, out = run(["python3", os.path.join(here, "flows_python_reader.py"), logs], cpu)
            return elapsed, json.loads(out)["tuples"]

        readers = [("ztnet flows ingest", ingest([]))]
        if shutil.which("taskset"):
            readers.append(("ztnet, one core", ingest(["taskset", "-c", "0"])))
        readers.append(("python json + split", python_reader))
        results = {}
        for name, reader in readers:
            best = None
            for _ in range(args.repeat):
                cpu = []
                elapsed, tuples = reader(cpu)
                if tuples != generated["tuples"]:
                    sys.exit(f"{name} read {tuples} tuples, the generator wrote {generated['tuples']}")
                if best is None or elapsed < best[0]:
                    best = (elapsed, cpu[0])
            results[name] = best
        mib = size / (1 << 20)
        print(f"{mib:.1f} MiB in {generated['records']} records, {generated['tuples']} tuples "
              f"({args.nics} NICs, {args.hours} h); best of {args.repeat} by wall time")
        for name, (seconds, cpu) in results.items():
            print(f"  {name:22s} {seconds:6.2f} s wall {mib / seconds:7.1f} MiB/s   "
                  f"{cpu:6.2f} s CPU {mib / cpu:7.1f} MiB per CPU second")
        python = results["python json + split"][0]
        for name, (seconds, _) in results.items():
            if name != "python json + split":
                print(f"  {name} / python (wall): {python / seconds:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
