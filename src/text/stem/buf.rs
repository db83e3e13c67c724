//! A small copyable word buffer on the stack, so trying a stripping rule never allocates.

/// Longest word the stemmer works on (bytes); longer words are returned unchanged.
pub const MAX_WORD: usize = 40;

/// An ASCII word of at most [`MAX_WORD`] bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Buf {
    len: u8,
    bytes: [u8; MAX_WORD],
}

impl std::fmt::Debug for Buf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Buf {
    /// `a` followed by `b`, or `None` when too long.
    #[inline]
    pub fn concat(a: &[u8], b: &[u8]) -> Option<Buf> {
        let n = a.len() + b.len();
        if n > MAX_WORD {
            return None;
        }
        let mut bytes = [0u8; MAX_WORD];
        bytes[..a.len()].copy_from_slice(a);
        bytes[a.len()..n].copy_from_slice(b);
        Some(Buf {
            len: n as u8,
            bytes,
        })
    }

    /// A copy of `s`, or `None` when too long.
    #[inline]
    pub fn new(s: &[u8]) -> Option<Buf> {
        Buf::concat(s, b"")
    }

    /// The bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// The text (the stemmer only builds buffers from ASCII words, so this never fails; a
    /// non-UTF-8 buffer would read as empty rather than panic).
    #[inline]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.len as usize
    }
}
