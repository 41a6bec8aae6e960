#!/usr/bin/env python3
"""Synthetic VNet flow logs for the bundled examples, each with traffic planted for `flows check` to
find: flows the intent forbids, intended flows Azure denied (a decision the estate given does not
explain, so drift too), SSH from the Internet, a scan from the Internet, and rules left unused.
Deterministic: the same files every run. The EXPECTED table says what each example must report.

Usage: example_flow_logs.py OUT_DIR EXAMPLE     (writes OUT_DIR/insights-logs-flowlogflowevent/...)
"""
import json
import os
import sys

HOUR_MS = 1705312800000  # 2024-01-15T10:00:00Z

# Per example: NIC name -> (MAC as flow logs write it, address).
NICS = {
    "legacy-spoke": {
        "web-1": ("002248C1CC69", "10.20.1.4"),
        "app-1": ("0022487FE3A4", "10.20.2.4"),
        "data-2": ("002248F9C21E", "10.20.3.5"),
    },
    "zero-trust-spoke": {
        "web-1": ("002248C09348", "10.1.1.4"),
        "app-1": ("0022480BFEDE", "10.1.2.4"),
        "data-1": ("002248A7E7DA", "10.1.3.4"),
    },
}

INTERNET_CLIENT = "198.51.100.7"
SCANNER = "203.0.113.50"
SCANNED_PORTS = list(range(1000, 1012))  # twelve ports, none of them open


def tuples(source, destination, port, direction, decision, count, protocol=6, minute=5):
    """`count` tuples of one conversation (different source ports, one per minute)."""
    out = []
    for i in range(count):
        time_ms = HOUR_MS + (minute + i) * 60000 + 1000 * i
        state = "D" if decision == "D" else ("B" if i == 0 else "E")
        counters = "0,0,0,0" if state in "BD" else f"{3 + i},{400 + 10 * i},{2 + i},{900 + 10 * i}"
        out.append(f"{time_ms},{source},{destination},{40000 + i},{port},{protocol},{direction},{state},NX,{counters}")
    return out


def scenario(example):
    """Per logging NIC: a list of (rule, tuples)."""
    n = NICS[example]
    web, app = n["web-1"][1], n["app-1"][1]
    if example == "legacy-spoke":
        data2 = n["data-2"][1]
        appgw = "10.20.0.5"
        return {
            "web-1": [
                ("UserRule_AllowSshFromInternet", tuples(INTERNET_CLIENT, web, 22, "I", "A", 4)),
                ("UserRule_AllowAppGwToWeb", tuples(appgw, web, 80, "I", "A", 3)),
                ("DefaultRule_DenyAllInBound",
                 [t for p in SCANNED_PORTS for t in tuples(SCANNER, web, p, "I", "D", 1, minute=20)]),
            ],
            "app-1": [
                ("UserRule_AllowWebToApp", tuples(web, app, 443, "I", "A", 5)),
                ("UserRule_AllowSshFromWeb", tuples(web, app, 22, "I", "A", 2)),
            ],
            # The data subnet has no NSG in the export, yet Azure denied replication: the estate
            # given is not what runs.
            "data-2": [
                ("DefaultRule_DenyAllInBound", tuples("10.20.3.4", data2, 1433, "I", "D", 3)),
            ],
        }
    data1 = n["data-1"][1]
    appgw = "10.1.0.10"
    return {
        "web-1": [
            ("UserRule_Allow-AppGw-To-Web-Https-Inbound", tuples(appgw, web, 443, "I", "A", 4)),
            ("UserRule_DenyAllInbound", tuples(INTERNET_CLIENT, web, 22, "I", "D", 2)
             + [t for p in SCANNED_PORTS for t in tuples(SCANNER, web, p, "I", "D", 1, minute=20)]),
            ("UserRule_Allow-Web-Https-Egress-Via-Firewall", tuples(web, "93.184.216.34", 443, "O", "A", 3)),
        ],
        "app-1": [
            ("UserRule_Allow-Web-To-App-Https-Inbound", tuples(web, app, 443, "I", "A", 5)),
        ],
        # nsg-data allows app to data on 1433, yet Azure denied it.
        "data-1": [
            ("UserRule_DenyAllInbound", tuples(app, data1, 1433, "I", "D", 2)),
        ],
    }


# What `flows check --intent` must report: (source, destination, port) sets, and rules.
EXPECTED = {
    "legacy-spoke": {
        "forbidden": {(INTERNET_CLIENT, "10.20.1.4", 22, False), ("10.20.0.5", "10.20.1.4", 80, True),
                      ("10.20.1.4", "10.20.2.4", 22, True)},
        "blocked": {("10.20.3.4", "10.20.3.5", 1433)},
        "drift": {("10.20.3.4", "10.20.3.5", 1433)},
        "management_reached": {("10.20.1.4", 22)},
        "scanners": {SCANNER},
        "unused": {"AllowRdpFromInternet"},
        "used": {"AllowSshFromInternet", "AllowAppGwToWeb", "AllowWebToApp", "AllowSshFromWeb"},
    },
    "zero-trust-spoke": {
        "forbidden": {("10.1.1.4", "93.184.216.34", 443, False)},
        "blocked": {("10.1.2.4", "10.1.3.4", 1433)},
        "drift": {("10.1.2.4", "10.1.3.4", 1433)},
        "management_reached": set(),
        "scanners": {SCANNER},
        "unused": {"Allow-Bastion-To-Web-Ssh-Inbound"},
        "used": {"Allow-AppGw-To-Web-Https-Inbound", "Allow-Web-To-App-Https-Inbound",
                 "Allow-Web-Https-Egress-Via-Firewall"},
    },
}


def record(mac, groups):
    return {
        "time": "2024-01-15T10:59:00.0000000Z",
        "flowLogVersion": 4,
        "flowLogGUID": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "macAddress": mac,
        "category": "FlowLogFlowEvent",
        "flowLogResourceID": "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/"
                             "NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/"
                             "NETWORKWATCHER_WESTEUROPE/FLOWLOGS/VNETFLOWLOG",
        "targetResourceID": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
                            "Microsoft.Network/virtualNetworks/spoke",
        "operationName": "FlowLogFlowEvent",
        "flowRecords": {"flows": [{"aclID": "00000000-0000-0000-0000-0000000000a1",
                                   "flowGroups": [{"rule": rule, "flowTuples": t} for rule, t in groups]}]},
    }


def write(out_dir, example):
    for nic, groups in scenario(example).items():
        mac = NICS[example][nic][0]
        folder = os.path.join(out_dir, "insights-logs-flowlogflowevent", "flowLogResourceID=",
                              "00000000-0000-0000-0000-000000000000_NETWORKWATCHERRG",
                              "NETWORKWATCHER_WESTEUROPE_VNETFLOWLOG", "y=2024", "m=01", "d=15", "h=10", "m=00",
                              f"macAddress={mac}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "PT1H.json"), "w", encoding="utf-8") as f:
            json.dump({"records": [record(mac, groups)]}, f, indent=1)


if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2])
