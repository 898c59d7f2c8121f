//! Every statistics operation once (`framewright stats <analysis>` and `POST
//! /api/v1/stats/{analysis}`): typed input (the data as `columns` and `rows`, plus the
//! analysis's options), a typed serialisable result (the JSON both front doors answer) and
//! errors that point at the wrong value (`/rows/3/2`, `/columns/1`, `/factors`).
//!
//! The front doors only differ in where the data come from: the server deserialises the
//! request body, the CLI reads a CSV file into the same input and maps `/rows/{i}` back to the
//! file's line (see [`data_row`]).

pub mod input;

use framewright_stats::agreement::{
    self, FleissResult, KappaResult, KappaWeights, KrippendorffLevel, KrippendorffResult,
    RwgResult, cohen_kappa, fleiss_kappa, krippendorff_alpha,
};
use framewright_stats::cutscore::{
    self, AngoffOptions, AngoffResult, ContrastingGroupsResult, modified_angoff,
};
use framewright_stats::efa::{
    self, EfaOptions, EfaResult, Extraction, FactorCount, ParallelOptions, Rotation,
};
use framewright_stats::fairness::{
    self, AdverseImpactOptions, AdverseImpactResult, DifResult, GroupCounts, count_groups,
    dif_mantel_haenszel,
};
use framewright_stats::icc::{self, IccResult};
use framewright_stats::irt::{IrtModel, IrtOptions, IrtResult, Quadrature, fit_irt};
use framewright_stats::reliability::{
    AlphaOptions, AlphaResult, OmegaResult, cronbach_alpha, mcdonald_omega,
};
use framewright_stats::{Category, StatsError, Table, code_categories};
use serde::Serialize;

use crate::error::{AppError, AppResult, FieldIssue};
pub use input::*;

// ---------------------------------------------------------------------------------------------
// results that differ from the statistics crate's own

/// A result over categories, with each category's name (the word label, or the number) in
/// place of its numeric code in `categories`.
#[derive(Debug, Clone)]
pub struct Named<R> {
    /// The statistic.
    pub result: R,
    /// The name of each category, in the order of the result's `categories`.
    pub category_names: Vec<String>,
}

impl<R: Serialize> Serialize for Named<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = serde_json::to_value(&self.result).map_err(serde::ser::Error::custom)?;
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "categories".to_string(),
                serde_json::json!(self.category_names),
            );
        }
        value.serialize(serializer)
    }
}

/// An IRT calibration; the person estimates are part of the answer only when asked for.
#[derive(Debug, Clone)]
pub struct Irt {
    /// The calibration (its `persons` are always computed).
    pub result: IrtResult,
    /// Whether the answer lists the persons.
    pub persons: bool,
}

impl Serialize for Irt {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = serde_json::to_value(&self.result).map_err(serde::ser::Error::custom)?;
        if let (false, Some(object)) = (self.persons, value.as_object_mut()) {
            object.remove("persons");
        }
        value.serialize(serializer)
    }
}

// ---------------------------------------------------------------------------------------------
// errors

/// The data row (0-based, as in `/rows/{i}`, `/groups/{i}`, `/people/{i}`) an error's pointer
/// names, if any: the CLI turns it into the line of its file.
pub fn data_row(pointer: &str) -> Option<usize> {
    ["/rows/", "/groups/", "/people/"]
        .iter()
        .find_map(|list| pointer.strip_prefix(list))
        .and_then(|rest| rest.split('/').next())
        .and_then(|row| row.parse().ok())
}

/// A statistics error as invalid input naming the JSON path of the wrong value; `rows` is the
/// pointer of the data rows (`/rows`, or `/groups`, `/people` for lists of records).
fn data_error(e: StatsError, columns: &[String], rows: &str) -> AppError {
    let column_index = |name: &str| columns.iter().position(|c| c == name);
    let pointer = match &e {
        StatsError::RaggedRow { row, .. } => Some(format!("{rows}/{}", row - 1)),
        StatsError::NonFinite { row, column, .. }
        | StatsError::InvalidValue { row, column, .. } => Some(match column_index(column) {
            Some(c) => format!("{rows}/{}/{c}", row - 1),
            None => format!("{rows}/{}", row - 1),
        }),
        StatsError::ConstantColumn { column, .. } => {
            column_index(column).map(|c| format!("/columns/{c}"))
        }
        StatsError::TooFew { .. } => Some(rows.to_string()),
        StatsError::InvalidArgument { name, .. } => Some(format!("/{name}")),
        _ => None,
    };
    let text = e.to_string();
    match pointer {
        Some(at) => AppError::Invalid {
            detail: format!("{at}: {text}"),
            issues: vec![FieldIssue::new(at, text)],
        },
        None => AppError::Invalid {
            detail: text,
            issues: Vec::new(),
        },
    }
}

