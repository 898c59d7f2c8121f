//! Generating a draft framework for a role, once for every front door: the generator's built-in
//! kit (the OPM catalogue, curated content, scale, templates, grade mapping, selection priors,
//! lint vocabulary and search ranker) is loaded once into a [`Kit`], and [`Kit::generate`]
//! runs the generator with it — with the user's own catalogues, reference roles, grade mapping
//! or ranker where a front door offers them (the CLI does; the server uses the built-ins).
//!
//! The kit holds the built-in O*NET occupations as evidence (the closest occupations are named
//! in the provenance); their importance ratings count only once installed
//! ([`Kit::set_onet_ratings`]). `--exclude-reference` ids are checked here
//! ([`check_reference_exclusions`]) for every front door.

use framewright_generate::{
    ContentLibrary, GenerateError, Generated, Inputs, OnetInput, OnetRatings, OnetReference,
    Options, Ranker, SearchRanker, SelectionSettings, TargetMapping, Templates,
};
use framewright_model::lint::Vocabulary;
use framewright_model::{Catalogue, ProficiencyScale, ReferenceRole, Role};

use framewright_interop::catalogue::onet_ratings;

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
    /// The O*NET occupations and crosswalk, parsed at start; their search index is built on
    /// the first draft (about a second in a debug build), so that front doors that never
    /// generate do not pay for it.
    onet_occupations: Vec<framewright_catalog::onet::Occupation>,
    onet_crosswalk: framewright_catalog::onet::Crosswalk,
    onet_ratings: Option<OnetRatings>,
    onet: std::sync::OnceLock<OnetReference>,
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
    /// Reference roles to leave out, by id: lines of `reference_roles`, reference roles of the
    /// catalogues, or built-in O*NET occupations (`onet:15-1221.00`). Unknown ids are refused.
    pub exclude_reference: &'a [String],
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
            onet_occupations: framewright_catalog::onet::occupations().map_err(|e| err(&e))?,
            onet_crosswalk: framewright_catalog::onet::opm_onet_crosswalk().map_err(|e| err(&e))?,
            onet_ratings: None,
            onet: std::sync::OnceLock::new(),
        })
    }

    /// The O*NET evidence source, built on first use.
    fn onet(&self) -> Result<&OnetReference, AppError> {
        if let Some(built) = self.onet.get() {
            return Ok(built);
        }
        let built = OnetReference::new(
            &self.onet_occupations,
            self.onet_crosswalk.clone(),
            self.onet_ratings.clone(),
        )
        .map_err(|e| AppError::Conflict(format!("the built-in O*NET data cannot be used: {e}")))?;
        Ok(self.onet.get_or_init(|| built))
    }

    /// Uses these O*NET importance ratings (installed by the user) as evidence from now on.
    pub fn set_onet_ratings(&mut self, ratings: Option<OnetRatings>) {
        if let Some(built) = self.onet.get_mut() {
            built.set_ratings(ratings.clone());
        }
        self.onet_ratings = ratings;
    }

    /// Uses the O*NET importance ratings installed in `data_dir` (by [`install_onet_ratings`]),
    /// if there are any; answers whether there were.
    pub fn use_installed_onet_ratings(
        &mut self,
        data_dir: &std::path::Path,
    ) -> Result<bool, framewright_interop::catalogue::ImportError> {
        let ratings = onet_ratings::installed(data_dir)?;
        let found = ratings.is_some();
        self.set_onet_ratings(ratings);
        Ok(found)
    }

    /// Whether O*NET importance ratings are in use.
    pub fn has_onet_ratings(&self) -> bool {
        self.onet_ratings.is_some()
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
        let catalogues = choices.catalogues.unwrap_or(&self.catalogues);
        let exclude = choices.exclude_reference;
        let mut reference_roles = choices.reference_roles.to_vec();
        let mut filtered: Vec<Catalogue> = Vec::new();
        if !exclude.is_empty() {
            let known = reference_roles
                .iter()
                .chain(catalogues.iter().flat_map(|c| &c.reference_roles))
                .map(|r| r.id.as_str());
            let onet_ids: Vec<String> = self
                .onet_occupations
                .iter()
                .map(framewright_catalog::onet::Occupation::reference_id)
                .collect();
            let known = known.chain(onet_ids.iter().map(String::as_str));
            check_reference_exclusions(exclude, known)?;
            reference_roles.retain(|r| !exclude.contains(&r.id));
            filtered = catalogues.to_vec();
            for c in &mut filtered {
                c.reference_roles.retain(|r| !exclude.contains(&r.id));
            }
        }
        let inputs = Inputs {
            catalogues: if exclude.is_empty() {
                catalogues
            } else {
                &filtered
            },
            libraries: &self.libraries,
            reference_roles: &reference_roles,
            scale: &self.scale,
            templates: &self.templates,
            mapping: choices.mapping.unwrap_or(&self.mapping),
            selection: &self.selection,
            vocabulary: &self.vocabulary,
            ranker: choices.ranker.unwrap_or(&self.ranker),
            onet: Some(OnetInput {
                reference: self.onet()?,
                exclude,
            }),
        };
        framewright_generate::generate(role, &inputs, &choices.options).map_err(role_error)
    }
}

