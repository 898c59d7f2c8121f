//! The catalogue browser: `/catalogue` searches the competencies of every catalogue the
//! organisation can see (the store's competency search, as `GET /api/v1/competencies`) with
//! filters for kind, grade and importance rank; `/catalogue/{catalogue}/{id}` shows one
//! competency with its definition, aliases, source notes and OPM grade table row.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use framewright_model::text::is_web_url;
use framewright_model::{Competency, Grade, GradeMark};
use framewright_store::PageRequest;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::extract::PageQuery;
use crate::routes::catalogues::{SearchQuery, competency_query};
use crate::state::AppState;
use crate::web::{Viewer, not_found, problem_page, url_encode};

/// `/catalogue` and `/catalogue/{catalogue}/{id}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalogue", get(search))
        .route("/catalogue/{catalogue}/{id}", get(competency))
}

/// Results per page.
const PER_PAGE: u32 = 50;

/// The grades the OPM tables cover, offered as filters and shown as columns.
pub const GRADES: [u8; 5] = [11, 12, 13, 14, 15];

/// The search form (every field may be empty).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    catalogue: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    max_rank: String,
    #[serde(default)]
    page: Option<u32>,
}

impl SearchForm {
    /// The query string of this search on page `page`.
    fn link(&self, page: u32) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("q", &self.q),
            ("catalogue", &self.catalogue),
            ("kind", &self.kind),
            ("grade", &self.grade),
            ("max_rank", &self.max_rank),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!("{key}={}", url_encode(value.trim())));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        format!("/catalogue?{}", parts.join("&"))
    }
}

/// A competency as a results table row.
#[derive(Debug, Serialize)]
pub struct HitRow {
    catalogue: String,
    id: String,
    href: String,
    name: String,
    kind: &'static str,
    definition: Option<String>,
    confirmed_grades: String,
    rank_current: Option<u32>,
    rank_future: Option<u32>,
}

/// The grades at which `c` is confirmed (X), as `GS-11, GS-12`.
fn confirmed(c: &Competency) -> String {
    c.grades
        .iter()
        .filter(|(_, m)| **m == GradeMark::Confirmed)
        .map(|(g, _)| g.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', '.']))
}

/// The link to a competency's page.
pub fn competency_href(catalogue: &str, id: &str) -> String {
    format!("/catalogue/{}/{}", url_encode(catalogue), url_encode(id))
}

async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(form): Query<SearchForm>,
) -> Response {
    let org = viewer.principal().org_id;
    let page = PageQuery {
        page: form.page,
        per_page: Some(PER_PAGE),
    };
    let max_rank = form.max_rank.trim().parse::<u32>().ok();
    let query = competency_query(SearchQuery {
        q: Some(form.q.clone()),
        catalogue: Some(form.catalogue.clone()),
        kind: Some(form.kind.clone()),
        grade: Some(form.grade.clone()),
        max_rank,
        page: None,
        per_page: None,
    });
    let query = match query {
        Ok(query) => query,
        Err(problem) => return problem_page(Some(&viewer), &problem),
    };
    let found = state
        .store()
        .search_competencies(org, &query, page.request())
        .await;
    let catalogues = state
        .store()
        .list_catalogues(org, PageRequest::first(200))
        .await;
    let (found, catalogues) = match (found, catalogues) {
        (Ok(found), Ok(catalogues)) => (found, catalogues),
        (Err(e), _) | (_, Err(e)) => return problem_page(Some(&viewer), &e.into()),
    };
    let rows: Vec<HitRow> = found
        .items
        .into_iter()
        .map(|hit| {
            let c = hit.competency;
            HitRow {
                href: competency_href(&hit.catalogue, &c.id),
                catalogue: hit.catalogue,
                kind: c.kind.as_str(),
                definition: c.definition.as_deref().map(|d| shorten(d, 160)),
                confirmed_grades: confirmed(&c),
                rank_current: c.importance_rank.and_then(|r| r.current),
                rank_future: c.importance_rank.and_then(|r| r.future),
                id: c.id,
                name: c.name,
            }
        })
        .collect();
    let request = page.request();
    let current = u32::try_from(request.offset / request.limit + 1).unwrap_or(1);
    let last = u32::try_from((found.total + request.limit - 1) / request.limit)
        .unwrap_or(1)
        .max(1);
    let catalogue_options: Vec<_> = catalogues
        .items
        .iter()
        .map(|c| context! { id => c.id, name => c.name })
        .collect();
    let grades: Vec<String> = GRADES.iter().map(|g| format!("GS-{g}")).collect();
    viewer.page(
        "catalogue.html",
        context! {
            section => "catalogue",
            form => &form,
            rows => rows,
            total => found.total,
            page => current,
            last_page => last,
            previous => (current > 1).then(|| form.link(current - 1)),
            next => (current < last).then(|| form.link(current + 1)),
            catalogues => catalogue_options,
            grades => grades,
            ranks => [5, 10, 15, 20, 30],
        },
    )
}

