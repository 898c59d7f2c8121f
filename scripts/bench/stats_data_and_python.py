"""Writes the benchmark data sets for the statistics engine and times the Python reference
packages on them. Called by scripts/bench/stats.sh; prints one JSON object of best wall times.

    python stats_data_and_python.py OUTDIR REPS
"""

import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracles"))
from common import efa_data, irt_2pl, likert_onefactor, ratings_icc  # noqa: E402

warnings.filterwarnings("ignore")


def best(reps, f):
    t_best = float("inf")
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, out


def save(outdir, name, x, manifest):
    x = np.asarray(x, dtype="<f8")
    x.T.copy().tofile(os.path.join(outdir, f"{name}.f64"))  # column-major
    manifest[name] = list(x.shape)


def main():
    outdir, reps = sys.argv[1], int(sys.argv[2])
    os.makedirs(outdir, exist_ok=True)
    manifest = {}
    data = {
        "alpha": likert_onefactor(100_000, 50, seed=1),
        "icc": ratings_icc(2000, 5, seed=2),
        "efa": efa_data(10_000, 40, 5, seed=4),
        "irt": irt_2pl(10_000, 40, seed=11)[0].astype(float),
    }
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 6, 1_000_000)
    r1 = np.clip(truth + rng.integers(-1, 2, truth.size), 1, 5)
    r2 = np.clip(truth + rng.integers(-1, 2, truth.size), 1, 5)
    data["kappa"] = np.column_stack([r1, r2]).astype(float)
    for k, v in data.items():
        save(outdir, k, v, manifest)
    with open(os.path.join(outdir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh)

    import pingouin as pg
    from factor_analyzer import FactorAnalyzer
    from sklearn.metrics import cohen_kappa_score

    out = {}
    df = pd.DataFrame(data["alpha"])
    out["pingouin_alpha"], (a, _) = best(reps, lambda: pg.cronbach_alpha(df))
    out["pingouin_alpha_value"] = a
    x = data["icc"]
    n, k = x.shape
    long = pd.DataFrame({"t": np.repeat(np.arange(n), k), "r": np.tile(np.arange(k), n), "s": x.ravel()})
    out["pingouin_icc"], res = best(reps, lambda: pg.intraclass_corr(long, targets="t", raters="r", ratings="s"))
    out["pingouin_icc3_value"] = float(res["ICC"].iloc[2])

    def fa():
        m = FactorAnalyzer(n_factors=5, method="minres", rotation="promax")
        m.fit(data["efa"])
        return m

    out["factor_analyzer_efa"], m = best(reps, fa)
    out["factor_analyzer_ss_loadings"] = [float(v) for v in m.get_factor_variance()[0]]
    out["sklearn_kappa"], kv = best(reps, lambda: cohen_kappa_score(r1, r2))
    out["sklearn_kappa_value"] = float(kv)
    out["sklearn_kappa_quadratic"], _ = best(reps, lambda: cohen_kappa_score(r1, r2, weights="quadratic"))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
