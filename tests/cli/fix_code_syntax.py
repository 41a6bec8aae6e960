#!/usr/bin/env python3
"""`ztnet fix --format arm|bicep|terraform|az-cli` on the legacy example's export: each is
syntactically what it claims, and each writes the same resources with the same bodies as the patched
export that `--write` gives (which the fix tests load and audit again).

No Bicep or Terraform compiler is packaged for Debian: Bicep and Terraform are checked with the
parser-level checker of harden_code_syntax.py (its tokenizer), extended here with HCL object
expressions, import and nested blocks, and Bicep's quoted keys; azurerm's NSGs are read back into
ARM's rule properties; the az script is checked with `bash -n` and by reading each command's
--properties back as JSON.

Usage: fix_code_syntax.py ZTNET PROJECT_ROOT
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harden_code_syntax as checker  # noqa: E402  (reads the same two arguments)

ZTNET, ROOT = sys.argv[1], sys.argv[2]
EXPORT = "examples/legacy-spoke/export"
READ_ONLY = {"etag", "provisioningState", "resourceGuid", "extended"}


def run(*args):
    done = subprocess.run([ZTNET, "fix", EXPORT, *args], cwd=ROOT, capture_output=True, timeout=600)
    assert done.returncode == 0, f"fix {' '.join(args)}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}"
    return done.stdout.decode("utf-8")


def without_read_only(value):
    if isinstance(value, dict):
        return {k: without_read_only(v) for k, v in value.items() if k not in READ_ONLY}
    if isinstance(value, list):
        return [without_read_only(v) for v in value]
    return value


def expected_resources():
    """The patched export's resources that differ from the original, as {id: properties}."""
    with tempfile.TemporaryDirectory() as folder:
        run("--format", "diff", "--write", folder)
        patched = json.load(open(os.path.join(folder, EXPORT, "resources.json")))
    original = json.load(open(os.path.join(ROOT, EXPORT, "resources.json")))
    before = {r["id"].lower(): r for r in original}
    return {r["id"].lower(): without_read_only(r.get("properties", {}))
            for r in patched if before.get(r["id"].lower()) != r}


def typed_scalar(t):
    """A string (escapes read), a number, true, false, null, or an address (import's `to`)."""
    kind = t.peek()[0]
    if kind == "STRING":
        return json.loads('"%s"' % t.take(kind)[1])
    if kind == "NUMBER":
        return int(t.take(kind)[1])
    if t.peek()[1] in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[t.take("IDENT")[1]]
    return checker.reference(t, [], lambda parts: True)


def hcl_value(t):
    return checker.hcl_expression(t, [], typed_scalar)


def block_body(t):
    """`{ ... }` of a block: attributes `name = value` and nested blocks `name { ... }`."""
    t.take("{")
    members = {}
    while True:
        t.skip_newlines()
        if t.peek()[0] == "}":
            break
        name = t.take("IDENT")[1]
        if t.peek()[0] == "=":
            t.take("=")
            members[name] = hcl_value(t)
        else:
            members[name] = block_body(t)
        t.take("NEWLINE")
    t.take("}")
    return members


# azurerm's security_rule fields, as ARM names them.
RULE_FIELDS = {"description": "description", "priority": "priority", "direction": "direction", "access": "access",
               "protocol": "protocol", "source_port_range": "sourcePortRange",
               "source_port_ranges": "sourcePortRanges", "destination_port_range": "destinationPortRange",
               "destination_port_ranges": "destinationPortRanges", "source_address_prefix": "sourceAddressPrefix",
               "source_address_prefixes": "sourceAddressPrefixes",
               "destination_address_prefix": "destinationAddressPrefix",
               "destination_address_prefixes": "destinationAddressPrefixes"}


def azurerm_properties(kind, fields):
    """An azurerm resource's body as ARM's properties, for the types the writer takes to azurerm."""
    assert kind == "azurerm_network_security_group", f"{kind} is not expected in this example"
    rules = []
    for block in fields.get("security_rule", []):
        properties = {RULE_FIELDS[k]: v for k, v in block.items() if k in RULE_FIELDS}
        for side in ("source", "destination"):
            if f"{side}_application_security_group_ids" in block:
                properties[f"{side}ApplicationSecurityGroups"] = [
                    {"id": i} for i in block[f"{side}_application_security_group_ids"]]
        rules.append({"name": block["name"], "properties": properties})
    return {"securityRules": rules}


