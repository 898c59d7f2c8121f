#!/usr/bin/env bash
# Measures suggestion quality on the ESCO ICT development set with `framewright suggest`.
#
# usage: scripts/eval/suggest.sh [EVAL_DIR]    (default: ../shared/eval beside the repository)
#
# (a) text only: every role ranked from its title and description alone;
# (b) with reference roles, cross-validated: a role of fold f gets as reference roles the roles
#     of the other three folds with their gold skills (never its own, never its own fold's).
# Each ranking has the top 50; score.py (from EVAL_DIR) scores it, per fold and over all roles.
# Needs python3 (for score.py) and cargo. Set CARGO_TARGET_DIR as usual.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
eval_dir="${1:-$repo/../shared/eval}"
for f in esco-skills-catalog.csv esco-ict-dev.queries.jsonl esco-ict-dev.gold.jsonl score.py; do
  [[ -f "$eval_dir/$f" ]] || { echo "error: $eval_dir/$f not found (give the eval directory as the argument)" >&2; exit 2; }
done

cargo build --release --quiet -p framewright-cli --manifest-path "$repo/Cargo.toml"
target="${CARGO_TARGET_DIR:-$repo/target}"
bin="$target/release/framewright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Split queries and gold by fold; build each fold's reference roles from the other folds.
python3 - "$eval_dir" "$work" <<'PY'
import json, sys, os
eval_dir, work = sys.argv[1], sys.argv[2]
def load(name):
    with open(os.path.join(eval_dir, name), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]
queries = {q["id"]: q for q in load("esco-ict-dev.queries.jsonl")}
gold = load("esco-ict-dev.gold.jsonl")
folds = sorted({g["fold"] for g in gold})
for f in folds:
    with open(os.path.join(work, f"gold.{f}.jsonl"), "w", encoding="utf-8") as out:
        for g in gold:
            if g["fold"] == f:
                out.write(json.dumps(g) + "\n")
    with open(os.path.join(work, f"queries.{f}.jsonl"), "w", encoding="utf-8") as out:
        for g in gold:
            if g["fold"] == f:
                out.write(json.dumps(queries[g["id"]]) + "\n")
    with open(os.path.join(work, f"roles.{f}.jsonl"), "w", encoding="utf-8") as out:
        for g in gold:
            if g["fold"] != f:
                q = queries[g["id"]]
                out.write(json.dumps({"id": q["id"], "title": q["title"],
                                      "description": q.get("description", ""),
                                      "competencies": g["relevant"]}) + "\n")
with open(os.path.join(work, "folds"), "w") as out:
    out.write(" ".join(str(f) for f in folds))
PY
folds="$(cat "$work/folds")"

score() { # score GOLD RESULTS LABEL
  printf '%-10s ' "$3"
  python3 "$eval_dir/score.py" "$1" "$2"
}

catalog="$eval_dir/esco-skills-catalog.csv"
echo "== (a) text only (title + description)"
start=$(date +%s.%N)
"$bin" suggest --catalog "$catalog" --queries "$eval_dir/esco-ict-dev.queries.jsonl" --top 50 -o "$work/text.jsonl"
end=$(date +%s.%N)
for f in $folds; do score "$work/gold.$f.jsonl" "$work/text.jsonl" "fold $f"; done
score "$eval_dir/esco-ict-dev.gold.jsonl" "$work/text.jsonl" "all"
echo "(one run over 72 roles, process start to file written, index build included: $(python3 -c "print(f'{$end - $start:.2f}')") s)"

echo "== (b) with reference roles from the other folds"
: > "$work/refs.jsonl"
for f in $folds; do
  "$bin" suggest --catalog "$catalog" --queries "$work/queries.$f.jsonl" \
    --reference-roles "$work/roles.$f.jsonl" --top 50 -o "$work/refs.$f.jsonl"
  cat "$work/refs.$f.jsonl" >> "$work/refs.jsonl"
  score "$work/gold.$f.jsonl" "$work/refs.$f.jsonl" "fold $f"
done
score "$eval_dir/esco-ict-dev.gold.jsonl" "$work/refs.jsonl" "all"
