//! Edits to a framework document by JSON pointer: the engine behind the web editor, and what
//! an API `PATCH` can call. An edit names editable fields by pointer
//! (`/competencies/2/levels/0/indicators`) with the text a person typed, plus the structural
//! requests (remove competencies or groups, add a group). [`apply`] writes them into a copy of
//! the framework's document, reads it back and validates it, and names every wrong field.
//!
//! Pure: values in, values out. Only the pointers of [`field_kind`] may be set, so an edit
//! cannot reach ids, versions, provenance or anything a front door does not offer.

use serde_json::Value;

use crate::{Framework, Status, slug, validate};

/// What an editable field holds, which decides how its text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Text that must be there.
    Text,
    /// Text that may be left empty (then the field is absent).
    OptionalText,
    /// A list of texts, one per line (empty lines dropped).
    Lines,
    /// A proficiency level number.
    Level,
    /// An importance weight 0 … 1, may be empty.
    Weight,
    /// The status: draft, in review or retired (publishing is a step of its own).
    Status,
}

impl FieldKind {
    /// A short name for the kind (`text`, `opt`, `lines`, `int`, `num`), as a browser script
    /// that mirrors the editor knows it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::OptionalText => "opt",
            FieldKind::Lines => "lines",
            FieldKind::Level => "int",
            FieldKind::Weight => "num",
            FieldKind::Status => "text",
        }
    }
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.len() < 6 && segment.bytes().all(|b| b.is_ascii_digit())
}

/// Which fields an edit may set, by JSON pointer; anything else is refused.
pub fn field_kind(pointer: &str) -> Option<FieldKind> {
    let rest = pointer.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let kind = match segments.as_slice() {
        ["title"] => FieldKind::Text,
        ["status"] => FieldKind::Status,
        ["description"] => FieldKind::OptionalText,
        ["competencies", i, "name"] if is_index(i) => FieldKind::Text,
        ["competencies", i, "definition" | "group"] if is_index(i) => FieldKind::OptionalText,
        ["competencies", i, "levels", j, "description"] if is_index(i) && is_index(j) => {
            FieldKind::OptionalText
        }
        ["competencies", i, "levels", j, "indicators"] if is_index(i) && is_index(j) => {
            FieldKind::Lines
        }
        ["groups", i, "name"] if is_index(i) => FieldKind::Text,
        ["groups", i, "description"] if is_index(i) => FieldKind::OptionalText,
        ["role_profiles", i, "targets", j, "level"] if is_index(i) && is_index(j) => {
            FieldKind::Level
        }
        ["role_profiles", i, "targets", j, "weight"] if is_index(i) && is_index(j) => {
            FieldKind::Weight
        }
        _ => return None,
    };
    Some(kind)
}

/// An edit: field values by pointer, then the structural requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edits {
    /// `(pointer, text)` in the order given; every pointer must be one of [`field_kind`].
    pub fields: Vec<(String, String)>,
    /// Ids of competencies to remove, with the targets and relations that name them.
    pub remove_competencies: Vec<String>,
    /// Ids of groups to remove (their competencies and subgroups keep no group or parent).
    pub remove_groups: Vec<String>,
    /// The name of a group to add, as typed (blank: none).
    pub new_group: Option<String>,
}

impl Edits {
    /// Reads an edit from form pairs: names starting with `/` are fields, `remove_competency`
    /// and `remove_group` (repeatable) name removals, the first `new_group_name` names a new
    /// group; everything else (CSRF token, revision, message) is not the engine's business.
    pub fn from_pairs(pairs: &[(String, String)]) -> Edits {
        let all = |key: &str| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .collect()
        };
        Edits {
            fields: pairs
                .iter()
                .filter(|(k, _)| k.starts_with('/'))
                .cloned()
                .collect(),
            remove_competencies: all("remove_competency"),
            remove_groups: all("remove_group"),
            new_group: pairs
                .iter()
                .find(|(k, _)| k == "new_group_name")
                .map(|(_, v)| v.clone()),
        }
    }
}

/// One wrong field of an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    /// The field's JSON pointer as given (`""` for the whole document, `new_group_name` for
    /// the new group).
    pub pointer: String,
    /// What is wrong, for people.
    pub detail: String,
    /// Stable code of the rule broken (`not-editable`, `weight-range`, a validation code…).
    pub code: &'static str,
}

fn edit_error(pointer: &str, detail: impl Into<String>, code: &'static str) -> EditError {
    EditError {
        pointer: pointer.to_string(),
        detail: detail.into(),
        code,
    }
}

