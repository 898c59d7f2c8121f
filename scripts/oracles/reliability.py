"""Oracle fixtures for internal consistency (alpha, omega) and intraclass correlations.

Run with the venv from requirements.txt:  /work/venv-oracles/bin/python reliability.py
Oracles: pingouin (alpha, ICC), numpy (item statistics), scipy (Feldt CI without rounding),
factor_analyzer (one-factor ML loadings for omega).
"""

import os

import numpy as np
import pandas as pd
import pingouin as pg
from factor_analyzer import FactorAnalyzer
from scipy.stats import f as fdist

from common import likert_onefactor, ratings_icc, versions, write

VERS = versions("numpy", "scipy", "pandas", "pingouin", "factor_analyzer")


def feldt(alpha, n, k, ci=0.95):
    g = 1 - ci
    df1 = n - 1
    df2 = df1 * (k - 1)
    return [1 - (1 - alpha) * fdist.isf(g / 2, df1, df2), 1 - (1 - alpha) * fdist.isf(1 - g / 2, df1, df2)]


def item_stats(x):
    """Corrected item-total r and alpha-if-deleted by brute force on complete data."""
    df = pd.DataFrame(x)
    total = x.sum(1)
    out = []
    for i in range(x.shape[1]):
        rest = total - x[:, i]
        r = np.corrcoef(x[:, i], rest)[0, 1]
        a, _ = pg.cronbach_alpha(df.drop(columns=[i]))
        out.append({"corrected_item_total": r, "alpha_if_deleted": a})
    return out


def std_alpha(x):
    r = np.corrcoef(x, rowvar=False)
    k = r.shape[0]
    rbar = (r.sum() - k) / (k * (k - 1))
    return k * rbar / (1 + (k - 1) * rbar)


def alpha_case(name, x, note=None):
    df = pd.DataFrame(x)
    n, k = x.shape
    complete = ~np.isnan(x).any(1)
    case = {"name": name, "data": x}
    a_pw, ci_pw_pg = pg.cronbach_alpha(df, nan_policy="pairwise")
    a_lw, ci_lw_pg = pg.cronbach_alpha(df, nan_policy="listwise")
    pair_rows = int(((~np.isnan(x)).sum(1) >= 2).sum())
    case["pairwise"] = {
        "alpha": a_pw,
        "ci95": feldt(a_pw, pair_rows, k),
        "n_used": pair_rows,
        "pingouin_ci95_rounded": ci_pw_pg,
    }
    n_lw = int(complete.sum())
    case["listwise"] = {
        "alpha": a_lw,
        "ci95": feldt(a_lw, n_lw, k),
        "n_used": n_lw,
        "pingouin_ci95_rounded_full_n": ci_lw_pg,
    }
    xc = x[complete]
    case["listwise"]["standardized_alpha"] = std_alpha(xc)
    case["listwise"]["items"] = item_stats(xc)
    if note:
        case["note"] = note
    return case


def alpha_fixture():
    here = os.path.dirname(pg.__file__)
    wide = pd.read_csv(os.path.join(here, "datasets", "cronbach_wide_missing.csv"))
    cases = [
        alpha_case(
            "pingouin cronbach_wide_missing (12 x 11 binary, 4 missing)",
            wide.to_numpy(dtype=float),
        ),
        alpha_case(
            "TV-ALPHA-2 (10 x 4)",
            np.array(
                [[5, 4, 3, 2], [2, 1, 1, 1], [1, 5, 4, 5], [3, 4, 5, 4], [4, 3, 3, 5],
                 [2, 5, 4, 1], [2, 5, 3, 1], [4, 4, 5, 1], [1, 5, 1, 3], [1, 2, 3, 3]],
                dtype=float,
            ),
        ),
    ]
    x = np.array(cases[1]["data"], dtype=float)
    x[0, 1] = np.nan
    x[3, 2] = np.nan
    cases.append(alpha_case("TV-ALPHA-2 with two missing cells", x))
    cases.append(alpha_case("likert_onefactor(500, 8, seed=3)", likert_onefactor(500, 8, seed=3)))
    write("alpha.json", {
        "oracle": VERS,
        "notes": [
            "alpha from pingouin.cronbach_alpha (pairwise and listwise).",
            "ci95 is the Feldt interval recomputed with scipy without rounding; pingouin rounds "
            "its CI to 3 decimals (kept as pingouin_ci95_rounded*).",
            "Quirk: pingouin's listwise CI uses n before deletion; ours uses the complete cases "
            "(n_used). The pairwise CI uses n = rows with at least two answered items.",
            "items: corrected item-total r from numpy corrcoef(x_i, total - x_i) and alpha if "
            "deleted by re-running pingouin without the item, on the listwise-complete rows.",
            "standardized_alpha: k*rbar/(1+(k-1)*rbar) from numpy corrcoef.",
        ],
        "cases": cases,
    })


