//! Domain model of competency frameworks: catalogues, competencies, scales, indicators, role profiles, relations; validation and lint. Pure: no I/O.