/// One competency's page.
async fn competency(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((catalogue_id, id)): Path<(String, String)>,
) -> Response {
    let org = viewer.principal().org_id;
    let found = state.store().competency(org, &catalogue_id, &id).await;
    let c = match found {
        Ok(Some(c)) => c,
        Ok(None) => {
            return not_found(
                Some(&viewer),
                "There is no such competency in the catalogues your organisation can see.",
            );
        }
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let catalogue = match state.store().catalogue(org, &catalogue_id).await {
        Ok(Some(catalogue)) => catalogue,
        Ok(None) => {
            return not_found(
                Some(&viewer),
                "There is no such catalogue for your organisation.",
            );
        }
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let notes: Vec<String> = catalogue.notes_for(&c).map(|n| n.text.clone()).collect();
    // The grade columns: the OPM grades, and any other grade the source rates.
    let mut columns: Vec<Grade> = GRADES.iter().filter_map(|g| Grade::new(*g)).collect();
    for grade in c.grades.keys() {
        if !columns.contains(grade) {
            columns.push(*grade);
        }
    }
    columns.sort();
    let grade_cells: Vec<_> = columns
        .iter()
        .map(|g| {
            let mark = c.grade_mark(*g);
            context! {
                grade => g.to_string(),
                mark => mark.map(GradeMark::as_str),
                meaning => match mark {
                    Some(GradeMark::Confirmed) => "confirmed for selection at this grade",
                    Some(GradeMark::NotRated) => "not rated at this grade",
                    None => "no cell in the source's table",
                },
            }
        })
        .collect();
    let broader: Vec<_> = c
        .broader
        .iter()
        .map(|b| {
            let name = catalogue
                .competencies
                .iter()
                .find(|x| &x.id == b)
                .map_or(b.as_str(), |x| x.name.as_str());
            context! { name => name, href => competency_href(&catalogue.id, b) }
        })
        .collect();
    viewer.page(
        "competency.html",
        context! {
            section => "catalogue",
            catalogue => context! {
                id => catalogue.id,
                name => catalogue.name,
                title => catalogue.title,
                publisher => catalogue.publisher,
                issued => catalogue.issued,
                licence => catalogue.licence,
                attribution => catalogue.attribution,
                // Only web addresses become links (never `javascript:` and the like).
                url => catalogue.url.as_deref().filter(|u| is_web_url(u)),
            },
            c => context! {
                id => c.id,
                name => c.name,
                kind => c.kind.as_str(),
                definition => c.definition,
                alt_labels => c.alt_labels,
                uri => c.uri.as_deref().filter(|u| is_web_url(u)),
                rank_current => c.importance_rank.and_then(|r| r.current),
                rank_future => c.importance_rank.and_then(|r| r.future),
                ranked => c.importance_rank.is_some(),
            },
            grades => grade_cells,
            notes => notes,
            broader => broader,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_definitions_are_cut_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 9), "one two…");
    }

    #[test]
    fn search_links_keep_the_filters() {
        let form = SearchForm {
            q: "data science".into(),
            grade: "GS-13".into(),
            ..SearchForm::default()
        };
        assert_eq!(
            form.link(2),
            "/catalogue?q=data%20science&grade=GS-13&page=2"
        );
    }
}
