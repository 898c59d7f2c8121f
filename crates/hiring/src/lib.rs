//! Job analysis and skills-based hiring, as the OPM guidance for AI positions asks for it: a job
//! analysis with SMEs (5 CFR 300.103; DEOH Appendix G), the documentation that links tasks to
//! competencies to assessments (29 CFR 1607), an assessment blueprint, cut scores, category
//! rating with veterans' preference (5 U.S.C. 3319), the direct-hire passing grade, and adverse
//! impact monitoring at each selection step.
//!
//! Pure: values in, values out. No files, clocks or randomness; the time a cut score was set is
//! passed in. Statistics (rwg, ICC, Angoff, adverse impact) come from `framewright-stats`.
//! Every type a store keeps or a server exchanges is `Serialize + Deserialize`.
//!
//! - [`survey`]: the job analysis, its inventory, SME panel and ratings, and their validation;
//! - [`parameters`]: the thresholds, named and changeable, with OPM's defaults;
//! - [`analysis`]: critical tasks, critical and retained competencies, each decision with its rule;
//! - [`ai_work`]: OPM's AI-work criteria with the analyst's answers;
//! - [`report`]: the documentation report (method, SMEs, scales, decisions, linkage, AI work);
//! - [`blueprint`]: assessment methods and weights per retained competency;
//! - [`cutscore`]: modified Angoff cut scores with SEM band, who set them and when;
//! - [`impact`]: adverse impact at each selection step and for the whole process;
//! - [`applicants`]: totals, category rating with veterans' preference, the direct-hire passing grade;
//! - [`scales`]: the rating scales and their anchors;
//! - [`cutoff`]: thresholds that say which way they compare.

pub mod agreement;
pub mod ai_work;
pub mod analysis;
pub mod applicants;
pub mod blueprint;
pub mod cutoff;
pub mod cutscore;
pub mod impact;
pub mod parameters;
pub mod report;
pub mod scales;
pub mod survey;

pub use analysis::{Analysis, AnalysisError, analyze};
pub use cutoff::Cutoff;
pub use parameters::AnalysisParameters;
pub use survey::{JobAnalysis, Ratings};