/// A wrong option: `detail` for people, `short` for the field.
fn option_error(pointer: &str, detail: impl Into<String>, short: &str) -> AppError {
    AppError::Invalid {
        detail: detail.into(),
        issues: vec![FieldIssue::new(pointer, short)],
    }
}

// ---------------------------------------------------------------------------------------------
// data

/// The column names: as given, else 1, 2, ….
fn column_names(columns: &Option<Vec<String>>, rows: &[Vec<impl Sized>]) -> Vec<String> {
    columns
        .clone()
        .unwrap_or_else(|| Table::numbered_columns(rows.first().map_or(0, Vec::len)))
}

/// Numeric data as a table, with its column names for error pointers.
fn numeric(columns: &Option<Vec<String>>, rows: &[Vec<Option<f64>>]) -> AppResult<Table> {
    let names = column_names(columns, rows);
    Table::from_rows(names.clone(), rows).map_err(|e| data_error(e, &names, "/rows"))
}

/// Categories as a table of codes: numbers as they are, or (when `allow_text`) words coded in
/// sorted order, whose labels are returned.
fn categories(
    columns: &Option<Vec<String>>,
    rows: &[Vec<Option<Cell>>],
    allow_text: bool,
) -> AppResult<(Table, Option<Vec<String>>)> {
    let names = column_names(columns, rows);
    let cells: Vec<Vec<Option<Category>>> = rows
        .iter()
        .map(|row| row.iter().map(|c| c.as_ref().map(Category::from)).collect())
        .collect();
    code_categories(names.clone(), &cells, allow_text).map_err(|e| data_error(e, &names, "/rows"))
}

