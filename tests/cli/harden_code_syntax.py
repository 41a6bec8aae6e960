#!/usr/bin/env python3
"""`ztnet harden --format bicep|terraform|az-cli` on both examples is syntactically Bicep, Terraform
and bash, and each writes the plan's rules.

No Bicep or Terraform compiler is packaged for Debian, so this is a parser-level check written here:
a tokenizer (strings with their escapes, comments, identifiers, numbers, punctuation) and a recursive
descent parser of the subset the writers produce, strict about everything it meets:

- Terraform (HCL native syntax): a body is attributes `name = expression` and blocks
  `type "label"... { body }`, each on its own line; expressions are strings, numbers, references
  (a.b.c) and bracketed lists.
- Bicep: `resource symbol 'type@version' [existing] = object`; objects hold `key: value` lines, arrays
  a value per line; values are strings, numbers, booleans, references (symbol.id), objects, arrays.

Besides the syntax: every rule of the JSON plan appears (by name, priority, access and ports) in
both, Terraform's protocols and ranges are the provider's values, and every reference (symbol.id,
azurerm_x.y.id) names something declared in the same file.

Usage: harden_code_syntax.py ZTNET PROJECT_ROOT
"""
import json
import re
import shlex
import subprocess
import sys

ZTNET, ROOT = sys.argv[1], sys.argv[2]
EXAMPLES = ("legacy-spoke", "zero-trust-spoke")


def run(*args):
    done = subprocess.run([ZTNET, *args], cwd=ROOT, capture_output=True, timeout=300)
    assert done.returncode == 0, f"ztnet {' '.join(args)}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}"
    return done.stdout.decode("utf-8")


class Tokens:
    """Tokens with their line numbers; NEWLINE tokens kept (both languages are line-oriented)."""

    def __init__(self, text, string_quote, comment_starts):
        self.items = []
        i, line = 0, 1
        while i < len(text):
            c = text[i]
            if c == "\n":
                self.items.append(("NEWLINE", "\n", line))
                line += 1
                i += 1
            elif c in " \t\r":
                i += 1
            elif any(text.startswith(s, i) for s in comment_starts):
                while i < len(text) and text[i] != "\n":
                    i += 1
            elif c == string_quote:
                j = i + 1
                while j < len(text) and text[j] != string_quote:
                    if text[j] == "\\":
                        assert j + 1 < len(text) and text[j + 1] in (string_quote, "\\", "n", "t"), \
                            f"line {line}: a bad escape"
                        j += 2
                        continue
                    assert text[j] != "\n", f"line {line}: a string runs past its line"
                    j += 1
                assert j < len(text), f"line {line}: a string is not closed"
                self.items.append(("STRING", text[i + 1:j], line))
                i = j + 1
            elif c.isdigit():
                m = re.match(r"\d+", text[i:])
                self.items.append(("NUMBER", m.group(0), line))
                i += len(m.group(0))
            elif c.isalpha() or c == "_":
                m = re.match(r"[A-Za-z_][A-Za-z0-9_-]*", text[i:])
                self.items.append(("IDENT", m.group(0), line))
                i += len(m.group(0))
            elif c in "{}[]=,.:":
                self.items.append((c, c, line))
                i += 1
            else:
                raise AssertionError(f"line {line}: unexpected character {c!r}")
        self.items.append(("EOF", "", line))
        self.at = 0

    def peek(self):
        return self.items[self.at]

    def take(self, kind, value=None):
        token = self.items[self.at]
        assert token[0] == kind and (value is None or token[1] == value), \
            f"line {token[2]}: expected {value or kind}, found {token[1]!r}"
        self.at += 1
        return token

    def skip_newlines(self):
        while self.peek()[0] == "NEWLINE":
            self.at += 1


def reference(t, references, is_reference):
    """A dotted name (a.b.c); kept in `references` when `is_reference` says it names something."""
    parts = [t.take("IDENT")[1]]
    while t.peek()[0] == ".":
        t.take(".")
        parts.append(t.take("IDENT")[1])
    if is_reference(parts):
        references.append(parts)
    return ".".join(parts)


def hcl_expression(t, references, scalar=None):
    """An expression: a string, number or reference (as `scalar` reads the token, by default its
    text), a list, or an object of `key = expression` lines (keys unique)."""
    kind = t.peek()[0]
    if kind in ("STRING", "NUMBER", "IDENT"):
        if scalar is not None:
            return scalar(t)
        if kind == "IDENT":
            return reference(t, references, lambda parts: len(parts) > 1)
        return t.take(kind)[1]
    if kind == "{":
        t.take("{")
        members = {}
        while True:
            t.skip_newlines()
            if t.peek()[0] == "}":
                break
            key = t.take("STRING")[1] if t.peek()[0] == "STRING" else t.take("IDENT")[1]
            assert key not in members, f"line {t.peek()[2]}: {key} twice"
            t.take("=")
            members[key] = hcl_expression(t, references, scalar)
            t.take("NEWLINE")
        t.take("}")
        return members
    t.take("[")
    items = []
    while True:
        t.skip_newlines()
        if t.peek()[0] == "]":
            break
        items.append(hcl_expression(t, references, scalar))
        t.skip_newlines()
        if t.peek()[0] != ",":
            break
        t.take(",")
    t.skip_newlines()
    t.take("]")
    return items


