//! Built-in catalogues (the OPM AI Competency Model 2024) and the generic catalogue CSV form. Pure: data is embedded.