/// The result of applying an edit to a framework document.
#[derive(Debug)]
pub struct Applied {
    /// The edited framework, when the document still reads as one.
    pub framework: Option<Framework>,
    /// The edited document.
    pub document: Value,
    /// The document with the edit's field values but no competency or group removed or added,
    /// so that its indices are those of the edit's pointers (for showing a form again).
    pub form_document: Value,
    /// What is wrong, by field; empty when the edited framework is valid.
    pub errors: Vec<EditError>,
}

fn split_pointer(pointer: &str) -> Option<(&str, &str)> {
    let at = pointer.rfind('/')?;
    Some((&pointer[..at], &pointer[at + 1..]))
}

/// Applies `edits` to `base` (the revision the edit was made on): first every field, then
/// competency and group removals, then the new group; the result is read back and validated.
/// A published framework's edit is a draft again (publishing is a separate step).
pub fn apply(base: &Framework, edits: &Edits) -> Applied {
    let mut errors = Vec::new();
    let mut document = serde_json::to_value(base).unwrap_or(Value::Null);
    for (name, value) in &edits.fields {
        let new_value = match read_field(name, value) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some((parent, key)) = split_pointer(name) else {
            continue;
        };
        match document.pointer_mut(parent).and_then(Value::as_object_mut) {
            Some(object) => match new_value {
                Some(v) => {
                    object.insert(key.to_string(), v);
                }
                None => {
                    object.remove(key);
                }
            },
            None => errors.push(edit_error(
                name,
                "this field is not in the revision the form was loaded from; reload the editor",
                "stale-field",
            )),
        }
    }
    reviewed_levels(base, &mut document);
    let form_document = document.clone();
    if !edits.remove_competencies.is_empty() {
        remove_competencies(&mut document, &edits.remove_competencies);
    }
    if !edits.remove_groups.is_empty() {
        remove_groups(&mut document, &edits.remove_groups);
    }
    if let Some(name) = edits
        .new_group
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        add_group(&mut document, name, &mut errors);
    }
    let framework = match serde_json::from_value::<Framework>(document.clone()) {
        Ok(mut framework) => {
            if framework.status == Status::Published {
                framework.status = Status::Draft;
            }
            for problem in validate::problems(&framework) {
                errors.push(EditError {
                    pointer: problem.path.json_pointer(),
                    detail: problem.message,
                    code: problem.code,
                });
            }
            Some(framework)
        }
        Err(e) => {
            errors.push(edit_error(
                "",
                format!("the edited framework cannot be read: {e}"),
                "unreadable",
            ));
            None
        }
    };
    Applied {
        framework,
        document,
        form_document,
        errors,
    }
}

/// The JSON value a field's text stands for (`None`: the field is removed), or why the text
/// cannot be used there.
fn read_field(name: &str, value: &str) -> Result<Option<Value>, EditError> {
    let Some(kind) = field_kind(name) else {
        return Err(edit_error(
            name,
            "the editor cannot change this field",
            "not-editable",
        ));
    };
    let text = value.trim();
    let read = match kind {
        FieldKind::Text => Some(Value::String(text.to_string())),
        FieldKind::OptionalText => (!text.is_empty()).then(|| Value::String(text.to_string())),
        FieldKind::Lines => Some(Value::Array(
            value
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_string()))
                .collect(),
        )),
        FieldKind::Status => match text {
            s @ ("draft" | "in_review" | "retired") => Some(Value::from(s)),
            other => {
                return Err(edit_error(
                    name,
                    format!(
                        "“{other}” is not a status the editor sets: draft, in review or retired (publish from the history page)"
                    ),
                    "status",
                ));
            }
        },
        FieldKind::Level => match text.parse::<u8>() {
            Ok(level) => Some(Value::from(level)),
            Err(_) => {
                return Err(edit_error(
                    name,
                    format!("“{text}” is not a level number"),
                    "level-number",
                ));
            }
        },
        FieldKind::Weight => {
            let number = text.replace(',', ".");
            if number.is_empty() {
                None
            } else {
                match number.parse::<f64>() {
                    Ok(w) if w.is_finite() && (0.0..=1.0).contains(&w) => Some(Value::from(w)),
                    _ => {
                        return Err(edit_error(
                            name,
                            format!(
                                "a weight is a number from 0 to 1, such as 0.5; “{text}” is not"
                            ),
                            "weight-range",
                        ));
                    }
                }
            }
        }
    };
    Ok(read)
}

