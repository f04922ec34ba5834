#!/usr/bin/env python3
"""Generates a located-error lit test from cases: runs nasc on the cases,
then inserts CHECK and expected-* comments before each diagnosed line.
Usage: gen.py CASES.py OUT.nas   (NASC=path/to/nasc, default build/bin/nasc)

The generated file is a golden test: review its diff before committing."""
import re, subprocess, sys, os, tempfile

NASC = os.environ.get("NASC", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin", "nasc"))
DIAG = re.compile(r"^(.*?):(\d+):(\d+): (error|note): (.*)$")

def run(path, text, extra):
    with open(path, "w") as f:
        f.write(text)
    p = subprocess.run([NASC, path, "--split-input-file",
                        "--mlir-print-op-on-diagnostic=false"] + extra,
                       capture_output=True, text=True)
    diags = []
    for line in p.stderr.splitlines():
        m = DIAG.match(line)
        if m:
            diags.append((int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)))
    return diags

def fc_escape(s):
    return s.replace("{{", "{{\\{\\{}}").replace("[[", "{{\\[\\[}}")

def main():
    ns = {}
    exec(open(sys.argv[1]).read(), ns)
    header, cases, out = ns["HEADER"].rstrip("\n"), ns["CASES"], sys.argv[2]
    base = os.path.basename(out)
    # Assemble the input: header, then chunks separated by markers.
    lines = header.split("\n")
    chunk_start = []   # index (0-based) of each chunk's first body line
    chunk_begin = []   # index of each chunk's first line
    for i, (desc, body) in enumerate(cases):
        if i > 0:
            lines.append("// -----")
        chunk_begin.append(0 if i == 0 else len(lines))
        lines.append("")
        for d in desc.strip().split("\n"):
            lines.append("// " + d)
        chunk_start.append(len(lines))
        lines.extend(body.strip("\n").split("\n"))
    lines.append("")
    tmp = os.path.join(tempfile.mkdtemp(), base)
    diags = run(tmp, "\n".join(lines), ns.get("EXTRA", []))
    # Which chunk holds a line: the last chunk starting at or before it.
    def chunk_of(line0):
        return max(i for i, b in enumerate(chunk_begin) if b <= line0)
    # Group: each error with the notes that follow it.
    groups = []
    for d in diags:
        if d[2] == "note" and groups:
            groups[-1].append(d)
        else:
            groups.append([d])
    # Insert comments: before the error line, or at the chunk body's start
    # when the error line is before it (e.g. 1:1).
    inserts = {}  # 0-based original line -> list of (kind, diag)
    for g in groups:
        err_line0 = g[0][0] - 1
        c = chunk_of(min(err_line0, len(lines) - 1))
        at = err_line0 if err_line0 >= chunk_start[c] else chunk_start[c]
        inserts.setdefault(at, []).extend(g)
    new = []
    newpos = {}
    pending = []  # (new index of comment, diag)
    for i, l in enumerate(lines):
        for d in inserts.get(i, []):
            pending.append((len(new), d))
            new.append(None)   # CHECK
            new.append(None)   # expected
        newpos[i] = len(new)
        new.append(l)
    newpos[len(lines)] = len(new)
    # Fill comments (two lines per diag: CHECK at k, expected at k+1).
    for k, d in pending:
        target = newpos[d[0] - 1] if d[0] - 1 in newpos else d[0] - 1
        off_c = target - k
        off_e = target - (k + 1)
        sc = "[[@LINE%+d]]" % off_c
        se = "@%+d" % off_e
        kind = d[2]
        new[k] = "// CHECK: %s:%s:%d: %s: %s{{$}}" % (base, sc, d[1], kind,
                                                       fc_escape(d[3]))
        if kind == "note" and d[3] == "called from":
            # MLIR's printing handler adds call-site notes; the verifying
            # handler does not produce them, so only FileCheck checks it.
            new[k + 1] = "// (call-site note: checked by FileCheck only)"
        else:
            new[k + 1] = "// expected-%s %s {{%s}}" % (kind, se, d[3])
    open(out, "w").write("\n".join(new))
    print("%d cases, %d diagnostics" % (len(cases), len(diags)))

main()
