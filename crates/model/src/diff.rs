//! Differences between two versions of a framework: what a reviewer needs to see before a
//! release — competencies added and removed, definitions and other fields changed, level
//! descriptions and indicators changed, role-profile targets changed, groups and relations
//! added or removed.
//!
//! Pure: [`diff`] compares two values. Competencies, groups, role profiles and levels are
//! matched by their identifiers (level number), never by position, so reordering is not a
//! change; indicators are compared as sets of texts.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::framework::{Framework, FrameworkCompetency, Group, LevelContent, Relation, Target};

/// One field that differs, with its value before and after (`null` when absent).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FieldChange {
    /// The field's name (`definition`, `title`, `review`, …).
    pub field: String,
    /// The value in the older framework.
    pub before: Value,
    /// The value in the newer framework.
    pub after: Value,
}

/// A competency named by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CompetencyRef {
    /// Framework id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// What changed in one level of one competency.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LevelChange {
    /// The level number.
    pub level: u8,
    /// `added` (only in the newer), `removed` (only in the older) or `changed`.
    pub change: ChangeKind,
    /// The level description before and after, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<FieldChange>,
    /// Indicators in the newer framework that the older one does not have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators_added: Vec<String>,
    /// Indicators of the older framework that the newer one no longer has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators_removed: Vec<String>,
}

/// Whether something was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the newer framework.
    Added,
    /// Only in the older framework.
    Removed,
    /// In both, different.
    Changed,
}

/// What changed in a competency present in both frameworks.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CompetencyChange {
    /// Framework id.
    pub id: String,
    /// Name in the newer framework.
    pub name: String,
    /// Fields other than levels that differ (name, definition, kind, group, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Levels that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelChange>,
}

/// A required level (and weight) of one competency in one role profile that differs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetChange {
    /// Role profile id.
    pub profile: String,
    /// Competency id.
    pub competency: String,
    /// `added`, `removed` or `changed`.
    pub change: ChangeKind,
    /// Required level before (absent when added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_before: Option<u8>,
    /// Required level after (absent when removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_after: Option<u8>,
    /// Weight before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_before: Option<f64>,
    /// Weight after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_after: Option<f64>,
}

/// Everything that differs between two frameworks.
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
pub struct FrameworkDiff {
    /// Framework-level fields that differ (title, version, status, description, owner,
    /// licence, review dates, provenance, sources, scale).
    pub fields: Vec<FieldChange>,
    /// Competencies only in the newer framework.
    pub competencies_added: Vec<CompetencyRef>,
    /// Competencies only in the older framework.
    pub competencies_removed: Vec<CompetencyRef>,
    /// Competencies in both that differ.
    pub competencies_changed: Vec<CompetencyChange>,
    /// Groups only in the newer framework.
    pub groups_added: Vec<String>,
    /// Groups only in the older framework.
    pub groups_removed: Vec<String>,
    /// Groups in both whose name, description or parent differ.
    pub groups_changed: Vec<String>,
    /// Role profiles only in the newer framework.
    pub role_profiles_added: Vec<String>,
    /// Role profiles only in the older framework.
    pub role_profiles_removed: Vec<String>,
    /// Role profiles in both whose title, family, grade, level or description differ.
    pub role_profiles_changed: Vec<String>,
    /// Targets added, removed or changed in role profiles present in both frameworks.
    pub targets: Vec<TargetChange>,
    /// Relations only in the newer framework.
    pub relations_added: Vec<Relation>,
    /// Relations only in the older framework.
    pub relations_removed: Vec<Relation>,
}

impl FrameworkDiff {
    /// Whether the two frameworks are the same (up to ordering).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.competencies_added.is_empty()
            && self.competencies_removed.is_empty()
            && self.competencies_changed.is_empty()
            && self.groups_added.is_empty()
            && self.groups_removed.is_empty()
            && self.groups_changed.is_empty()
            && self.role_profiles_added.is_empty()
            && self.role_profiles_removed.is_empty()
            && self.role_profiles_changed.is_empty()
            && self.targets.is_empty()
            && self.relations_added.is_empty()
            && self.relations_removed.is_empty()
    }
}

