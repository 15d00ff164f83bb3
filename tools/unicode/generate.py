#!/usr/bin/env python3
"""Generates src/Parley/Unicode/UnicodeTables.g.cs, the pinned tables behind the nickname rules (UTS #39).

The project builds with InvariantGlobalization (string.Normalize does nothing) and runs as a native binary without
ICU, so the Unicode data it needs is compiled into sorted arrays here, from files Debian packages ship:

  apt-get install unicode-data python3-confusable-homoglyphs
  python3 tools/unicode/generate.py > src/Parley/Unicode/UnicodeTables.g.cs

- unicode-data (/usr/share/unicode): UnicodeData.txt (decompositions, combining classes), CaseFolding.txt,
  DerivedCoreProperties.txt (Default_Ignorable_Code_Point), Scripts.txt, ScriptExtensions.txt,
  PropertyValueAliases.txt.
- python3-confusable-homoglyphs: confusables.json, Unicode's security/confusables.txt as pairs (the source of each
  line and its prototype, both ways round); no Debian package ships confusables.txt itself. The prototype of each
  pair is recovered below: a multi-character side, or the side that belongs to more than one pair (a source maps to
  one prototype only); for a pair that stands alone either side will do, since only equality of skeletons matters.

Run it again with newer packages to move to a newer Unicode version; the tests in tests/Parley.Tests/Unicode say
what must still hold.
"""

import json
import os
import sys
from collections import defaultdict

UCD = os.environ.get("UCD", "/usr/share/unicode")
CONFUSABLES = os.environ.get(
    "CONFUSABLES", "/usr/lib/python3/dist-packages/confusable_homoglyphs/confusables.json")


