#!/usr/bin/env python3
"""Transcribe the OPM AI Competency Model (29 April 2024) into data/opm-ai-2024.toml.

usage: python3 scripts/transcribe_opm.py [SOURCE.md] > data/opm-ai-2024.toml

Reads the memo's text (data/sources/opm-ai-competency-model-2024.md by default), takes the
competency lists, the two grade tables, the ranking table and the definitions exactly as
published, and writes them as TOML. The source notes (inconsistencies and omissions) are written
by hand below and kept as visible notes; nothing in the data is silently corrected. The Rust
test crates/catalog/tests/opm_source.rs parses the same source independently and checks every
cell of the result. Standard library only.
"""
import re
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "data/sources/opm-ai-competency-model-2024.md"


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


lines = open(SOURCE, encoding="utf-8").read().split("\n")
items = [l[2:] for l in lines if l.startswith("- ")]
start = items.index("Accountability")
general = items[start:start + 43]
technical = items[start + 43:start + 57]
assert general[-1] == "Written Communication" and technical[-1] == "Values-Driven Design"

rows = [l.split("\t") for l in lines if "\t" in l]
general_grades = {r[0]: r[1:] for r in rows if len(r) == 6 and r[0] != "Competency"}
technical_grades = {r[0]: r[1:] for r in rows if len(r) == 4 and r[0] != "Competency"}
ranks = {r[0]: r[1:] for r in rows if len(r) == 3 and r[0] != "Competency"}
def_start = lines.index("Definitions of General Competencies", lines.index("Artificial Intelligence Competency Model Definitions"))
definitions = {}
for l in lines[def_start:]:
    parts = l.split("\t")
    if len(parts) == 2 and parts[0] != "Competency":
        text = parts[1]
        definitions[parts[0]] = re.sub(r"^<p>(.*)</p>$", r"\1", text)

# Names the tables and definitions use for competencies the list spells differently.
TABLE_NAME = {"Communicating Results": "Communication Results", "Values-Driven Design": "Values-driven Design"}
ALIASES = {name: [alias] for name, alias in TABLE_NAME.items()}

NOTES = {
    "communicating-results-name": (
        "The competency list names this competency \"Communicating Results\"; the technical grade table, the ranking table and the definitions call it \"Communication Results\". Framewright keeps the list's name and records \"Communication Results\" as an alternative label; the grade cells, ranks and definition are the ones the source gives under \"Communication Results\".",
        ["communicating-results"]),
    "values-driven-design-spelling": (
        "The competency list writes \"Values-Driven Design\"; the technical grade table and the definitions write \"Values-driven Design\". Framewright keeps the list's spelling and records the other as an alternative label.",
        ["values-driven-design"]),
    "values-driven-design-markup": (
        "In the source text the definition of \"Values-driven Design\" is wrapped in HTML paragraph tags (<p>…</p>), an artefact of conversion; Framewright records the text without the tags.",
        ["values-driven-design"]),
    "reading-identical-definitions": (
        "\"Reading\" and \"Reading Comprehension\" are listed, graded and ranked separately, but the source gives them word-for-word identical definitions. Framewright keeps both as published; lint reports them as overlapping if a framework uses both, so a designer can merge them or sharpen one.",
        ["reading", "reading-comprehension"]),
    "forty-general-competencies": (
        "The competency list has 43 general competencies, while the text above the general grade table speaks of \"the 40 general competencies\" confirmed for selection; the table indeed has 40 rows. Framewright records all 43 and the 40 rows as published.",
        []),
    "no-grade-row-no-definition": (
        "Three general competencies — Contracting or Procurement, Mental Visualization and Perceptual Speed — appear in the competency list but have no row in the general grade table, no rank and no definition in the source. Framewright lists them without grade cells and without a definition; none is invented.",
        ["contracting-or-procurement", "mental-visualization", "perceptual-speed"]),
    "technical-without-definition": (
        "Seven technical competencies — Application Development, Mathematics and Statistics, Modeling and Simulation, Monitoring, Sociotechnical Systems, Software Engineering and Systems Design — are listed but have no definition and no row in the technical grade table (which covers GS-13 to GS-15 only for the other seven). Framewright lists them without a definition and without grade cells.",
        ["application-development", "mathematics-and-statistics", "modeling-and-simulation", "monitoring", "sociotechnical-systems", "software-engineering", "systems-design"]),
    "technical-grades-13-to-15": (
        "The technical grade table covers GS-13, GS-14 and GS-15 only; technical competencies have no cells for GS-11 and GS-12.",
        []),
    "ai-work-definition-page-break": (
        "The definition of AI work in the addendum is split by a page break in the source (\"to create,\" / \"deliver, and maintain\"); Framewright joins the two parts without changing a word.",
        []),
    "definition-typos": (
        "Definitions are transcribed with the source's own wording and punctuation, including \"does and delegates' work\" (Accountability) and \"Models' high standards of ethics\" (Integrity or Honesty).",
        ["accountability", "integrity-or-honesty"]),
}