def check_terraform(text):
    t = checker.Tokens(text, '"', ("#",))
    declared, resources, imports = set(), {}, set()
    t.skip_newlines()
    t.take("IDENT", "terraform")
    settings = block_body(t)
    providers = settings["required_providers"]
    assert providers["azapi"]["source"] == "Azure/azapi" and providers["azurerm"]["source"] == "hashicorp/azurerm"
    while True:
        t.skip_newlines()
        if t.peek()[0] == "EOF":
            break
        if t.peek()[1] == "import":
            t.take("IDENT")
            block = block_body(t)
            imports.add(block["id"].lower())
            continue
        t.take("IDENT", "resource")
        kind, symbol = t.take("STRING")[1], t.take("STRING")[1]
        assert kind.startswith("azapi_") or kind.startswith("azurerm_"), kind
        assert (kind, symbol) not in declared
        declared.add((kind, symbol))
        t.take("{")
        fields = {}
        while True:
            t.skip_newlines()
            if t.peek()[0] == "}":
                break
            name = t.take("IDENT")[1]
            if name == "security_rule":  # a nested block, repeated
                fields.setdefault(name, []).append(block_body(t))
                t.take("NEWLINE")
                continue
            t.take("=")
            if name == "depends_on":
                t.take("[")
                fields[name] = []
                while True:
                    t.skip_newlines()
                    if t.peek()[0] == "]":
                        break
                    fields[name].append(checker.reference(t, [], lambda parts: True))
                    t.take(",")
                t.take("]")
            else:
                fields[name] = hcl_value(t)
            t.take("NEWLINE")
        t.take("}")
        for ref in fields.get("depends_on", []):
            assert tuple(ref.split(".")[:2]) in declared, f"{ref} is not declared before"
        if kind.startswith("azurerm_"):
            # Its id, less the subscription (azurerm names the group and the name alone).
            tail = (f"/resourcegroups/{fields['resource_group_name']}/providers/microsoft.network/"
                    f"networksecuritygroups/{fields['name']}").lower()
            ids = [i for i in imports if i.endswith(tail)]
            resources[ids[0] if ids else tail] = azurerm_properties(kind, fields)
            continue
        assert re.fullmatch(r"Microsoft\.\w+/[A-Za-z/]+@\d{4}-\d{2}-\d{2}", fields["type"]), fields["type"]
        rid = fields.get("resource_id") or f"{fields['parent_id']}/providers/{fields['type'].split('@')[0]}/{fields['name']}"
        resources[rid.lower()] = fields["body"].get("properties", {})
    return resources


def check_bicep(text):
    t = checker.Tokens(text, "'", ("//",))
    resources = {}
    while True:
        t.skip_newlines()
        if t.peek()[0] == "EOF":
            break
        t.take("IDENT", "resource")
        t.take("IDENT")
        kind = t.take("STRING")[1]
        assert re.fullmatch(r"Microsoft\.\w+/[A-Za-z/]+@\d{4}-\d{2}-\d{2}", kind), kind
        t.take("=")
        body = checker.bicep_value(t, [])
        resources[(kind.split("@")[0], body["name"])] = body.get("properties", {})
    return resources


def normalise(value, bicep=False):
    """The tokenizer's values are strings, escapes as written: compare on text."""
    if isinstance(value, dict):
        return {k: normalise(v, bicep) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, bicep) for v in value]
    if bicep and isinstance(value, str):
        return re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def main():
    wanted = expected_resources()
    assert len(wanted) >= 5, wanted.keys()

    arm = json.loads(run("--format", "arm"))
    got = {}
    for r in arm["resources"]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["apiVersion"])
        rid = [k for k in wanted if k.endswith("/" + r["type"].split("/")[-1].lower() + "/" + r["name"].lower())]
        assert len(rid) == 1, r["name"]
        got[rid[0]] = r.get("properties", {})
    assert got == wanted, "ARM's resources differ from the patched export's"

    terraform = check_terraform(run("--format", "terraform"))
    # A new resource is known by its id less the subscription.
    by_tail = {next((k for k in wanted if k.endswith(r)), r): v for r, v in terraform.items()}
    # azurerm carries an NSG's rules (what Azure reports beside them, default rules and subnets, is
    # read-only).
    assert by_tail == {k: ({"securityRules": v["securityRules"]} if "/networksecuritygroups/" in k else v)
                       for k, v in wanted.items()}, "Terraform's resources differ from the patched export's"

    bicep = check_bicep(run("--format", "bicep"))
    assert len(bicep) == len(wanted)
    assert {k[1].lower(): normalise(v, True) for k, v in bicep.items()} == \
        {k.rsplit("/", 1)[1]: normalise(v) for k, v in wanted.items()}, "Bicep's resources differ"

    script = run("--format", "az-cli")
    subprocess.run(["bash", "-n"], input=script.encode(), check=True)
    commands = [shlex.split(c.replace("\\\n", " ")) for c in script.split("\n\n")[1:]]
    az = {}
    for words in commands:
        words = [w for w in words if not w.startswith("#")]
        words = words[words.index("az"):]
        assert words[:3] == ["az", "resource", "create"] and "--is-full-object" in words, words
        az[words[words.index("--id") + 1].lower()] = json.loads(words[words.index("--properties") + 1]).get("properties", {})
    assert az == wanted, "the az commands differ from the patched export"

    # The checker is not blind: a Terraform file missing a brace fails it.
    broken = run("--format", "terraform").replace("}\n", "", 1)
    try:
        check_terraform(broken)
    except AssertionError:
        print(f"ok: {len(wanted)} resources alike in ARM, Bicep, Terraform and az")
        return 0
    raise AssertionError("the Terraform checker passed a broken file")


if __name__ == "__main__":
    sys.exit(main())
