//! Generating a draft framework for a role, once for every front door: the generator's built-in
//! kit (the OPM catalogue, curated content, scale, templates, grade mapping, selection priors,
//! lint vocabulary and search ranker) is loaded once into a [`Kit`], and [`Kit::generate`]
//! runs the generator with it — with the user's own catalogues, reference roles, grade mapping
//! or ranker where a front door offers them (the CLI does; the server uses the built-ins).

use framewright_generate::{
    ContentLibrary, GenerateError, Generated, Inputs, Options, Ranker, SearchRanker,
    SelectionSettings, TargetMapping, Templates,
};
use framewright_model::lint::Vocabulary;
use framewright_model::{Catalogue, ProficiencyScale, ReferenceRole, Role};

use crate::error::{AppError, FieldIssue};

/// What the generator works from, loaded once (at the server's start, or per CLI run).
pub struct Kit {
    catalogues: Vec<Catalogue>,
    libraries: Vec<ContentLibrary>,
    scale: ProficiencyScale,
    templates: Templates,
    mapping: TargetMapping,
    selection: SelectionSettings,
    vocabulary: Vocabulary,
    ranker: SearchRanker,
}

impl std::fmt::Debug for Kit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kit")
            .field("catalogues", &self.catalogues.len())
            .finish_non_exhaustive()
    }
}

/// Why the generator's built-in data could not be loaded (a defect of the build).
#[derive(Debug, thiserror::Error)]
#[error("the generator's built-in data could not be loaded: {0}")]
pub struct KitError(pub String);

/// What a front door may put in place of the built-ins for one draft.
#[derive(Default)]
pub struct Choices<'a> {
    /// The catalogues to choose from (default: the built-in OPM catalogue).
    pub catalogues: Option<&'a [Catalogue]>,
    /// Reference roles (default: none beyond each catalogue's own).
    pub reference_roles: &'a [ReferenceRole],
    /// The grade → level mapping (default: the built-in one).
    pub mapping: Option<&'a TargetMapping>,
    /// The suggestion engine (default: the built-in search ranker).
    pub ranker: Option<&'a dyn Ranker>,
    /// Time stamps of the draft.
    pub options: Options,
}

impl Kit {
    /// The built-in catalogue, content, templates and settings.
    pub fn builtin() -> Result<Kit, KitError> {
        let err = |e: &dyn std::fmt::Display| KitError(e.to_string());
        Ok(Kit {
            catalogues: vec![
                framewright_catalog::opm_ai_2024()
                    .map_err(|e| err(&e))?
                    .catalogue,
            ],
            libraries: vec![ContentLibrary::opm_builtin().map_err(|e| err(&e))?],
            scale: framewright_catalog::opm_five_level().map_err(|e| err(&e))?,
            templates: Templates::builtin().map_err(|e| err(&e))?,
            mapping: TargetMapping::builtin().map_err(|e| err(&e))?,
            selection: SelectionSettings::builtin().map_err(|e| err(&e))?,
            vocabulary: framewright_catalog::builtin_vocabulary().map_err(|e| err(&e))?,
            ranker: SearchRanker::builtin().map_err(|e| err(&e))?,
        })
    }

    /// The built-in catalogues the generator chooses from.
    pub fn catalogues(&self) -> &[Catalogue] {
        &self.catalogues
    }

    /// The lint vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The selection settings (counts, priors, the weight of embeddings).
    pub fn selection(&self) -> &SelectionSettings {
        &self.selection
    }

    /// The built-in search ranker (a semantic ranker wraps it).
    pub fn search(&self) -> &SearchRanker {
        &self.ranker
    }

    /// A draft framework for `role`, with the generator's notices and lint findings. A role
    /// that cannot be used is invalid input naming the role's field (`/title`, `/level`, …).
    pub fn generate(&self, role: &Role, choices: &Choices<'_>) -> Result<Generated, AppError> {
        let inputs = Inputs {
            catalogues: choices.catalogues.unwrap_or(&self.catalogues),
            libraries: &self.libraries,
            reference_roles: choices.reference_roles,
            scale: &self.scale,
            templates: &self.templates,
            mapping: choices.mapping.unwrap_or(&self.mapping),
            selection: &self.selection,
            vocabulary: &self.vocabulary,
            ranker: choices.ranker.unwrap_or(&self.ranker),
        };
        framewright_generate::generate(role, &inputs, &choices.options).map_err(role_error)
    }
}

/// A generator error as invalid input naming the role's field, where there is one.
fn role_error(e: GenerateError) -> AppError {
    use GenerateError as E;
    let field = match &e {
        E::EmptyTitle => Some("/title"),
        E::CountOutOfRange(_) => Some("/target_count"),
        E::LevelOutOfRange(_) | E::GradeAndLevel => Some("/level"),
        E::IncludedAndExcluded(_) => Some("/exclude"),
        _ => None,
    };
    AppError::Invalid {
        detail: format!("the framework could not be generated: {e}"),
        issues: field
            .map(|pointer| FieldIssue::new(pointer, e.to_string()))
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_role_without_a_title_names_the_field() {
        let kit = Kit::builtin().unwrap();
        let err = kit
            .generate(&Role::default(), &Choices::default())
            .unwrap_err();
        let AppError::Invalid { issues, .. } = err else {
            panic!("not invalid input");
        };
        assert_eq!(issues[0].pointer, "/title");
    }

    #[test]
    fn the_built_in_kit_drafts_a_framework() {
        let kit = Kit::builtin().unwrap();
        let role = Role {
            title: "Data Scientist".into(),
            ..Default::default()
        };
        let generated = kit.generate(&role, &Choices::default()).unwrap();
        assert!(!generated.framework.competencies.is_empty());
    }
}
