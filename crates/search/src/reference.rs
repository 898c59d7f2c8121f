//! Evidence from reference roles: roles whose competencies are already known (saved frameworks,
//! imported occupation–skill relations such as ESCO's).
//!
//! A new role is compared with every reference role by the words of their titles and
//! descriptions (TF-IDF cosine, title words weighted up). The most similar roles then vote for
//! the competencies they need, each vote weighted by the role's similarity: "roles like this one
//! usually need X".

use std::collections::HashMap;

use crate::config::RankingConfig;
use crate::index::Index;
use crate::types::{Query, ReferenceRole};

/// A reference role prepared for comparison.
#[derive(Debug, Clone)]
pub(crate) struct PreparedRole {
    pub(crate) id: String,
    pub(crate) title: String,
    /// Competencies as (document position, weight scaled so the role's largest is 1).
    pub(crate) competencies: Vec<(u32, f64)>,
}

/// A competency id in a reference role that the index does not contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredCompetency {
    /// The reference role's id.
    pub role: String,
    /// The competency id that is not in the index.
    pub competency: String,
}

/// Reference roles, analysed against one [`Index`] (competency ids resolved to its documents).
#[derive(Debug, Clone)]
pub struct ReferenceRoles {
    pub(crate) roles: Vec<PreparedRole>,
    /// Stem → postings of (role, weight) with role vectors already divided by their norms.
    vocab: HashMap<String, Vec<(u32, f64)>>,
    title_weight: f64,
    ignored: Vec<IgnoredCompetency>,
    /// Per document position: the weighted share of all reference roles that need it.
    pub(crate) base_rate: Vec<(u32, f64)>,
}

/// One reference role that is similar to the query.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarRole {
    /// Position among the reference roles.
    pub(crate) position: u32,
    /// Text cosine in [0, 1] plus the weighted competency affinity.
    pub similarity: f64,
}

/// A weighted bag of stems for one role's text.
fn role_vector(
    index: &Index,
    title: &str,
    description: &str,
    tasks: &[String],
    title_weight: f64,
) -> HashMap<String, f64> {
    let mut counts: HashMap<String, f64> = HashMap::new();
    for token in index.analyzer.analyze(title) {
        *counts.entry(token.stem).or_insert(0.0) += title_weight;
    }
    for token in index.analyzer.analyze(description) {
        *counts.entry(token.stem).or_insert(0.0) += 1.0;
    }
    for task in tasks {
        for token in index.analyzer.analyze(task) {
            *counts.entry(token.stem).or_insert(0.0) += 1.0;
        }
    }
    let unseen_idf = {
        let n = index.len() as f64;
        (1.0 + (n + 0.5) / 0.5).ln()
    };
    let mut vector = HashMap::with_capacity(counts.len());
    for (stem, count) in counts {
        let idf = index.term(&stem).map_or(unseen_idf, |t| index.idf(t));
        vector.insert(stem, count.sqrt() * idf);
    }
    vector
}

fn norm(vector: &HashMap<String, f64>) -> f64 {
    let mut values: Vec<f64> = vector.values().copied().collect();
    values.sort_by(f64::total_cmp);
    values.iter().map(|v| v * v).sum::<f64>().sqrt()
}