/// A level whose text a person changed is no longer a template draft: its `draft` mark goes.
fn reviewed_levels(base: &Framework, document: &mut Value) {
    let Some(competencies) = document
        .get_mut("competencies")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for (c, edited) in base.competencies.iter().zip(competencies.iter_mut()) {
        let Some(levels) = edited.get_mut("levels").and_then(Value::as_array_mut) else {
            continue;
        };
        for (before, after) in c.levels.iter().zip(levels.iter_mut()) {
            if !before.draft {
                continue;
            }
            let Some(object) = after.as_object_mut() else {
                continue;
            };
            let text = |v: Option<&Value>| v.cloned().unwrap_or(Value::Null);
            let description = before
                .description
                .as_ref()
                .map_or(Value::Null, |d| Value::String(d.clone()));
            let indicators = serde_json::to_value(&before.indicators).unwrap_or(Value::Null);
            if text(object.get("description")) != description
                || text(object.get("indicators")) != indicators
            {
                object.remove("draft");
            }
        }
    }
}

fn is_named(removed: &[String], id: &str) -> bool {
    removed.iter().any(|r| r == id)
}

/// Removes competencies by id, with the targets and relations that name them.
fn remove_competencies(document: &mut Value, removed: &[String]) {
    let named = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .is_some_and(|id| is_named(removed, id))
    };
    if let Some(list) = document
        .get_mut("competencies")
        .and_then(Value::as_array_mut)
    {
        list.retain(|c| !named(c, "id"));
    }
    if let Some(profiles) = document
        .get_mut("role_profiles")
        .and_then(Value::as_array_mut)
    {
        for p in profiles.iter_mut() {
            if let Some(targets) = p.get_mut("targets").and_then(Value::as_array_mut) {
                targets.retain(|t| !named(t, "competency"));
            }
        }
    }
    if let Some(relations) = document.get_mut("relations").and_then(Value::as_array_mut) {
        relations.retain(|r| !named(r, "from") && !named(r, "to"));
    }
}

/// Removes groups by id; subgroups lose their parent and competencies their group.
fn remove_groups(document: &mut Value, removed: &[String]) {
    if let Some(groups) = document.get_mut("groups").and_then(Value::as_array_mut) {
        groups.retain(|g| {
            g.get("id")
                .and_then(Value::as_str)
                .is_none_or(|id| !is_named(removed, id))
        });
        for g in groups.iter_mut() {
            if let Some(object) = g.as_object_mut()
                && object
                    .get("parent")
                    .and_then(Value::as_str)
                    .is_some_and(|p| is_named(removed, p))
            {
                object.remove("parent");
            }
        }
    }
    if let Some(competencies) = document
        .get_mut("competencies")
        .and_then(Value::as_array_mut)
    {
        for c in competencies.iter_mut() {
            if let Some(object) = c.as_object_mut()
                && object
                    .get("group")
                    .and_then(Value::as_str)
                    .is_some_and(|g| is_named(removed, g))
            {
                object.remove("group");
            }
        }
    }
}

