//! Optional AI refinement of a generated framework: asks an OpenAI-compatible chat endpoint
//! (`/v1/chat/completions`, as served by Ollama, llama.cpp server, vLLM and hosted services)
//! to tailor the wording of each competency's behavioural indicators to the role.
//!
//! The refinement only ever replaces indicator text. The result must pass lint with no errors
//! and no more indicator warnings than the offline framework, and every citation (rationale,
//! source, definition, grade cells, ranks, targets, sources) must be unchanged; otherwise
//! [`refine`] returns an error and the caller keeps the offline framework. Nothing here runs
//! unless the caller configured an endpoint.

use std::time::Duration;

use framewright_model::lint::{self, LintLimits, Vocabulary};
use framewright_model::{Framework, FrameworkCompetency};
use serde_json::{Value, json};

/// Where and how to reach the language model.
#[derive(Clone, PartialEq, Eq)]
pub struct LlmConfig {
    /// Base URL of the server (`http://127.0.0.1:11434`), or its `/v1` URL, or the full
    /// `/v1/chat/completions` URL.
    pub url: String,
    /// The model name the server knows (`llama3.1:8b`).
    pub model: String,
    /// Bearer token, when the server needs one.
    pub api_key: Option<String>,
    /// How long to wait for each answer.
    pub timeout: Duration,
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "…"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl LlmConfig {
    /// The chat-completions URL.
    pub fn endpoint(&self) -> String {
        let base = self.url.trim().trim_end_matches('/');
        if base.ends_with("/chat/completions") {
            base.to_string()
        } else if base.ends_with("/v1") {
            format!("{base}/chat/completions")
        } else {
            format!("{base}/v1/chat/completions")
        }
    }
}

/// Why a refinement was not used.
#[derive(Debug, thiserror::Error)]
pub enum RefineError {
    /// The HTTP client could not be set up.
    #[error("could not set up the HTTP client: {0}")]
    Client(String),
    /// The request failed (connection refused, timeout, …).
    #[error("asking {endpoint} about \"{competency}\" failed: {message}")]
    Request {
        /// The URL.
        endpoint: String,
        /// The competency being refined.
        competency: String,
        /// What went wrong.
        message: String,
    },
    /// The server answered with an error status.
    #[error("{endpoint} answered {status} about \"{competency}\": {body}")]
    Status {
        /// The URL.
        endpoint: String,
        /// The competency being refined.
        competency: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// The answer does not follow the protocol or the requested shape.
    #[error("the model's answer about \"{competency}\" cannot be used: {message}")]
    Answer {
        /// The competency being refined.
        competency: String,
        /// What is wrong with it.
        message: String,
    },
    /// The refined framework is worse by lint's measure.
    #[error("the refined wording does not pass lint: {0}")]
    Lint(String),
    /// A citation changed (a defect: the refinement only touches indicators).
    #[error("the refinement changed {0}, which must stay as generated")]
    CitationChanged(String),
}

/// A refined framework and how much changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Refinement {
    /// The framework with refined indicator wording.
    pub framework: Framework,
    /// How many indicators the model reworded.
    pub changed_indicators: usize,
}

/// Lint codes about indicator wording: a refinement may not add findings of these kinds.
const WORDING_CODES: &[&str] = &[
    "indicator-verb",
    "indicator-unobservable",
    "indicator-compound",
    "indicator-repeated",
    "indicator-duplicate",
    "indicator-count",
    "vague-term",
    "level-no-progress",
];

/// Refines `framework` (blocking: runs its own small runtime). Use from synchronous code only.
pub fn refine(
    framework: &Framework,
    config: &LlmConfig,
    vocabulary: &Vocabulary,
) -> Result<Refinement, RefineError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| RefineError::Client(e.to_string()))?;
    runtime.block_on(refine_async(framework, config, vocabulary))
}

