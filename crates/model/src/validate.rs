//! Structural validity of a framework: what must hold before a framework can be stored,
//! generated from or exported. A framework that fails here is rejected with every problem
//! named by field; quality advice lives in `lint`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::framework::{FORMAT, Framework, RelationType};
use crate::path::FieldPath;

/// One reason a framework is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Stable code (`duplicate-id`, `unknown-competency`, …).
    pub code: &'static str,
    /// The field at fault.
    pub path: FieldPath,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.code)
    }
}

/// All the problems that make `framework` invalid, in document order (empty when valid).
pub fn problems(framework: &Framework) -> Vec<ValidationError> {
    let mut v = Validator::default();
    v.check(framework);
    v.errors
}

/// `Ok` when the framework is valid, otherwise every problem.
pub fn validate(framework: &Framework) -> Result<(), Vec<ValidationError>> {
    let errors = problems(framework);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[derive(Default)]
struct Validator {
    errors: Vec<ValidationError>,
}

impl Validator {
    fn push(&mut self, code: &'static str, path: FieldPath, message: impl Into<String>) {
        self.errors.push(ValidationError {
            code,
            path,
            message: message.into(),
        });
    }

    fn check(&mut self, f: &Framework) {
        let root = FieldPath::root();
        if f.format != FORMAT {
            self.push(
                "unsupported-format",
                root.key("format"),
                format!(
                    "this file says format `{}`; Framewright reads `{FORMAT}`",
                    f.format
                ),
            );
        }
        self.non_empty(&f.id, root.key("id"), "the framework needs an id");
        self.non_empty(&f.title, root.key("title"), "the framework needs a title");
        self.check_scale(f);
        let groups = self.check_groups(f);
        let competencies = self.check_competencies(f, &groups);
        self.check_profiles(f, &competencies);
        self.check_relations(f, &competencies);
    }

    fn non_empty(&mut self, value: &str, path: FieldPath, message: &str) {
        if value.trim().is_empty() {
            self.push("empty-field", path, message);
        }
    }

    fn check_scale(&mut self, f: &Framework) {
        let path = FieldPath::root().key("scale");
        self.non_empty(
            &f.scale.id,
            path.key("id"),
            "the proficiency scale needs an id",
        );
        if f.scale.levels.is_empty() {
            self.push(
                "empty-scale",
                path.key("levels"),
                "the proficiency scale has no levels",
            );
        }
        for (i, level) in f.scale.levels.iter().enumerate() {
            let at = path.item("levels", i);
            let expected = i + 1;
            if usize::from(level.level) != expected {
                self.push(
                    "scale-numbering",
                    at.key("level"),
                    format!(
                        "scale levels must be numbered 1, 2, 3, … in order; level {} is in position {expected}",
                        level.level
                    ),
                );
            }
            self.non_empty(
                &level.name,
                at.key("name"),
                "every scale level needs a name",
            );
        }
    }

    fn check_groups(&mut self, f: &Framework) -> HashSet<String> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, group) in f.groups.iter().enumerate() {
            let at = FieldPath::root().item("groups", i);
            self.non_empty(&group.id, at.key("id"), "every group needs an id");
            if let Some(first) = seen.insert(group.id.as_str(), i) {
                self.push(
                    "duplicate-id",
                    at.key("id"),
                    format!(
                        "group id `{}` is used twice (first at groups[{first}])",
                        group.id
                    ),
                );
            }
        }
        let ids: HashSet<String> = f.groups.iter().map(|g| g.id.clone()).collect();
        for (i, group) in f.groups.iter().enumerate() {
            if let Some(parent) = &group.parent
                && !ids.contains(parent)
            {
                self.push(
                    "unknown-group",
                    FieldPath::root().item("groups", i).key("parent"),
                    format!(
                        "group `{}` sits in group `{parent}`, which does not exist",
                        group.id
                    ),
                );
            }
        }
        let edges: Vec<(String, String)> = f
            .groups
            .iter()
            .filter_map(|g| g.parent.as_ref().map(|p| (g.id.clone(), p.clone())))
            .collect();
        if let Some(cycle) = find_cycle(&edges) {
            let index = f.groups.iter().position(|g| g.id == cycle[0]).unwrap_or(0);
            self.push(
                "group-cycle",
                FieldPath::root().item("groups", index).key("parent"),
                format!(
                    "groups contain one another in a circle: {}",
                    cycle.join(" → ")
                ),
            );
        }
        ids
    }

    fn check_competencies(&mut self, f: &Framework, groups: &HashSet<String>) -> HashSet<String> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, c) in f.competencies.iter().enumerate() {
            let at = FieldPath::root().item("competencies", i);
            self.non_empty(&c.id, at.key("id"), "every competency needs an id");
            self.non_empty(&c.name, at.key("name"), "every competency needs a name");
            if let Some(first) = seen.insert(c.id.as_str(), i) {
                self.push(
                    "duplicate-id",
                    at.key("id"),
                    format!(
                        "competency id `{}` is used twice (first at competencies[{first}])",
                        c.id
                    ),
                );
            }
            if let Some(group) = &c.group
                && !groups.contains(group)
            {
                self.push(
                    "unknown-group",
                    at.key("group"),
                    format!(
                        "competency `{}` is in group `{group}`, which does not exist",
                        c.id
                    ),
                );
            }
            let mut levels_seen = BTreeSet::new();
            for (j, content) in c.levels.iter().enumerate() {
                let level_path = at.item("levels", j).key("level");
                if !f.scale.contains(content.level) {
                    self.push(
                        "level-outside-scale",
                        level_path.clone(),
                        format!(
                            "competency `{}` describes level {}, but the scale `{}` has levels 1–{}",
                            c.id,
                            content.level,
                            f.scale.id,
                            f.scale.max_level()
                        ),
                    );
                }
                if !levels_seen.insert(content.level) {
                    self.push(
                        "duplicate-level",
                        level_path,
                        format!(
                            "competency `{}` describes level {} twice",
                            c.id, content.level
                        ),
                    );
                }
            }
            for (j, question) in c.interview.iter().enumerate() {
                let q = at.item("interview", j);
                self.non_empty(
                    &question.question,
                    q.key("question"),
                    "an interview question needs its text",
                );
                for rating in question.anchors.keys() {
                    if !(1..=5).contains(rating) {
                        self.push(
                            "anchor-outside-scale",
                            q.key("anchors").key(&rating.to_string()),
                            format!("rating anchors run from 1 to 5; {rating} is outside"),
                        );
                    }
                }
            }
        }
        f.competencies.iter().map(|c| c.id.clone()).collect()
    }

    fn check_profiles(&mut self, f: &Framework, competencies: &HashSet<String>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, profile) in f.role_profiles.iter().enumerate() {
            let at = FieldPath::root().item("role_profiles", i);
            self.non_empty(&profile.id, at.key("id"), "every role profile needs an id");
            self.non_empty(
                &profile.title,
                at.key("title"),
                "every role profile needs a title",
            );
            if let Some(first) = seen.insert(profile.id.as_str(), i) {
                self.push(
                    "duplicate-id",
                    at.key("id"),
                    format!(
                        "role profile id `{}` is used twice (first at role_profiles[{first}])",
                        profile.id
                    ),
                );
            }
            if let Some(level) = profile.level
                && !(1..=5).contains(&level)
            {
                self.push(
                    "role-level-range",
                    at.key("level"),
                    format!("a generic role level runs from 1 to 5; {level} is outside"),
                );
            }
            let mut targeted: HashMap<&str, usize> = HashMap::new();
            for (j, target) in profile.targets.iter().enumerate() {
                let t = at.item("targets", j);
                if !competencies.contains(&target.competency) {
                    self.push(
                        "unknown-competency",
                        t.key("competency"),
                        format!(
                            "role profile `{}` targets competency `{}`, which is not in this framework",
                            profile.id, target.competency
                        ),
                    );
                }
                if let Some(first) = targeted.insert(target.competency.as_str(), j) {
                    self.push(
                        "duplicate-target",
                        t.key("competency"),
                        format!(
                            "role profile `{}` sets a target for `{}` twice (first at targets[{first}])",
                            profile.id, target.competency
                        ),
                    );
                }
                if !f.scale.contains(target.level) {
                    self.push(
                        "target-outside-scale",
                        t.key("level"),
                        format!(
                            "role profile `{}` requires level {} of `{}`, but the scale has levels 1–{}",
                            profile.id,
                            target.level,
                            target.competency,
                            f.scale.max_level()
                        ),
                    );
                }
                if let Some(weight) = target.weight
                    && !(weight.is_finite() && (0.0..=1.0).contains(&weight))
                {
                    self.push(
                        "weight-range",
                        t.key("weight"),
                        format!("an importance weight runs from 0 to 1; {weight} is outside"),
                    );
                }
            }
        }
    }

    fn check_relations(&mut self, f: &Framework, competencies: &HashSet<String>) {
        for (i, relation) in f.relations.iter().enumerate() {
            let at = FieldPath::root().item("relations", i);
            if !competencies.contains(&relation.from) {
                self.push(
                    "dangling-relation",
                    at.key("from"),
                    format!(
                        "the relation starts at `{}`, which is not a competency of this framework",
                        relation.from
                    ),
                );
            }
            if relation.external {
                self.non_empty(
                    &relation.to,
                    at.key("to"),
                    "an external relation needs the external item's identifier",
                );
            } else if !competencies.contains(&relation.to) {
                self.push(
                    "dangling-relation",
                    at.key("to"),
                    format!(
                        "the relation points to `{}`, which is not a competency of this framework (set `external = true` for items outside it)",
                        relation.to
                    ),
                );
            }
            if !relation.external && relation.from == relation.to && relation.kind.must_be_acyclic()
            {
                self.push(
                    "relation-cycle",
                    at.key("to"),
                    format!("`{}` cannot be {} of itself", relation.from, relation.kind),
                );
            }
        }
        // Broader and narrower are one hierarchy seen from both ends.
        let mut graphs: BTreeMap<&'static str, Vec<(String, String, usize)>> = BTreeMap::new();
        for (i, r) in f.relations.iter().enumerate() {
            if r.external || !r.kind.must_be_acyclic() || r.from == r.to {
                continue;
            }
            let (graph, edge) = match r.kind {
                RelationType::Broader => ("broader/narrower", (r.from.clone(), r.to.clone())),
                RelationType::Narrower => ("broader/narrower", (r.to.clone(), r.from.clone())),
                RelationType::Prerequisite => ("prerequisite", (r.from.clone(), r.to.clone())),
                RelationType::ReplacedBy => ("replaced_by", (r.from.clone(), r.to.clone())),
                _ => continue,
            };
            graphs.entry(graph).or_default().push((edge.0, edge.1, i));
        }
        for (graph, edges) in graphs {
            let pairs: Vec<(String, String)> = edges
                .iter()
                .map(|(a, b, _)| (a.clone(), b.clone()))
                .collect();
            if let Some(cycle) = find_cycle(&pairs) {
                let index = edges
                    .iter()
                    .find(|(a, b, _)| {
                        cycle
                            .windows(2)
                            .any(|w| (&w[0], &w[1]) == (a, b) || (&w[1], &w[0]) == (a, b))
                    })
                    .map(|(_, _, i)| *i)
                    .unwrap_or(0);
                self.push(
                    "relation-cycle",
                    FieldPath::root().item("relations", index),
                    format!("{graph} relations form a cycle: {}", cycle.join(" → ")),
                );
            }
        }
    }
}