impl ReferenceRoles {
    /// Prepares `roles` for use with `index`. Competency ids that the index does not hold are
    /// skipped and listed by [`ReferenceRoles::ignored`]; weights that are absent count as 1,
    /// and weights that are not positive finite numbers drop the competency from the role.
    /// Roles are compared by their words using two settings of `config`:
    /// `reference_title_weight` (how much more a title word counts than a description word) and
    /// `reference_competency_text_weight` (how much the names of a role's competencies count as
    /// part of its text).
    pub fn new(index: &Index, roles: &[ReferenceRole], config: &RankingConfig) -> ReferenceRoles {
        let title_weight = config.reference_title_weight;
        let mut prepared = Vec::with_capacity(roles.len());
        let mut vocab: HashMap<String, Vec<(u32, f64)>> = HashMap::new();
        let mut ignored = Vec::new();
        for (r, role) in roles.iter().enumerate() {
            let mut competencies: Vec<(u32, f64)> = Vec::new();
            for c in &role.competencies {
                let weight = c.weight.unwrap_or(1.0);
                if !(weight.is_finite() && weight > 0.0) {
                    continue;
                }
                match index.position(&c.id) {
                    Some(p) => {
                        let p = p as u32;
                        match competencies.iter_mut().find(|(d, _)| *d == p) {
                            Some(existing) => existing.1 = existing.1.max(weight),
                            None => competencies.push((p, weight)),
                        }
                    }
                    None => ignored.push(IgnoredCompetency {
                        role: role.id.clone(),
                        competency: c.id.clone(),
                    }),
                }
            }
            let max = competencies.iter().map(|c| c.1).fold(0.0, f64::max);
            if max > 0.0 {
                for c in &mut competencies {
                    c.1 /= max;
                }
            }
            competencies.sort_by_key(|c| c.0);
            let mut vector = role_vector(index, &role.title, &role.description, &[], title_weight);
            if config.reference_competency_text_weight > 0.0 && !competencies.is_empty() {
                let mut counts: HashMap<String, f64> = HashMap::new();
                for (doc, _) in &competencies {
                    for token in index.analyzer.analyze(&index.docs[*doc as usize].name) {
                        *counts.entry(token.stem).or_insert(0.0) += 1.0;
                    }
                }
                let scale =
                    config.reference_competency_text_weight / (competencies.len() as f64).sqrt();
                for (stem, count) in counts {
                    let idf = index.term(&stem).map_or(0.0, |t| index.idf(t));
                    *vector.entry(stem).or_insert(0.0) += scale * count.sqrt() * idf;
                }
            }
            let length = norm(&vector);
            if length > 0.0 {
                let mut entries: Vec<(String, f64)> = vector.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                for (stem, value) in entries {
                    vocab
                        .entry(stem)
                        .or_default()
                        .push((r as u32, value / length));
                }
            }
            prepared.push(PreparedRole {
                id: role.id.clone(),
                title: role.title.clone(),
                competencies,
            });
        }
        let mut rates: HashMap<u32, f64> = HashMap::new();
        for role in &prepared {
            for (doc, w) in &role.competencies {
                *rates.entry(*doc).or_insert(0.0) += w / prepared.len() as f64;
            }
        }
        let mut base_rate: Vec<(u32, f64)> = rates.into_iter().collect();
        base_rate.sort_by_key(|r| r.0);
        ReferenceRoles {
            roles: prepared,
            vocab,
            title_weight,
            ignored,
            base_rate,
        }
    }

    /// The number of reference roles.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// Competency ids that were skipped because the index does not hold them.
    pub fn ignored(&self) -> &[IgnoredCompetency] {
        &self.ignored
    }

    /// The `k` reference roles most similar to `query`, best first (ties by role order), all with
    /// a similarity above zero. Similarity is the cosine of the two texts plus `seed_weight`
    /// times the role's affinity with `seed` — the query's best text matches (document, weight):
    /// the weighted share of them that the role needs, relative to the role that needs most.
    pub(crate) fn most_similar(
        &self,
        index: &Index,
        query: &Query,
        k: usize,
        seed: &[(u32, f64)],
        seed_weight: f64,
    ) -> Vec<SimilarRole> {
        if k == 0 || self.roles.is_empty() {
            return Vec::new();
        }
        let vector = role_vector(
            index,
            &query.title,
            &query.description,
            &query.tasks,
            self.title_weight,
        );
        let length = norm(&vector);
        let mut dot = vec![0.0f64; self.roles.len()];
        if length > 0.0 {
            let mut entries: Vec<(&String, &f64)> = vector.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (stem, value) in entries {
                if let Some(list) = self.vocab.get(stem) {
                    for (role, w) in list {
                        dot[*role as usize] += value / length * w;
                    }
                }
            }
        }
        if seed_weight > 0.0 && !seed.is_empty() {
            let affinity: Vec<f64> = self
                .roles
                .iter()
                .map(|role| {
                    seed.iter()
                        .filter(|(doc, _)| {
                            role.competencies.binary_search_by_key(doc, |c| c.0).is_ok()
                        })
                        .map(|(_, w)| w)
                        .sum()
                })
                .collect();
            let max = affinity.iter().copied().fold(0.0, f64::max);
            if max > 0.0 {
                for (d, a) in dot.iter_mut().zip(&affinity) {
                    *d += seed_weight * a / max;
                }
            }
        }
        let mut similar: Vec<SimilarRole> = dot
            .into_iter()
            .enumerate()
            .filter(|(_, s)| *s > 0.0)
            .map(|(r, s)| SimilarRole {
                position: r as u32,
                similarity: s,
            })
            .collect();
        similar.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.position.cmp(&b.position))
        });
        similar.truncate(k);
        similar
    }

    pub(crate) fn role(&self, position: u32) -> Option<&PreparedRole> {
        self.roles.get(position as usize)
    }
}
