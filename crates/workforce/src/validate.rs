//! Checking people and ratings against a framework before anything uses them: unknown people,
//! competencies and roles, levels outside the scale, managers who are not in the list, and
//! management chains that loop. Every problem is collected (not only the first), each naming
//! the record and the field, so that the caller can say where it is (a file's line and column,
//! a request's JSON pointer).

use std::collections::{HashMap, HashSet};

use framewright_model::Framework;

use crate::record::{AssessmentRecord, Person, Rating};

/// Which record a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The person at this index of the people list.
    Person(usize),
    /// The rating at this index of the ratings list.
    Record(usize),
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The record.
    pub subject: Subject,
    /// The field (the column name of the files: `id`, `manager`, `role`, `person`,
    /// `competency`, `level`).
    pub field: &'static str,
    /// What is wrong, in plain words.
    pub message: String,
}

fn issue(subject: Subject, field: &'static str, message: String) -> Issue {
    Issue {
        subject,
        field,
        message,
    }
}

/// Every problem of `people` and `records` against `framework`, people first, in list order.
pub fn validate(
    framework: &Framework,
    people: &[Person],
    records: &[AssessmentRecord],
) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        if let Some(first) = index.insert(p.id.as_str(), i) {
            index.insert(p.id.as_str(), first);
            issues.push(issue(
                Subject::Person(i),
                "id",
                format!("person `{}` is listed twice; keep one row per person", p.id),
            ));
        }
    }
    let roles: HashSet<&str> = framework
        .role_profiles
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    for (i, p) in people.iter().enumerate() {
        if !roles.contains(p.role.as_str()) {
            issues.push(issue(
                Subject::Person(i),
                "role",
                format!(
                    "the framework has no role `{}`; use one of its role profiles ({})",
                    p.role,
                    list(framework.role_profiles.iter().map(|r| r.id.as_str()))
                ),
            ));
        }
        if let Some(m) = &p.manager {
            if m == &p.id {
                issues.push(issue(
                    Subject::Person(i),
                    "manager",
                    format!("`{}` is named as their own manager", p.id),
                ));
            } else if !index.contains_key(m.as_str()) {
                issues.push(issue(
                    Subject::Person(i),
                    "manager",
                    format!("the manager `{m}` is not in the list of people"),
                ));
            }
        }
    }
    manager_cycles(people, &index, &mut issues);
    let max = framework.scale.max_level();
    for (i, r) in records.iter().enumerate() {
        if !index.contains_key(r.person.as_str()) {
            issues.push(issue(
                Subject::Record(i),
                "person",
                format!("`{}` is not in the list of people", r.person),
            ));
        }
        if framework.competency(&r.competency).is_none() {
            issues.push(issue(
                Subject::Record(i),
                "competency",
                format!("the framework has no competency `{}`", r.competency),
            ));
        }
        if let Rating::Level(l) = r.rating
            && !framework.scale.contains(l)
        {
            issues.push(issue(
                Subject::Record(i),
                "level",
                format!("{l} is not a level of the scale; use 1 to {max}, or NO for not observed"),
            ));
        }
    }
    issues
}

/// Reports each management loop once, at the person of the loop listed first.
fn manager_cycles(people: &[Person], index: &HashMap<&str, usize>, issues: &mut Vec<Issue>) {
    // 0 = not seen, 1 = on the current path, 2 = done
    let mut state = vec![0u8; people.len()];
    for start in 0..people.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if state[i] == 2 {
                break;
            }
            if state[i] == 1 {
                let from = path.iter().position(|x| *x == i).unwrap_or(0);
                let mut cycle: Vec<usize> = path[from..].to_vec();
                let first = cycle.iter().copied().min().unwrap_or(i);
                if cycle.len() > 1 {
                    let rot = cycle.iter().position(|x| *x == first).unwrap_or(0);
                    cycle.rotate_left(rot);
                    let mut names: Vec<&str> =
                        cycle.iter().map(|c| people[*c].id.as_str()).collect();
                    names.push(people[first].id.as_str());
                    issues.push(issue(
                        Subject::Person(first),
                        "manager",
                        format!(
                            "the management line goes round in a circle ({}); someone in it must report outside it",
                            names.join(" → ")
                        ),
                    ));
                }
                break;
            }
            state[i] = 1;
            path.push(i);
            at = people[i]
                .manager
                .as_deref()
                .filter(|m| *m != people[i].id)
                .and_then(|m| index.get(m).copied());
        }
        for i in path {
            state[i] = 2;
        }
    }
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        "it has none".to_string()
    } else {
        v.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Source;
    use crate::testing::{framework, person, rating};
    use time::macros::date;

    #[test]
    fn every_problem_is_collected_with_its_record_and_field() {
        let f = framework();
        let people = [
            person("a", "junior", Some("b"), "U"),
            person("b", "junior", Some("c"), "U"),
            person("c", "junior", Some("a"), "U"),
            person("d", "nurse", Some("zz"), "U"),
            person("a", "junior", None, "U"),
        ];
        let d = date!(2026 - 01 - 01);
        let records = [
            rating("a", "a", Some(5), Source::Manager, "m", d),
            rating("q", "nope", Some(0), Source::Manager, "m", d),
            rating("b", "b", None, Source::Manager, "m", d),
        ];
        let issues = validate(&f, &people, &records);
        let got: Vec<(Subject, &str)> = issues.iter().map(|i| (i.subject, i.field)).collect();
        assert_eq!(
            got,
            [
                (Subject::Person(4), "id"),
                (Subject::Person(3), "role"),
                (Subject::Person(3), "manager"),
                (Subject::Person(0), "manager"),
                (Subject::Record(0), "level"),
                (Subject::Record(1), "person"),
                (Subject::Record(1), "competency"),
                (Subject::Record(1), "level"),
            ]
        );
        assert!(
            issues[3].message.contains("(a → b → c → a)"),
            "{}",
            issues[3].message
        );
        assert_eq!(
            issues[4].message,
            "5 is not a level of the scale; use 1 to 4, or NO for not observed"
        );
    }
}
