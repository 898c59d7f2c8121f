//! Stable, readable identifiers made from names ("Integrity or Honesty" → `integrity-or-honesty`).

/// Lowercases `name` and turns every run of characters that are not ASCII letters or digits
/// into a single `-`, trimming dashes at both ends.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_dash = false;
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_follow_the_documented_rule() {
        assert_eq!(slugify("Integrity or Honesty"), "integrity-or-honesty");
        assert_eq!(slugify("Self-Management"), "self-management");
        assert_eq!(slugify("Values-Driven Design"), "values-driven-design");
        assert_eq!(slugify("  Data -- Analysis  "), "data-analysis");
        assert_eq!(slugify(""), "");
    }
}
