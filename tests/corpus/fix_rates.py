#!/usr/bin/env python3
"""Corpus-scale check of `ztnet fix`: every real template, with its parameters file, through
`ztnet fix --format json` (no intent: the fixes that need none).

A run must end with exit 0 (the report) or 2 (an input ztnet refuses, as `check` does; see
docs/known-gaps.md), never an internal error or a crash. The script prints how many fixes proved,
did not prove and could not be written, and the findings before and with every proved fix; it
exits 1 on a failed run, or when fewer than --min-proved of the fixes that could be written
proved (a fix that does not prove is shown with its reason, but many of them would mean the
fixers propose what does not hold). An absent corpus folder is skipped with a message.

usage: fix_rates.py ZTNET CORPUS_DIR [CORPUS_DIR...] [--min-proved 0.95] [--jobs N]
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys


def run_fix(ztnet, folder):
    try:
        proc = subprocess.run([ztnet, "fix", folder, "--format", "json"], capture_output=True, text=True,
                              errors="replace", timeout=300)
    except subprocess.TimeoutExpired:
        return os.path.basename(folder), "timed out after 300 s", None
    if proc.returncode == 2:
        return os.path.basename(folder), None, None
    if proc.returncode != 0:
        return os.path.basename(folder), f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}", None
    return os.path.basename(folder), None, json.loads(proc.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ztnet")
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--min-proved", type=float, default=0.95)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    folders = []
    for corpus in args.corpora:
        if not os.path.isdir(corpus):
            print(f"SKIPPED: {corpus} is absent (the corpus-scale check needs ../shared beside the clone)")
            continue
        folders += sorted(os.path.join(corpus, f) for f in os.listdir(corpus)
                          if os.path.isfile(os.path.join(corpus, f, "azuredeploy.json")))
    if not folders:
        return 0
    failures, refused = [], 0
    status = {"proved": 0, "not proved": 0, "not writable": 0}
    before = after = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, failure, report in pool.map(lambda f: run_fix(args.ztnet, f), folders):
            if failure:
                failures.append(f"{name}: {failure}")
                continue
            if report is None:
                refused += 1
                continue
            before += report["findingsBefore"]
            after += report["findingsAfter"]
            for fix in report["fixes"]:
                status[fix["status"]] += 1
    written = status["proved"] + status["not proved"]
    rate = status["proved"] / written if written else 1.0
    print(f"ztnet fix over {len(folders)} templates ({refused} refused as input): {status['proved']} fixes proved, "
          f"{status['not proved']} not proved, {status['not writable']} not writable ({rate:.1%} of those "
          f"written proved); findings {before} -> {after} with every proved fix")
    for line in failures:
        print(f"FAILED {line}")
    if failures or rate < args.min_proved:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
