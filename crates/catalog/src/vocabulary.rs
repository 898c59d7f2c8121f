//! The built-in lint vocabulary: observable verbs by Bloom level, refused verbs and vague
//! terms (`data/lint/`).

use framewright_model::lint::{Vocabulary, VocabularyError};

use crate::BuiltInDataError;

const VERBS: &str = include_str!("../../../data/lint/verbs.toml");
const VAGUE: &str = include_str!("../../../data/lint/vague-terms.toml");

/// The vocabulary `framewright lint` uses.
pub fn builtin_vocabulary() -> Result<Vocabulary, BuiltInDataError> {
    Vocabulary::from_toml(VERBS, VAGUE).map_err(|e| match e {
        VocabularyError::Toml { file, source } => BuiltInDataError::Toml { file, source },
        other => BuiltInDataError::Inconsistent {
            file: "data/lint/verbs.toml",
            message: other.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use framewright_model::text::words;

    #[test]
    fn the_builtin_vocabulary_reads_and_knows_common_verbs() {
        let v = builtin_vocabulary().unwrap();
        assert!(v.verb_count() > 150, "{}", v.verb_count());
        for verb in [
            "identifies",
            "explains",
            "applies",
            "analyses",
            "evaluates",
            "designs",
            "assesses",
        ] {
            assert!(v.bloom_level(verb).is_some(), "{verb}");
        }
        assert!(v.bloom_level("identifies") < v.bloom_level("designs"));
        assert!(v.refused_start(&words("Understands the model")).is_some());
        assert!(v.refused_start(&words("Is aware of risks")).is_some());
        let vague: Vec<&str> = v.vague_terms().iter().map(|t| t.term.as_str()).collect();
        for term in ["basic", "advanced", "good", "strong", "various", "etc."] {
            assert!(vague.contains(&term), "{term}");
        }
    }
}
