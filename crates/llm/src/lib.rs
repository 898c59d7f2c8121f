//! Optional client for OpenAI-compatible chat endpoints used to refine generated wording.
