#!/usr/bin/env python3
"""The straightforward Python reader of VNet flow logs that `flows_compare.py` measures ztnet against:
json.load each PT1H.json below the folders given, walk records -> flows -> flowGroups -> flowTuples,
split each tuple on commas, convert its numbers, and sum tuples, packets and bytes. It stores nothing,
so it does less than `ztnet flows ingest`. Prints {"tuples": N, "packets": P, "bytes": B}."""
import json
import os
import sys


def flow_log_files(root):
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                yield os.path.join(folder, name)


def main(paths):
    tuples = packets = byte_count = 0
    for root in paths:
        for path in flow_log_files(root):
            with open(path, "rb") as handle:
                document = json.load(handle)
            for record in document["records"]:
                for flow in record["flowRecords"]["flows"]:
                    for group in flow["flowGroups"]:
                        for text in group["flowTuples"]:
                            fields = text.split(",")
                            int(fields[0]), int(fields[3]), int(fields[4]), int(fields[5])
                            tuples += 1
                            if fields[9]:
                                packets += int(fields[9]) + int(fields[11])
                                byte_count += int(fields[10]) + int(fields[12])
    print(json.dumps({"tuples": tuples, "packets": packets, "bytes": byte_count}))


if __name__ == "__main__":
    main(sys.argv[1:])