/// Compares `before` with `after`.
pub fn diff(before: &Framework, after: &Framework) -> FrameworkDiff {
    let mut out = FrameworkDiff::default();
    framework_fields(before, after, &mut out.fields);
    competencies(before, after, &mut out);
    groups(&before.groups, &after.groups, &mut out);
    profiles(before, after, &mut out);
    relations(&before.relations, &after.relations, &mut out);
    out
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn field<T: Serialize + PartialEq>(out: &mut Vec<FieldChange>, name: &str, a: &T, b: &T) {
    if a != b {
        out.push(FieldChange {
            field: name.to_string(),
            before: to_value(a),
            after: to_value(b),
        });
    }
}

fn framework_fields(a: &Framework, b: &Framework, out: &mut Vec<FieldChange>) {
    field(out, "id", &a.id, &b.id);
    field(out, "title", &a.title, &b.title);
    field(out, "version", &a.version, &b.version);
    field(out, "status", &a.status, &b.status);
    field(out, "description", &a.description, &b.description);
    field(out, "owner", &a.owner, &b.owner);
    field(out, "licence", &a.licence, &b.licence);
    field(out, "review", &a.review, &b.review);
    field(out, "provenance", &a.provenance, &b.provenance);
    field(out, "sources", &a.sources, &b.sources);
    field(out, "scale", &a.scale, &b.scale);
}

fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|item| (id(item), item)).collect()
}

fn competencies(a: &Framework, b: &Framework, out: &mut FrameworkDiff) {
    let old = by_id(&a.competencies, |c| c.id.as_str());
    let new = by_id(&b.competencies, |c| c.id.as_str());
    // Report in the newer framework's order, then removals in the older one's order.
    for c in &b.competencies {
        match old.get(c.id.as_str()) {
            None => out.competencies_added.push(CompetencyRef {
                id: c.id.clone(),
                name: c.name.clone(),
            }),
            Some(previous) => {
                let change = competency(previous, c);
                if !change.fields.is_empty() || !change.levels.is_empty() {
                    out.competencies_changed.push(change);
                }
            }
        }
    }
    for c in &a.competencies {
        if !new.contains_key(c.id.as_str()) {
            out.competencies_removed.push(CompetencyRef {
                id: c.id.clone(),
                name: c.name.clone(),
            });
        }
    }
}

fn competency(a: &FrameworkCompetency, b: &FrameworkCompetency) -> CompetencyChange {
    let mut fields = Vec::new();
    field(&mut fields, "name", &a.name, &b.name);
    field(&mut fields, "kind", &a.kind, &b.kind);
    field(&mut fields, "group", &a.group, &b.group);
    field(&mut fields, "definition", &a.definition, &b.definition);
    field(&mut fields, "alt_labels", &a.alt_labels, &b.alt_labels);
    field(&mut fields, "source", &a.source, &b.source);
    field(&mut fields, "rationale", &a.rationale, &b.rationale);
    field(&mut fields, "notes", &a.notes, &b.notes);
    field(&mut fields, "grades", &a.grades, &b.grades);
    field(
        &mut fields,
        "importance_rank",
        &a.importance_rank,
        &b.importance_rank,
    );
    field(&mut fields, "interview", &a.interview, &b.interview);
    field(&mut fields, "evidence", &a.evidence, &b.evidence);
    CompetencyChange {
        id: b.id.clone(),
        name: b.name.clone(),
        fields,
        levels: levels(&a.levels, &b.levels),
    }
}

fn levels(a: &[LevelContent], b: &[LevelContent]) -> Vec<LevelChange> {
    let old: BTreeMap<u8, &LevelContent> = a.iter().map(|l| (l.level, l)).collect();
    let new: BTreeMap<u8, &LevelContent> = b.iter().map(|l| (l.level, l)).collect();
    let numbers: BTreeSet<u8> = old.keys().chain(new.keys()).copied().collect();
    let empty = LevelContent {
        level: 0,
        description: None,
        indicators: Vec::new(),
        draft: false,
    };
    let mut out = Vec::new();
    for n in numbers {
        let (change, before, after) = match (old.get(&n), new.get(&n)) {
            (Some(x), Some(y)) => (ChangeKind::Changed, *x, *y),
            (None, Some(y)) => (ChangeKind::Added, &empty, *y),
            (Some(x), None) => (ChangeKind::Removed, *x, &empty),
            (None, None) => continue,
        };
        let description = (before.description != after.description).then(|| FieldChange {
            field: "description".into(),
            before: to_value(&before.description),
            after: to_value(&after.description),
        });
        let old_set: BTreeSet<&str> = before.indicators.iter().map(String::as_str).collect();
        let new_set: BTreeSet<&str> = after.indicators.iter().map(String::as_str).collect();
        let indicators_added: Vec<String> = after
            .indicators
            .iter()
            .filter(|i| !old_set.contains(i.as_str()))
            .cloned()
            .collect();
        let indicators_removed: Vec<String> = before
            .indicators
            .iter()
            .filter(|i| !new_set.contains(i.as_str()))
            .cloned()
            .collect();
        let draft_changed = change == ChangeKind::Changed && before.draft != after.draft;
        if change != ChangeKind::Changed
            || description.is_some()
            || !indicators_added.is_empty()
            || !indicators_removed.is_empty()
            || draft_changed
        {
            out.push(LevelChange {
                level: n,
                change,
                description,
                indicators_added,
                indicators_removed,
            });
        }
    }
    out
}

