#!/usr/bin/env python3
"""docs/diagnostics.md must list every diagnostic code the library and the CLI emit, and no other.

Codes are stable identifiers users filter and search on: a code added without a catalogue entry is
undocumented, and an entry whose code is gone misleads. This script reads the C++ sources
(src/ztnet/**/*.{cpp,h}, tools/ztnet/*.cpp) without building anything, extracts every code that
reaches a Diagnostic, reads the first column of the catalogue's tables (rows whose first cell is a
`code`), and fails (exit 1, saying what is wrong) when the two differ, or when a code is listed twice
or a table is not sorted by code. `--list` also prints each code found with file:line of each use.

Usage: diagnostic_codes.py PROJECT_ROOT [--list]

How a code reaches a Diagnostic, i.e. the call patterns handled (comments are ignored):
  1. Calls of any function with a string parameter named `code`, found from the declarations, with
     a matching argument count: Diagnostics::error/warning/note, FieldReader::error/warning (code
     after the cursor), Reporter::error/warning/add/rejected_by_arm, IntentWalker::error/error_at,
     fail_with, eval_fail, SideResolver::report, the YAML reader's `report` lambda...
  2. Brace initialisers of a struct with a `std::string code` member (Diagnostic, Error, EvalError,
     AsgProblem, ParseStop): `S{..}`, `S x{..}`, `throw S{..}`, `add({..})` (a function taking an S),
     `v.push_back({..})` (v a std::vector<S>); and `x.code = "..."`.
  3. The code argument may be a literal, `c ? a : b`, std::move/std::string(..), a `kName = "..."`
     constant, fmt::format("{}-x", kind.code_prefix) or the YAML reader's `code("x")` (expanded for
     each YamlFileKind prefix: intent-x, suppressions-x), or `"arm-" + what + "-cycle"`, reported as
     the prefix pattern `arm-*-cycle`, which one or more catalogued codes must match.
"""
import fnmatch
import re
import sys
from collections import defaultdict
from pathlib import Path

CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PATTERN = re.compile(r"[a-z0-9*]+(?:-[a-z0-9*]+)+")
STRING_PARAM = re.compile(r"(?:const\s+)?(?:std::string(?:_view)?|char\s*\*)\s*&?\s*code\s*(?:=.*)?")
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|", re.M)


def lex(text):
    """(code, mask), as long as text: comments blanked in both, string and char contents in mask."""
    code, mask, i = list(text), list(text), 0
    while i < len(text):
        if text.startswith(("//", "/*"), i):
            line = text[i + 1] == "/"
            end = text.find("\n" if line else "*/", i + 2)
            end, blanks, after = (len(text) if end < 0 else end + (0 if line else 2)), (code, mask), 0
        elif text[i] == '"' or (text[i] == "'" and not re.search(r"\b\d[\w']*$", text[max(0, i - 40):i])):
            end, i = i + 1, i + 1  # a literal (a ' after digits is a digit separator, 50'000)
            while end < len(text) and text[end] != text[i - 1]:
                end += 2 if text[end] == "\\" else 1
            blanks, after = (mask,), 1
        else:
            i += 1
            continue
        for chars in blanks:
            chars[i:end] = [c if c == "\n" else " " for c in text[i:end]]
        i = end + after
    return "".join(code), "".join(mask)


def split(code, mask, start, close):
    """Top-level comma-separated items from `start` up to the matching `close`."""
    items, depth, begin = [], 0, start
    for k in range(start, len(mask)):
        c = mask[k]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return items + ([code[begin:k].strip()] if code[begin:k].strip() else [])
            depth -= 1
        elif c == "," and depth == 0:
            items.append(code[begin:k].strip())
            begin = k + 1
    return items


def top_level(arg, chars):
    """Positions of `chars` in `arg` outside brackets and strings (skipping '::')."""
    _, mask = lex(arg)
    depth, out = 0, []
    for k, c in enumerate(mask):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and c in chars and mask[k - 1:k + 1] != "::" and mask[k:k + 2] != "::":
            out.append(k)
    return out


