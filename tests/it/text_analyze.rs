//! `dengar analyze` end to end: drives the binary and checks that the JSON tokens cover the
//! text exactly, carry the normalised forms and stems, and that bad input is reported.

use crate::util::run_with_stdin;
use std::process::Command;

fn dengar() -> Command {
    let mut c = Command::new(crate::util::bin());
    c.env_remove("DENGAR_CONFIG").env_remove("DENGAR_DATA_DIR");
    c
}

#[derive(serde::Deserialize)]
struct Tok {
    kind: String,
    start: usize,
    end: usize,
    text: String,
    norm: String,
    stem: Option<String>,
    stop: bool,
}

#[test]
fn json_tokens_cover_the_text_with_norms_and_stems() {
    let text = "Pian, wayah ini banyu PDAM kada mengalir!!! Tolonggg lakas diperbaiki 🙏 @pdam_bjm Rp 50.000,-";
    let out = dengar().args(["analyze", "--json", text]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toks: Vec<Tok> = serde_json::from_slice(&out.stdout).unwrap();
    let rebuilt: String = toks.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(rebuilt, text);
    let mut pos = 0;
    for t in &toks {
        assert_eq!(t.start, pos);
        assert_eq!(&text[t.start..t.end], t.text);
        pos = t.end;
    }
    let find = |surface: &str| toks.iter().find(|t| t.text == surface).unwrap();
    assert_eq!(find("banyu").norm, "air");
    assert_eq!(find("kada").norm, "tidak");
    assert!(!find("kada").stop);
    assert_eq!(find("Tolonggg").norm, "tolong");
    assert_eq!(find("ini").norm, "", "absorbed into the phrase `wayah ini`");
    assert_eq!(find("wayah").norm, "sekarang");
    assert_eq!(find("diperbaiki").stem.as_deref(), Some("baik"));
    assert_eq!(find("Rp 50.000,-").kind, "amount");
    assert_eq!(find("Rp 50.000,-").norm, "50000");
    assert_eq!(find("🙏").kind, "emoji");
    assert!(find("@pdam_bjm").stem.is_none());
}

#[test]
fn table_output_and_lines_mode() {
    let out = dengar()
        .args(["analyze", "jalan berlubang"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("berlubang") && table.contains("lubang"),
        "{table}"
    );

    let out = run_with_stdin(
        dengar().args(["analyze", "--lines", "--json"]),
        b"anak2 main\nkada\xff ada\n",
    );
    // the invalid line is still analyzed, but reported and the exit code says so
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 2);
    let first: Vec<Tok> = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first[0].norm, "anak-anak");
    assert_eq!(first[0].stem.as_deref(), Some("anak"));
}

#[test]
fn configured_root_list_is_used_and_a_missing_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let roots = dir.path().join("roots.txt");
    std::fs::write(&roots, "sapu\n").unwrap();
    let config = dir.path().join("dengar.toml");
    std::fs::write(
        &config,
        format!("[text]\nroot_words = {:?}\n", roots.display().to_string()),
    )
    .unwrap();
    let out = dengar()
        .args([
            "--config",
            config.to_str().unwrap(),
            "analyze",
            "--json",
            "menyapu diperbaiki",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toks: Vec<Tok> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(toks[0].stem.as_deref(), Some("sapu"));
    // `baik` is not in this list
    assert_eq!(toks[2].stem.as_deref(), Some("diperbaiki"));

    std::fs::remove_file(&roots).unwrap();
    let out = dengar()
        .args(["--config", config.to_str().unwrap(), "analyze", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("roots.txt"));
}
