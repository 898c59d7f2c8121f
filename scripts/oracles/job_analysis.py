"""Oracle for the job analysis (framewright-hiring): an independent implementation of the OPM rules
(DEOH Appendix G, as in docs/job-analysis.md) with numpy for means and SDs, the rwg formula of
James, Demaree & Wolf (1984) on numpy variances, and pingouin's intraclass_corr for the ICCs.

Data: the AI Research Scientist, GS-14 ratings of crates/cli/tests/fixtures/hiring (three SMEs),
and TV-JA of shared/research/psychometrics.md §8 — four SMEs with exactly half Not performed,
means of exactly 3.0, exactly 50 % needed at entry and a 2-of-4 linkage tie. The ratings are
written into the fixture with the expected results, so the Rust test needs neither Python nor
the CSV files.

Run (environment 1 of scripts/oracles/requirements.txt; pingouin 0.7.0, numpy 2.4.6, pandas 3.1.1):

    /work/venv-oracles/bin/python scripts/oracles/job_analysis.py

writes crates/hiring/tests/fixtures/job_analysis_oracle.json.
"""

import csv
import json
import math
import os
import sys
from importlib import metadata

import numpy as np
import pandas as pd
import pingouin as pg

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CLI_FIXTURES = os.path.join(ROOT, "crates", "cli", "tests", "fixtures", "hiring")
OUT = os.path.join(ROOT, "crates", "hiring", "tests", "fixtures", "job_analysis_oracle.json")

# OPM defaults
DROP_SHARE = 0.5  # at least
TASK_MEAN = 3.0  # at least, both scales
COMP_MEAN = 3.0  # at least
ENTRY_SHARE = 0.5  # at least
LINK_SHARE = 0.5  # more than (a majority)
SCALE_POINTS = 5


def missing(cell):
    return cell.strip().lower() in ("", "na", "n/a", "dk", "don't know", "dont know")


