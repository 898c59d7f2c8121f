#!/usr/bin/env python3
"""Check Framewright's curated OPM content against the indicator-writing standard.

Checks, mechanically and strictly:
  data/lint/verbs.toml            the observable-verb list (one level per verb, no clashes)
  data/lint/vague-terms.toml      the vague-term list (each term with a suggestion)
  data/indicators/opm-ai-2024.toml  57 competencies x 5 levels of descriptions and indicators
  data/interview/opm-ai-2024.toml   57 competencies x 2 questions and anchors at 1, 3 and 5

The Rust lint enforces the same rules on this data in its tests; this script exists so that the
content can be written and reviewed without a Rust toolchain. Standard library only (Python 3.11+).

Usage: python3 scripts/check_content.py [--repo DIR] [--quiet]
Exit status: 0 clean (warnings allowed), 1 errors found, 2 a file could not be read or parsed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

# The competency list exactly as the OPM memo (29 April 2024) lists it, in its order.
GENERAL = [
    "Accountability", "Attention to Detail", "Computer Skills", "Conflict Management",
    "Contracting or Procurement", "Creativity and Innovation", "Customer Service",
    "Decisiveness", "Design", "Digital Collaboration", "Emotional Intelligence",
    "External Awareness", "Flexibility", "Influencing or Negotiating", "Information Management",
    "Integrity or Honesty", "Interpersonal Skills", "Learning", "Mathematical Reasoning",
    "Memory", "Mental Visualization", "Oral Communication", "Organizational Awareness",
    "Partnering", "Perceptual Speed", "Planning and Evaluating", "Political Savvy",
    "Problem Solving", "Project Management", "Reading", "Reading Comprehension", "Reasoning",
    "Resilience", "Self-Management", "Strategic Thinking", "Stress Tolerance",
    "Supporting Diversity", "Teaching Others", "Teamwork", "Technical Competence",
    "Technology Application", "Technology Awareness", "Written Communication",
]
TECHNICAL = [
    "Application Development", "Artificial Intelligence and Machine Learning",
    "Communicating Results", "Data Analysis", "Data Extraction and Transformation",
    "Data Visualization", "Mathematics and Statistics", "Modeling and Simulation", "Monitoring",
    "Sociotechnical Systems", "Software Engineering", "Systems Design", "Testing and Validation",
    "Values-Driven Design",
]

INDICATOR_WORDS = (8, 25)
INDICATORS_PER_LEVEL = (2, 4)
DESCRIPTION_WORDS = (12, 50)
QUESTION_WORDS = (12, 50)
FOLLOW_UP_WORDS = (6, 40)
ANCHOR_WORDS = (12, 60)
MAX_BLOOM_DROP = 0.5
LEVEL1_MAX_MEAN = 3.5
LEVEL5_MIN_MEAN = 4.5
NEAR_DUPLICATE = 0.75
QUESTION_OPENERS = ("Tell me about a time when ", "Describe a situation in which ")
GUIDANCE_WORDS = re.compile(
    r"\b(guidance|supervision|independently|advis\w*|authority|resource for)\b", re.I
)
CONJUNCTIONS = {"and", "or", "then", "while"}
HEADER_MUST_SAY = ("Framewright authors", "Apache-2.0", "OPM AI Competency Model", "US Government work")
STOPWORDS = set(
    "a an the of to for in on at by with from into and or as its their his her that this these "
    "those each every one two three is are be who which when where than".split()
)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


COMPETENCY_IDS = [slug(n) for n in GENERAL + TECHNICAL]
PARTIAL = False


def expected_ids(ids: list[str]) -> list[str]:
    """The ids a file must hold: all 57, or with --partial the first len(ids) of them."""
    return COMPETENCY_IDS[: len(ids)] if PARTIAL else COMPETENCY_IDS


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, where: str, msg: str) -> None:
        self.errors.append(f"error: {where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"warning: {where}: {msg}")


def third_person(base: str) -> str:
    if base == "be":
        return "is"
    if base == "have":
        return "has"
    if re.search(r"(s|x|z|ch|sh)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


def load_toml(path: Path) -> tuple[dict, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        sys.exit(2)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        print(f"{path}: not valid TOML: {e}", file=sys.stderr)
        sys.exit(2)


def line_of(text: str, needle: str, start: int = 0) -> int | None:
    idx = text.find(needle, start)
    return None if idx < 0 else text.count("\n", 0, idx) + 1


class Cursor:
    """Finds successive strings in a file in reading order, so repeats get their own line."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def line(self, needle: str) -> int | None:
        idx = self.text.find(needle, self.pos)
        if idx < 0:
            return line_of(self.text, needle)
        self.pos = idx + len(needle)
        return self.text.count("\n", 0, idx) + 1