/// The name of each category code: its label, or the number itself.
fn category_names(codes: &[f64], labels: Option<&[String]>) -> Vec<String> {
    codes
        .iter()
        .map(|c| match labels {
            Some(l) => l.get(*c as usize).cloned().unwrap_or_default(),
            None => format!("{c}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// reliability and agreement

/// Cronbach's alpha with the Feldt interval, standardised alpha, corrected item–total
/// correlations and alpha if item deleted.
pub fn alpha(input: &AlphaBody) -> AppResult<AlphaResult> {
    let t = numeric(&input.columns, &input.rows)?;
    let options = AlphaOptions {
        missing: input.missing.into(),
        confidence: input.confidence.unwrap_or(0.95),
    };
    cronbach_alpha(&t, &options).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// McDonald's omega total from a one-factor model.
pub fn omega(input: &OmegaBody) -> AppResult<OmegaResult> {
    let t = numeric(&input.columns, &input.rows)?;
    mcdonald_omega(&t, input.missing.into()).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// All six Shrout & Fleiss intraclass correlations.
pub fn icc(input: &IccBody) -> AppResult<IccResult> {
    let t = numeric(&input.columns, &input.rows)?;
    icc::icc(&t, input.confidence.unwrap_or(0.95)).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// Cohen's kappa for two raters, unweighted or weighted.
pub fn kappa(input: &KappaBody) -> AppResult<Named<KappaResult>> {
    let weights = match input.weights {
        Weights::None => KappaWeights::Unweighted,
        Weights::Linear => KappaWeights::Linear,
        Weights::Quadratic => KappaWeights::Quadratic,
    };
    let unweighted = weights == KappaWeights::Unweighted;
    let (t, labels) = categories(&input.columns, &input.rows, unweighted)?;
    if t.n_cols() != 2 {
        return Err(option_error(
            "/rows/0",
            format!(
                "Cohen's kappa compares exactly two raters; the rows have {} ratings (use fleiss or krippendorff for more)",
                t.n_cols()
            ),
            "each row needs exactly two ratings",
        ));
    }
    let r1: Vec<Option<f64>> = (0..t.n_rows()).map(|r| t.get(r, 0)).collect();
    let r2: Vec<Option<f64>> = (0..t.n_rows()).map(|r| t.get(r, 1)).collect();
    let result =
        cohen_kappa(&r1, &r2, weights, 0.95).map_err(|e| data_error(e, t.columns(), "/rows"))?;
    Ok(Named {
        category_names: category_names(&result.categories, labels.as_deref()),
        result,
    })
}

/// Fleiss' kappa for several raters.
pub fn fleiss(input: &FleissBody) -> AppResult<Named<FleissResult>> {
    let (t, labels) = categories(&input.columns, &input.rows, true)?;
    let result = fleiss_kappa(&t).map_err(|e| data_error(e, t.columns(), "/rows"))?;
    Ok(Named {
        category_names: category_names(&result.categories, labels.as_deref()),
        result,
    })
}

/// Krippendorff's alpha, missing ratings allowed.
pub fn krippendorff(input: &KrippendorffBody) -> AppResult<KrippendorffResult> {
    let level = match input.level {
        Level::Nominal => KrippendorffLevel::Nominal,
        Level::Ordinal => KrippendorffLevel::Ordinal,
        Level::Interval => KrippendorffLevel::Interval,
        Level::Ratio => KrippendorffLevel::Ratio,
    };
    let nominal = level == KrippendorffLevel::Nominal;
    let (t, _) = categories(&input.columns, &input.rows, nominal)?;
    krippendorff_alpha(&t, level).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// rwg per item and rwg(j) for the set.
pub fn rwg(input: &RwgBody) -> AppResult<RwgResult> {
    let t = numeric(&input.columns, &input.rows)?;
    agreement::rwg_table(&t, input.options).map_err(|e| data_error(e, t.columns(), "/rows"))
}

// ---------------------------------------------------------------------------------------------
// factor analysis and IRT

/// The number of factors asked for.
fn factor_count(factors: &Option<Factors>) -> AppResult<FactorCount> {
    Ok(match factors {
        None => FactorCount::ParallelAnalysis,
        Some(Factors::Auto(text)) if text.eq_ignore_ascii_case("auto") => {
            FactorCount::ParallelAnalysis
        }
        Some(Factors::Fixed(n)) => FactorCount::Fixed(*n),
        Some(Factors::Auto(text)) => match text.trim().parse::<usize>() {
            Ok(n) => FactorCount::Fixed(n),
            Err(_) => {
                return Err(option_error(
                    "/factors",
                    format!("/factors: a whole number or \"auto\", not \"{text}\""),
                    "a whole number or \"auto\"",
                ));
            }
        },
    })
}

/// Exploratory factor analysis: KMO, Bartlett, parallel analysis, loadings, communalities,
/// factor correlations, Heywood warnings.
pub fn efa(input: &EfaBody) -> AppResult<EfaResult> {
    let factors = factor_count(&input.factors)?;
    let iterations = input.iterations.unwrap_or(100);
    if iterations > 1000 {
        return Err(option_error(
            "/iterations",
            "/iterations: at most 1000 random data sets",
            "at most 1000",
        ));
    }
    let t = numeric(&input.columns, &input.rows)?;
    let opts = EfaOptions {
        factors,
        extraction: match input.method {
            ExtractionArg::Minres => Extraction::Minres,
            ExtractionArg::Pa => Extraction::PrincipalAxis,
            ExtractionArg::Ml => Extraction::MaximumLikelihood,
        },
        rotation: match input.rotation {
            RotationArg::Varimax => Rotation::Varimax,
            RotationArg::Promax => Rotation::Promax,
            RotationArg::Oblimin => Rotation::Oblimin,
            RotationArg::None => Rotation::None,
        },
        missing: input.missing.into(),
        parallel: ParallelOptions {
            iterations,
            seed: input.seed.unwrap_or(20_240_429),
            ..Default::default()
        },
        ..Default::default()
    };
    efa::factor_analysis(&t, &opts).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// Rasch or 2PL by marginal maximum likelihood.
pub fn irt(input: &IrtBody) -> AppResult<Irt> {
    let points = input.quadrature_points.unwrap_or(21);
    if !(5..=101).contains(&points) {
        return Err(option_error(
            "/quadrature_points",
            "/quadrature_points: between 5 and 101",
            "between 5 and 101",
        ));
    }
    let t = numeric(&input.columns, &input.rows)?;
    let opts = IrtOptions {
        model: match input.model {
            ModelArg::Rasch => IrtModel::Rasch,
            ModelArg::TwoPl => IrtModel::TwoPl,
        },
        quadrature: Quadrature::GaussHermite(points),
        ..Default::default()
    };
    let result = fit_irt(&t, &opts).map_err(|e| data_error(e, t.columns(), "/rows"))?;
    Ok(Irt {
        result,
        persons: input.persons,
    })
}

// ---------------------------------------------------------------------------------------------
// fairness and cut scores

/// The applicant and selected counts per group of an adverse-impact request.
fn group_counts(input: &AdverseImpactBody) -> AppResult<Vec<GroupCounts>> {
    match (&input.applicants, &input.groups) {
        (Some(applicants), None) => Ok(count_groups(
            applicants.iter().map(|a| (a.group.as_str(), a.selected)),
        )),
        (None, Some(groups)) => groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                if g.selected > g.applicants {
                    return Err(option_error(
                        &format!("/groups/{i}/selected"),
                        format!(
                            "/groups/{i}/selected: {} selected of {} applicants",
                            g.selected, g.applicants
                        ),
                        "more selected than applied",
                    ));
                }
                Ok(GroupCounts {
                    group: g.group.clone(),
                    applicants: g.applicants,
                    selected: g.selected,
                })
            })
            .collect(),
        _ => Err(option_error(
            "/applicants",
            "give either `applicants` (one entry per applicant) or `groups` (counts per group)",
            "give applicants or groups, not both or neither",
        )),
    }
}

/// Adverse impact: selection rates, impact ratios, the four-fifths rule, Fisher's exact test
/// and the two-proportion z-test.
pub fn adverse_impact(input: &AdverseImpactBody) -> AppResult<AdverseImpactResult> {
    let groups = group_counts(input)?;
    let opts = AdverseImpactOptions {
        threshold: input.threshold.unwrap_or(0.8),
        ..Default::default()
    };
    fairness::adverse_impact(&groups, &opts).map_err(|e| data_error(e, &[], "/groups"))
}

/// Mantel–Haenszel DIF with the ETS A/B/C classes; rows outside the focal and reference groups
/// are left out.
pub fn dif(input: &DifBody) -> AppResult<DifResult> {
    if input.groups.len() != input.rows.len() {
        return Err(option_error(
            "/groups",
            format!(
                "/groups: {} groups for {} rows; give one group per row",
                input.groups.len(),
                input.rows.len()
            ),
            "one group per row",
        ));
    }
    if !input.groups.contains(&input.focal) {
        return Err(option_error(
            "/focal",
            format!("/focal: no row is in the group \"{}\"", input.focal),
            "not one of the groups",
        ));
    }
    let keep: Vec<usize> = (0..input.rows.len())
        .filter(|&i| match &input.reference {
            Some(r) => input.groups[i] == input.focal || &input.groups[i] == r,
            None => true,
        })
        .collect();
    let t = numeric(&input.columns, &input.rows)?.select_rows(&keep);
    let is_focal: Vec<bool> = keep
        .iter()
        .map(|&i| input.groups[i] == input.focal)
        .collect();
    dif_mantel_haenszel(&t, &is_focal, 0.05).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// Modified Angoff cut score with SE and SEM bands.
pub fn angoff(input: &AngoffBody) -> AppResult<AngoffResult> {
    let t = numeric(&input.columns, &input.rows)?;
    let opts = AngoffOptions {
        z: input.z.unwrap_or(1.0),
        test_sd: input.test_sd,
        reliability: input.reliability,
        expected_scores: input.expected_scores,
    };
    modified_angoff(&t, &opts).map_err(|e| data_error(e, t.columns(), "/rows"))
}

/// Contrasting groups cut score.
pub fn contrasting_groups(input: &ContrastingGroupsBody) -> AppResult<ContrastingGroupsResult> {
    let scores: Vec<f64> = input.people.iter().map(|p| p.score).collect();
    let competent: Vec<bool> = input.people.iter().map(|p| p.competent).collect();
    cutscore::contrasting_groups(&scores, &competent, input.false_pass_cost.unwrap_or(1.0))
        .map_err(|e| data_error(e, &[], "/people"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn data_errors_point_at_the_value() {
        let input = AlphaBody {
            columns: Some(vec!["a".into(), "b".into()]),
            rows: vec![vec![Some(1.0), Some(2.0)], vec![Some(1.0)]],
            missing: Missing::Listwise,
            confidence: None,
        };
        let AppError::Invalid { issues, .. } = alpha(&input).unwrap_err() else {
            panic!("not invalid input");
        };
        assert_eq!(issues[0].pointer, "/rows/1");
        assert_eq!(data_row(&issues[0].pointer), Some(1));
        assert_eq!(data_row("/rows/4/2"), Some(4));
        assert_eq!(data_row("/rows"), None);
        assert_eq!(data_row("/columns/1"), None);
    }

    #[test]
    fn kappa_answers_category_names() {
        let cell = |s: &str| Some(Cell::Label(s.into()));
        let input = KappaBody {
            columns: None,
            rows: vec![
                vec![cell("no"), cell("no")],
                vec![cell("yes"), cell("yes")],
                vec![cell("yes"), cell("no")],
                vec![cell("no"), cell("no")],
            ],
            weights: Weights::None,
        };
        let v = serde_json::to_value(kappa(&input).unwrap()).unwrap();
        assert_eq!(v["categories"], serde_json::json!(["no", "yes"]));
    }

    #[test]
    fn options_are_checked() {
        let input = IrtBody {
            columns: None,
            rows: vec![vec![Some(1.0)]],
            model: ModelArg::Rasch,
            persons: false,
            quadrature_points: Some(3),
        };
        let AppError::Invalid { issues, .. } = irt(&input).unwrap_err() else {
            panic!("not invalid input");
        };
        assert_eq!(issues[0].pointer, "/quadrature_points");
    }
}
