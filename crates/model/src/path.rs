//! Field paths inside a framework (`competencies[2].levels[0].level`), so that every problem
//! can name the field it is about — and adapters can turn the path into a line number.

use std::fmt;

/// One step of a path: a key of an object or an index into a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A named field.
    Key(String),
    /// A position in a list (0-based).
    Index(usize),
}

/// A path from the root of a framework to one field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    /// The root (the whole document).
    pub fn root() -> FieldPath {
        FieldPath(Vec::new())
    }

    /// This path followed by the field `key`.
    pub fn key(&self, key: &str) -> FieldPath {
        let mut next = self.0.clone();
        next.push(Segment::Key(key.to_string()));
        FieldPath(next)
    }

    /// This path followed by the list position `index`.
    pub fn index(&self, index: usize) -> FieldPath {
        let mut next = self.0.clone();
        next.push(Segment::Index(index));
        FieldPath(next)
    }

    /// Shorthand for `.key(key).index(index)`.
    pub fn item(&self, key: &str, index: usize) -> FieldPath {
        self.key(key).index(index)
    }

    /// The path as a JSON Pointer (RFC 6901), e.g. `/competencies/2/levels/0/level`.
    pub fn json_pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            out.push('/');
            match segment {
                Segment::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// Whether this is the root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if n == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_as_fields_and_pointers() {
        let p = FieldPath::root()
            .item("competencies", 2)
            .item("levels", 0)
            .key("level");
        assert_eq!(p.to_string(), "competencies[2].levels[0].level");
        assert_eq!(p.json_pointer(), "/competencies/2/levels/0/level");
        assert_eq!(FieldPath::root().to_string(), "(document)");
    }
}
