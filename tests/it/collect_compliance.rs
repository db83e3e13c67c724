//! The collector compliance suite: one generic scenario list run against every platform's mock
//! server through the real `dengar harvest` binary and a real sled store — several pages; a
//! second run that gets only new posts; the platform's rate limit then success; a rate limit
//! beyond `max_wait_secs` (stop, cursor kept, next run completes); 5xx then success; a malformed
//! body (that platform reported, another unaffected); an empty result; ids above 2^53; a
//! rejected token; and a crash (the process killed) between two pages, then a rerun with no
//! loss and no duplicates.

use crate::collect_util::mock_facebook::Facebook;
use crate::collect_util::mock_instagram::Instagram;
use crate::collect_util::mock_mastodon::Mastodon;
use crate::collect_util::mock_x::X;
use crate::collect_util::mock_youtube::Youtube;
use crate::collect_util::*;

fn setup<P: MockPlatform>(mock: &Mock) -> Setup {
    Setup::new(&[P::section(&mock.base_url)], &[P::TOKEN])
}

fn no_token_leak<P: MockPlatform>(run: &Run) {
    assert!(
        !run.stdout.contains(P::TOKEN.1) && !run.stderr.contains(P::TOKEN.1),
        "the token leaked into the output"
    );
}

fn several_pages<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let items = mock.add(14);
    let s = setup::<P>(&mock);
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(s.stored(), set(P::expected(&items)));
    assert_eq!(run.count(P::NAME, "new"), 14, "{run:?}");
    assert_eq!(run.count(P::NAME, "read"), 14, "{run:?}");
    assert!(run.errors(P::NAME).is_empty(), "{run:?}");
    let pages = run.report(P::NAME)["platform"]["pages"].as_u64().unwrap();
    assert!(pages >= 3, "expected several pages, got {pages}");
    no_token_leak::<P>(&run);
}

fn second_run_gets_only_new_posts<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    mock.add(7);
    let s = setup::<P>(&mock);
    let first = s.harvest(&[]);
    assert_eq!(first.code, Some(0), "{first:?}");
    assert_eq!(first.count(P::NAME, "new"), 7);
    mock.add(4);
    let all = mock.state.lock().unwrap().items.clone();
    let second = s.harvest(&[]);
    assert_eq!(second.code, Some(0), "{second:?}");
    assert_eq!(second.count(P::NAME, "new"), 4, "{second:?}");
    assert_eq!(second.count(P::NAME, "read"), 4, "{second:?}");
    assert_eq!(second.count(P::NAME, "known"), 0, "{second:?}");
    assert_eq!(s.stored(), set(P::expected(&all)));
    // a third run with nothing new hands over nothing
    let third = s.harvest(&[]);
    assert_eq!(third.code, Some(0));
    assert_eq!(third.count(P::NAME, "read"), 0, "{third:?}");
}

fn rate_limit_then_success<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let items = mock.add(8);
    mock.fault(2, Fault::RateLimit);
    let s = setup::<P>(&mock);
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(s.stored(), set(P::expected(&items)));
    let retries = run.report(P::NAME)["platform"]["retries"].as_u64().unwrap();
    assert!(retries >= 1, "{run:?}");
}

fn long_rate_limit_stops_and_keeps_the_cursor<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let items = mock.add(10);
    mock.fault(3, Fault::RateLimitLong);
    let s = setup::<P>(&mock);
    let first = s.harvest(&[]);
    assert_eq!(first.code, Some(2), "{first:?}");
    let why = first.failed(P::NAME).unwrap_or_default();
    assert!(
        why.contains("rate limited") || why.contains("quota"),
        "{why}"
    );
    let partial = s.stored();
    assert!(partial.len() < items.len(), "{partial:?}");
    // the next run finishes the job without losing or duplicating anything
    let second = s.harvest(&[]);
    assert_eq!(second.code, Some(0), "{second:?}");
    assert_eq!(s.stored(), set(P::expected(&items)));
    assert_eq!(
        first.count(P::NAME, "new") + second.count(P::NAME, "new"),
        items.len() as u64
    );
}

fn server_errors_then_success<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let items = mock.add(8);
    mock.fault(2, Fault::ServerError);
    mock.fault(3, Fault::ServerError);
    let s = setup::<P>(&mock);
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(s.stored(), set(P::expected(&items)));
    let retries = run.report(P::NAME)["platform"]["retries"].as_u64().unwrap();
    assert!(retries >= 2, "{run:?}");
}

/// A malformed body on `P` while `Q` runs alongside: `P` is reported, `Q` unaffected.
fn malformed_body_is_reported_and_others_unaffected<P: MockPlatform, Q: MockPlatform>() {
    let bad = Mock::start::<P>();
    bad.add(6);
    bad.fault(2, Fault::Malformed);
    let good = Mock::start::<Q>();
    let good_items = good.add(6);
    let s = Setup::new(
        &[P::section(&bad.base_url), Q::section(&good.base_url)],
        &[P::TOKEN, Q::TOKEN],
    );
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(2), "{run:?}");
    let reported = run.errors(P::NAME).join("\n") + &run.failed(P::NAME).unwrap_or_default();
    assert!(reported.contains("malformed"), "{run:?}");
    assert!(
        run.errors(Q::NAME).is_empty() && run.failed(Q::NAME).is_none(),
        "{run:?}"
    );
    let stored = s.stored();
    for id in Q::expected(&good_items) {
        assert!(stored.contains(&id), "{id} missing");
    }
    // the malformed page moved no cursor: once the platform answers properly, all comes in
    let rerun = s.harvest(&["--platform", P::NAME]);
    assert_eq!(rerun.code, Some(0), "{rerun:?}");
    let all = bad.state.lock().unwrap().items.clone();
    let stored = s.stored();
    for id in P::expected(&all) {
        assert!(stored.contains(&id), "{id} missing after the rerun");
    }
}

