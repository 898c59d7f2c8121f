#!/usr/bin/env python3
"""Words alone against words + meaning (all-MiniLM-L6-v2) on the ESCO ICT development set, with
the fusion weight chosen by cross-validation over the four folds.

usage: scripts/eval/semantic.py [EVAL_DIR]      (default: ../shared/eval beside the repository)

Environment: FRAMEWRIGHT_BIN (the program; default: the release build in CARGO_TARGET_DIR or
target/), FRAMEWRIGHT_MODEL_DIR (where the model is installed: `framewright models install`).

For (a) text only and (b) with reference roles (a role of fold f gets the roles of the other
folds with their gold skills), it runs `framewright suggest` three ways: by words only
(--no-semantic), by meaning (a weight so large that meaning decides), and fused at the chosen
weight. From the first two it rebuilds the fused ranking of every weight in WEIGHTS exactly as
`framewright suggest` fuses them (word scores divided by the best, plus weight x similarity),
and reciprocal rank fusion (k = 60). Cross-validation: for each fold, the weight with the best
mean R@20 on the other three folds is chosen and the held-out fold is scored with it; the mean
is over all 72 held-out roles. Nothing else is tuned; only the dev set is used.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0]
MEANING_ONLY = 1000.0
TOP = 1000


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def recall(ranking, relevant, k):
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def ndcg20(ranking, relevant):
    dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(ranking[:20]) if item in relevant)
    idcg = sum(1 / math.log2(i + 2) for i in range(min(20, len(relevant))))
    return dcg / idcg


def run(binary, catalog, queries, out, extra):
    subprocess.run(
        [binary, "suggest", "--catalog", catalog, "--queries", queries, "--top", str(TOP), "-o", out]
        + extra,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return {r["id"]: [(x["id"], x["score"]) for x in r["results"]] for r in load(out)}


def fused(words, meaning, weight):
    """The fusion of `framewright suggest`, rebuilt from the words-only and meaning runs."""
    best = max((s for _, s in words), default=0.0)
    w = {i: (s / best if best > 0 else 0.0) for i, s in words}
    m = {i: (s - w.get(i, 0.0)) / MEANING_ONLY for i, s in meaning}
    ids = set(w) | set(m)
    scored = [(w.get(i, 0.0) + weight * max(m.get(i, 0.0), 0.0), i) for i in ids]
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [i for _, i in scored]


def rrf(words, meaning, k=60):
    score = {}
    for ranking in (words, meaning):
        for rank, (i, _) in enumerate(ranking):
            score[i] = score.get(i, 0.0) + 1 / (k + rank + 1)
    return [i for i, _ in sorted(score.items(), key=lambda t: (-t[1], t[0]))]


def metrics(rankings, gold):
    out = {}
    for g in gold:
        rel = set(g["relevant"])
        r = rankings.get(g["id"], [])
        out[g["id"]] = (recall(r, rel, 20), ndcg20(r, rel))
    return out


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def report(label, words, meaning, gold, fused_run):
    folds = sorted({g["fold"] for g in gold})
    per_weight = {
        w: metrics({q: fused(words[q], meaning[q], w) for q in words}, gold) for w in WEIGHTS
    }
    rrf_m = metrics({q: rrf(words[q], meaning[q]) for q in words}, gold)
    meaning_m = metrics({q: [i for i, _ in meaning[q]] for q in meaning}, gold)
    print(f"== {label}")
    print("weight  R@20   nDCG@20   (in-sample, all 72 roles)")
    for w in WEIGHTS:
        m = per_weight[w]
        print(f"{w:6}  {mean(x[0] for x in m.values()):.3f}  {mean(x[1] for x in m.values()):.3f}")
    print(f"meaning alone  R@20 {mean(x[0] for x in meaning_m.values()):.3f}  "
          f"nDCG@20 {mean(x[1] for x in meaning_m.values()):.3f}")
    print(f"RRF k=60       R@20 {mean(x[0] for x in rrf_m.values()):.3f}  "
          f"nDCG@20 {mean(x[1] for x in rrf_m.values()):.3f}")
    held_out = {}
    for f in folds:
        train = [g["id"] for g in gold if g["fold"] != f]
        best = max(WEIGHTS, key=lambda w: (mean(per_weight[w][q][0] for q in train), -w))
        test = [g["id"] for g in gold if g["fold"] == f]
        print(f"fold {f}: weight chosen on the other folds {best}; held-out R@20 "
              f"{mean(per_weight[best][q][0] for q in test):.3f}")
        for q in test:
            held_out[q] = per_weight[best][q]
    print(f"cross-validated score fusion  R@20 {mean(x[0] for x in held_out.values()):.3f}  "
          f"nDCG@20 {mean(x[1] for x in held_out.values()):.3f}")
    if fused_run is not None:
        m = metrics({q: [i for i, _ in r] for q, r in fused_run.items()}, gold)
        print(f"framewright suggest at the built-in weight  R@20 {mean(x[0] for x in m.values()):.3f}  "
              f"nDCG@20 {mean(x[1] for x in m.values()):.3f}")
    print()


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    eval_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "..", "shared", "eval")
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(repo, "target"))
    binary = os.environ.get("FRAMEWRIGHT_BIN", os.path.join(target, "release", "framewright"))
    catalog = os.path.join(eval_dir, "esco-skills-catalog.csv")
    queries = load(os.path.join(eval_dir, "esco-ict-dev.queries.jsonl"))
    gold = load(os.path.join(eval_dir, "esco-ict-dev.gold.jsonl"))
    by_id = {q["id"]: q for q in queries}
    with tempfile.TemporaryDirectory() as work:
        qfile = os.path.join(eval_dir, "esco-ict-dev.queries.jsonl")
        words = run(binary, catalog, qfile, f"{work}/w.jsonl", ["--no-semantic"])
        meaning = run(binary, catalog, qfile, f"{work}/m.jsonl",
                      ["--semantic-weight", str(MEANING_ONLY)])
        built_in = run(binary, catalog, qfile, f"{work}/f.jsonl", [])
        report("(a) text only (title + description)", words, meaning, gold, built_in)

        words_r, meaning_r, built_in_r = {}, {}, {}
        for f in sorted({g["fold"] for g in gold}):
            qf, rf = f"{work}/q{f}.jsonl", f"{work}/r{f}.jsonl"
            with open(qf, "w", encoding="utf-8") as out:
                for g in gold:
                    if g["fold"] == f:
                        out.write(json.dumps(by_id[g["id"]]) + "\n")
            with open(rf, "w", encoding="utf-8") as out:
                for g in gold:
                    if g["fold"] != f:
                        q = by_id[g["id"]]
                        out.write(json.dumps({"id": q["id"], "title": q["title"],
                                              "description": q.get("description", ""),
                                              "competencies": g["relevant"]}) + "\n")
            refs = ["--reference-roles", rf]
            words_r.update(run(binary, catalog, qf, f"{work}/w{f}.jsonl", ["--no-semantic"] + refs))
            meaning_r.update(run(binary, catalog, qf, f"{work}/m{f}.jsonl",
                                 ["--semantic-weight", str(MEANING_ONLY)] + refs))
            built_in_r.update(run(binary, catalog, qf, f"{work}/f{f}.jsonl", refs))
        report("(b) with reference roles from the other folds", words_r, meaning_r, gold, built_in_r)


if __name__ == "__main__":
    main()
