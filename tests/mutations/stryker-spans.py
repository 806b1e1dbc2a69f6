"""Prints Stryker.NET --mutate patterns, "**/<file>{a..b}{c..d}", for spans of src/WhichFeatures given by content.

The spans file maps a path under src/WhichFeatures to a list of [start text, end text] pairs. A span runs from the
first character of the line holding the start text (searched after the previous span of that file) to the last
character of the first line at or after it holding the end text, so spans follow the code through edits; a text that
is not found stops with an error naming it. Stryker's spans are character offsets (see docs/testing.md).
Usage: python3 stryker-spans.py SPANS.json SRC_ROOT
"""
import json
import sys

spans_file, root = sys.argv[1], sys.argv[2]
for path, spans in json.load(open(spans_file, encoding="utf-8")).items():
    text = open(f"{root}/{path}", encoding="utf-8").read()
    out, pos = [], 0
    for start, end in spans:
        i = text.find(start, pos)
        if i < 0:
            sys.exit(f"{path}: start text not found: {start!r}")
        line_start = text.rfind("\n", 0, i) + 1
        j = text.find(end, i)
        if j < 0:
            sys.exit(f"{path}: end text not found: {end!r}")
        line_end = text.find("\n", j)
        line_end = len(text) - 1 if line_end < 0 else line_end - 1
        out.append(f"{{{line_start}..{line_end}}}")
        pos = line_end
    print(f"**/{path}" + "".join(out))
