#!/usr/bin/env python3
"""Text-only ideas measured against the engine's ranking, before (not) building them into Rust.

usage: text_experiments.py DUMP_DIR [CATALOGUE_CSV]

DUMP_DIR is written by `cargo run --release -p framewright-search --example dump -- EVAL_DIR
DUMP_DIR`: the catalogue and the 72 roles as the engine's stems, the gold of each role (used only
to score), and the engine's text-only scores (default settings) for every role and item.

Each experiment adds one catalogue-derived score to the engine's score and prints R@20, nDCG@20
and R@50 (mean, then per fold). Weights are shown as a sweep; `pull` and the learned reranker
are also cross-validated (chosen on three folds, scored on the fourth). None of these uses gold
labels except to score and, for the cross-validated rows, to choose the weight on other folds.

Needs numpy, scipy and scikit-learn (a dev-only check, not part of the build or the tests);
measured with numpy 2.4, scipy 1.17, scikit-learn 1.7.
"""
import collections
import json
import math
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

D = sys.argv[1].rstrip("/") + "/"
docs = [json.loads(l) for l in open(D + "docs.jsonl", encoding="utf-8")]
qs = [json.loads(l) for l in open(D + "queries.jsonl", encoding="utf-8")]
N, Q = len(docs), len(qs)
total = np.fromfile(D + "total.f32", dtype=np.float32).reshape(Q, N).astype(np.float64)
pos = {d["id"]: i for i, d in enumerate(docs)}
rel = [np.array([pos[r] for r in q["rel"] if r in pos]) for q in qs]
folds = np.array([q["fold"] for q in qs])


def metrics_one(row, qi):
    top = np.argsort(-row, kind="stable")[:50]
    gold = set(rel[qi].tolist())
    hits = [1 if t in gold else 0 for t in top]
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits[:20]))
    idcg = sum(1 / math.log2(i + 2) for i in range(min(20, len(gold))))
    return (sum(hits[:20]) / len(gold), dcg / idcg, sum(hits) / len(gold))


def metrics(scores):
    return np.array([metrics_one(scores[qi], qi) for qi in range(Q)])


def show(label, m):
    per = " ".join(f"{m[folds == f, 0].mean():.3f}/{m[folds == f, 1].mean():.3f}" for f in (1, 2, 3, 4))
    print(f"{label:34s} R@20 {m[:, 0].mean():.3f} nDCG@20 {m[:, 1].mean():.3f} R@50 {m[:, 2].mean():.3f} | {per}")


def cross_validated(label, candidates):
    """candidates: {setting: per-query metrics}; choose on three folds, score the fourth."""
    out = np.zeros((Q, 3))
    for f in (1, 2, 3, 4):
        train = folds != f
        best = max(candidates, key=lambda c: candidates[c][train, 0].mean() + candidates[c][train, 1].mean())
        out[folds == f] = candidates[best][folds == f]
    show(label + " (cross-validated)", out)


def rank01(x):
    return np.argsort(np.argsort(x, kind="stable"), kind="stable") / (len(x) - 1)


base = metrics(total)
show("engine (default settings)", base)
bags = [d["name"] * 2 + [t for a in d["alt"] for t in a] + d["def"] for d in docs]
tfidf = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True)
X = tfidf.fit_transform(bags)
qX = tfidf.transform([q["title"] * 2 + q["desc"] for q in qs])

print("\n1. LSA (a stronger relative of random indexing): cosine in a 300-dim SVD space")
svd = TruncatedSVD(300, random_state=0)
Z = svd.fit_transform(X)
Z /= np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-9)
qZ = svd.transform(qX)
qZ /= np.maximum(np.linalg.norm(qZ, axis=1, keepdims=True), 1e-9)
lsa = qZ @ Z.T
show("LSA alone", metrics(lsa))
for w in (0.1, 0.2, 0.3, 0.5):
    show(f"engine + {w} LSA", metrics(total + w * np.maximum(lsa, 0)))

print("\n2. PPMI term associations: mean association of a result's name words with the role")
vocab = {}
sets = [[vocab.setdefault(t, len(vocab)) for t in set(b)] for b in bags]
names = [[vocab.setdefault(t, len(vocab)) for t in set(d["name"])] for d in docs]
V = len(vocab)


def incidence(rows):
    r = [i for i, x in enumerate(rows) for _ in x]
    c = [j for x in rows for j in x]
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(N, V))


B, BN = incidence(sets), incidence(names)
df = np.asarray(B.sum(0)).ravel()
idf = np.log(1 + (N - df + 0.5) / (df + 0.5))
C = (B.T @ B).tocoo()
pmi = np.log(C.data * N / (df[C.row] * df[C.col] + 1e-9))
keep = (pmi > 0) & (C.row != C.col)
P = sp.csr_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=(V, V))
name_len = np.maximum(np.asarray(BN.sum(1)).ravel(), 1)
coherence = np.zeros((Q, N))
for qi, q in enumerate(qs):
    v = np.zeros(V)
    for t in q["title"]:
        if t in vocab:
            v[vocab[t]] += 2
    for t in q["desc"]:
        if t in vocab:
            v[vocab[t]] += 1
    v = np.sqrt(v) * idf
    a = P.T @ v
    a = np.maximum(a / (a.max() + 1e-9), (v > 0).astype(float))
    coherence[qi] = (BN @ a) / name_len
