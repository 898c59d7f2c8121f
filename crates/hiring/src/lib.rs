//! Job analysis and skills-based hiring: SME ratings, criticality rules, blueprints, cut scores, category rating. Pure.
