//! The framework generator: a role in, a cited, lint-clean competency framework out. Pure.
