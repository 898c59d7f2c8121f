//! Psychometric statistics: reliability, agreement, factor analysis, IRT, fairness, cut scores. Pure.
