//! IRT placeholder