def hcl_body(t, references, closing):
    """Attributes and blocks up to `closing` ("}" or EOF): [(kind, name, labels, value or body)]."""
    out = []
    while True:
        t.skip_newlines()
        if t.peek()[0] == closing:
            return out
        name = t.take("IDENT")[1]
        if t.peek()[0] == "=":
            t.take("=")
            out.append(("attribute", name, [], hcl_expression(t, references)))
        else:
            labels = []
            while t.peek()[0] == "STRING":
                labels.append(t.take("STRING")[1])
            t.take("{")
            t.take("NEWLINE")
            body = hcl_body(t, references, "}")
            t.take("}")
            out.append(("block", name, labels, body))
        if t.peek()[0] != "EOF":
            t.take("NEWLINE")


def check_terraform(text, plan, example):
    t = Tokens(text, '"', ("#", "//"))
    references = []
    body = hcl_body(t, references, "EOF")
    declared = {(b[2][0], b[2][1]) for b in body if b[0] == "block" and b[1] == "resource"}
    for parts in references:
        if parts[0].startswith("azurerm_"):
            assert (parts[0], parts[1]) in declared, f"{example}: {'.'.join(parts)} names nothing declared"
    rules = {}
    for block in body:
        if block[0] == "block" and block[1] == "resource" and block[2][0] == "azurerm_network_security_group":
            attributes = {a[1]: a[3] for a in block[3] if a[0] == "attribute"}
            for rule in (b[3] for b in block[3] if b[0] == "block" and b[1] == "security_rule"):
                fields = {a[1]: a[3] for a in rule}
                assert fields["protocol"] in ("Tcp", "Udp", "Icmp", "Esp", "Ah", "*"), fields
                assert fields["direction"] in ("Inbound", "Outbound") and fields["access"] in ("Allow", "Deny")
                assert 100 <= int(fields["priority"]) <= 4096, fields
                assert len(fields["description"]) <= 140, fields
                for side in ("source", "destination"):
                    given = [k for k in fields if k.startswith(side + "_address_prefix") or
                             k == side + "_application_security_group_ids"]
                    assert len(given) == 1, f"{example}: {fields['name']}: {side}: {given}"
                ports = fields.get("destination_port_range") or fields.get("destination_port_ranges")
                rules[(attributes["name"], fields["name"])] = (int(fields["priority"]), fields["access"],
                                                               ports if isinstance(ports, list) else [ports])
    return rules


def bicep_value(t, references):
    kind = t.peek()[0]
    if kind in ("STRING", "NUMBER"):
        return t.take(kind)[1]
    if kind == "IDENT":
        return reference(t, references, lambda parts: parts[0] not in ("true", "false"))
    if kind == "{":
        t.take("{")
        t.take("NEWLINE")
        members = {}
        while True:
            t.skip_newlines()
            if t.peek()[0] == "}":
                break
            key = t.take("IDENT")[1]
            assert key not in members, f"line {t.peek()[2]}: {key} twice"
            t.take(":")
            members[key] = bicep_value(t, references)
            t.take("NEWLINE")
        t.take("}")
        return members
    t.take("[")
    t.take("NEWLINE")
    items = []
    while True:
        t.skip_newlines()
        if t.peek()[0] == "]":
            break
        items.append(bicep_value(t, references))
        t.take("NEWLINE")
    t.take("]")
    return items


def check_bicep(text, example):
    t = Tokens(text, "'", ("//",))
    references = []
    symbols = {}
    while True:
        t.skip_newlines()
        if t.peek()[0] == "EOF":
            break
        t.take("IDENT", "resource")
        symbol = t.take("IDENT")[1]
        kind = t.take("STRING")[1]
        assert re.fullmatch(r"Microsoft\.Network/[A-Za-z/]+@\d{4}-\d{2}-\d{2}", kind), kind
        if t.peek()[1] == "existing":
            t.take("IDENT")
        t.take("=")
        assert symbol not in symbols, f"{example}: {symbol} declared twice"
        symbols[symbol] = (kind, bicep_value(t, references))
    for parts in references:
        assert parts[0] in symbols, f"{example}: {'.'.join(parts)} names nothing declared"
    rules = {}
    for kind, body in symbols.values():
        if kind.startswith("Microsoft.Network/networkSecurityGroups@"):
            for rule in body["properties"]["securityRules"]:
                p = rule["properties"]
                ports = p.get("destinationPortRange") or p.get("destinationPortRanges")
                rules[(body["name"], rule["name"])] = (int(p["priority"]), p["access"],
                                                       ports if isinstance(ports, list) else [ports])
    return rules