out = []
w = out.append
w("# The OPM AI Competency Model (29 April 2024), transcribed exactly as published.")
w("#")
w("# Source: US Office of Personnel Management, memorandum \"Skills-Based Hiring Guidance and")
w("# Competency Model for Artificial Intelligence Work\" (Kiran A. Ahuja, Director, 29 April 2024),")
w("# attachment \"Artificial Intelligence (AI) Competency Model\". Full text: data/sources/.")
w("# Licence: a work of the US Government, not subject to copyright in the United States")
w("# (17 U.S.C. 105). Generated by scripts/transcribe_opm.py; checked cell by cell against the")
w("# source by crates/catalog/tests/opm_source.rs. Inconsistencies of the source are recorded as")
w("# [[notes]], never silently corrected.")
w("")
w("[catalogue]")
w('id = "opm-ai-2024"')
w('name = "OPM AI Competency Model (2024)"')
w('title = "Skills-Based Hiring Guidance and Competency Model for Artificial Intelligence Work"')
w('version = "2024-04-29"')
w('publisher = "US Office of Personnel Management (memorandum of Kiran A. Ahuja, Director)"')
w('issued = "2024-04-29"')
w('licence = "US Government work: not subject to copyright in the United States (17 U.S.C. 105)"')
w('attribution = "Source: US Office of Personnel Management, Skills-Based Hiring Guidance and Competency Model for Artificial Intelligence Work, 29 April 2024."')
w('url = "https://www.chcoc.gov/content/skills-based-hiring-guidance-and-competency-model-artificial-intelligence-work"')
w("")
# The memo's definition of AI work, which criterion 1 refers to ("the AI definition above").
# A page break splits it in the source ("to create," / "deliver, and maintain"); it is joined here.
ai_start = next(i for i, l in enumerate(lines) if l.startswith("AI work involves designing and developing systems"))
ai_definition = lines[ai_start].rstrip() + " " + next(l for l in lines[ai_start + 1:] if l.strip()).strip()
w("[ai_work]")
w(f"definition = {toml_str(ai_definition)}")
w("")
w("# \"In summary, the work is considered AI work when:\" (AI Competency Model and Talent Acquisition Addendum).")
w("# Link markup of the source ([general](#)) is dropped; the words are kept.")
crit_start = next(i for i, l in enumerate(lines) if l.startswith("In summary, the work is considered AI work when"))
for l in lines[crit_start + 1:crit_start + 8]:
    m = re.match(r"^(\d)\. (.*)$", l)
    if m:
        w("[[ai_work.criteria]]")
        w(f"number = {m.group(1)}")
        criterion = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", m.group(2))
        w(f"text = {toml_str(criterion)}")
w("")
for nid, (text, comps) in NOTES.items():
    w("[[notes]]")
    w(f"id = {toml_str(nid)}")
    w(f"text = {toml_str(text)}")
    if comps:
        w("competencies = [" + ", ".join(toml_str(c) for c in comps) + "]")
    w("")

for kind, names in (("general", general), ("technical", technical)):
    for name in names:
        table_name = TABLE_NAME.get(name, name)
        cid = slug(name)
        w("[[competencies]]")
        w(f"id = {toml_str(cid)}")
        w(f"name = {toml_str(name)}")
        w(f'kind = "{kind}"')
        if table_name in definitions:
            w(f"definition = {toml_str(definitions[table_name])}")
        else:
            w("# definition: none given in the source")
        if name in ALIASES:
            w("alt_labels = [" + ", ".join(toml_str(a) for a in ALIASES[name]) + "]")
        notes = [nid for nid, (_, comps) in NOTES.items() if cid in comps]
        if notes:
            w("notes = [" + ", ".join(toml_str(n) for n in notes) + "]")
        table = general_grades if kind == "general" else technical_grades
        grades = ["GS-11", "GS-12", "GS-13", "GS-14", "GS-15"] if kind == "general" else ["GS-13", "GS-14", "GS-15"]
        if table_name in table:
            cells = ", ".join(f'"{g}" = "{c}"' for g, c in zip(grades, table[table_name]))
            w("grades = { " + cells + " }")
        if table_name in ranks:
            cur, fut = ranks[table_name]
            to = lambda v: "\"NR\"" if v == "NR" else v
            w(f"importance_rank = {{ current = {to(cur)}, future = {to(fut)} }}")
        w("")

sys.stdout.write("\n".join(out).rstrip("\n") + "\n")
