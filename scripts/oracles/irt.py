"""Oracle fixtures for IRT (Rasch and 2PL by marginal maximum likelihood).

Run with the second venv (requirements-irt.txt):  /work/venv-oracles-irt/bin/python irt.py
Oracles: Python mirt (EM, 21-point Gauss-Hermite quadrature, Oakes observed-information SEs),
run to a tight tolerance (1e-8) so the fixture holds the maximum of that likelihood rather than an
early stop; girth (its own quadrature: 41 points on +-4.5) as a second, looser reference; numpy for
EAP scores and test information from mirt's parameters.
"""

import warnings

import girth
import mirt
import numpy as np
from mirt.scoring import fscores
from scipy.special import roots_hermite

from common import irt_2pl, versions, write

warnings.filterwarnings("ignore")
VERS = versions("numpy", "scipy", "mirt", "girth")


def gh21():
    x, w = roots_hermite(21)
    return x * np.sqrt(2), w / np.sqrt(np.pi)


def eap(data, a, b, nodes, weights):
    p = 1 / (1 + np.exp(-a[None, :] * (nodes[:, None] - b[None, :])))  # Q x k
    ll = data @ np.log(p).T + (1 - data) @ np.log(1 - p).T  # N x Q
    ll += np.log(weights)[None, :]
    ll -= ll.max(1, keepdims=True)
    post = np.exp(ll)
    post /= post.sum(1, keepdims=True)
    theta = post @ nodes
    sd = np.sqrt(post @ nodes**2 - theta**2)
    return theta, sd


def fit(data, model):
    r = mirt.fit_mirt(data, model=model, tol=1e-8, max_iter=10000)
    c = r.coef_with_se()
    out = {
        "log_likelihood": r.log_likelihood,
        "iterations": r.n_iterations,
        "se_method": r.se_method,
        "a": c["discrimination"].to_numpy(),
        "b": c["difficulty"].to_numpy(),
        "b_se": c["difficulty_se"].to_numpy(),
    }
    if model == "2PL":
        out["a_se"] = c["discrimination_se"].to_numpy()
    nodes, weights = gh21()
    theta, sd = eap(data.astype(float), out["a"], out["b"], nodes, weights)
    out["eap_gh21"] = theta
    out["eap_sd_gh21"] = sd
    grid = np.linspace(-3, 3, 13)
    p = 1 / (1 + np.exp(-out["a"][None, :] * (grid[:, None] - out["b"][None, :])))
    out["information_theta"] = grid
    out["information"] = (out["a"][None, :] ** 2 * p * (1 - p)).sum(1)
    return out


def main():
    lsat = np.asarray(mirt.load_dataset("LSAT7")["data"])
    cases = []
    for name, data in [("LSAT-7 (Bock & Aitkin 1981, 1000 x 5)", lsat)]:
        case = {"name": name, "responses": data, "fits": {"2pl": fit(data, "2PL"), "rasch": fit(data, "1PL")}}
        g2 = girth.twopl_mml(data.T)
        gr = girth.rasch_mml(data.T)
        case["girth"] = {"2pl_a": g2["Discrimination"], "2pl_b": g2["Difficulty"], "rasch_b": gr["Difficulty"]}
        s = fscores(mirt.fit_mirt(data, model="2PL", tol=1e-8, max_iter=10000), data[:20], method="EAP")
        case["mirt_fscores_eap_first20"] = np.asarray(s.theta).ravel()
        cases.append(case)

    x, a, b, theta = irt_2pl(1500, 15, seed=11)
    x = x.astype(float)
    rng = np.random.default_rng(12)
    x[rng.uniform(size=x.shape) < 0.03] = np.nan  # 3 % missing responses
    c = {"name": "irt_2pl(1500, 15, seed=11) with 3% missing", "responses": x,
         "true_a": a, "true_b": b}
    xm = np.where(np.isnan(x), -1, x).astype(int)
    r = mirt.fit_mirt(xm, model="2PL", tol=1e-8, max_iter=10000)
    co = r.coef_with_se()
    c["fits"] = {"2pl": {"log_likelihood": r.log_likelihood, "a": co["discrimination"].to_numpy(),
                         "b": co["difficulty"].to_numpy(), "a_se": co["discrimination_se"].to_numpy(),
                         "b_se": co["difficulty_se"].to_numpy()}}
    cases.append(c)
    write("irt.json", {
        "oracle": VERS,
        "notes": [
            "mirt.fit_mirt(model='2PL'|'1PL', tol=1e-8, max_iter=10000): EM with 21 Gauss-Hermite "
            "nodes for N(0,1), a = 1 and var(theta) = 1 for 1PL (our 'rasch'). SEs: Oakes "
            "observed information (se_method). mirt's default tol is 1e-4; the tight tolerance "
            "makes the fixture the likelihood maximum.",
            "Missing responses: mirt takes negative codes (we wrote -1); the fixture stores null.",
            "girth: twopl_mml/rasch_mml with its real defaults (41 points on +-4.5, 25 iterations; "
            "its docstring says otherwise); agrees with mirt to about 1e-2 only.",
            "eap_gh21: numpy EAP with mirt's parameters on the same 21 GH nodes. "
            "mirt_fscores_eap_first20: mirt's own fscores (its own quadrature), looser.",
            "information: sum a^2 P (1-P) on the theta grid, numpy from mirt's parameters.",
        ],
        "cases": cases,
    })


if __name__ == "__main__":
    main()