def check_header(rep: Report, path: Path, text: str) -> None:
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    joined = " ".join(l.lstrip("# ").strip() for l in header)
    if not header:
        rep.error(str(path), "no header comment at the top of the file")
        return
    for phrase in HEADER_MUST_SAY:
        if phrase not in joined:
            rep.error(str(path), f"header comment does not say {phrase!r}")


def check_keys(rep: Report, where: str, table: dict, required: set[str], optional: set[str] = frozenset()) -> None:
    keys = set(table)
    for k in sorted(required - keys):
        rep.error(where, f"missing field {k!r}")
    for k in sorted(keys - required - set(optional)):
        rep.error(where, f"unknown field {k!r}")


# --------------------------------------------------------------------------- verbs


class Verbs:
    def __init__(self) -> None:
        self.bloom: dict[str, int] = {}        # base -> Bloom level
        self.forms: dict[str, str] = {}        # third-person form -> base
        self.bases: set[str] = set()           # base forms (including variants)
        self.refused: list[tuple[str, str, str]] = []  # (base, third_person, suggestion)


def load_verbs(rep: Report, path: Path) -> Verbs:
    data, text = load_toml(path)
    check_header(rep, path, text)
    v = Verbs()
    check_keys(rep, str(path), data, {"level", "spelling_variants", "refused"})
    seen_levels = []
    for lvl in data.get("level", []):
        where = f"{path}: level {lvl.get('bloom')}"
        check_keys(rep, where, lvl, {"bloom", "name", "verbs", "meaning"})
        b = lvl.get("bloom")
        if not isinstance(b, int) or not 1 <= b <= 6:
            rep.error(where, "bloom must be an integer 1..6")
            continue
        seen_levels.append(b)
        for verb in lvl.get("verbs", []):
            if not re.fullmatch(r"[a-z]+", verb):
                rep.error(where, f"verb {verb!r} must be one lowercase word")
            if verb in v.bloom:
                rep.error(where, f"verb {verb!r} is listed at level {v.bloom[verb]} and again at level {b}")
                continue
            v.bloom[verb] = b
    if sorted(seen_levels) != [1, 2, 3, 4, 5, 6]:
        rep.error(str(path), f"levels must be exactly 1..6, found {sorted(seen_levels)}")
    for variant, base in data.get("spelling_variants", {}).items():
        if base not in v.bloom:
            rep.error(f"{path}: spelling_variants", f"{variant!r} maps to {base!r}, which is not listed")
        elif variant in v.bloom:
            rep.error(f"{path}: spelling_variants", f"{variant!r} is also listed as a verb")
        else:
            v.bloom[variant] = v.bloom[base]
    for base in v.bloom:
        form = third_person(base)
        if form in v.forms and v.forms[form] != base:
            rep.error(str(path), f"{base!r} and {v.forms[form]!r} share the third-person form {form!r}")
        v.forms[form] = base
        v.bases.add(base)
    for r in data.get("refused", []):
        where = f"{path}: refused {r.get('base')!r}"
        check_keys(rep, where, r, {"base", "third_person", "suggestion"})
        base, tp = r.get("base", ""), r.get("third_person", "")
        if base in v.bloom:
            rep.error(where, "a refused verb is also listed as observable")
        first = base.split()[0] if base else ""
        if first and tp.split()[0] != third_person(first):
            rep.error(where, f"third_person {tp!r} does not match the rule for {first!r}")
        v.refused.append((base, tp, r.get("suggestion", "")))
    return v


# --------------------------------------------------------------------------- vague terms