def read_csv(name):
    with open(os.path.join(CLI_FIXTURES, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def opt_int(cell):
    return None if missing(cell) else int(cell)


def yes(cell):
    if missing(cell):
        return None
    return cell.strip().lower() in ("yes", "y", "1", "true")


def fixture_dataset():
    tasks = [
        {"sme": r["sme_id"], "task": r["task_id"], "importance": opt_int(r["importance"]),
         "frequency": opt_int(r["frequency"])}
        for r in read_csv("tasks.csv")
    ]
    comps = [
        {"sme": r["sme_id"], "competency": r["competency_id"], "importance": opt_int(r["importance"]),
         "needed_at_entry": yes(r["needed_at_entry"]),
         "distinguishing_value": opt_int(r.get("distinguishing_value", ""))}
        for r in read_csv("competencies.csv")
    ]
    links = [
        {"sme": r["sme_id"], "task": r["task_id"], "competency": r["competency_id"],
         "linked": yes(r["linked"])}
        for r in read_csv("linkage.csv")
    ]
    return {"name": "ai-research-scientist-gs14", "tasks": tasks, "competencies": comps,
            "linkage": links}


def tv_ja():
    """Four SMEs; every boundary of the rules."""
    t = []
    for task, rows in {
        "B1": [(0, 0), (5, 0), (5, 5), (5, 5)],  # 2 of 4 Not performed: dropped
        "B2": [(0, 0), (3, 2), (3, 4), (3, 3)],  # 1 of 4 NP; means 3.0 and 3.0: critical
        "B3": [(3, 3), (3, 3), (2, 3), (4, 2)],  # importance 3.0, frequency 2.75
        "B4": [(4, 4), (5, 4), (4, 5), (3, 4)],  # clearly critical
    }.items():
        for i, (imp, freq) in enumerate(rows):
            t.append({"sme": f"S{i + 1}", "task": task, "importance": imp, "frequency": freq})
    c = []
    for comp, rows in {
        "K1": [(3, True), (3, False), (2, True), (4, False)],  # mean 3.0, 50 % at entry
        "K2": [(5, True), (5, False), (5, False), (5, False)],  # 25 % at entry
        "K3": [(4, True), (5, True), (4, True), (3, True)],
    }.items():
        for i, (imp, entry) in enumerate(rows):
            c.append({"sme": f"S{i + 1}", "competency": comp, "importance": imp,
                      "needed_at_entry": entry, "distinguishing_value": None})
    links = []
    for comp, task, linked in [
        ("K1", "B2", [True, True, False, False]),  # a tie: not a majority
        ("K3", "B2", [True, True, True, False]),
        ("K3", "B4", [False, False, False, True]),
        ("K1", "B3", [True, True, True, True]),  # B3 is not critical: does not count
    ]:
        for i, v in enumerate(linked):
            links.append({"sme": f"S{i + 1}", "task": task, "competency": comp, "linked": v})
    return {"name": "tv-ja-boundaries", "tasks": t, "competencies": c, "linkage": links}


def first_seen(items, key):
    out = []
    for x in items:
        if x[key] not in out:
            out.append(x[key])
    return out


def summary(values):
    """n, mean, SD (ddof 1) and rwg of ratings on the 5-point scale."""
    n = len(values)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "rwg": None}
    a = np.array(values, dtype=float)
    mean = float(a.mean())
    sd = float(a.std(ddof=1)) if n >= 2 else None
    rwg = None
    if n >= 2:
        expected = (SCALE_POINTS ** 2 - 1) / 12.0
        rwg = max(0.0, 1.0 - float(a.var(ddof=1)) / expected)
    return {"n": n, "mean": mean, "sd": sd, "rwg": rwg}


def icc(grid_rows, smes):
    """pingouin ICC(A,1) / ICC(A,k) over the targets every SME rated."""
    complete = [(t, row) for t, row in grid_rows if all(v is not None for v in row)]
    if len(complete) < 2 or len(smes) < 2:
        return None
    long = pd.DataFrame(
        [{"target": t, "rater": s, "rating": float(v)} for t, row in complete for s, v in zip(smes, row)]
    )
    res = pg.intraclass_corr(data=long, targets="target", raters="rater", ratings="rating").set_index("Type")
    return {
        "items_used": len(complete),
        "items_left_out": len(grid_rows) - len(complete),
        "single": float(res.loc["ICC(A,1)", "ICC"]),
        "single_ci": [float(x) for x in res.loc["ICC(A,1)", "CI95"]],
        "panel": float(res.loc["ICC(A,k)", "ICC"]),
        "panel_ci": [float(x) for x in res.loc["ICC(A,k)", "CI95"]],
    }


def analyse(data):
    smes = first_seen(data["tasks"] + data["competencies"] + data["linkage"], "sme")
    tasks_out = {}
    for task in first_seen(data["tasks"], "task"):
        rated = [r for r in data["tasks"] if r["task"] == task
                 and (r["importance"] is not None or r["frequency"] is not None)]
        n = len(rated)
        np_count = sum(1 for r in rated if r["importance"] == 0 or r["frequency"] == 0)
        share = np_count / n if n else None
        dropped = n > 0 and share >= DROP_SHARE
        imp = summary([r["importance"] for r in rated if r["importance"] not in (None, 0)])
        freq = summary([r["frequency"] for r in rated if r["frequency"] not in (None, 0)])
        critical = (not dropped and imp["mean"] is not None and freq["mean"] is not None
                    and imp["mean"] >= TASK_MEAN and freq["mean"] >= TASK_MEAN)
        tasks_out[task] = {"n": n, "not_performed": np_count, "not_performed_share": share,
                           "dropped": dropped, "importance": imp, "frequency": freq,
                           "critical": critical}
    critical_tasks = {t for t, r in tasks_out.items() if r["critical"]}
    comps_out = {}
    for comp in first_seen(data["competencies"], "competency"):
        rated = [r for r in data["competencies"] if r["competency"] == comp]
        imp = summary([r["importance"] for r in rated if r["importance"] is not None])
        entry = [r["needed_at_entry"] for r in rated if r["needed_at_entry"] is not None]
        entry_share = sum(entry) / len(entry) if entry else None
        critical = (imp["mean"] is not None and imp["mean"] >= COMP_MEAN
                    and entry_share is not None and entry_share >= ENTRY_SHARE)
        on_critical = [l for l in data["linkage"] if l["competency"] == comp and l["task"] in critical_tasks]
        panel = {l["sme"] for l in on_critical}
        linking = {l["sme"] for l in on_critical if l["linked"]}
        if data["linkage"]:
            linking_share = len(linking) / len(panel) if panel else None
            linked = linking_share is not None and linking_share > LINK_SHARE
            retained = critical and linked
        else:
            linking_share, linked, retained = None, None, None
        comps_out[comp] = {"n": len(rated), "importance": imp, "needed_at_entry_share": entry_share,
                           "critical": critical, "linking_share": linking_share,
                           "linked_to_critical_task": linked, "retained": retained}

    def grid(kind, key, field, targets, zero_missing):
        rows = []
        for t in targets:
            row = []
            for s in smes:
                found = [r for r in data[kind] if r[key] == t and r["sme"] == s]
                v = found[0][field] if found else None
                if zero_missing and v == 0:
                    v = None
                row.append(v)
            rows.append((t, row))
        return rows

    kept = [t for t, r in tasks_out.items() if r["n"] > 0 and not r["dropped"]]
    task_imp = icc(grid("tasks", "task", "importance", kept, True), smes)
    task_freq = icc(grid("tasks", "task", "frequency", kept, True), smes)
    comp_imp = icc(grid("competencies", "competency", "importance", list(comps_out), False), smes)
    return {"tasks": tasks_out, "competencies": comps_out,
            "icc": {"task_importance": task_imp, "task_frequency": task_freq,
                    "competency_importance": comp_imp}}


def main():
    datasets = []
    for data in (fixture_dataset(), tv_ja()):
        datasets.append({**data, "expected": analyse(data)})
    out = {
        "oracle": {"python": sys.version.split()[0],
                   **{p: metadata.version(p) for p in ("numpy", "pandas", "pingouin")}},
        "notes": [
            "Rules: OPM defaults (drop at >= 50 % Not performed on either scale; means exclude 0 and blanks; "
            "task critical at both means >= 3.0; competency critical at mean >= 3.0 and >= 50 % needed at entry; "
            "retained when more than half of the SMEs who judged links to critical tasks link it to at least one).",
            "rwg = max(0, 1 - var(ddof=1) / 2) for a 5-point scale; needs two ratings.",
            "ICC: pingouin.intraclass_corr ICC(A,1) and ICC(A,k) over items every SME rated "
            "1-5 (Not performed and blanks leave an item out); pingouin rounds the CI95 bounds to 2 decimals.",
        ],
        "datasets": datasets,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