def lines(name):
    with open(os.path.join(UCD, name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]


def code_range(text):
    if ".." in text:
        first, last = text.split("..")
        return int(first, 16), int(last, 16)
    return int(text, 16), int(text, 16)


def version(name):
    with open(os.path.join(UCD, name), encoding="utf-8") as f:
        return f.readline().strip("# \n")


# Decompositions and combining classes.
canonical = {}
compatibility = {}
ccc = {}
for fields in lines("UnicodeData.txt"):
    cp = int(fields[0], 16)
    if fields[3] != "0":
        ccc[cp] = int(fields[3])
    if fields[5]:
        parts = fields[5].split()
        if parts[0].startswith("<"):
            compatibility[cp] = [int(p, 16) for p in parts[1:]]
        else:
            canonical[cp] = [int(p, 16) for p in parts]
            compatibility[cp] = canonical[cp]

folding = {}
for fields in lines("CaseFolding.txt"):
    if fields[1] in ("C", "F"):
        folding[int(fields[0], 16)] = [int(p, 16) for p in fields[2].split()]


def decompose(cps, table):
    out = []
    for cp in cps:
        if cp in table:
            out.extend(decompose(table[cp], table))
        else:
            out.append(cp)
    return out


def fold(cp):
    """NFKD, then case folding, until nothing changes: NFKC_Casefold up to composition, which comparing ignores."""
    current = [cp]
    while True:
        step = decompose(current, compatibility)
        step = [c for x in step for c in folding.get(x, [x])]
        step = decompose(step, compatibility)
        if step == current:
            return current
        current = step


folds = {}
for cp in sorted(set(compatibility) | set(folding)):
    if 0xAC00 <= cp <= 0xD7A3:
        continue  # Hangul syllables decompose by arithmetic at run time.
    mapped = fold(cp)
    if mapped != [cp]:
        folds[cp] = mapped

ignorable = []
for fields in lines("DerivedCoreProperties.txt"):
    if fields[1] == "Default_Ignorable_Code_Point":
        ignorable.append(code_range(fields[0]))

# Scripts: each code point's Script_Extensions, else its Script.
long_name = {}
for fields in lines("PropertyValueAliases.txt"):
    if fields[0] == "sc":
        long_name[fields[1]] = fields[2]
script_names = ["Unknown"]
script_index = {"Unknown": 0}


def index_of(name):
    if name not in script_index:
        script_index[name] = len(script_names)
        script_names.append(name)
    return script_index[name]


for name in ("Common", "Inherited"):
    index_of(name)

by_cp = {}
for fields in lines("Scripts.txt"):
    first, last = code_range(fields[0])
    value = (index_of(fields[1]),)
    for cp in range(first, last + 1):
        by_cp[cp] = value
for fields in lines("ScriptExtensions.txt"):
    first, last = code_range(fields[0])
    value = tuple(sorted(index_of(long_name[short]) for short in fields[1].split()))
    for cp in range(first, last + 1):
        by_cp[cp] = value

sets = []
set_index = {}
runs = []  # (first code point, value): single scripts below 256, sets from 256 on
for cp in range(0, 0x110000):
    scripts = by_cp.get(cp, (0,))
    if len(scripts) == 1:
        value = scripts[0]
    else:
        if scripts not in set_index:
            set_index[scripts] = len(sets)
            sets.append(scripts)
        value = 256 + set_index[scripts]
    if not runs or runs[-1][1] != value:
        runs.append((cp, value))
assert len(script_names) < 256

# Confusables: each source's prototype, in NFD.
with open(CONFUSABLES, encoding="utf-8") as f:
    pairs_json = json.load(f)
pairs = set()
for key, entries in pairs_json.items():
    for entry in entries:
        pairs.add(tuple(sorted((key, entry["c"]))))
degree = defaultdict(int)
for a, b in pairs:
    degree[a] += 1
    degree[b] += 1
prototype_of = {}
for a, b in sorted(pairs):
    if len(a) > 1 and len(b) > 1:
        continue
    if len(a) > 1 or (len(b) == 1 and degree[a] > 1 and degree[b] == 1):
        source, prototype = b, a
    elif len(b) > 1 or degree[b] > 1:
        source, prototype = a, b
    else:
        source, prototype = max(a, b), min(a, b)
    if len(source) != 1 or degree[source] > 1:
        continue
    prototype_of[ord(source)] = decompose([ord(c) for c in prototype], canonical)


def escape(cps):
    out = []
    for cp in cps:
        if 0x20 <= cp < 0x7F and chr(cp) not in '"\\':
            out.append(chr(cp))
        elif cp <= 0xFFFF:
            out.append("\\u%04X" % cp)
        else:
            out.append("\\U%08X" % cp)
    return "".join(out)


def int_list(values, per_line=16):
    values = list(values)
    rows = []
    for i in range(0, len(values), per_line):
        rows.append("        " + ", ".join("0x%X" % v for v in values[i:i + per_line]) + ",")
    return "\n".join(rows)


def mapping(name, table, doc):
    keys = sorted(table)
    starts = []
    text = []
    length = 0
    for key in keys:
        starts.append(length)
        text.append(escape(table[key]))
        length += sum(2 if cp > 0xFFFF else 1 for cp in table[key])
    starts.append(length)
    literal = "".join(text)
    return f"""
    /// <summary>{doc}: the code points mapped, sorted.</summary>
    private static ReadOnlySpan<int> {name}Keys =>
    [
{int_list(keys)}
    ];

    /// <summary>Where the mapping of each of <see cref="{name}Keys"/> starts in <see cref="{name}Values"/>, and where the last ends.</summary>
    private static ReadOnlySpan<int> {name}Starts =>
    [
{int_list(starts)}
    ];

    /// <summary>The mappings of <see cref="{name}Keys"/>, one after the other, in UTF-16.</summary>
    private const string {name}Values = "{literal}";
"""


out = []
out.append(f"""// <auto-generated>
// Generated by tools/unicode/generate.py; do not edit. Run it again to change the Unicode version.
// {version("UnicodeData.txt") if version("UnicodeData.txt").startswith("Unicode") else version("DerivedCoreProperties.txt")}; {version("Scripts.txt")}; {version("ScriptExtensions.txt")}; {version("CaseFolding.txt")}
// Confusables: {os.path.basename(CONFUSABLES)} of python3-confusable-homoglyphs ({len(prototype_of)} sources).
// </auto-generated>

namespace Parley.Unicode;

internal static partial class UnicodeTables
{{""")
out.append(mapping("Fold", folds, "NFKD and case folding, repeated until stable (NFKC_Casefold without composition)"))
out.append(mapping("Prototype", prototype_of, "The prototype of each confusable source (UTS #39 confusables), in NFD"))
# Combining classes as runs.
ccc_runs = []
for cp in range(0, 0x110000):
    value = ccc.get(cp, 0)
    if not ccc_runs or ccc_runs[-1][1] != value:
        ccc_runs.append((cp, value))
out.append(f"""
    /// <summary>Canonical combining classes by runs: the first code point of each run, sorted.</summary>
    private static ReadOnlySpan<int> CombiningStarts =>
    [
{int_list(r[0] for r in ccc_runs)}
    ];

    /// <summary>The canonical combining class of each run of <see cref="CombiningStarts"/>.</summary>
    private static ReadOnlySpan<byte> CombiningClasses =>
    [
{int_list(r[1] for r in ccc_runs)}
    ];

    /// <summary>Default_Ignorable_Code_Point, as inclusive ranges: first, last, first, last...</summary>
    private static ReadOnlySpan<int> IgnorableRanges =>
    [
{int_list(v for r in ignorable for v in r)}
    ];

    /// <summary>Scripts by runs: the first code point of each run, sorted.</summary>
    private static ReadOnlySpan<int> ScriptStarts =>
    [
{int_list(r[0] for r in runs)}
    ];

    /// <summary>The script of each run of <see cref="ScriptStarts"/>: an index of <see cref="ScriptNames"/>, or 256 and more for a set of <see cref="ScriptSets"/> (Script_Extensions).</summary>
    private static ReadOnlySpan<ushort> ScriptValues =>
    [
{int_list(r[1] for r in runs)}
    ];

    /// <summary>Script names; 0 is Unknown, 1 Common and 2 Inherited.</summary>
    private static readonly string[] ScriptNames =
    [
{chr(10).join('        "' + n + '",' for n in script_names)}
    ];

    /// <summary>The sets of scripts that Script_Extensions gives some code points, as indexes of <see cref="ScriptNames"/>.</summary>
    private static readonly byte[][] ScriptSets =
    [
{chr(10).join('        [' + ', '.join(str(i) for i in s) + '],' for s in sets)}
    ];
}}
""")
sys.stdout.write("".join(out))
