//! Byte layout of index keys.
//!
//! Queue keys sort in review order inside a status: urgent first, then by descending complaint
//! probability, then by id. `[status:1][not_urgent:1][rank:4 BE][id bytes]`.

use crate::model::{Item, Status};

/// The queue-index key of an item in its current state.
pub fn queue_key(item: &Item) -> Vec<u8> {
    let (urgent, score) = match &item.prediction {
        Some(p) => (p.urgent, p.complaint_score),
        None => (false, 0.0),
    };
    queue_key_parts(item.status, urgent, score, item.post.id().as_str())
}

/// Builds a queue key from its parts.
pub fn queue_key_parts(status: Status, urgent: bool, score: f32, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(6 + id.len());
    k.push(status.code());
    k.push(if urgent { 0 } else { 1 });
    let s = score.clamp(0.0, 1.0);
    let rank = u32::MAX - (s as f64 * u32::MAX as f64) as u32;
    k.extend_from_slice(&rank.to_be_bytes());
    k.extend_from_slice(id.as_bytes());
    k
}

/// The item id at the end of a queue key.
pub fn id_of_queue_key(k: &[u8]) -> String {
    String::from_utf8_lossy(k.get(6..).unwrap_or_default()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_then_higher_score_sorts_first() {
        let a = queue_key_parts(Status::Flagged, true, 0.6, "x:1");
        let b = queue_key_parts(Status::Flagged, false, 0.99, "x:2");
        let c = queue_key_parts(Status::Flagged, false, 0.7, "x:3");
        let d = queue_key_parts(Status::Accepted, true, 1.0, "x:4");
        let mut v = [d.clone(), c.clone(), b.clone(), a.clone()];
        v.sort();
        assert_eq!(v, [a, b, c, d]);
        assert_eq!(id_of_queue_key(&v[0]), "x:1");
    }
}
