"""Prints each file of DIR (recursively) with its size, modification time
and SHA-256, to compare a directory before and after a command. The lock
file search.lock is left out: every run takes it and writes its id there."""
import hashlib
import os
import sys

root = sys.argv[1]
for dirpath, _, names in sorted(os.walk(root)):
    for name in sorted(names):
        if name == "search.lock":
            continue
        path = os.path.join(dirpath, name)
        st = os.stat(path)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(os.path.relpath(path, root), st.st_size, st.st_mtime_ns, digest)
