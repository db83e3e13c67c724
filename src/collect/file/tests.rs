//! File import tests on hand-written fixtures.

use super::*;

fn watched() -> HashSet<String> {
    ["pemkot_bjm", "pupr_bjm"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn parse(bytes: &[u8], format: Format) -> (Vec<Post>, Vec<LineError>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    parse_lines(bytes, format, &watched(), |r| match r {
        Ok(p) => ok.push(p),
        Err(e) => bad.push(e),
    });
    (ok, bad)
}

#[test]
fn jsonl_posts_with_bad_lines_reported_by_number() {
    let mut input = Vec::new();
    input.extend_from_slice(br#"{"platform":"instagram","native_id":"1","author_handle":"a","text":"jalan rusak @pupr_bjm","created_at":"2026-11-20T01:00:00Z"}"#);
    input.extend_from_slice(b"\n{not json\n");
    input.extend_from_slice(b"{\"platform\":\"x\",\"native_id\":\"2\",\"text\":\"ok \xff\xfe\",\"created_at\":\"2026-11-20T01:00:00Z\"}\n");
    input.extend_from_slice(br#"{"platform":"x","native_id":"3","text":"no time"}"#);
    input.extend_from_slice(b"\n\n");
    input.extend_from_slice(br#"{"platform":"x","native_id":"4","author_handle":"b","text":"sampah numpuk","created_at":"2026-11-20T02:00:00Z"}"#);
    let (ok, bad) = parse(&input, Format::Auto);
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].account.as_deref(), Some("pupr_bjm"));
    let lines: Vec<usize> = bad.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4]);
    assert!(bad[0].reason.contains("JSON"));
    assert!(bad[1].reason.contains("UTF-8"));
    assert!(bad[2].reason.contains("created_at"));
}

#[test]
fn huge_post_is_refused_with_its_size() {
    let text = "a".repeat(MAX_TEXT_BYTES + 1);
    let line = format!(
        r#"{{"platform":"x","native_id":"9","text":"{text}","created_at":"2026-11-20T01:00:00Z"}}"#
    );
    let (ok, bad) = parse(line.as_bytes(), Format::Auto);
    assert!(ok.is_empty());
    assert!(bad[0].reason.contains("byte limit"), "{}", bad[0].reason);
}

#[test]
fn csv_with_extra_columns_and_bad_rows() {
    let csv = "id,created_at,author,text,url,likes\n\
               10,2026-11-20 08:00:00,@warga1,\"lampu PJU mati, gelap\",https://www.instagram.com/p/abc/,5\n\
               11,kemarin,warga2,air mati,,0\n\
               12,2026-11-21T09:00:00+08:00,warga3,\"banjir @pemkot_bjm\",https://x.com/warga3/status/12,1\n\
               ,2026-11-21T09:00:00Z,warga4,no id,,\n";
    let (ok, bad) = parse(csv.as_bytes(), Format::Csv);
    assert_eq!(ok.len(), 2, "{bad:?}");
    assert_eq!(ok[0].platform, Platform::Instagram);
    assert_eq!(ok[0].author_handle, "warga1");
    assert_eq!(ok[0].text, "lampu PJU mati, gelap");
    assert_eq!(ok[1].platform, Platform::X);
    assert_eq!(ok[1].created_at.to_rfc3339(), "2026-11-21T01:00:00+00:00");
    assert_eq!(ok[1].account.as_deref(), Some("pemkot_bjm"));
    assert_eq!(bad.len(), 2);
    assert_eq!(bad[0].line, 3);
    assert!(bad[0].reason.contains("created_at"));
    assert!(bad[1].reason.contains("id"));
}

#[test]
fn csv_without_required_columns_says_which() {
    let (ok, bad) = parse(b"foo,bar\n1,2\n", Format::Csv);
    assert!(ok.is_empty());
    assert!(bad[0].reason.contains("`id` and `text`"));
}

#[test]
fn twarc2_pages_resolve_authors_and_long_text() {
    // our own fixture in the shape of an X API v2 search response page written by twarc2
    let page = r#"{"data":[{"id":"1862000000000000001","text":"@pemkot_bjm jalan di depan pasar lima rusak…","note_tweet":{"text":"@pemkot_bjm jalan di depan pasar lima rusak parah, sudah dua bulan kada diperbaiki"},"author_id":"501","created_at":"2026-11-20T03:04:05.000Z","entities":{"mentions":[{"start":0,"end":11,"username":"pemkot_bjm","id":"77"}]}},{"id":"1862000000000000002","text":"setuju","author_id":"502","created_at":"2026-11-20T03:10:00.000Z","referenced_tweets":[{"type":"replied_to","id":"1862000000000000001"}]}],"includes":{"users":[{"id":"501","username":"acil_bjm","name":"Acil"},{"id":"502","username":"julak","name":"Julak"}]},"meta":{"result_count":2,"newest_id":"1862000000000000002"},"__twarc":{"url":"https://api.x.com/2/tweets/search/recent?query=x","version":"2.14.0"}}"#;
    let (ok, bad) = parse(page.as_bytes(), Format::Auto);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].native_id, "1862000000000000001");
    assert!(ok[0].text.contains("kada diperbaiki"));
    assert_eq!(ok[0].author_handle, "acil_bjm");
    assert_eq!(ok[0].account.as_deref(), Some("pemkot_bjm"));
    assert_eq!(
        ok[0].url.as_deref(),
        Some("https://x.com/acil_bjm/status/1862000000000000001")
    );
    assert_eq!(ok[1].reply_to.as_deref(), Some("1862000000000000001"));
}