fn groups(a: &[Group], b: &[Group], out: &mut FrameworkDiff) {
    let old = by_id(a, |g| g.id.as_str());
    let new = by_id(b, |g| g.id.as_str());
    for g in b {
        match old.get(g.id.as_str()) {
            None => out.groups_added.push(g.id.clone()),
            Some(previous) if *previous != g => out.groups_changed.push(g.id.clone()),
            Some(_) => {}
        }
    }
    for g in a {
        if !new.contains_key(g.id.as_str()) {
            out.groups_removed.push(g.id.clone());
        }
    }
}

fn profiles(a: &Framework, b: &Framework, out: &mut FrameworkDiff) {
    let old = by_id(&a.role_profiles, |p| p.id.as_str());
    let new = by_id(&b.role_profiles, |p| p.id.as_str());
    for p in &b.role_profiles {
        let Some(previous) = old.get(p.id.as_str()) else {
            out.role_profiles_added.push(p.id.clone());
            continue;
        };
        if previous.title != p.title
            || previous.job_family != p.job_family
            || previous.grade != p.grade
            || previous.level != p.level
            || previous.description != p.description
        {
            out.role_profiles_changed.push(p.id.clone());
        }
        targets(&p.id, &previous.targets, &p.targets, &mut out.targets);
    }
    for p in &a.role_profiles {
        if !new.contains_key(p.id.as_str()) {
            out.role_profiles_removed.push(p.id.clone());
        }
    }
}

fn targets(profile: &str, a: &[Target], b: &[Target], out: &mut Vec<TargetChange>) {
    let old = by_id(a, |t| t.competency.as_str());
    let new = by_id(b, |t| t.competency.as_str());
    for t in b {
        match old.get(t.competency.as_str()) {
            None => out.push(TargetChange {
                profile: profile.to_string(),
                competency: t.competency.clone(),
                change: ChangeKind::Added,
                level_before: None,
                level_after: Some(t.level),
                weight_before: None,
                weight_after: t.weight,
            }),
            Some(previous) if previous.level != t.level || previous.weight != t.weight => {
                out.push(TargetChange {
                    profile: profile.to_string(),
                    competency: t.competency.clone(),
                    change: ChangeKind::Changed,
                    level_before: Some(previous.level),
                    level_after: Some(t.level),
                    weight_before: previous.weight,
                    weight_after: t.weight,
                });
            }
            Some(_) => {}
        }
    }
    for t in a {
        if !new.contains_key(t.competency.as_str()) {
            out.push(TargetChange {
                profile: profile.to_string(),
                competency: t.competency.clone(),
                change: ChangeKind::Removed,
                level_before: Some(t.level),
                level_after: None,
                weight_before: t.weight,
                weight_after: None,
            });
        }
    }
}

