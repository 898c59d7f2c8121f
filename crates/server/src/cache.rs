//! Short-lived read caches for the two lookups almost every request makes: who the caller is
//! (token or session → principal) and a framework's current revision. Entries live for a few
//! seconds and are removed at once when this process changes the data behind them, so within
//! one server process they are exact; several processes sharing one PostgreSQL database may
//! see another's change up to `ttl` late on reads (writes are always checked against the
//! database: `If-Match` still refuses a stale change).

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A map whose entries expire after `ttl`, bounded to `capacity` entries (when full, it starts
/// again empty — the data is always in the database).
#[derive(Debug)]
pub struct TtlCache<V> {
    ttl: Duration,
    capacity: usize,
    map: RwLock<HashMap<String, (Instant, V)>>,
    /// Counts removals, so that a value read from the database before a change cannot be
    /// cached after it.
    generation: AtomicU64,
}

impl<V: Clone> TtlCache<V> {
    /// An empty cache. A zero `ttl` turns it off.
    pub fn new(ttl: Duration, capacity: usize) -> TtlCache<V> {
        TtlCache {
            ttl,
            capacity,
            map: RwLock::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }

    /// Take this before reading from the database; pass it to [`TtlCache::insert_if_unchanged`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Remembers `value` unless something was removed since `generation` was taken (the
    /// value may then be stale).
    pub fn insert_if_unchanged(&self, generation: u64, key: String, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut map) = self.map.write()
            && self.generation.load(Ordering::Acquire) == generation
        {
            if map.len() >= self.capacity {
                map.clear();
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    /// The value for `key`, if cached and fresh.
    pub fn get(&self, key: &str) -> Option<V> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.read().ok()?;
        let (at, value) = map.get(key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    /// Remembers `value` for `key`.
    pub fn insert(&self, key: String, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut map) = self.map.write() {
            if map.len() >= self.capacity {
                map.clear();
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    /// Forgets `key`.
    pub fn remove(&self, key: &str) {
        if let Ok(mut map) = self.map.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            map.remove(key);
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        if let Ok(mut map) = self.map.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_are_removed_and_bounded() {
        let cache = TtlCache::new(Duration::from_millis(50), 2);
        cache.insert("a".into(), 1);
        assert_eq!(cache.get("a"), Some(1));
        cache.remove("a");
        assert_eq!(cache.get("a"), None);
        cache.insert("a".into(), 1);
        cache.insert("b".into(), 2);
        cache.insert("c".into(), 3);
        assert_eq!(cache.get("a"), None, "full: started again");
        assert_eq!(cache.get("c"), Some(3));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("c"), None, "expired");
        let cache = TtlCache::new(Duration::from_secs(60), 10);
        let before = cache.generation();
        cache.remove("x");
        cache.insert_if_unchanged(before, "x".into(), 1);
        assert_eq!(cache.get("x"), None, "a removal in between: not cached");
        cache.insert_if_unchanged(cache.generation(), "x".into(), 2);
        assert_eq!(cache.get("x"), Some(2));
        let off = TtlCache::new(Duration::ZERO, 10);
        off.insert("a".into(), 1);
        assert_eq!(off.get("a"), None);
    }
}
