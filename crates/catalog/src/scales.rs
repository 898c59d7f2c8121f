//! Built-in proficiency scales.

use framewright_model::ProficiencyScale;

use crate::BuiltInDataError;

const OPM_FIVE_LEVEL: &str = include_str!("../../../data/scales/opm-5.toml");

/// OPM's five proficiency levels (Awareness, Basic, Intermediate, Advanced, Expert): the
/// default scale of every new framework.
pub fn opm_five_level() -> Result<ProficiencyScale, BuiltInDataError> {
    toml::from_str(OPM_FIVE_LEVEL).map_err(|source| BuiltInDataError::Toml {
        file: "data/scales/opm-5.toml",
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scale_has_the_five_opm_levels_in_order() {
        let scale = opm_five_level().unwrap();
        let names: Vec<&str> = scale.levels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            ["Awareness", "Basic", "Intermediate", "Advanced", "Expert"]
        );
        for (i, level) in scale.levels.iter().enumerate() {
            assert_eq!(usize::from(level.level), i + 1);
            assert!(
                level.description.contains("guidance") || level.description.contains("consult")
            );
        }
    }
}