def omega_fixture():
    cases = []
    for name, x in [
        ("likert_onefactor(400, 6, seed=5)", likert_onefactor(400, 6, seed=5)),
        ("likert_onefactor(300, 10, lam=0.5, seed=8)", likert_onefactor(300, 10, lam=0.5, seed=8)),
    ]:
        fa = FactorAnalyzer(n_factors=1, method="ml", rotation=None)
        fa.fit(x)
        lam = fa.loadings_[:, 0]
        lam = lam * np.sign(lam.sum())
        psi = 1 - lam**2
        r = np.corrcoef(x, rowvar=False)
        omega = lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum())
        cases.append({
            "name": name,
            "data": x,
            "loadings": lam,
            "omega_total": omega,
            "omega_observed": lam.sum() ** 2 / r.sum(),
        })
    write("omega.json", {
        "oracle": VERS,
        "notes": [
            "Loadings from factor_analyzer FactorAnalyzer(1, method='ml', rotation=None) on the "
            "correlation matrix; omega_total = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)); "
            "omega_observed divides by 1'R1 instead.",
            "factor_analyzer stops L-BFGS-B at its default tolerances, so loadings agree to about 1e-4.",
        ],
        "cases": cases,
    })


def icc_case(name, x):
    n, k = x.shape
    long = pd.DataFrame(
        [(t, r, x[t, r]) for t in range(n) for r in range(k)], columns=["t", "r", "s"]
    )
    pg.options["round.column.CI95"] = None
    res = pg.intraclass_corr(long, targets="t", raters="r", ratings="s")
    names = {
        "ICC(1,1)": "ICC1", "ICC(A,1)": "ICC2", "ICC(C,1)": "ICC3",
        "ICC(1,k)": "ICC1k", "ICC(A,k)": "ICC2k", "ICC(C,k)": "ICC3k",
    }
    rows = []
    for _, row in res.iterrows():
        rows.append({
            "type": names[row["Type"]],
            "pingouin_type": row["Type"],
            "value": row["ICC"],
            "f": row["F"],
            "df1": row["df1"],
            "df2": row["df2"],
            "p": row["pval"],
            "ci95": list(row["CI95"]),
        })
    return {"name": name, "data": x, "icc": rows}


def icc_fixture():
    here = os.path.dirname(pg.__file__)
    wine = pd.read_csv(os.path.join(here, "datasets", "icc.csv"))
    wide = wine.pivot(index="Wine", columns="Judge", values="Scores").to_numpy(dtype=float)
    cases = [
        icc_case(
            "Shrout & Fleiss 1979 Table 2 (6 targets x 4 judges)",
            np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                      [6, 2, 4, 7]], dtype=float),
        ),
        icc_case("pingouin icc dataset (8 wines x 4 judges)", wide),
        icc_case("ratings_icc(300, 5, seed=2)", ratings_icc(300, 5, seed=2)),
    ]
    write("icc.json", {
        "oracle": VERS,
        "notes": [
            "pingouin.intraclass_corr with CI rounding switched off (pingouin rounds CI95 to 2 "
            "decimals by default).",
            "Names: ICC1 = ICC(1,1), ICC2 = ICC(A,1) = ICC(2,1), ICC3 = ICC(C,1) = ICC(3,1); "
            "the k forms are the averages of k raters. Shrout & Fleiss publish "
            ".17/.29/.71/.44/.62/.91 for the first case.",
        ],
        "cases": cases,
    })


if __name__ == "__main__":
    alpha_fixture()
    omega_fixture()
    icc_fixture()
