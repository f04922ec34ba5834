"""Checks that README.md's "## Documentation" list (argv[1] is the source
root) names every docs/*.md. Prints how many it found; names each one
missing and exits 1."""
import os
import sys

root = sys.argv[1]
readme = open(os.path.join(root, "README.md")).read()
section = readme.split("## Documentation", 1)[1].split("\n## ", 1)[0]
docs = sorted(f for f in os.listdir(os.path.join(root, "docs"))
              if f.endswith(".md"))
missing = [d for d in docs if "`docs/%s`" % d not in section]
for doc in missing:
    print("README.md's documentation list does not name docs/" + doc)
print("%d of %d docs listed" % (len(docs) - len(missing), len(docs)))
sys.exit(1 if missing else 0)