class Scanner:
    def __init__(self, files):
        self.texts = {path: lex(path.read_text(encoding="utf-8", errors="replace")) for path in files}
        joined = "\n".join(code for code, _ in self.texts.values())
        self.forwarders = defaultdict(set)  # function name -> (position of `code`, fewest, most arguments)
        declarations = r"(\w+)\s*(?:=\s*\[[^\]]*\]\s*)?\(([^()]*)\)\s*(?:const\s*)?[{;]"  # and lambdas
        for name, params in re.findall(declarations, joined):
            params = [p.strip() for p in params.split(",")]
            for k, param in enumerate(params):
                if STRING_PARAM.fullmatch(param):
                    self.forwarders[name].add((k, sum("=" not in p for p in params), len(params)))
        self.structs = {}  # struct name -> position of its `code` member
        self.prefixes = []  # YAML file kinds' code prefixes
        for name, body in re.findall(r"\bstruct\s+(\w+)\s*\{((?:[^{}]|\{\})*)\};", joined):
            members = [m.split("=")[0].split() for m in body.split(";")
                       if m.strip() and "(" not in m and not re.match(r"\s*(static|using|enum)\b", m)]
            names = [m[-1] for m in members if len(m) >= 2]
            if "code" in names:
                self.structs[name] = names.index("code")
            if names[:1] == ["code_prefix"]:
                self.prefixes += re.findall(rf'\b{name}\s+\w+\s*\{{\s*"([a-z-]+)"', joined)
        takers = re.findall(r"\b(\w+)\s*\(\s*(?:const\s+)?(\w+)\s*&?&?\s*\w+\s*\)", joined)
        self.takers = {f: self.structs[s] for f, s in takers if s in self.structs}  # add(Diagnostic)
        self.consts = dict(re.findall(r'\b(k\w+)\s*=\s*"([^"]*)"\s*;', joined))
        self.builders = {m[0]: (m[1], m[2]) for m in re.findall(
            r"std::string\s+(\w+)\s*\(\s*std::string_view\s+(\w+)\s*\)\s*(?:const\s*)?"
            r"\{\s*return\s+(fmt::format\([^;]*\));\s*\}", joined)}

    def values(self, arg, bound=None):
        """The codes (or patterns) an argument expression may hold."""
        arg = arg.strip()
        if m := re.fullmatch(r"(?:std::move|std::string)\((.*)\)", arg, re.S):
            return self.values(m.group(1), bound)
        if (q := top_level(arg, "?")) and (c := [k for k in top_level(arg, ":") if k > q[0]]):
            return self.values(arg[q[0] + 1:c[0]], bound) + self.values(arg[c[0] + 1:], bound)
        if re.fullmatch(r'"[^"]*"', arg):
            return [arg[1:-1]] if CODE.fullmatch(arg[1:-1]) else []
        if arg in self.consts or arg in (bound or {}):
            value = (bound or {}).get(arg, self.consts.get(arg))
            return [value] if CODE.fullmatch(value) else []
        if m := re.fullmatch(r"(\w+)\(\s*\"([^\"]*)\"\s*\)", arg):
            if m.group(1) in self.builders:
                param, body = self.builders[m.group(1)]
                return self.values(body, {param: m.group(2)})
        if m := re.fullmatch(r'fmt::format\(\s*"([^"]*)"\s*,(.*)\)', arg, re.S):
            results = [m.group(1)]
            for filler in (a.strip() for a in m.group(2).split(",")):
                options = (self.prefixes if filler.endswith("code_prefix") else
                           [bound[filler]] if filler in (bound or {}) else ["*"])
                results = [r.replace("{}", o, 1) for r in results for o in options]
            return [r for r in results if CODE.fullmatch(r) or PATTERN.fullmatch(r)]
        if len(parts := top_level(arg, "+")) > 0:
            pieces = [arg[a + 1:b].strip() for a, b in zip([-1] + parts, parts + [len(arg)])]
            pattern = "".join(p[1:-1] if re.fullmatch(r'"[^"]*"', p) else "*" for p in pieces)
            return [pattern] if PATTERN.fullmatch(pattern) and "*" in pattern else []
        return []

    def uses(self, root):
        """code -> [file:line, ...] for every use in the sources."""
        found = defaultdict(list)
        for path, (code, mask) in self.texts.items():
            def record(codes, at):
                for c in dict.fromkeys(codes):
                    found[c].append(f"{path.relative_to(root)}:{code.count(chr(10), 0, at) + 1}")
            for m in re.finditer(r"\b(\w+)\s*\(", mask):  # 1. calls of forwarders
                args = split(code, mask, m.end(), ")")
                for k, fewest, most in sorted(self.forwarders.get(m.group(1), ())):
                    if fewest <= len(args) <= most and (codes := self.values(args[k])):
                        record(codes, m.start())
                        break
            vectors = {v: s for s, v in re.findall(r"std::vector<(\w+)>\s*&?\s*(\w+)", code)}
            inits = [(m, self.structs.get(m.group(1), self.structs.get(m.group(2))))  # 2. S{...}, S x{...}
                     for m in re.finditer(r"\b(\w+)(?:\s+(\w+))?\s*\{", mask) if m.group(1) != "struct"]
            inits += [(m, self.takers.get(m.group(1))) for m in re.finditer(r"\b(\w+)\(\s*\{", mask)]
            inits += [(m, self.structs.get(vectors.get(m.group(1))))
                      for m in re.finditer(r"\b(\w+)\.(?:push|emplace)_back\(\s*\{", mask)]
            for m, position in inits:
                items = split(code, mask, m.end(), "}") if position is not None else []
                if position is not None and position < len(items):
                    record(self.values(items[position]), m.start())
            for m in re.finditer(r"\.code\s*=\s*(\"[^\"]*\")", code):
                record(self.values(m.group(1)), m.start())
        return found


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    root = Path(argv[1])
    files = sorted(p for glob in ("src/ztnet/**/*.cpp", "src/ztnet/**/*.h", "tools/ztnet/*.cpp")
                   for p in root.glob(glob))
    used = Scanner(files).uses(root)
    if "--list" in argv:
        for code in sorted(used):
            kind = "pattern " if "*" in code else ""
            print(f"{kind}{code}: {', '.join(used[code])}")
        print(f"{len(used)} codes and patterns")
    catalogue = root / "docs/diagnostics.md"
    if not catalogue.is_file():
        print(f"{catalogue} is missing")
        return 1
    catalogue_text = catalogue.read_text(encoding="utf-8")
    listed = ROW.findall(catalogue_text)
    problems = [f"docs/diagnostics.md lists `{c}` twice" for c in sorted(set(listed)) if listed.count(c) > 1]
    for table in re.split(r"\n(?!\|)", catalogue_text):  # consecutive table lines stay together
        if (rows := ROW.findall(table)) != sorted(rows):
            problems.append(f"docs/diagnostics.md: the table from `{rows[0]}` is not sorted by code")
    patterns = [c for c in used if "*" in c]
    for code in sorted(c for c in used if "*" not in c and c not in listed):
        problems.append(f"`{code}` is used ({used[code][0]}) but not in docs/diagnostics.md")
    for pattern in sorted(patterns):
        if not any(fnmatch.fnmatchcase(code, pattern) for code in listed):
            problems.append(f"codes `{pattern}` are built ({used[pattern][0]}), none is in docs/diagnostics.md")
    for code in sorted(set(listed)):
        if code not in used and not any(fnmatch.fnmatchcase(code, p) for p in patterns):
            problems.append(f"`{code}` is in docs/diagnostics.md but no source emits it any more")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok: docs/diagnostics.md lists the {len(set(listed))} diagnostic codes the sources emit")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
