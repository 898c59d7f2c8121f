#!/usr/bin/env python3
"""Writes the files of the `framewright gaps` benchmark into a folder: a framework with 12
competencies on a five-level scale and four role profiles, 50,000 people (ten managers' lines per
unit, 500 units) and 3 ratings per person and competency (manager, self and peer or test, about
1 in 20 "not observed") — 1,800,000 ratings. Seeded, so every run writes the same files.

    python3 scripts/bench/people.py OUT_DIR [PEOPLE]
"""

import os
import random
import sys

out = sys.argv[1]
people = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
os.makedirs(out, exist_ok=True)
rng = random.Random(11)
comps = [f"c{i:02d}" for i in range(1, 13)]
levels = ["Awareness", "Basic", "Intermediate", "Advanced", "Expert"]
roles = {
    "analyst": comps[:8],
    "senior-analyst": comps[:10],
    "lead": comps[2:12],
    "manager": comps[4:12],
}

lines = ['format = "framewright/1"', 'id = "bench"', 'title = "Benchmark framework"',
         'version = "1.0.0"', 'status = "published"', '', '[scale]', 'id = "five"',
         'name = "Five levels"', '']
for i, name in enumerate(levels, 1):
    lines += ['[[scale.levels]]', f'level = {i}', f'name = "{name}"',
              f'description = "Works at the {name.lower()} level."', '']
for c in comps:
    lines += ['[[competencies]]', f'id = "{c}"', f'name = "Competency {c}"', '']
    for i in range(1, 6):
        lines += ['[[competencies.levels]]', f'level = {i}',
                  f'indicators = ["Shows {c} at level {i}.", "Explains {c} work at level {i}."]', '']
for r, cs in roles.items():
    lines += ['[[role_profiles]]', f'id = "{r}"', f'title = "{r.title()}"', '']
    for j, c in enumerate(cs):
        lines += ['[[role_profiles.targets]]', f'competency = "{c}"',
                  f'level = {2 + (j % 3)}', f'weight = {0.5 + (j % 4) / 6:.2f}', '']
with open(os.path.join(out, "framework.toml"), "w") as f:
    f.write("\n".join(lines))

role_names = list(roles)
with open(os.path.join(out, "people.csv"), "w") as f:
    f.write("id,name,role,manager,unit\n")
    for i in range(people):
        unit = i // 100
        manager = "" if i % 100 == 0 else f"e{unit * 100:06d}"
        role = "manager" if i % 100 == 0 else role_names[i % 3]
        f.write(f"e{i:06d},Person {i},{role},{manager},unit-{unit}\n")

with open(os.path.join(out, "ratings.csv"), "w") as f:
    f.write("person,competency,level,source,date,assessor\n")
    for i in range(people):
        manager = f"e{(i // 100) * 100:06d}"
        for c in comps:
            base = rng.randint(1, 5)
            month = rng.randint(1, 12)
            for source, assessor in (("manager", manager), ("self", f"e{i:06d}"),
                                     (rng.choice(["peer", "test"]), "x")):
                level = "NO" if rng.random() < 0.05 else str(max(1, min(5, base + rng.randint(-1, 1))))
                f.write(f"e{i:06d},{c},{level},{source},2025-{month:02d}-{rng.randint(1, 28):02d},{assessor}\n")