/// Reads the importance ratings of an O*NET text release (folder or zip) and keeps them in
/// `data_dir`, replacing earlier ones; nothing is written unless the whole release reads.
pub fn install_onet_ratings(
    release_path: &std::path::Path,
    release: Option<String>,
    data_dir: &std::path::Path,
    progress: &mut dyn framewright_interop::catalogue::Progress,
) -> Result<
    (onet_ratings::RatingsRead, std::path::PathBuf),
    framewright_interop::catalogue::ImportError,
> {
    let read = onet_ratings::read_release(release_path, release, progress)?;
    let stored = onet_ratings::store(data_dir, &read.ratings)?;
    Ok((read, stored))
}

/// Refuses `exclude` ids that name no reference role in `known`, with the closest id as a
/// suggestion ("did you mean …?"). The one check of `--exclude-reference` for every command.
pub fn check_reference_exclusions<'a>(
    exclude: &[String],
    known: impl IntoIterator<Item = &'a str>,
) -> Result<(), AppError> {
    let known: Vec<&str> = known.into_iter().collect();
    let mut issues = Vec::new();
    for (i, id) in exclude.iter().enumerate() {
        if known.contains(&id.as_str()) {
            continue;
        }
        let hint = known
            .iter()
            .map(|k| (framewright_model::text::edit_distance(id, k), *k))
            .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2))
            .min()
            .map_or(String::new(), |(_, k)| format!("; did you mean `{k}`?"));
        issues.push(FieldIssue::new(
            format!("/exclude_reference/{i}"),
            format!("no reference role has the id `{id}`{hint}"),
        ));
    }
    if issues.is_empty() {
        return Ok(());
    }
    Err(AppError::Invalid {
        detail: format!(
            "--exclude-reference names unknown reference roles: {}",
            issues
                .iter()
                .map(|i| i.detail.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        issues,
    })
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
    fn excluded_reference_roles_must_exist_and_a_close_id_is_suggested() {
        let kit = Kit::builtin().unwrap();
        let role = Role {
            title: "Data Scientist".into(),
            ..Default::default()
        };
        let exclude = vec!["onet:15-2051.00".to_string()];
        let choices = Choices {
            exclude_reference: &exclude,
            ..Choices::default()
        };
        let generated = kit.generate(&role, &choices).unwrap();
        let onet = generated.onet.unwrap();
        assert!(!onet.closest.is_empty());
        assert!(onet.closest.iter().all(|c| c.id != "onet:15-2051.00"));

        let typo = vec!["onet:15-2051.0".to_string()];
        let choices = Choices {
            exclude_reference: &typo,
            ..Choices::default()
        };
        let AppError::Invalid { issues, .. } = kit.generate(&role, &choices).unwrap_err() else {
            panic!("not invalid input");
        };
        assert_eq!(issues[0].pointer, "/exclude_reference/0");
        assert!(
            issues[0].detail.contains("did you mean `onet:15-2051.00`?"),
            "{}",
            issues[0].detail
        );
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
