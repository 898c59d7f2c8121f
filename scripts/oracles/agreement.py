"""Oracle fixtures for agreement: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha, rwg.

Run with the venv from requirements.txt:  /work/venv-oracles/bin/python agreement.py
Oracles: scikit-learn and statsmodels (kappa, with the Fleiss-Cohen-Everitt standard error),
statsmodels (Fleiss), krippendorff (alpha), numpy (rwg; there is no maintained Python package).
"""

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from common import versions, write

VERS = versions("numpy", "scikit-learn", "statsmodels", "krippendorff")

# Fleiss (1971): 30 patients x 6 psychiatrists, 5 diagnoses (statsmodels' test data).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]

WIKI_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]

NAN = float("nan")
KRIPP_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def kappa_case(name, y1, y2):
    y1 = np.asarray(y1)
    y2 = np.asarray(y2)
    labels = np.unique(np.concatenate([y1, y2]))
    idx = {v: i for i, v in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for a, b in zip(y1, y2):
        table[idx[a], idx[b]] += 1
    out = {"name": name, "rater1": y1, "rater2": y2, "results": {}}
    for w, wt in [("none", None), ("linear", "linear"), ("quadratic", "quadratic")]:
        k_sk = cohen_kappa_score(y1, y2, weights=wt)
        res = cohens_kappa(table, wt=wt)
        out["results"][w] = {
            "kappa": k_sk,
            "statsmodels_kappa": res.kappa,
            "ase": res.std_kappa,
            "ci95": [res.kappa_low, res.kappa_upp],
            "z": res.z_value,
            "p": res.pvalue_two_sided,
            "agreement": float(np.trace(table) / table.sum()),
        }
    return out


def kappa_fixture():
    rng = np.random.default_rng(31)
    truth = rng.integers(1, 6, 400)
    r1 = np.clip(truth + rng.integers(-1, 2, 400), 1, 5)
    r2 = np.clip(truth + rng.integers(-1, 2, 400), 1, 5)
    cases = [
        kappa_case("TV-KAPPA-1", [0, 1, 2, 2, 1, 0, 2, 1, 1, 0, 2, 2], [0, 1, 2, 1, 1, 0, 2, 2, 1, 1, 2, 2]),
        # statsmodels' SAS-checked table [[0,4,1],[0,8,0],[0,1,5]] expanded to pairs
        kappa_case(
            "TV-KAPPA-2 (statsmodels/SAS table)",
            [1] * 5 + [2] * 8 + [3] * 6,
            [2, 2, 2, 2, 3] + [2] * 8 + [2, 3, 3, 3, 3, 3],
        ),
        kappa_case("random 400 pairs, 5-point scale", r1, r2),
    ]
    write("kappa.json", {
        "oracle": VERS,
        "notes": [
            "kappa from sklearn.metrics.cohen_kappa_score; ase and ci95 from statsmodels "
            "cohens_kappa (Fleiss, Cohen & Everitt 1969 asymptotic SE; the CI is kappa +- "
            "1.96 ase).",
            "Weights use category indices in sorted label order, not the label values.",
        ],
        "cases": cases,
    })


def fleiss_fixture():
    diag = np.array(FLEISS_1971)
    counts, cats = aggregate_raters(diag)
    rng = np.random.default_rng(17)
    truth = rng.integers(1, 5, 200)
    ratings = np.clip(truth[:, None] + rng.integers(-1, 2, (200, 7)) * (rng.uniform(size=(200, 7)) < 0.4), 1, 4)
    rc, _ = aggregate_raters(ratings)
    cases = [
        {"name": "Fleiss 1971 diagnoses (30 x 6)", "ratings": diag,
         "kappa": fleiss_kappa(counts, method="fleiss"),
         "randolph": fleiss_kappa(counts, method="randolph")},
        {"name": "Wikipedia worked example (counts, 10 subjects x 14 raters)",
         "counts": np.array(WIKI_COUNTS),
         "kappa": fleiss_kappa(np.array(WIKI_COUNTS), method="fleiss"),
         "randolph": fleiss_kappa(np.array(WIKI_COUNTS), method="randolph")},
        {"name": "TV-FLEISS-3 (7 x 3)",
         "ratings": np.array([[1, 1, 1], [1, 2, 2], [2, 2, 2], [3, 3, 1], [3, 3, 3], [1, 1, 2], [2, 3, 3]]),
         },
        {"name": "random 200 subjects x 7 raters, 4 categories", "ratings": ratings,
         "kappa": fleiss_kappa(rc, method="fleiss"), "randolph": fleiss_kappa(rc, method="randolph")},
    ]
    c3, _ = aggregate_raters(np.array(cases[2]["ratings"]))
    cases[2]["kappa"] = fleiss_kappa(c3, method="fleiss")
    cases[2]["randolph"] = fleiss_kappa(c3, method="randolph")
    write("fleiss.json", {
        "oracle": VERS,
        "notes": ["statsmodels fleiss_kappa(method='fleiss'|'randolph') on aggregate_raters counts. "
                  "Fleiss (1971) publishes .430 for the diagnoses."],
        "cases": cases,
    })


def kripp_fixture():
    rng = np.random.default_rng(23)
    truth = rng.integers(1, 6, 300).astype(float)
    data = np.clip(truth[None, :] + rng.integers(-1, 2, (5, 300)) * (rng.uniform(size=(5, 300)) < 0.5), 1, 5)
    data[rng.uniform(size=data.shape) < 0.15] = np.nan
    ratio_data = np.round(rng.gamma(2.0, 3.0, (3, 80)) + 0.5, 1)
    ratio_data[rng.uniform(size=ratio_data.shape) < 0.1] = np.nan
    cases = []
    for name, d in [
        ("Krippendorff 2011 canonical (4 coders x 12 units)", np.array(KRIPP_2011)),
        ("random 5 coders x 300 units, 15% missing", data),
        ("random 3 coders x 80 units, continuous values", ratio_data),
    ]:
        res = {lvl: krippendorff.alpha(reliability_data=d, level_of_measurement=lvl)
               for lvl in ["nominal", "ordinal", "interval", "ratio"]}
        cases.append({"name": name, "coders_by_units": d, "alpha": res})
    write("krippendorff.json", {
        "oracle": VERS,
        "notes": [
            "krippendorff.alpha(reliability_data=coders x units, level_of_measurement=...). "
            "null marks a missing value. The package's default level is interval; ours has no "
            "default (the CLI requires --level).",
            "Ordinal distances use the observed values as the ordered categories (no "
            "value_domain), as the package does.",
        ],
        "cases": cases,
    })


def rwg_case(name, x, options):
    sigma_eu = (options**2 - 1) / 12
    s2 = x.var(0, ddof=1)
    rwg = np.maximum(0.0, 1 - s2 / sigma_eu)
    J = x.shape[1]
    sbar = s2.mean()
    ratio = min(sbar / sigma_eu, 1.0)
    rwgj = J * (1 - ratio) / (J * (1 - ratio) + ratio)
    return {"name": name, "ratings": x, "options": options, "expected_variance": sigma_eu,
            "item_variances": s2, "rwg": rwg, "rwg_j": rwgj}


def rwg_fixture():
    cases = [
        rwg_case("TV-RWG (6 SMEs x 3 items, 5-point)",
                 np.array([[4, 4, 5], [4, 5, 5], [3, 4, 4], [4, 4, 5], [5, 5, 4], [4, 4, 4]], dtype=float), 5),
        rwg_case("dispersed item truncated at 0 (5 SMEs x 2 items, 5-point)",
                 np.array([[1, 3], [5, 3], [1, 4], [5, 3], [3, 3]], dtype=float), 5),
        rwg_case("7-point scale, 8 SMEs x 4 items",
                 np.array([[6, 5, 7, 4], [6, 6, 7, 5], [5, 6, 6, 4], [7, 5, 7, 3], [6, 6, 6, 4],
                           [6, 5, 7, 5], [5, 6, 7, 4], [6, 6, 6, 4]], dtype=float), 7),
    ]
    write("rwg.json", {
        "oracle": VERS,
        "notes": [
            "numpy reference of James, Demaree & Wolf (1984): rwg = 1 - s2/sigma2_EU with "
            "sigma2_EU = (A^2-1)/12 and the sample variance (ddof 1), truncated at 0 "
            "(LeBreton & Senter 2008). rwg(j) uses the mean item variance, with the ratio capped "
            "at 1 so that rwg(j) is 0 when the mean variance exceeds sigma2_EU.",
        ],
        "cases": cases,
    })


if __name__ == "__main__":
    kappa_fixture()
    fleiss_fixture()
    kripp_fixture()
    rwg_fixture()