fn relations(a: &[Relation], b: &[Relation], out: &mut FrameworkDiff) {
    let key = |r: &Relation| (r.from.clone(), r.to.clone(), r.kind.clone(), r.external);
    let old: BTreeSet<_> = a.iter().map(key).collect();
    let new: BTreeSet<_> = b.iter().map(key).collect();
    out.relations_added = b
        .iter()
        .filter(|r| !old.contains(&key(r)))
        .cloned()
        .collect();
    out.relations_removed = a
        .iter()
        .filter(|r| !new.contains(&key(r)))
        .cloned()
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::CompetencyKind;
    use crate::framework::{RelationType, RoleProfile};
    use crate::scale::{ProficiencyLevel, ProficiencyScale};

    fn scale() -> ProficiencyScale {
        ProficiencyScale {
            id: "s".into(),
            name: "Scale".into(),
            source: None,
            levels: (1..=3)
                .map(|n| ProficiencyLevel {
                    level: n,
                    name: format!("L{n}"),
                    description: format!("level {n}"),
                })
                .collect(),
        }
    }

    fn base() -> Framework {
        let mut f = Framework::new("f", "Framework", scale());
        let mut a = FrameworkCompetency::new("a", "Alpha", CompetencyKind::General);
        a.definition = Some("Does alpha.".into());
        a.levels = vec![LevelContent {
            level: 1,
            description: Some("Starts".into()),
            indicators: vec!["Lists alphas".into(), "Names alphas".into()],
            draft: false,
        }];
        let b = FrameworkCompetency::new("b", "Beta", CompetencyKind::Technical);
        f.competencies = vec![a, b];
        f.role_profiles = vec![RoleProfile {
            id: "p".into(),
            title: "Profile".into(),
            job_family: None,
            grade: None,
            level: None,
            description: None,
            targets: vec![Target {
                details: None,
                competency: "a".into(),
                level: 2,
                weight: None,
                note: None,
            }],
        }];
        f
    }

    #[test]
    fn identical_frameworks_have_no_differences_even_when_reordered() {
        let a = base();
        let mut b = base();
        b.competencies.reverse();
        b.competencies[1].levels[0].indicators.reverse();
        assert!(diff(&a, &b).is_empty());
    }

    #[test]
    fn every_kind_of_change_is_reported() {
        let a = base();
        let mut b = base();
        b.title = "Renamed".into();
        b.competencies.retain(|c| c.id != "b");
        b.competencies.push(FrameworkCompetency::new(
            "c",
            "Gamma",
            CompetencyKind::Skill,
        ));
        b.competencies[0].definition = Some("Does alpha well.".into());
        b.competencies[0].levels[0].indicators = vec!["Lists alphas".into(), "Sorts alphas".into()];
        b.competencies[0].levels.push(LevelContent {
            level: 2,
            description: Some("Leads".into()),
            indicators: vec![],
            draft: false,
        });
        b.role_profiles[0].targets[0].level = 3;
        b.role_profiles[0].targets.push(Target {
            details: None,
            competency: "c".into(),
            level: 1,
            weight: Some(0.5),
            note: None,
        });
        b.relations.push(Relation {
            from: "a".into(),
            to: "c".into(),
            kind: RelationType::Prerequisite,
            external: false,
            note: None,
        });

        let d = diff(&a, &b);
        assert_eq!(d.fields.len(), 1);
        assert_eq!(d.fields[0].field, "title");
        assert_eq!(d.fields[0].before, Value::from("Framework"));
        assert_eq!(d.competencies_added[0].id, "c");
        assert_eq!(d.competencies_removed[0].id, "b");
        let alpha = &d.competencies_changed[0];
        assert_eq!(alpha.id, "a");
        assert_eq!(alpha.fields[0].field, "definition");
        assert_eq!(alpha.levels.len(), 2);
        assert_eq!(alpha.levels[0].change, ChangeKind::Changed);
        assert_eq!(alpha.levels[0].indicators_added, vec!["Sorts alphas"]);
        assert_eq!(alpha.levels[0].indicators_removed, vec!["Names alphas"]);
        assert!(alpha.levels[0].description.is_none());
        assert_eq!(alpha.levels[1].change, ChangeKind::Added);
        assert_eq!(d.targets.len(), 2);
        assert_eq!(d.targets[0].change, ChangeKind::Changed);
        assert_eq!(
            (d.targets[0].level_before, d.targets[0].level_after),
            (Some(2), Some(3))
        );
        assert_eq!(d.targets[1].change, ChangeKind::Added);
        assert_eq!(d.relations_added.len(), 1);
        assert!(d.relations_removed.is_empty());

        // The reverse comparison mirrors it.
        let back = diff(&b, &a);
        assert_eq!(back.competencies_added[0].id, "b");
        assert_eq!(back.competencies_removed[0].id, "c");
        assert_eq!(back.relations_removed.len(), 1);
        assert_eq!(
            back.competencies_changed[0].levels[1].change,
            ChangeKind::Removed
        );
    }

    #[test]
    fn removed_role_profile_and_changed_group_are_reported() {
        let mut a = base();
        a.groups = vec![Group {
            id: "core".into(),
            name: "Core".into(),
            description: None,
            parent: None,
        }];
        let mut b = a.clone();
        b.groups[0].name = "Core competencies".into();
        b.role_profiles.clear();
        let d = diff(&a, &b);
        assert_eq!(d.groups_changed, vec!["core"]);
        assert_eq!(d.role_profiles_removed, vec!["p"]);
        assert!(d.targets.is_empty());
    }
}
