//! Allocation budget of the analyzer, counted with a counting global allocator: a post whose
//! words need no change costs exactly one allocation (the token buffer) — no allocation per
//! token, per standard form, per stop-word check or per (cached) stem.

use dengar::text::Analyzer;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCS.load(Ordering::Relaxed);
    f();
    ALLOCS.load(Ordering::Relaxed) - before
}

#[test]
fn unchanged_and_lexicon_mapped_tokens_do_not_allocate() {
    let analyzer = Analyzer::new();
    // lowercase words, a mention, punctuation, an emoji, slang mapped to a standard form, a
    // Banjar phrase: none of them needs a new string
    let post =
        "jalan di depan rumah ulun rusak, yg lewat gak aman. wayah ini banyu naik 😡 @pupr_bjm";
    let run = || {
        let mut n = 0;
        analyzer.for_each_term(post, |t| {
            n += t.stem().len() + usize::from(t.is_stop());
        });
        std::hint::black_box(n);
    };
    run(); // warm up: lazy tables and the per-thread stem cache
    assert_eq!(
        allocations(run),
        1,
        "only the token buffer may be allocated"
    );

    // a changed token pays for its own new string, nothing else
    let shouty = "JALAN rusak";
    let _ = analyzer.tokens(shouty);
    assert_eq!(allocations(|| drop(analyzer.tokens(shouty))), 2);
}
