"""Times Python mirt (Rust backend) 2PL on the benchmark's IRT data. Called by stats.sh with the
second oracle venv (numpy 1.26):  python stats_irt_python.py OUTDIR REPS"""

import json
import os
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def main():
    outdir, reps = sys.argv[1], int(sys.argv[2])
    n, k = json.load(open(os.path.join(outdir, "manifest.json")))["irt"]
    x = np.fromfile(os.path.join(outdir, "irt.f64"), dtype="<f8").reshape(k, n).T.astype(int)
    import mirt

    out = {}
    for key, se in [("mirt_2pl_se", True), ("mirt_2pl_no_se", False)]:
        best = float("inf")
        for _ in range(reps):
            t = time.perf_counter()
            r = mirt.fit_mirt(x, model="2PL", compute_standard_errors=se)
            best = min(best, time.perf_counter() - t)
        out[key] = best
        out[key + "_iterations"] = int(r.n_iterations)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