for w in (0.05, 0.1, 0.2, 0.3):
    show(f"engine + {w} coherence", metrics(total + w * coherence * (total > 0)))

print("\n3. k-NN graph of the catalogue (TF-IDF cosine): pull (smooth each item with its")
print("   neighbours' scores) and push (the best 30 results spread score to their neighbours: hubs)")
S = (X @ X.T).tocsr()
S.setdiag(0)
S.eliminate_zeros()
pull_candidates = {}
for k in (5, 10, 30):
    rows, cols, vals = [], [], []
    for i in range(N):
        a, b = S.indptr[i], S.indptr[i + 1]
        idx, val = S.indices[a:b], S.data[a:b]
        o = np.argsort(-val)[:k]
        rows += [i] * len(o)
        cols += idx[o].tolist()
        vals += val[o].tolist()
    A = sp.csr_matrix((vals, (rows, cols)), shape=(N, N))
    A_row = sp.diags(1 / np.maximum(np.asarray(A.sum(1)).ravel(), 1e-9)) @ A
    pulled = (A_row @ total.T).T
    indegree = np.asarray((A > 0).sum(0)).ravel()
    threshold = np.sort(total, 1)[:, -30:-29]
    pushed = (A.T.tocsr() @ np.where(total >= threshold, total, 0).T).T
    pushed /= np.maximum(pushed.max(1, keepdims=True), 1e-9)
    for lam in (0.0, 0.1, 0.2, 0.3, 0.5):
        m = metrics(total + lam * pulled)
        pull_candidates[(k, lam)] = m
        if lam:
            show(f"k={k} pull {lam}", m)
            show(f"k={k} push {lam}", metrics(total + lam * pushed))
    for w in (0.05, 0.1):
        show(f"k={k} hub prior (in-degree) {w}", metrics(total + w * rank01(indegree) * (total > 0)))
cross_validated("pull", pull_candidates)

print("\n4. Catalogue-text priors (only for items that match the text)")
if len(sys.argv) > 2:
    import csv

    catalogue_path = sys.argv[2]
    with open(catalogue_path, encoding="utf-8") as f:
        definitions = {r["id"]: r["definition"] for r in csv.DictReader(f)}
    knowledge = np.array([definitions.get(d["id"], "").strip().lower().startswith(("the ", "a ", "an ")) for d in docs], float)
    for w in (0.05, 0.1, 0.2):
        show(f"knowledge-item prior {w}", metrics(total + w * knowledge * (total > 0)))
ngrams = collections.Counter()
for d in docs:
    seen = set()
    for s in [d["name"]] + d["alt"] + [d["def"]]:
        for n in range(1, 6):
            for i in range(len(s) - n + 1):
                seen.add(tuple(s[i:i + n]))
    ngrams.update(seen)
mentions = np.array([ngrams[tuple(d["name"])] - 1 if d["name"] else 0 for d in docs], float)
short = -np.array([len(d["name"]) for d in docs], float)
for label, prior in [("mentioned by other items", mentions), ("short name", short)]:
    for w in (0.05, 0.1, 0.2):
        show(f"{label} prior {w}", metrics(total + w * rank01(prior) * (total > 0)))

print("\n5. Learned reranker of the engine's top 300 (logistic regression on text features)")
name_sets = [set(d["name"]) for d in docs]
all_sets = [set(b) for b in bags]
dfc = collections.Counter(t for s in all_sets for t in s)


def idf_of(t):
    return math.log(1 + (N - dfc.get(t, 0) + 0.5) / (dfc.get(t, 0) + 0.5))


def features(qi):
    q = qs[qi]
    words, title = set(q["title"]) | set(q["desc"]), set(q["title"])
    cand = np.argsort(-total[qi], kind="stable")[:300]
    rows = []
    for d in cand:
        ns = name_sets[d]
        name_idf = max(1e-9, sum(idf_of(t) for t in ns))
        rows.append([
            total[qi, d],
            sum(idf_of(t) for t in ns if t in words) / name_idf,
            sum(idf_of(t) for t in ns if t in title) / name_idf,
            sum(idf_of(t) for t in title if t in all_sets[d]) / max(1e-9, sum(idf_of(t) for t in title)),
            len(docs[d]["name"]), math.log1p(len(docs[d]["def"])), len(docs[d]["alt"]),
            lsa[qi, d], coherence[qi, d],
        ])
    return cand, np.array(rows)


data = [features(qi) for qi in range(Q)]
out = np.zeros((Q, 3))
for f in (1, 2, 3, 4):
    train = [qi for qi in range(Q) if folds[qi] != f]
    Xt = np.concatenate([data[qi][1] for qi in train])
    yt = np.concatenate([np.isin(data[qi][0], rel[qi]) for qi in train])
    mu, sd = Xt.mean(0), Xt.std(0) + 1e-9
    model = LogisticRegression(max_iter=3000).fit((Xt - mu) / sd, yt)
    for qi in range(Q):
        if folds[qi] == f:
            cand, F = data[qi]
            s = np.full(N, -1e9)
            s[cand] = model.decision_function((F - mu) / sd)
            out[qi] = metrics_one(s, qi)
show("learned reranker (cross-validated)", out)
