"""Reads `nasc-opt --help` on stdin and checks that docs/passes.md (argv[1])
documents every pass and pipeline of its overview, under a heading
`## name` or as `name`. Prints how
many it checked; names each one missing and exits 1."""
import re
import sys

overview = sys.stdin.read().split("USAGE:", 1)[0]
names = re.findall(r"^  --([a-z0-9-]+) +- ", overview, re.M)
doc = open(sys.argv[1]).read()
missing = [n for n in names
           if not re.search(r"(^## |`)" + re.escape(n) + r"\b", doc, re.M)]
for name in missing:
    print("docs/passes.md does not document " + name)
print("%d passes and pipelines documented" % (len(names) - len(missing)))
sys.exit(1 if missing or not names else 0)
