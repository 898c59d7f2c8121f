"""Oracle fixtures for exploratory factor analysis.

Run with the venv from requirements.txt:  /work/venv-oracles/bin/python efa.py
Oracles: factor_analyzer (KMO, Bartlett, minres and ML extraction, varimax/promax/oblimin),
numpy (principal axis factoring, because factor_analyzer's "principal" is PCA, and eigenvalues).
"""

import warnings

import numpy as np
from factor_analyzer import FactorAnalyzer
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo

from common import efa_data, versions, write

warnings.filterwarnings("ignore")
VERS = versions("numpy", "scipy", "factor_analyzer", "scikit-learn")


def paf(r, m, tol=1e-12, max_iter=10000):
    """Principal axis factoring as in psych::fa(fm='pa'): SMC start, iterate h2."""
    h2 = 1 - 1 / np.diag(np.linalg.inv(r))
    for it in range(max_iter):
        rr = r.copy()
        np.fill_diagonal(rr, h2)
        vals, vecs = np.linalg.eigh(rr)
        vals = vals[::-1][:m]
        vecs = vecs[:, ::-1][:, :m]
        lam = vecs * np.sqrt(np.maximum(vals, 0))
        new = (lam**2).sum(1)
        if np.max(np.abs(new - h2)) < tol:
            h2 = new
            break
        h2 = new
    lam = lam * np.sign(lam.sum(0))
    return lam, it + 1


def fa_result(x, m, method, rotation):
    fa = FactorAnalyzer(n_factors=m, method=method, rotation=rotation)
    fa.fit(x)
    out = {
        "method": method,
        "rotation": rotation or "none",
        "loadings": fa.loadings_,
        "uniquenesses": fa.get_uniquenesses(),
        "communalities_rowsums": fa.get_communalities(),
        "ss_loadings": fa.get_factor_variance()[0],
    }
    if fa.phi_ is not None:
        # phi_ is reported in the rotation's factor order; reorder it like the loadings.
        out["phi_unordered"] = fa.phi_
        out["structure"] = fa.structure_
    return out


def main():
    x1 = efa_data(300, 6, 2, seed=21)
    kmo_items, kmo_total = calculate_kmo(x1)
    chi2, p = calculate_bartlett_sphericity(x1)
    r1 = np.corrcoef(x1, rowvar=False)

    x2 = efa_data(1000, 12, 3, seed=4)
    r2 = np.corrcoef(x2, rowvar=False)
    smc = 1 - 1 / np.diag(np.linalg.inv(r2))
    reduced = r2.copy()
    np.fill_diagonal(reduced, smc)
    fits = []
    for method in ["minres", "ml"]:
        for rotation in [None, "varimax", "promax", "oblimin"]:
            fits.append(fa_result(x2, 3, method, rotation))
    lam_pa, pa_iters = paf(r2, 3)

    # Heywood: one factor whose three items load .999, plus a second factor
    rng = np.random.default_rng(5)
    f = rng.standard_normal((500, 2))
    heywood = np.column_stack([
        0.999 * f[:, 0] + np.sqrt(1 - 0.999**2) * rng.standard_normal(500) for _ in range(3)
    ] + [0.6 * f[:, 1] + 0.8 * rng.standard_normal(500) for _ in range(3)])
    fa_h = FactorAnalyzer(n_factors=2, method="ml", rotation=None)
    fa_h.fit(heywood)

    write("efa.json", {
        "oracle": VERS,
        "notes": [
            "kmo/bartlett: factor_analyzer calculate_kmo and calculate_bartlett_sphericity.",
            "fits: FactorAnalyzer(n_factors=3, method, rotation) defaults otherwise (SMC start, "
            "L-BFGS-B with psi bounded to [0.005, 1], maxiter 1000). Loadings are sign-flipped so "
            "column sums are positive and ordered by SS loadings; compare after alignment.",
            "Quirk: factor_analyzer's get_communalities returns rowSums(L^2) even for oblique "
            "rotations; our communalities are diag(L Phi L') which equals the unrotated h2.",
            "Quirk: factor_analyzer clips uniquenesses at 0.005 (its lower bound) without a "
            "warning; the heywood case shows it. We report the Heywood case instead.",
            "Quirk: factor_analyzer's phi_ is in the rotation's factor order, not the reordered "
            "loadings' order (kept as phi_unordered).",
            "pa: numpy principal axis factoring (SMC start, iterate to max |dh2| < 1e-12); "
            "factor_analyzer's method='principal' is PCA, not PAF.",
        ],
        "kmo": {"data": x1, "kmo_items": kmo_items, "kmo_total": kmo_total,
                "bartlett_chi2": chi2, "bartlett_p": p, "bartlett_df": 15},
        "extraction": {
            "data": x2,
            "n_factors": 3,
            "eigenvalues": np.sort(np.linalg.eigvalsh(r2))[::-1],
            "reduced_eigenvalues": np.sort(np.linalg.eigvalsh(reduced))[::-1],
            "fits": fits,
            "pa": {"loadings": lam_pa, "communalities": (lam_pa**2).sum(1), "iterations": pa_iters},
        },
        "heywood": {"data": heywood, "n_factors": 2, "method": "ml",
                    "factor_analyzer_uniquenesses": fa_h.get_uniquenesses()},
    })


if __name__ == "__main__":
    main()
