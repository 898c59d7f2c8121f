//! Text retrieval for competency suggestion: tokenising, stemming, synonyms, BM25 and reference-role evidence. Pure.