fn empty_result<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let s = setup::<P>(&mock);
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(s.stored().is_empty());
    assert_eq!(run.count(P::NAME, "read"), 0);
    assert!(run.errors(P::NAME).is_empty());
}

fn ids_above_2_pow_53<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let items = mock.add(9);
    let s = setup::<P>(&mock);
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let expected = P::expected(&items);
    let stored = s.stored();
    assert_eq!(stored, set(expected.clone()));
    // distinct as strings, even where they are one and the same f64
    assert_eq!(stored.len(), 9);
    for id in &expected {
        let native = id.split_once(':').unwrap().1;
        let digits: String = native
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.len() >= 16 {
            let n: u128 = digits.chars().rev().collect::<String>().parse().unwrap();
            assert!(n > 1u128 << 53, "{id}");
        }
    }
}

fn rejected_token<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    mock.add(4);
    let mut s = setup::<P>(&mock);
    s.env = vec![(P::TOKEN.0.to_string(), "wrong-token-Qx7".to_string())];
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(2), "{run:?}");
    let reported = run.errors(P::NAME).join("\n") + &run.failed(P::NAME).unwrap_or_default();
    assert!(
        reported.contains("rejected") || reported.contains("keyInvalid"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("wrong-token-Qx7") && !run.stderr.contains("wrong-token-Qx7"));
    assert!(s.stored().is_empty());
    // and without the variable at all, the platform says which variable is missing
    s.env.clear();
    let run = s.harvest(&[]);
    assert_eq!(run.code, Some(2));
    assert!(run.failed(P::NAME).unwrap().contains(P::TOKEN.0), "{run:?}");
}

fn crash_between_pages_loses_and_duplicates_nothing<P: MockPlatform>() {
    let mock = Mock::start::<P>();
    let items = mock.add(10);
    mock.state.lock().unwrap().hang_on_next_page = true;
    let s = setup::<P>(&mock);
    let mut child = s.command(&["harvest", "--json"]).spawn().expect("spawn");
    wait_for("the second page request", || {
        mock.state.lock().unwrap().hanging
    });
    child.kill().expect("kill");
    child.wait().expect("wait");
    let after_crash = s.stored();
    assert!(
        !after_crash.is_empty() && after_crash.len() < items.len(),
        "the first page should be stored, not everything: {after_crash:?}"
    );
    {
        let mut st = mock.state.lock().unwrap();
        st.released = true;
        st.hang_on_next_page = false;
    }
    let rerun = s.harvest(&[]);
    assert_eq!(rerun.code, Some(0), "{rerun:?}");
    let stored = s.stored();
    assert_eq!(stored, set(P::expected(&items)), "no loss");
    assert_eq!(stored.len(), items.len(), "no duplicates");
    assert_eq!(
        rerun.count(P::NAME, "new") as usize,
        items.len() - after_crash.len(),
        "{rerun:?}"
    );
}

macro_rules! compliance {
    ($name:ident, $p:ty, $other:ty) => {
        mod $name {
            use super::*;

            #[test]
            fn several_pages() {
                super::several_pages::<$p>()
            }
            #[test]
            fn second_run_gets_only_new_posts() {
                super::second_run_gets_only_new_posts::<$p>()
            }
            #[test]
            fn rate_limit_then_success() {
                super::rate_limit_then_success::<$p>()
            }
            #[test]
            fn long_rate_limit_stops_and_keeps_the_cursor() {
                super::long_rate_limit_stops_and_keeps_the_cursor::<$p>()
            }
            #[test]
            fn server_errors_then_success() {
                super::server_errors_then_success::<$p>()
            }
            #[test]
            fn malformed_body_is_reported_and_others_unaffected() {
                super::malformed_body_is_reported_and_others_unaffected::<$p, $other>()
            }
            #[test]
            fn empty_result() {
                super::empty_result::<$p>()
            }
            #[test]
            fn ids_above_2_pow_53() {
                super::ids_above_2_pow_53::<$p>()
            }
            #[test]
            fn rejected_token() {
                super::rejected_token::<$p>()
            }
            #[test]
            fn crash_between_pages_loses_and_duplicates_nothing() {
                super::crash_between_pages_loses_and_duplicates_nothing::<$p>()
            }
        }
    };
}

compliance!(x, X, Mastodon);
compliance!(instagram, Instagram, X);
compliance!(facebook, Facebook, Youtube);
compliance!(youtube, Youtube, Facebook);
compliance!(mastodon, Mastodon, Instagram);
