#!/usr/bin/env python3
"""Checks that every library includes only the layers below it.

The layers and what each may include are LAYERS below, the graph that
docs/conventions.md ("Layers") draws. A `#include "nasc/..."` in a layer's
sources (lib/<dir>) or public headers (include/nasc/<dir>) that names a
layer it may not use is reported as `file:line: error: ...`, and the exit
status is 1. The graph itself must be acyclic. Usage:
  check-layering.py [REPO_ROOT]
"""

import os
import re
import sys

# Layer: (its directories under lib/ and include/nasc/, the layers it may use).
# Listed bottom-up; a layer may use any layer reachable through its list.
LAYERS = {
    "Support": (["Support"], []),
    "Dialect": (["Dialect/NAS/IR", "Dialect"], ["Support"]),
    "Hardware": (["Hardware"], ["Dialect"]),
    "Space": (["Space"], ["Dialect"]),
    "Analysis": (["Analysis"], ["Space"]),
    "Transforms": (["Dialect/NAS/Transforms"], ["Analysis"]),
    "Frontend": (["Frontend"], ["Dialect"]),
    "Driver": (["Driver"], ["Analysis"]),
    "Conversion": (["Conversion"], ["Analysis"]),
    "TargetCommon": (["Target/Common"], ["Conversion"]),
    "Target": (["Target"], ["Conversion", "TargetCommon", "Hardware"]),
    "Search": (["Search"], ["Analysis", "Hardware"]),
    "CostModel": (["CostModel"], ["Search", "TargetCommon"]),
    "Eval": (["Eval"], ["Search", "Target"]),
    "Evaluators": (["Evaluators"], ["CostModel", "Eval"]),
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"nasc/([^"]+)"')


def layer_of(path):
    """The layer owning `path` (relative to lib/ or include/nasc/)."""
    best = None
    for name, (dirs, _) in LAYERS.items():
        for d in dirs:
            if path == d or path.startswith(d + "/"):
                if best is None or len(d) > best[1]:
                    best = (name, len(d))
    return best[0] if best else None


def closure():
    """Each layer's allowed layers (itself and all reachable); fails on a cycle."""
    allowed, state = {}, {}

    def visit(name, stack):
        if state.get(name) == "open":
            sys.exit("check-layering: the layer graph has a cycle: " +
                     " -> ".join(stack + [name]))
        if name in allowed:
            return allowed[name]
        state[name] = "open"
        reach = {name}
        for dep in LAYERS[name][1]:
            reach |= visit(dep, stack + [name])
        state[name] = "done"
        allowed[name] = reach
        return reach

    for name in LAYERS:
        visit(name, [])
    return allowed


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    allowed = closure()
    errors = 0
    for top in ("lib", os.path.join("include", "nasc")):
        base = os.path.join(root, top)
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                if not f.endswith((".cpp", ".h", ".td")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, base)
                owner = layer_of(rel)
                if owner is None:
                    print(f"{os.path.relpath(path, root)}:1: error: in no layer "
                          "of scripts/check-layering.py")
                    errors += 1
                    continue
                with open(path, encoding="utf-8") as text:
                    for number, line in enumerate(text, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        used = layer_of(m.group(1))
                        if used is None or used in allowed[owner]:
                            continue
                        print(f"{os.path.relpath(path, root)}:{number}: error: "
                              f"{owner} includes {used} (nasc/{m.group(1)}), a "
                              f"layer it may not use (docs/conventions.md, "
                              f"\"Layers\")")
                        errors += 1
    if errors:
        print(f"check-layering: {errors} include(s) against the layers")
        return 1
    print(f"check-layering: {len(LAYERS)} layers, no include against them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