def load_vague(rep: Report, path: Path) -> list[tuple[str, re.Pattern, str]]:
    data, text = load_toml(path)
    check_header(rep, path, text)
    check_keys(rep, str(path), data, {"term"})
    out = []
    seen = set()
    for t in data.get("term", []):
        where = f"{path}: term {t.get('term')!r}"
        check_keys(rep, where, t, {"term", "suggestion"})
        term = t.get("term", "")
        if term.lower() in seen:
            rep.error(where, "listed twice")
        seen.add(term.lower())
        if not t.get("suggestion"):
            rep.error(where, "no suggestion")
        body = term.rstrip(".")
        pat = r"\s+".join(re.escape(w) for w in body.split())
        if term.endswith("."):
            pat += r"\.?"
        out.append((term, re.compile(r"(?<![A-Za-z0-9_])" + pat + r"(?![A-Za-z0-9_])", re.I), t.get("suggestion", "")))
    return out


def vague_hits(vague, text: str) -> list[str]:
    return [term for term, pat, _ in vague if pat.search(text)]


# --------------------------------------------------------------------------- sentences


def words(text: str) -> list[str]:
    return text.split()


def one_sentence(text: str) -> str | None:
    """Return a problem description, or None when text is one sentence ending in a full stop."""
    if ";" in text:
        return "contains a semicolon (one behaviour per indicator)"
    if not text.endswith("."):
        return "does not end with a full stop"
    body = text[:-1]
    for m in re.finditer(r"[.!?]", body):
        i = m.start()
        if m.group() == "." and 0 < i < len(body) - 1 and body[i - 1].isdigit() and body[i + 1].isdigit():
            continue  # a decimal number
        return f"has more than one sentence (found {m.group()!r} inside)"
    if text != text.strip() or "  " in text:
        return "has stray whitespace"
    return None