def check_az_cli(script):
    """bash syntax, and each `az resource create` command's NSG rules."""
    subprocess.run(["bash", "-n"], input=script.encode(), check=True)
    rules = {}
    for block in script.split("\n\n")[1:]:
        words = [w for w in shlex.split(block.replace("\\\n", " "), comments=True)]
        if words[:5] == ["az", "network", "nic", "ip-config", "update"]:
            config = words[words.index("--ids") + 1]
            rules[("member", config.split("/networkInterfaces/")[1])] = sorted(
                w.rsplit("/", 1)[1] for w in words[words.index("--asgs") + 1:])
            continue
        assert words[:3] == ["az", "resource", "create"] and "--is-full-object" in words, words
        rid = words[words.index("--id") + 1]
        body = json.loads(words[words.index("--properties") + 1])
        if "/networkSecurityGroups/" not in rid:
            continue
        for rule in body["properties"]["securityRules"]:
            p = rule["properties"]
            ports = p.get("destinationPortRange") or p.get("destinationPortRanges")
            rules[(rid.rsplit("/", 1)[1], rule["name"])] = (int(p["priority"]), p["access"],
                                                            ports if isinstance(ports, list) else [ports])
    return rules


def main():
    for example in EXAMPLES:
        args = (f"examples/{example}/export", "--intent", f"examples/{example}/three-tier.ztnet.yaml")
        plan = json.loads(run("harden", *args, "--format", "json"))
        assert plan["proof"]["holds"], plan["proof"]
        wanted = {(n["name"], r["name"]): (r["priority"], r["access"], r["destinationPorts"])
                  for n in plan["nsgs"] for r in n["rules"]}
        terraform = check_terraform(run("harden", *args, "--format", "terraform"), plan, example)
        assert terraform == wanted, f"{example}: Terraform's rules differ from the plan's"
        bicep = check_bicep(run("harden", *args, "--format", "bicep"), example)
        assert bicep == wanted, f"{example}: Bicep's rules differ from the plan's"
        az = check_az_cli(run("harden", *args, "--format", "az-cli"))
        assert az == wanted, f"{example}: the az commands' rules differ from the plan's"
        print(f"ok: {example}: {len(wanted)} rules in Terraform, Bicep and az")
    # New application security groups (--propose-asgs): each with its members, alike in Terraform
    # and az, and every rule of the plan in both.
    args = ("examples/legacy-spoke/export", "--intent", "tests/data/intents/legacy-vm-roles.ztnet.yaml",
            "--propose-asgs")
    plan = json.loads(run("harden", *args, "--format", "json"))
    assert plan["proof"]["holds"] and len(plan["asgs"]) == 3, plan.get("asgs")
    members = {("member", f"{m['networkInterface'].rsplit('/', 1)[1]}/ipConfigurations/{m['ipConfiguration']}"):
               [a["name"]] for a in plan["asgs"] for m in a["members"]}
    wanted = {(n["name"], r["name"]): (r["priority"], r["access"], r["destinationPorts"])
              for n in plan["nsgs"] for r in n["rules"]}
    az = check_az_cli(run("harden", *args, "--format", "az-cli"))
    assert az == {**wanted, **members}, "az: the groups' members or the rules differ from the plan"
    text = run("harden", *args, "--format", "terraform")
    assert check_terraform(text, plan, "groups") == wanted, "Terraform's rules differ from the plan's"
    associations = re.findall(r'network_interface_id = "[^"]*/networkInterfaces/([^"]+)"\n'
                              r'  application_security_group_id = azurerm_application_security_group\.(\w+)\.id', text)
    assert sorted(associations) == sorted((k[1].split("/")[0], v[0].replace("-", "_")) for k, v in members.items()), \
        associations
    print(f"ok: {len(plan['asgs'])} new groups with {len(members)} members in Terraform and az")
    # The checker is not blind: a file with a stray brace, or a reference to nothing, fails it.
    broken = run("harden", f"examples/{EXAMPLES[0]}/export", "--intent",
                 f"examples/{EXAMPLES[0]}/three-tier.ztnet.yaml", "--format", "terraform")
    for bad in (broken.replace("}\n", "", 1), broken.replace("azurerm_network_security_group.nsg_snet_data.id",
                                                             "azurerm_network_security_group.nowhere.id")):
        try:
            check_terraform(bad, None, "broken")
        except (AssertionError, KeyError):
            continue
        raise AssertionError("the Terraform checker passed a broken file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
