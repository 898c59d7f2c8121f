"""Oracle fixtures for adverse impact, Mantel-Haenszel DIF and cut scores.

Run with the venv from requirements.txt:  /work/venv-oracles/bin/python fairness.py
Oracles: scipy (Fisher's exact test), statsmodels (two-proportion z, StratifiedTable for MH,
Logit for contrasting groups), numpy (Angoff, misclassification counts).
"""

import numpy as np
import statsmodels.api as sm
from scipy.stats import fisher_exact, norm
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.proportion import proportions_ztest

from common import irt_2pl, versions, write

VERS = versions("numpy", "scipy", "statsmodels")


def ai_case(name, groups):
    """groups: list of (name, applicants, selected)."""
    rates = {g: s / n for g, n, s in groups}
    ref = max(groups, key=lambda t: t[2] / t[1])
    out = []
    for g, n, s in groups:
        row = {"group": g, "applicants": n, "selected": s, "rate": s / n,
               "impact_ratio": (s / n) / (ref[2] / ref[1])}
        if g != ref[0]:
            table = [[ref[2], ref[1] - ref[2]], [s, n - s]]
            odds, p = fisher_exact(table)
            z, pz = proportions_ztest([ref[2], s], [ref[1], n])
            row.update({"fisher_p": p, "odds_ratio": odds, "z": z, "z_p": pz})
        out.append(row)
    return {"name": name, "reference": ref[0], "groups": out}


def adverse_impact_fixture():
    cases = [
        ai_case("TV-AI-1 (48/80 vs 21/50)", [("reference", 80, 48), ("focal", 50, 21)]),
        ai_case("TV-AI-1 boundary (48/80 vs 24/50, ratio exactly 0.8)", [("reference", 80, 48), ("focal", 50, 24)]),
        ai_case("three groups", [("A", 120, 60), ("B", 90, 36), ("C", 40, 12)]),
        ai_case("large n, small difference", [("men", 4000, 1200), ("women", 3500, 980)]),
    ]
    write("adverse_impact.json", {
        "oracle": VERS,
        "notes": [
            "Reference group = highest selection rate (UGESP 1607.4D). fisher_p: scipy "
            "fisher_exact two-sided ('minlike': sum of tables no more likely than the observed "
            "one) on [[ref selected, ref rejected], [group selected, group rejected]]. z, z_p: "
            "statsmodels proportions_ztest (pooled, no continuity correction), reference minus group.",
        ],
        "cases": cases,
    })


def mh(tables):
    st = StratifiedTable(tables)
    alpha = st.oddsratio_pooled
    se_ln = st.logodds_pooled_se
    chi_c = st.test_null_odds(correction=True)
    chi_u = st.test_null_odds(correction=False)
    delta = -2.35 * np.log(alpha)
    se_delta = 2.35 * se_ln
    sig = chi_c.pvalue < 0.05
    if abs(delta) < 1 or not sig:
        cls = "A"
    elif abs(delta) >= 1.5 and (abs(delta) - 1) / se_delta > norm.ppf(0.95):
        cls = "C"
    else:
        cls = "B"
    return {"alpha_mh": alpha, "ln_alpha": np.log(alpha), "se_ln_alpha": se_ln, "delta": delta,
            "se_delta": se_delta, "chi2": chi_c.statistic, "p": chi_c.pvalue,
            "chi2_uncorrected": chi_u.statistic, "p_uncorrected": chi_u.pvalue, "ets_class": cls}


def dif_fixture():
    tv = [np.array(t, dtype=float) for t in ([[30, 20], [20, 30]], [[40, 10], [30, 20]], [[45, 5], [40, 10]])]
    tv_res = mh(tv)
    tv_res["tables"] = tv

    x, a, b, theta = irt_2pl(1200, 12, seed=9)
    rng = np.random.default_rng(91)
    focal = rng.uniform(size=x.shape[0]) < 0.4
    # inject DIF against the focal group on the first two items: shift b by +0.8
    p = 1 / (1 + np.exp(-a[:2] * (theta[focal, None] - (b[:2] + 0.8))))
    x[np.ix_(focal, [0, 1])] = (rng.uniform(size=p.shape) < p).astype(int)
    total = x.sum(1)
    items = []
    for i in range(x.shape[1]):
        tables = []
        for s in np.unique(total):
            m = total == s
            A = np.sum((x[m, i] == 1) & ~focal[m])
            B = np.sum((x[m, i] == 0) & ~focal[m])
            C = np.sum((x[m, i] == 1) & focal[m])
            D = np.sum((x[m, i] == 0) & focal[m])
            if min(A + B, C + D, A + C, B + D) == 0:
                continue  # a zero margin carries no information
            tables.append(np.array([[A, B], [C, D]], dtype=float))
        r = mh(tables)
        r["strata_used"] = len(tables)
        items.append(r)
    write("dif.json", {
        "oracle": VERS,
        "notes": [
            "statsmodels StratifiedTable: oddsratio_pooled (MH), logodds_pooled_se "
            "(Robins-Breslow-Greenland), test_null_odds(correction=True) for chi2/p.",
            "Tables are [[reference correct, reference incorrect], [focal correct, focal incorrect]]; "
            "strata are total-score levels (studied item included); strata with a zero margin "
            "are dropped.",
            "ETS class: A if |delta| < 1 or the MH chi2 (continuity-corrected) p >= .05; C if "
            "|delta| >= 1.5 and (|delta| - 1)/SE(delta) > z(.95) one-sided; else B.",
        ],
        "tv_mh_1": tv_res,
        "dataset": {"responses": x, "focal": focal.astype(int), "items": items},
    })


def cut_fixture():
    items_by_judge = np.array([[.6, .7, .65], [.8, .85, .9], [.5, .4, .45], [.9, .95, .9], [.3, .35, .4]])
    judge_cuts = items_by_judge.sum(0)
    angoff = {
        "judgements": items_by_judge.T,  # judges x items
        "judge_cuts": judge_cuts,
        "cut": judge_cuts.mean(),
        "sd": judge_cuts.std(ddof=1),
        "se": judge_cuts.std(ddof=1) / np.sqrt(len(judge_cuts)),
        "item_means": items_by_judge.mean(1),
        "item_sds": items_by_judge.std(1, ddof=1),
    }
    scores = np.array([55, 58, 60, 62, 63, 65, 66, 68, 70, 71, 72, 74, 75, 77, 78, 80, 82, 85, 88, 90], dtype=float)
    comp = np.array([0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1])
    fit = sm.Logit(comp, sm.add_constant(scores)).fit(disp=0, tol=1e-12, maxiter=200)
    b0, b1 = fit.params
    errors = []
    for c in np.unique(scores):
        passed = scores >= c
        errors.append({"cut": c, "false_passes": int(np.sum(passed & (comp == 0))),
                       "false_fails": int(np.sum(~passed & (comp == 1)))})
    contrasting = {"scores": scores, "competent": comp, "beta0": b0, "beta1": b1,
                   "logistic_cut": -b0 / b1, "errors_by_cut": errors}
    write("cutscores.json", {
        "oracle": VERS,
        "notes": [
            "Angoff: numpy; cut = mean of judge sums, sd with ddof 1, se = sd/sqrt(J).",
            "Contrasting groups: statsmodels Logit (tol 1e-12) for the logistic cut -b0/b1; "
            "misclassification counts by brute force, passing means score >= cut.",
        ],
        "angoff": angoff,
        "contrasting_groups": contrasting,
    })


if __name__ == "__main__":
    adverse_impact_fixture()
    dif_fixture()
    cut_fixture()
