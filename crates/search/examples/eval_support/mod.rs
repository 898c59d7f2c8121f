//! Shared by the evaluation and tuning examples: loading the ESCO development set, running the
//! queries and scoring them exactly as `shared/eval/score.py` does.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::path::Path;

use framewright_search::{
    Document, Index, Query, RankingConfig, ReferenceRole, ReferenceRoles, RoleCompetency,
    SuggestOptions, Suggestion,
};

pub struct EvalSet {
    pub documents: Vec<Document>,
    /// (id, fold, query, relevant ids), in the gold file's order.
    pub roles: Vec<(String, u32, Query, Vec<String>)>,
}

/// Reads the development set from `dir` (catalogue CSV, queries and gold JSONL).
pub fn load(dir: &Path) -> EvalSet {
    let mut reader =
        csv::Reader::from_path(dir.join("esco-skills-catalog.csv")).expect("catalogue");
    let mut documents = Vec::new();
    for row in reader.records() {
        let row = row.expect("catalogue row");
        documents.push(Document {
            id: row[0].to_owned(),
            name: row[1].to_owned(),
            alt_labels: row[2]
                .split('|')
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            definition: row[3].to_owned(),
            kind: None,
        });
    }
    let queries: HashMap<String, Query> =
        std::fs::read_to_string(dir.join("esco-ict-dev.queries.jsonl"))
            .expect("queries")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("query json");
                let tasks = v["tasks"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|t| t.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                (
                    v["id"].as_str().unwrap().to_owned(),
                    Query {
                        title: v["title"].as_str().unwrap_or("").to_owned(),
                        description: v["description"].as_str().unwrap_or("").to_owned(),
                        tasks,
                    },
                )
            })
            .collect();
    let roles = std::fs::read_to_string(dir.join("esco-ict-dev.gold.jsonl"))
        .expect("gold")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold json");
            let id = v["id"].as_str().unwrap().to_owned();
            let fold = v["fold"].as_u64().unwrap() as u32;
            let relevant = v["relevant"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect();
            let query = queries.get(&id).cloned().expect("query for gold id");
            (id, fold, query, relevant)
        })
        .collect();
    EvalSet { documents, roles }
}

/// The metrics of one query, as score.py computes them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Metrics {
    pub r10: f64,
    pub r20: f64,
    pub r50: f64,
    pub ndcg20: f64,
    pub mrr: f64,
}

impl Metrics {
    pub fn add(&mut self, o: &Metrics) {
        self.r10 += o.r10;
        self.r20 += o.r20;
        self.r50 += o.r50;
        self.ndcg20 += o.ndcg20;
        self.mrr += o.mrr;
    }
    pub fn scale(&self, f: f64) -> Metrics {
        Metrics {
            r10: self.r10 * f,
            r20: self.r20 * f,
            r50: self.r50 * f,
            ndcg20: self.ndcg20 * f,
            mrr: self.mrr * f,
        }
    }
    /// What tuning maximises: the two target metrics together.
    pub fn objective(&self) -> f64 {
        self.r20 + self.ndcg20
    }
}

pub fn score(ranking: &[String], relevant: &[String]) -> Metrics {
    let rel: HashSet<&String> = relevant.iter().collect();
    let n = rel.len() as f64;
    let hits = |k: usize| ranking.iter().take(k).filter(|x| rel.contains(x)).count() as f64 / n;
    let dcg: f64 = ranking
        .iter()
        .take(20)
        .enumerate()
        .filter(|(_, x)| rel.contains(x))
        .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let idcg: f64 = (0..rel.len().min(20))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let mrr = ranking
        .iter()
        .position(|x| rel.contains(x))
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    Metrics {
        r10: hits(10),
        r20: hits(20),
        r50: hits(50),
        ndcg20: dcg / idcg,
        mrr,
    }
}

/// Reference roles for a query of `fold`: every role of the other folds with its gold skills.
pub fn reference_roles_for(
    index: &Index,
    set: &EvalSet,
    fold: u32,
    config: &RankingConfig,
) -> ReferenceRoles {
    let roles: Vec<ReferenceRole> = set
        .roles
        .iter()
        .filter(|(_, f, _, _)| *f != fold)
        .map(|(id, _, q, rel)| ReferenceRole {
            id: id.clone(),
            title: q.title.clone(),
            description: q.description.clone(),
            competencies: rel
                .iter()
                .map(|c| RoleCompetency {
                    id: c.clone(),
                    weight: None,
                })
                .collect(),
        })
        .collect();
    ReferenceRoles::new(index, &roles, config)
}

/// Runs every query; returns the suggestions and the metrics per query (gold order).
pub fn run(
    index: &Index,
    set: &EvalSet,
    config: &RankingConfig,
    with_references: bool,
    top: usize,
) -> Vec<(Vec<Suggestion>, Metrics)> {
    let references: HashMap<u32, ReferenceRoles> = if with_references {
        (1..=4)
            .map(|f| (f, reference_roles_for(index, set, f, config)))
            .collect()
    } else {
        HashMap::new()
    };
    set.roles
        .iter()
        .map(|(_, fold, query, relevant)| {
            let options = SuggestOptions {
                top,
                reference_roles: references.get(fold),
                priors: None,
            };
            let results = index
                .suggest(query, &options, config)
                .expect("valid config");
            let ids: Vec<String> = results.iter().map(|r| r.id.clone()).collect();
            let m = score(&ids, relevant);
            (results, m)
        })
        .collect()
}

