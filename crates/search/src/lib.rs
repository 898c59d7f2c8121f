//! Text retrieval for competency suggestion: tokenising, stemming, synonyms, BM25F and
//! reference-role evidence. Pure: no files, no network, no clocks.
//!
//! ```
//! use framewright_search::{Document, Index, Query, RankingConfig, SuggestOptions, Synonyms};
//!
//! let docs = vec![
//!     Document { id: "t".into(), name: "execute software tests".into(), ..Default::default() },
//!     Document { id: "c".into(), name: "cook pasta".into(), ..Default::default() },
//! ];
//! let index = Index::build(docs, Synonyms::builtin()?)?;
//! let query = Query { title: "Software tester".into(), ..Default::default() };
//! let options = SuggestOptions { top: 10, ..Default::default() };
//! let results = index.suggest(&query, &options, &RankingConfig::default())?;
//! assert_eq!(results[0].id, "t");
//! println!("{}", results[0].evidence.why());
//! # Ok::<(), framewright_search::SearchError>(())
//! ```

mod config;
mod error;
mod index;
mod rank;
mod reference;
mod sense;
mod synonyms;
pub mod text;
mod types;

pub use config::RankingConfig;
pub use error::SearchError;
pub use index::{Field, Index};
pub use rank::{Evidence, Priors, QuerySource, RoleVote, SuggestOptions, Suggestion, TermMatch};
pub use reference::{IgnoredCompetency, ReferenceRoles};
pub use sense::{forms_compound, is_action_verb};
pub use synonyms::{BUILTIN_SYNONYMS_TOML, SynonymMatch, SynonymTerm, Synonyms};
pub use types::{Document, Query, ReferenceRole, RoleCompetency};