/// Refines `framework`: one request per competency with levels, all or nothing.
pub async fn refine_async(
    framework: &Framework,
    config: &LlmConfig,
    vocabulary: &Vocabulary,
) -> Result<Refinement, RefineError> {
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .map_err(|e| RefineError::Client(e.to_string()))?;
    let endpoint = config.endpoint();
    let mut refined = framework.clone();
    let mut changed = 0;
    for competency in refined.competencies.iter_mut() {
        if competency.levels.is_empty() {
            continue;
        }
        let body = request_body(framework, competency, config, vocabulary);
        let content = ask(&client, &endpoint, config, &competency.name, &body).await?;
        let answer = parse_answer(&content, competency).map_err(|message| RefineError::Answer {
            competency: competency.name.clone(),
            message,
        })?;
        changed += apply(competency, &answer);
    }
    if let Some(p) = refined.provenance.as_mut() {
        let line = format!(
            "Indicator wording refined by the language model `{}` ({changed} indicators reworded); refined levels are marked draft for review.",
            config.model
        );
        p.method = Some(match p.method.take() {
            Some(m) => format!("{m}\n{line}"),
            None => line,
        });
    }
    check(framework, &refined, vocabulary)?;
    Ok(Refinement {
        framework: refined,
        changed_indicators: changed,
    })
}

async fn ask(
    client: &reqwest::Client,
    endpoint: &str,
    config: &LlmConfig,
    competency: &str,
    body: &Value,
) -> Result<String, RefineError> {
    let mut request = client.post(endpoint).json(body);
    if let Some(key) = &config.api_key {
        request = request.bearer_auth(key);
    }
    let failed = |message: String| RefineError::Request {
        endpoint: endpoint.to_string(),
        competency: competency.to_string(),
        message,
    };
    let response = request.send().await.map_err(|e| failed(describe(&e)))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| failed(describe(&e)))?;
    if !status.is_success() {
        return Err(RefineError::Status {
            endpoint: endpoint.to_string(),
            competency: competency.to_string(),
            status: status.as_u16(),
            body: text.chars().take(300).collect(),
        });
    }
    let answer_error = |message: String| RefineError::Answer {
        competency: competency.to_string(),
        message,
    };
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| answer_error(format!("the response is not JSON ({e})")))?;
    json.pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| answer_error("the response has no choices[0].message.content".to_string()))
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "no answer within the time limit".to_string()
    } else if error.is_connect() {
        format!("could not connect ({error})")
    } else {
        error.to_string()
    }
}

const SYSTEM: &str = "You are an industrial-organisational psychologist who writes behavioural indicators for competency frameworks. You reword the indicators of one competency so that they fit a specific role, keeping what each indicator measures and its proficiency level.";

/// The chat-completions request for one competency.
pub fn request_body(
    framework: &Framework,
    competency: &FrameworkCompetency,
    config: &LlmConfig,
    vocabulary: &Vocabulary,
) -> Value {
    let role = framework.provenance.as_ref().and_then(|p| p.role.as_ref());
    let role_json = match role {
        Some(r) => json!({
            "title": r.title,
            "description": r.description,
            "tasks": r.tasks,
            "grade": r.grade.map(|g| g.to_string()),
        }),
        None => json!({ "title": framework.title }),
    };
    let vague: Vec<&str> = vocabulary
        .vague_terms()
        .iter()
        .map(|t| t.term.as_str())
        .collect();
    let levels: Vec<Value> = competency
        .levels
        .iter()
        .map(|l| {
            json!({
                "level": l.level,
                "level_name": framework.scale.level(l.level).map(|s| s.name.clone()),
                "description": l.description,
                "indicators": l.indicators,
            })
        })
        .collect();
    let instructions = format!(
        "Reword the indicators below for the role. Rules: keep exactly the same number of indicators at each level; each indicator is one sentence in the third person present that starts with an observable action verb (such as identifies, explains, applies, analyses, evaluates, designs); one behaviour per indicator, with no semicolon and no second sentence; never start with understands, knows or is aware of; do not use these vague words: {}; higher levels show more scope, autonomy and complexity than lower ones; never repeat an indicator. Answer with JSON only, in this shape: {{\"levels\": [{{\"level\": 1, \"indicators\": [\"...\"]}}]}}.",
        vague.join(", ")
    );
    let user = json!({
        "instructions": instructions,
        "role": role_json,
        "competency": {
            "name": competency.name,
            "definition": competency.definition,
            "levels": levels,
        },
    });
    json!({
        "model": config.model,
        "temperature": 0,
        "response_format": { "type": "json_object" },
        "messages": [
            { "role": "system", "content": SYSTEM },
            { "role": "user", "content": user.to_string() },
        ],
    })
}