def content_words(text: str) -> set[str]:
    ws = [re.sub(r"[^a-z0-9-]", "", w.lower()) for w in text.split()[1:]]
    return {w for w in ws if w and w not in STOPWORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def first_verb(rep: Report, verbs: Verbs, where: str, text: str) -> int | None:
    """Check the opening verb; return its Bloom level when it is accepted."""
    low = text.lower()
    for base, tp, suggestion in verbs.refused:
        if re.match(re.escape(tp) + r"\b", low) or re.match(re.escape(base) + r"\b", low):
            rep.error(where, f"starts with the unobservable {tp!r}: {suggestion}")
            return None
    first = re.sub(r"[^A-Za-z-]", "", text.split()[0]) if text.split() else ""
    if not first or not first[0].isupper():
        rep.error(where, "must start with a capitalised verb")
    w = first.lower()
    if w in verbs.forms:
        return verbs.bloom[verbs.forms[w]]
    if w in verbs.bases:
        rep.error(where, f"{first!r} is a base form; write the third person ({third_person(w).capitalize()})")
        return None
    rep.error(where, f"first word {first!r} is not an observable verb from data/lint/verbs.toml")
    return None


def second_behaviour(verbs: Verbs, text: str) -> str | None:
    ws = text.split()
    for i, w in enumerate(ws[:-1]):
        if w.lower().strip(",") in CONJUNCTIONS:
            nxt = re.sub(r"[^a-z]", "", ws[i + 1].lower())
            if nxt in verbs.forms:
                return f"joins a second behaviour with {w!r} {ws[i + 1]!r}"
    return None


# --------------------------------------------------------------------------- indicators


def check_indicators(rep: Report, verbs: Verbs, vague, path: Path) -> dict:
    data, text = load_toml(path)
    check_header(rep, path, text)
    check_keys(rep, str(path), data, {"competency"})
    comps = data.get("competency", [])
    ids = [c.get("id") for c in comps]
    want = expected_ids(ids)
    if ids != want:
        missing = [i for i in want if i not in ids]
        extra = [i for i in ids if i not in want]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if missing:
            rep.error(str(path), f"missing competencies: {', '.join(missing)}")
        if extra:
            rep.error(str(path), f"unknown competency ids: {', '.join(map(str, extra))}")
        if dupes:
            rep.error(str(path), f"competencies listed twice: {', '.join(dupes)}")
        if not (missing or extra or dupes):
            rep.error(str(path), "competencies are not in the order of the OPM list")

    cursor = Cursor(text)
    seen_ind: dict[str, str] = {}
    seen_desc: dict[str, str] = {}
    all_ind: list[tuple[str, str, set[str]]] = []
    stats = {"competencies": len(comps), "levels": 0, "indicators": 0, "bloom_by_level": {l: [] for l in range(1, 6)}}

    for comp in comps:
        cid = comp.get("id", "?")
        check_keys(rep, f"{path}: {cid}", comp, {"id", "level"})
        levels = comp.get("level", [])
        nums = [l.get("level") for l in levels]
        if nums != [1, 2, 3, 4, 5]:
            rep.error(f"{path}: {cid}", f"levels must be 1, 2, 3, 4, 5 in order, found {nums}")
        means: dict[int, float] = {}
        comp_ind: list[tuple[str, set[str]]] = []
        for lvl in levels:
            n = lvl.get("level")
            where = f"{path}: {cid} level {n}"
            check_keys(rep, where, lvl, {"level", "description", "indicators"})
            stats["levels"] += 1
            desc = lvl.get("description", "")
            dline = cursor.line(desc)
            dwhere = f"{path}:{dline}: {cid} level {n} description"
            if (p := one_sentence(desc)):
                rep.error(dwhere, p)
            nw = len(words(desc))
            if not DESCRIPTION_WORDS[0] <= nw <= DESCRIPTION_WORDS[1]:
                rep.error(dwhere, f"{nw} words, expected {DESCRIPTION_WORDS[0]}-{DESCRIPTION_WORDS[1]}")
            for term in vague_hits(vague, desc):
                rep.error(dwhere, f"vague term {term!r}")
            if not GUIDANCE_WORDS.search(desc):
                rep.error(dwhere, "does not say how much guidance the person needs")
            if desc.lower() in seen_desc:
                rep.error(dwhere, f"same description as {seen_desc[desc.lower()]}")
            seen_desc[desc.lower()] = f"{cid} level {n}"

            inds = lvl.get("indicators", [])
            if not INDICATORS_PER_LEVEL[0] <= len(inds) <= INDICATORS_PER_LEVEL[1]:
                rep.error(where, f"{len(inds)} indicators, expected {INDICATORS_PER_LEVEL[0]}-{INDICATORS_PER_LEVEL[1]}")
            blooms = []
            first_words = {}
            for k, ind in enumerate(inds, 1):
                iline = cursor.line(f'"{ind}"')
                iw = f"{path}:{iline}: {cid} level {n} indicator {k}"
                stats["indicators"] += 1
                if (p := one_sentence(ind)):
                    rep.error(iw, p)
                nw = len(words(ind))
                if not INDICATOR_WORDS[0] <= nw <= INDICATOR_WORDS[1]:
                    rep.error(iw, f"{nw} words, expected {INDICATOR_WORDS[0]}-{INDICATOR_WORDS[1]}")
                for term in vague_hits(vague, ind):
                    rep.error(iw, f"vague term {term!r}")
                if (p := second_behaviour(verbs, ind)):
                    rep.error(iw, p + " (one behaviour per indicator)")
                b = first_verb(rep, verbs, iw, ind)
                if b is not None:
                    blooms.append(b)
                    stats["bloom_by_level"].setdefault(n, []).append(b)
                fw = ind.split()[0].lower() if ind.split() else ""
                if fw in first_words:
                    rep.error(iw, f"same opening verb as indicator {first_words[fw]} on this level")
                first_words[fw] = k
                key = " ".join(ind.lower().split())
                if key in seen_ind:
                    rep.error(iw, f"identical to {seen_ind[key]}")
                seen_ind[key] = f"{cid} level {n}"
                cw = content_words(ind)
                for other, ocw in comp_ind:
                    if jaccard(cw, ocw) >= NEAR_DUPLICATE:
                        rep.error(iw, f"nearly identical to {other!r}")
                comp_ind.append((ind, cw))
                all_ind.append((f"{cid} level {n}", ind, cw))
            if blooms and len(blooms) == len(inds):
                means[n] = sum(blooms) / len(blooms)
                if n == 1:
                    if means[n] > LEVEL1_MAX_MEAN:
                        rep.error(where, f"mean Bloom level {means[n]:.2f} is above {LEVEL1_MAX_MEAN} for an Awareness level")
                    if sum(1 for b in blooms if b <= 3) < 2:
                        rep.error(where, "fewer than two indicators use remember/understand/apply verbs")
                if n == 5:
                    if means[n] < LEVEL5_MIN_MEAN:
                        rep.error(where, f"mean Bloom level {means[n]:.2f} is below {LEVEL5_MIN_MEAN} for an Expert level")
                    if sum(1 for b in blooms if b >= 5) < 2:
                        rep.error(where, "fewer than two indicators use evaluate/create verbs")
        for n in range(2, 6):
            if n in means and n - 1 in means and means[n] < means[n - 1] - MAX_BLOOM_DROP:
                rep.error(
                    f"{path}: {cid} level {n}",
                    f"mean Bloom level {means[n]:.2f} drops more than {MAX_BLOOM_DROP} below level {n - 1} ({means[n - 1]:.2f})",
                )
        if 1 in means and 5 in means and means[5] <= means[1]:
            rep.error(f"{path}: {cid}", "level 5 verbs are not above level 1 verbs on Bloom's taxonomy")

    # Near-duplicates across competencies are worth a look but are not errors.
    for i in range(len(all_ind)):
        for j in range(i + 1, len(all_ind)):
            if all_ind[i][0].split()[0] == all_ind[j][0].split()[0]:
                continue
            if jaccard(all_ind[i][2], all_ind[j][2]) >= NEAR_DUPLICATE:
                rep.warn(str(path), f"{all_ind[i][0]} {all_ind[i][1]!r} is nearly identical to {all_ind[j][0]} {all_ind[j][1]!r}")
    return stats


# --------------------------------------------------------------------------- interview


def check_interview(rep: Report, vague, path: Path) -> dict:
    data, text = load_toml(path)
    check_header(rep, path, text)
    check_keys(rep, str(path), data, {"competency"})
    comps = data.get("competency", [])
    ids = [c.get("id") for c in comps]
    want = expected_ids(ids)
    if ids != want:
        missing = [i for i in want if i not in ids]
        extra = [i for i in ids if i not in want]
        rep.error(str(path), f"competency ids differ from the OPM list (missing: {missing}, unknown: {extra}, or out of order)")
    seen: dict[str, str] = {}
    stats = {"competencies": len(comps), "questions": 0, "anchors": 0}
    for comp in comps:
        cid = comp.get("id", "?")
        check_keys(rep, f"{path}: {cid}", comp, {"id", "question", "anchors"})
        qs = comp.get("question", [])
        if len(qs) != 2:
            rep.error(f"{path}: {cid}", f"{len(qs)} questions, expected exactly 2")
        for k, q in enumerate(qs, 1):
            where = f"{path}:{line_of(text, q.get('text', '')) }: {cid} question {k}"
            check_keys(rep, where, q, {"text", "follow_up"})
            stats["questions"] += 1
            qt, fu = q.get("text", ""), q.get("follow_up", "")
            if not qt.startswith(QUESTION_OPENERS):
                rep.error(where, f"must ask about past behaviour, opening with one of {QUESTION_OPENERS}")
            if not qt.endswith("."):
                rep.error(where, "question text must end with a full stop")
            if ";" in qt or ";" in fu:
                rep.error(where, "contains a semicolon")
            if not QUESTION_WORDS[0] <= len(words(qt)) <= QUESTION_WORDS[1]:
                rep.error(where, f"question has {len(words(qt))} words, expected {QUESTION_WORDS[0]}-{QUESTION_WORDS[1]}")
            if not fu.endswith("?") or fu.count("?") != 1:
                rep.error(where, "follow_up must be one question ending with '?'")
            if not FOLLOW_UP_WORDS[0] <= len(words(fu)) <= FOLLOW_UP_WORDS[1]:
                rep.error(where, f"follow_up has {len(words(fu))} words, expected {FOLLOW_UP_WORDS[0]}-{FOLLOW_UP_WORDS[1]}")
            for t in vague_hits(vague, qt + " " + fu):
                rep.error(where, f"vague term {t!r}")
            for s in (qt, fu):
                key = " ".join(s.lower().split())
                if key in seen:
                    rep.error(where, f"same text as {seen[key]}")
                seen[key] = f"{cid} question {k}"
        anchors = comp.get("anchors", {})
        if set(anchors) != {"1", "3", "5"}:
            rep.error(f"{path}: {cid}", f"anchors must be exactly 1, 3 and 5, found {sorted(anchors)}")
        for key, a in sorted(anchors.items()):
            where = f"{path}:{line_of(text, a)}: {cid} anchor {key}"
            stats["anchors"] += 1
            if not isinstance(a, str):
                rep.error(where, "anchor must be text")
                continue
            if not ANCHOR_WORDS[0] <= len(words(a)) <= ANCHOR_WORDS[1]:
                rep.error(where, f"{len(words(a))} words, expected {ANCHOR_WORDS[0]}-{ANCHOR_WORDS[1]}")
            if not a.endswith("."):
                rep.error(where, "does not end with a full stop")
            for t in vague_hits(vague, a):
                rep.error(where, f"vague term {t!r}")
            k2 = " ".join(a.lower().split())
            if k2 in seen:
                rep.error(where, f"same text as {seen[k2]}")
            seen[k2] = f"{cid} anchor {key}"
    return stats


# --------------------------------------------------------------------------- source cross-check


def check_against_source(rep: Report, repo: Path) -> str:
    """Confirm the hard-coded list against the OPM memo's text (the repository's copy, or the
    shared copy beside the repository in the dev setup)."""
    candidates = [
        repo / "data" / "sources" / "opm-ai-competency-model-2024.md",
        repo.parent / "shared" / "sources" / "opm-ai-competency-model-2024.md",
    ]
    src = next((c for c in candidates if c.exists()), None)
    if src is None:
        return "OPM source text not found; competency list not re-read from it"
    text = src.read_text(encoding="utf-8")
    # The list sits between the sentence introducing "the 43 general competencies" and the
    # heading of the grade tables; its "Technical Competencies" heading splits it in two.
    start = text.index("The table below presents the 43 general competencies")
    end = text.index("Artificial Intelligence Competencies by Grade", start)
    names_g: list[str] = []
    names_t: list[str] = []
    current = names_g
    for line in text[start:end].splitlines():
        if line.strip() == "Technical Competencies":
            current = names_t
        elif line.startswith("- "):
            current.append(line[2:].strip())
    if names_g != GENERAL:
        rep.error(str(src), "general competency list differs from the one in this script")
    if names_t != TECHNICAL:
        rep.error(str(src), "technical competency list differs from the one in this script")
    return f"competency list confirmed against {src} ({len(names_g)} general + {len(names_t)} technical)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--quiet", action="store_true", help="print only errors and the summary")
    ap.add_argument(
        "--partial", action="store_true",
        help="while writing: accept files that hold only the first competencies of the OPM list",
    )
    args = ap.parse_args()
    global PARTIAL
    PARTIAL = args.partial
    repo: Path = args.repo
    rep = Report()

    verbs = load_verbs(rep, repo / "data/lint/verbs.toml")
    vague = load_vague(rep, repo / "data/lint/vague-terms.toml")
    source_note = check_against_source(rep, repo)
    ind = check_indicators(rep, verbs, vague, repo / "data/indicators/opm-ai-2024.toml")
    itv = check_interview(rep, vague, repo / "data/interview/opm-ai-2024.toml")

    for line in rep.errors:
        print(line)
    if not args.quiet:
        for line in rep.warnings:
            print(line)
    per_level = {b: sum(1 for v in verbs.bloom.values() if v == b) for b in range(1, 7)}
    print(f"verbs: {len(verbs.bloom)} accepted (by Bloom level {per_level}), {len(verbs.refused)} refused; vague terms: {len(vague)}")
    print(source_note)
    print(f"indicators: {ind['competencies']} competencies, {ind['levels']} levels, {ind['indicators']} indicators")
    means = {l: round(sum(v) / len(v), 2) for l, v in sorted(ind["bloom_by_level"].items()) if v}
    print(f"mean Bloom level of indicator verbs by proficiency level: {means}")
    print(f"interview: {itv['competencies']} competencies, {itv['questions']} questions, {itv['anchors']} anchors")
    print(f"{len(rep.errors)} errors, {len(rep.warnings)} warnings")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
