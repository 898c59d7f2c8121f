#!/usr/bin/env bash
# Benchmarks the statistics engine against the Python reference packages on the same generated
# data, in one run, and prints the ratios the statistics issue asks for.
#
#   scripts/bench/stats.sh [REPS]
#
# Needs the oracle venvs of scripts/oracles/README.md (VENV=/work/venv-oracles and
# VENV_IRT=/work/venv-oracles-irt by default; the mirt comparison is skipped without the second).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-5}"
VENV="${VENV:-/work/venv-oracles}"
VENV_IRT="${VENV_IRT:-/work/venv-oracles-irt}"
DATA="$(mktemp -d)"
trap 'rm -rf "$DATA"' EXIT

echo "==> $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "==> generating data and timing the Python packages (best of $REPS)" >&2
"$VENV/bin/python" scripts/bench/stats_data_and_python.py "$DATA" "$REPS" > "$DATA/python.json"
if [ -x "$VENV_IRT/bin/python" ]; then
  "$VENV_IRT/bin/python" scripts/bench/stats_irt_python.py "$DATA" "$REPS" > "$DATA/python_irt.json"
else
  echo '{}' > "$DATA/python_irt.json"
fi
echo "==> building and timing framewright-stats (release)" >&2
cargo run --quiet --release -p framewright-stats --example bench -- "$DATA" "$REPS" > "$DATA/rust.json"

echo "==> load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 - "$DATA" <<'PY'
import json, sys, os
d = sys.argv[1]
py = json.load(open(os.path.join(d, "python.json")))
py.update(json.load(open(os.path.join(d, "python_irt.json"))))
rs = json.load(open(os.path.join(d, "rust.json")))
def ms(s): return f"{s*1000:9.1f} ms"
rows = [
    ("alpha + item statistics, 100,000 x 50", "alpha", "pingouin_alpha", "pingouin.cronbach_alpha (alpha only)", 10),
    ("all six ICCs, 2,000 x 5", "icc", "pingouin_icc", "pingouin.intraclass_corr", None),
    ("EFA 10,000 x 40, 5 factors, minres + promax", "efa", "factor_analyzer_efa", "factor_analyzer", 5),
    ("Cohen's kappa, 1,000,000 pairs", "kappa", "sklearn_kappa", "sklearn cohen_kappa_score", None),
    ("quadratic kappa, 1,000,000 pairs", "kappa_quadratic", "sklearn_kappa_quadratic", "sklearn (quadratic)", None),
    ("2PL 10,000 x 40 (21 GH nodes, SEs; default)", "irt_2pl", "mirt_2pl_se", "Python mirt 2PL (21 GH nodes, SEs)", None),
    ("2PL 10,000 x 40 (61 nodes on +-6, SEs)", "irt_2pl_rect61", "mirt_2pl_se", "Python mirt 2PL (21 GH nodes, SEs)", None),
]
print(f"{'statistic':48} {'framewright':>12} {'reference':>12}  ratio   target  reference package")
for label, r, p, pname, target in rows:
    ours = rs[r]
    ref = py.get(p)
    ratio = f"{ref/ours:6.1f}x" if ref else "     –"
    tgt = f"≥{target}x" if target else ""
    print(f"{label:48} {ms(ours)} {ms(ref) if ref else '           –'}  {ratio}  {tgt:>6}  {pname}")
print(f"{'EFA with parallel analysis (100 sims)':48} {ms(rs['efa_with_parallel_analysis'])}  (retained {rs['efa_parallel_factors']} factors)")
print(f"{'Rasch 10,000 x 40 (21 GH nodes, SEs)':48} {ms(rs['irt_rasch'])}")
print(f"2PL under 0.5 s: {'yes' if rs['irt_2pl'] < 0.5 else 'NO'} ({rs['irt_2pl']:.3f} s, {rs['irt_2pl_iterations']} EM iterations)")
print("same answers: alpha {:.12f} vs {:.12f}; ICC3 {:.12f} vs {:.12f}; kappa {:.12f} vs {:.12f}".format(
    rs["alpha_value"], py["pingouin_alpha_value"], rs["icc3_value"], py["pingouin_icc3_value"],
    rs["kappa_value"], py["sklearn_kappa_value"]))
print("EFA SS loadings: ours", [round(v, 4) for v in rs["efa_ss_loadings"]], "factor_analyzer", [round(v, 4) for v in py["factor_analyzer_ss_loadings"]])
PY