/// The indicators per level in a model's answer, checked against the competency's levels:
/// every level present, the same number of non-empty indicators.
pub fn parse_answer(
    content: &str,
    competency: &FrameworkCompetency,
) -> Result<Vec<(u8, Vec<String>)>, String> {
    let text = strip_fences(content);
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("its content is not JSON ({e})"))?;
    let levels = value
        .get("levels")
        .and_then(Value::as_array)
        .ok_or("it has no `levels` list")?;
    let mut out = Vec::new();
    for original in &competency.levels {
        let found = levels
            .iter()
            .find(|l| l.get("level").and_then(Value::as_u64) == Some(u64::from(original.level)))
            .ok_or_else(|| format!("level {} is missing", original.level))?;
        let indicators: Vec<String> = found
            .get("indicators")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("level {} has no `indicators` list", original.level))?
            .iter()
            .map(|i| i.as_str().map(|s| s.trim().to_string()))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| format!("level {} has an indicator that is not text", original.level))?;
        if indicators.len() != original.indicators.len() {
            return Err(format!(
                "level {} has {} indicators instead of {}",
                original.level,
                indicators.len(),
                original.indicators.len()
            ));
        }
        if indicators.iter().any(String::is_empty) {
            return Err(format!("level {} has an empty indicator", original.level));
        }
        out.push((original.level, indicators));
    }
    Ok(out)
}

fn strip_fences(content: &str) -> &str {
    let text = content.trim();
    let Some(rest) = text.strip_prefix("```") else {
        return text;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.trim().strip_suffix("```").unwrap_or(rest).trim()
}

/// Replaces the indicators; returns how many changed. A level whose wording changed is marked
/// draft: a person has not reviewed the model's words.
fn apply(competency: &mut FrameworkCompetency, answer: &[(u8, Vec<String>)]) -> usize {
    let mut changed = 0;
    for (level, indicators) in answer {
        if let Some(content) = competency.levels.iter_mut().find(|l| l.level == *level) {
            let differ = content
                .indicators
                .iter()
                .zip(indicators)
                .filter(|(a, b)| a.trim() != b.trim())
                .count();
            if differ > 0 {
                content.indicators = indicators.clone();
                content.draft = true;
                changed += differ;
            }
        }
    }
    changed
}

fn check(
    original: &Framework,
    refined: &Framework,
    vocabulary: &Vocabulary,
) -> Result<(), RefineError> {
    for (a, b) in original.competencies.iter().zip(&refined.competencies) {
        let same = a.id == b.id
            && a.name == b.name
            && a.rationale == b.rationale
            && a.evidence == b.evidence
            && a.source == b.source
            && a.definition == b.definition
            && a.grades == b.grades
            && a.importance_rank == b.importance_rank
            && a.notes == b.notes;
        if !same {
            return Err(RefineError::CitationChanged(format!(
                "the citations of \"{}\"",
                a.name
            )));
        }
    }
    if original.role_profiles != refined.role_profiles || original.sources != refined.sources {
        return Err(RefineError::CitationChanged(
            "the role profile or sources".to_string(),
        ));
    }
    let limits = LintLimits::default();
    let after = lint::lint(refined, vocabulary, &limits);
    let errors: Vec<String> = after
        .iter()
        .filter(|f| f.severity == lint::Severity::Error)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    if !errors.is_empty() {
        return Err(RefineError::Lint(errors.join("; ")));
    }
    let wording = |findings: &[lint::Finding]| {
        findings
            .iter()
            .filter(|f| WORDING_CODES.contains(&f.code))
            .count()
    };
    let before = lint::lint(original, vocabulary, &limits);
    if wording(&after) > wording(&before) {
        let new: Vec<String> = after
            .iter()
            .filter(|f| WORDING_CODES.contains(&f.code) && !before.contains(f))
            .take(5)
            .map(|f| f.message.clone())
            .collect();
        return Err(RefineError::Lint(format!(
            "it has more wording problems than the offline text: {}",
            new.join("; ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_completed_from_a_base_url() {
        let mut c = LlmConfig {
            url: "http://127.0.0.1:11434".into(),
            model: "m".into(),
            api_key: None,
            timeout: Duration::from_secs(1),
        };
        assert_eq!(c.endpoint(), "http://127.0.0.1:11434/v1/chat/completions");
        c.url = "http://h/v1/".into();
        assert_eq!(c.endpoint(), "http://h/v1/chat/completions");
        c.url = "http://h/v1/chat/completions".into();
        assert_eq!(c.endpoint(), "http://h/v1/chat/completions");
        c.api_key = Some("secret".into());
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn fenced_answers_are_read() {
        assert_eq!(strip_fences("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_fences(" {\"a\":1} "), "{\"a\":1}");
    }
}
