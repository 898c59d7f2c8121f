"""Shared helpers for the oracle scripts: data generators, JSON writing, version stamps.

The generators are the ones described in shared/research/psychometrics.md §8. Their draws depend
on numpy's RNG stream and BLAS, so the generated data are committed inside the fixtures and the
Rust tests never regenerate them.
"""

import json
import math
import os
import sys
from importlib import metadata

import numpy as np

FIXTURES = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "stats", "tests", "fixtures"
)


def versions(*packages):
    out = {"python": sys.version.split()[0]}
    for p in packages:
        out[p] = metadata.version(p)
    return out


def clean(x):
    """Converts numpy values to JSON: NaN becomes null (a missing cell), arrays become lists."""
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return clean(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return None if math.isnan(v) else v
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    return x


def write(name, payload):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name)
    with open(path, "w") as fh:
        json.dump(clean(payload), fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


def likert_onefactor(n, k, lam=0.6, seed=0):
    rng = np.random.default_rng(seed)
    f = rng.standard_normal((n, 1))
    e = rng.standard_normal((n, k))
    z = lam * f + math.sqrt(1 - lam**2) * e
    return (np.digitize(z, [-1.5, -0.5, 0.5, 1.5]) + 1).astype(float)


def ratings_icc(n, k, seed=0):
    rng = np.random.default_rng(seed)
    target = rng.normal(0, 1, (n, 1))
    rater = rng.normal(0, 0.5, (1, k))
    err = rng.normal(0, 0.7, (n, k))
    return target + rater + err


def efa_data(n, p, m, seed=0, phi=0.3):
    rng = np.random.default_rng(seed)
    lam = np.zeros((p, m))
    per = p // m
    for j in range(m):
        lam[j * per:(j + 1) * per, j] = rng.uniform(0.5, 0.8, per)
    Phi = np.full((m, m), phi)
    np.fill_diagonal(Phi, 1.0)
    common = lam @ Phi @ lam.T
    psi = 1 - np.diag(common)
    sigma = common + np.diag(psi)
    return rng.multivariate_normal(np.zeros(p), sigma, size=n)


def irt_2pl(n, k, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.lognormal(0, 0.3, k)
    b = rng.normal(0, 1, k)
    theta = rng.normal(0, 1, n)
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    x = (rng.uniform(size=(n, k)) < p).astype(int)
    return x, a, b, theta