/// Mean metrics per fold (1..=4) and overall, from per-query metrics in gold order.
pub fn by_fold(set: &EvalSet, per_query: &[Metrics]) -> (Vec<Metrics>, Metrics) {
    let mut sums = [Metrics::default(); 4];
    let mut counts = [0usize; 4];
    let mut all = Metrics::default();
    for ((_, fold, _, _), m) in set.roles.iter().zip(per_query) {
        let f = (*fold as usize).clamp(1, 4) - 1;
        sums[f].add(m);
        counts[f] += 1;
        all.add(m);
    }
    let folds = sums
        .iter()
        .zip(counts)
        .map(|(s, c)| s.scale(1.0 / c.max(1) as f64))
        .collect();
    (folds, all.scale(1.0 / per_query.len().max(1) as f64))
}

/// Applies `name=value` to a configuration (for command-line overrides and tuning).
pub fn set_param(config: &mut RankingConfig, name: &str, value: f64) {
    match name {
        "k1" => config.k1 = value,
        "w_name" => config.field_weights[0] = value,
        "w_alt" => config.field_weights[1] = value,
        "w_def" => config.field_weights[2] = value,
        "b_name" => config.field_b[0] = value,
        "b_alt" => config.field_b[1] = value,
        "b_def" => config.field_b[2] = value,
        "title_weight" => config.title_weight = value,
        "title_head_weight" => config.title_head_weight = value,
        "phrase_part_weight" => config.phrase_part_weight = value,
        "sense_weight" => config.sense_weight = value,
        "description_weight" => config.description_weight = value,
        "task_weight" => config.task_weight = value,
        "query_tf_power" => config.query_tf_power = value,
        "phrase_weight" => config.phrase_weight = value,
        "synonym_weight" => config.synonym_weight = value,
        "feedback_docs" => config.feedback_docs = value as usize,
        "feedback_terms" => config.feedback_terms = value as usize,
        "feedback_weight" => config.feedback_weight = value,
        "generality_weight" => config.generality_weight = value,
        "clause_weight" => config.clause_weight = value,
        "domain_docs" => config.domain_docs = value as usize,
        "domain_terms" => config.domain_terms = value as usize,
        "domain_weight" => config.domain_weight = value,
        "coverage_weight" => config.coverage_weight = value,
        "coverage_power" => config.coverage_power = value,
        "reference_neighbours" => config.reference_neighbours = value as usize,
        "reference_similarity_power" => config.reference_similarity_power = value,
        "reference_weight" => config.reference_weight = value,
        "reference_title_weight" => config.reference_title_weight = value,
        "prior_weight" => config.prior_weight = value,
        "reference_agreement_weight" => config.reference_agreement_weight = value,
        "reference_base_weight" => config.reference_base_weight = value,
        "reference_competency_text_weight" => config.reference_competency_text_weight = value,
        "reference_seed_docs" => config.reference_seed_docs = value as usize,
        "reference_seed_weight" => config.reference_seed_weight = value,
        other => panic!("unknown parameter {other}"),
    }
}

pub fn get_param(config: &RankingConfig, name: &str) -> f64 {
    match name {
        "k1" => config.k1,
        "w_name" => config.field_weights[0],
        "w_alt" => config.field_weights[1],
        "w_def" => config.field_weights[2],
        "b_name" => config.field_b[0],
        "b_alt" => config.field_b[1],
        "b_def" => config.field_b[2],
        "title_weight" => config.title_weight,
        "title_head_weight" => config.title_head_weight,
        "description_weight" => config.description_weight,
        "task_weight" => config.task_weight,
        "query_tf_power" => config.query_tf_power,
        "phrase_weight" => config.phrase_weight,
        "synonym_weight" => config.synonym_weight,
        "feedback_docs" => config.feedback_docs as f64,
        "feedback_terms" => config.feedback_terms as f64,
        "feedback_weight" => config.feedback_weight,
        "generality_weight" => config.generality_weight,
        "clause_weight" => config.clause_weight,
        "domain_docs" => config.domain_docs as f64,
        "domain_terms" => config.domain_terms as f64,
        "domain_weight" => config.domain_weight,
        "coverage_weight" => config.coverage_weight,
        "coverage_power" => config.coverage_power,
        "reference_neighbours" => config.reference_neighbours as f64,
        "reference_similarity_power" => config.reference_similarity_power,
        "reference_weight" => config.reference_weight,
        "reference_title_weight" => config.reference_title_weight,
        "prior_weight" => config.prior_weight,
        "reference_agreement_weight" => config.reference_agreement_weight,
        "reference_base_weight" => config.reference_base_weight,
        "reference_competency_text_weight" => config.reference_competency_text_weight,
        "reference_seed_docs" => config.reference_seed_docs as f64,
        "reference_seed_weight" => config.reference_seed_weight,
        other => panic!("unknown parameter {other}"),
    }
}