/// Adds a group named `name` with an id made from it (`-2`, `-3`… when taken).
fn add_group(document: &mut Value, name: &str, errors: &mut Vec<EditError>) {
    let base = slug::slugify(name);
    if base.is_empty() {
        errors.push(edit_error(
            "new_group_name",
            "a group name needs at least one letter or digit",
            "group-name",
        ));
        return;
    }
    let Some(object) = document.as_object_mut() else {
        return;
    };
    let groups = object
        .entry("groups")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(groups) = groups.as_array_mut() else {
        return;
    };
    let taken = |id: &str| {
        groups
            .iter()
            .any(|g| g.get("id").and_then(Value::as_str) == Some(id))
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    groups.push(serde_json::json!({ "id": id, "name": name }));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_editable_fields_are_accepted() {
        assert_eq!(field_kind("/title"), Some(FieldKind::Text));
        assert_eq!(
            field_kind("/competencies/3/levels/0/indicators"),
            Some(FieldKind::Lines)
        );
        assert_eq!(
            field_kind("/role_profiles/0/targets/12/weight"),
            Some(FieldKind::Weight)
        );
        assert_eq!(field_kind("/status"), Some(FieldKind::Status));
        assert_eq!(field_kind("/version"), None);
        assert_eq!(field_kind("/competencies/x/name"), None);
        assert_eq!(field_kind("/competencies/1/id"), None);
        assert_eq!(field_kind("title"), None);
    }

    fn sample() -> Framework {
        serde_json::from_value(serde_json::json!({
            "format": "framewright/1",
            "id": "sample",
            "title": "Sample",
            "version": "1.0.0",
            "status": "published",
            "scale": { "id": "s", "name": "S", "levels": [
                { "level": 1, "name": "One", "description": "Does simple things with guidance." },
                { "level": 2, "name": "Two", "description": "Does routine things alone." }
            ] },
            "groups": [
                { "id": "core", "name": "Core" },
                { "id": "sub", "name": "Sub", "parent": "core" }
            ],
            "competencies": [
                { "id": "a", "name": "A", "kind": "general", "group": "core", "definition": "Does A.",
                  "levels": [
                    { "level": 1, "indicators": ["Lists the steps"], "draft": true },
                    { "level": 2, "indicators": ["Plans the steps"], "draft": true }
                  ] }
            ],
            "role_profiles": [ { "id": "r", "title": "R", "targets": [ { "competency": "a", "level": 1, "weight": 0.5 } ] } ]
        }))
        .unwrap()
    }

    fn form(items: &[(&str, &str)]) -> Edits {
        let pairs: Vec<(String, String)> = items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Edits::from_pairs(&pairs)
    }

    #[test]
    fn form_pairs_read_as_an_edit() {
        let edits = form(&[
            ("csrf_token", "ignored"),
            ("/title", "T"),
            ("remove_group", "a"),
            ("remove_group", "b"),
            ("new_group_name", " New "),
            ("new_group_name", "Second"),
        ]);
        assert_eq!(edits.fields, [("/title".to_string(), "T".to_string())]);
        assert_eq!(edits.remove_groups, ["a", "b"]);
        assert!(edits.remove_competencies.is_empty());
        assert_eq!(edits.new_group.as_deref(), Some(" New "));
    }

    #[test]
    fn an_edit_applies_to_the_document() {
        let applied = apply(
            &sample(),
            &form(&[
                ("csrf_token", "ignored"),
                ("/description", "  "),
                ("/competencies/0/definition", ""),
                (
                    "/competencies/0/levels/0/indicators",
                    " Lists the steps \r\n\r\nNames each step\n",
                ),
                ("/role_profiles/0/targets/0/level", "2"),
                ("/role_profiles/0/targets/0/weight", "0,25"),
                ("remove_group", "core"),
                ("remove_competency", "nobody"),
                ("new_group_name", "Core"),
            ]),
        );
        assert!(applied.errors.is_empty(), "{:?}", applied.errors);
        let f = applied.framework.unwrap();
        assert_eq!(f.status, Status::Draft, "an edit of a release is a draft");
        let a = &f.competencies[0];
        assert_eq!(a.definition, None);
        assert_eq!(
            a.levels[0].indicators,
            ["Lists the steps", "Names each step"]
        );
        assert!(!a.levels[0].draft, "edited by a person");
        assert!(a.levels[1].draft, "untouched");
        assert_eq!(a.group, None, "its group was removed");
        assert_eq!(f.groups.len(), 2);
        assert_eq!(f.groups[0].parent, None);
        assert_eq!(f.groups[1].id, "core", "the new group takes the free id");
        assert_eq!(f.role_profiles[0].targets[0].level, 2);
        assert_eq!(f.role_profiles[0].targets[0].weight, Some(0.25));
        // The form document keeps the structure the pointers were made on.
        assert_eq!(applied.form_document["groups"].as_array().unwrap().len(), 2);
        assert_eq!(applied.form_document["groups"][0]["id"], "core");
    }

    #[test]
    fn a_removed_competency_takes_its_targets_along() {
        let applied = apply(
            &sample(),
            &form(&[
                ("/competencies/0/definition", "Does A well."),
                ("remove_competency", "a"),
            ]),
        );
        let f = applied.framework.unwrap();
        assert!(f.competencies.is_empty());
        assert!(f.role_profiles[0].targets.is_empty());
    }

    #[test]
    fn wrong_fields_are_named() {
        let applied = apply(
            &sample(),
            &form(&[
                ("/status", "published"),
                ("/role_profiles/0/targets/0/weight", "2"),
                ("/role_profiles/0/targets/0/level", "x"),
                ("/competencies/5/name", "Ghost"),
                ("/title", ""),
                ("/version", "9.9.9"),
                ("new_group_name", " !! "),
            ]),
        );
        let code = |pointer: &str| {
            applied
                .errors
                .iter()
                .find(|e| e.pointer == pointer)
                .map(|e| e.code)
        };
        assert_eq!(code("/status"), Some("status"));
        assert_eq!(
            code("/role_profiles/0/targets/0/weight"),
            Some("weight-range")
        );
        assert_eq!(
            code("/role_profiles/0/targets/0/level"),
            Some("level-number")
        );
        assert_eq!(code("/competencies/5/name"), Some("stale-field"));
        assert_eq!(code("/version"), Some("not-editable"));
        assert_eq!(code("new_group_name"), Some("group-name"));
        assert!(code("/title").is_some(), "{:?}", applied.errors);
    }

    #[test]
    fn a_new_group_gets_a_free_id() {
        let applied = apply(&sample(), &form(&[("new_group_name", "Sub")]));
        let f = applied.framework.unwrap();
        assert_eq!(f.groups[2].id, "sub-2");
        assert_eq!(f.groups[2].name, "Sub");
    }
}
