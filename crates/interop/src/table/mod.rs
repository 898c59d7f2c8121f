//! Tables read from files: the statistics table ([`stats`]) and the streaming reader of
//! delimited text the catalogue importers use ([`text`]).

pub mod stats;
pub(crate) mod text;

pub use stats::*;
