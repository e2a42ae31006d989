#!/usr/bin/env python3
"""The baseline cofi is measured against: read every record file and parse it
with PyYAML's C loader, nothing else (no validation, no checks, no output; the
garbage collector left as it is).

    python benchmarks/baseline.py LEDGER_ROOT
"""

import os
import sys

import yaml


def main(root: str) -> int:
    count = 0
    for top in ("commons", "ledger"):
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.endswith(".yaml"):
                    with open(os.path.join(folder, name), encoding="utf-8") as f:
                        text = f.read()
                    yaml.load(text, Loader=yaml.CSafeLoader)
                    count += 1
    if count == 0:
        print(f"no record files under {root}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