/// A cycle in the directed graph given by `edges`, as the list of nodes with the first repeated
/// at the end; `None` when the graph is acyclic. Deterministic: nodes are visited in order.
pub fn find_cycle(edges: &[(String, String)]) -> Option<Vec<String>> {
    let mut adjacency: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        adjacency.entry(a.as_str()).or_default().push(b.as_str());
        adjacency.entry(b.as_str()).or_default();
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = adjacency.keys().map(|k| (*k, Mark::New)).collect();
    let nodes: Vec<&str> = adjacency.keys().copied().collect();
    for start in nodes {
        if marks[start] != Mark::New {
            continue;
        }
        // Iterative depth-first search keeping the current path.
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::Open);
        while let Some(&(node, next)) = stack.last() {
            let neighbours = &adjacency[node];
            if next < neighbours.len() {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let to = neighbours[next];
                match marks[to] {
                    Mark::New => {
                        marks.insert(to, Mark::Open);
                        stack.push((to, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            stack[from..].iter().map(|(n, _)| n.to_string()).collect();
                        cycle.push(to.to_string());
                        return Some(cycle);
                    }
                    Mark::Done => {}
                }
            } else {
                marks.insert(node, Mark::Done);
                stack.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_cycle;

    fn edges(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn cycles_are_found_and_acyclic_graphs_pass() {
        assert_eq!(find_cycle(&edges(&[("a", "b"), ("b", "c")])), None);
        assert_eq!(
            find_cycle(&edges(&[("a", "b"), ("b", "c"), ("c", "a")])),
            Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
        assert_eq!(
            find_cycle(&edges(&[("a", "b"), ("c", "b"), ("a", "c")])),
            None
        );
    }
}