#[test]
fn times_in_export_formats() {
    assert!(parse_time("2026-11-20T08:00:00+0000").is_some());
    assert!(parse_time("2026-11-20 08:00:00").is_some());
    assert!(parse_time("1763625600").is_some());
    assert!(parse_time("besok").is_none());
}

#[test]
fn lines_are_read_across_buffer_edges_and_long_ones_skipped() {
    let input = b"short\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\nlast without newline";
    // a 4-byte buffer makes every line span several reads
    let mut reader = std::io::BufReader::with_capacity(4, &input[..]);
    let mut seen = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match read_line(&mut reader, &mut buf, 20).unwrap() {
            Line::End => break,
            Line::TooLong(n) => seen.push(format!("too long {n}")),
            Line::Read => seen.push(String::from_utf8(buf.clone()).unwrap()),
        }
    }
    assert_eq!(seen, ["short\r", "too long 40", "", "last without newline"]);
}

#[test]
fn streamed_file_matches_in_memory_parse_and_keeps_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let body = "\u{feff}{\"platform\":\"x\",\"native_id\":\"1\",\"text\":\"jalan rusak\",\"created_at\":\"2026-11-20T01:00:00Z\"}\n\
                not json\n\
                {\"platform\":\"x\",\"native_id\":\"2\",\"text\":\"@pupr_bjm lubang\",\"created_at\":\"2026-11-20T01:00:00Z\"}";
    let path = dir.path().join("posts.jsonl");
    std::fs::write(&path, body).unwrap();
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    read_file(&path, &watched(), |r| match r {
        Ok(p) => ok.push(p),
        Err(e) => bad.push(e),
    })
    .unwrap();
    let (ok2, bad2) = parse(body.as_bytes(), Format::Auto);
    assert_eq!(ok, ok2);
    assert_eq!(bad, bad2);
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[1].account.as_deref(), Some("pupr_bjm"));
    assert_eq!(bad[0].line, 2);
}

proptest::proptest! {
    /// Streaming a file gives exactly what parsing it in memory gives, whatever the bytes
    /// (invalid UTF-8, stray `\r`, empty lines, no final newline) and the buffer size.
    #[test]
    fn streaming_matches_in_memory_parsing(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::collection::vec(proptest::num::u8::ANY, 0..40),
                proptest::strategy::Just(br#"{"platform":"x","native_id":"7","text":"jalan rusak","created_at":"2026-11-20T01:00:00Z"}"#.to_vec()),
                proptest::strategy::Just(b"\r".to_vec()),
            ],
            0..12,
        ),
        cap in 1usize..64,
        final_newline in proptest::bool::ANY,
    ) {
        let mut body: Vec<u8> = lines.join(&b'\n');
        if final_newline {
            body.push(b'\n');
        }
        let mut streamed = Vec::new();
        let mut reader = std::io::BufReader::with_capacity(cap, &body[..]);
        let mut buf = Vec::new();
        let mut line_no = 0;
        loop {
            buf.clear();
            line_no += 1;
            match read_line(&mut reader, &mut buf, MAX_LINE_BYTES).unwrap() {
                Line::End => break,
                Line::TooLong(_) => unreachable!("short lines"),
                Line::Read => parse_line(&buf, line_no, &watched(), &mut |r| streamed.push(r)),
            }
        }
        let mut whole = Vec::new();
        parse_lines(&body, Format::Auto, &watched(), |r| whole.push(r));
        proptest::prop_assert_eq!(streamed, whole);
    }
}
