//! `classify` output shape, review transitions (including refused ones), train and export.

use crate::util::*;

#[test]
fn classify_writes_one_line_per_input_with_the_documented_shape() {
    let env = Env::new();
    let input = env.write(
        "in.jsonl",
        "{\"id\":\"a\",\"text\":\"jalan di kayu tangi berlubang parah sudah sebulan tolong diperbaiki\"}\n\
         {\"id\":7,\"text\":\"selamat pagi pak wali semangat\",\"account\":\"walikota_bjm\"}\n\
         {\"id\":\"c\"}\n\
         {\"id\":\"d\",\"text\":\"banyu PDAM kada mengalir sejak subuh\"}\n",
    );
    let out = env.path("out.jsonl");
    let o = env.run(&[
        "classify",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "one bad line → exit 2: {}", stderr(&o));
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for l in &lines {
        assert!(l["complaint"].is_boolean());
        let s = l["complaint_score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s));
        let scores = l["agency_scores"].as_array().unwrap();
        assert_eq!(scores.len(), 3);
        assert!(scores[0][0].is_string() && scores[0][1].is_number());
        if l["complaint"] == true {
            assert!(l["agency"].is_string());
        } else {
            assert!(l["agency"].is_null());
        }
    }
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(lines[0]["complaint"], true);
    assert_eq!(lines[0]["agency"], "dinas-pupr");
    assert_eq!(lines[1]["complaint"], false);
}

#[test]
fn review_accept_reject_undo_and_refusals() {
    let env = Env::new();
    assert_eq!(code(&env.run(&["nightly"])), 0);
    let items = exported(&env);
    let flagged = ids_with_status(&items, "flagged");
    let dismissed = items
        .iter()
        .find(|i| i["status"] == "dismissed")
        .map(item_id)
        .unwrap();
    let (a, b) = (&flagged[0], &flagged[1]);

    let o = env.run(&["review", a, "--accept", "--agency", "dlh", "--by", "rina"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("accepted"));
    // accepting twice is refused with a clear message
    let o = env.run(&["review", a, "--accept", "--by", "rina"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("cannot move an item from `accepted` to `accepted`"),
        "{}",
        stderr(&o)
    );
    // a dismissed post cannot be accepted without being flagged first
    let o = env.run(&["review", &dismissed, "--accept", "--agency", "dlh"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("`dismissed` to `accepted`"),
        "{}",
        stderr(&o)
    );
    // unknown agency
    let o = env.run(&["review", b, "--accept", "--agency", "nasa"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("unknown agency `nasa`"));
    // reject then undo
    assert_eq!(
        code(&env.run(&["review", b, "--reject", "spam", "--by", "rina"])),
        0
    );
    assert_eq!(code(&env.run(&["review", b, "--undo", "--by", "rina"])), 0);
    let show = stdout(&env.run(&["queue", "show", b]));
    assert!(show.contains("rina reject flagged→rejected spam"), "{show}");
    assert!(show.contains("rina undo rejected→flagged"), "{show}");
    // the accepted item left the queue
    let list = stdout(&env.run(&["queue", "list", "--limit", "1000"]));
    assert!(!list.contains(a.as_str()));
    assert!(list.contains(b.as_str()));
    let accepted = stdout(&env.run(&["queue", "list", "--status", "accepted", "--agency", "dlh"]));
    assert!(accepted.contains(a.as_str()), "{accepted}");
    // csv export has a header and one row per item
    let o = env.run(&["export", "--format", "csv"]);
    let csv = stdout(&o);
    assert!(csv.starts_with("id,platform,created_at"));
}

#[test]
fn train_writes_a_model_that_classify_uses() {
    let env = Env::new();
    let mut data = String::new();
    let complaints = [
        "jalan rusak parah",
        "lampu jalan mati",
        "sampah numpuk bau",
        "air pdam mati lagi",
        "drainase mampet banjir",
        "jalan berlubang bahaya",
        "tps penuh sampah",
        "lampu pju padam",
    ];
    let others = [
        "selamat pagi pak wali",
        "terima kasih pak",
        "mantap acaranya",
        "semangat pagi",
        "info lowongan kerja",
        "selamat hari jadi",
        "keren banget",
        "sukses selalu",
    ];
    for t in complaints {
        data.push_str(&format!("{{\"text\":\"{t}\",\"label\":1}}\n"));
    }
    for t in others {
        data.push_str(&format!("{{\"text\":\"{t}\",\"label\":0}}\n"));
    }
    let ds = env.write("ds.jsonl", data);
    let out = env.path("models");
    let o = env.run(&[
        "train",
        "--dataset",
        ds.to_str().unwrap(),
        "--task",
        "complaint",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(out.join("complaint.json").exists());
    let input = env.write("in.jsonl", "{\"id\":1,\"text\":\"jalan rusak\"}\n");
    let o = env.run(&[
        "classify",
        "--input",
        input.to_str().unwrap(),
        "--model",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(l["complaint"], true);
    // agency model missing in DIR: the shipped one answers
    assert_eq!(l["agency_scores"].as_array().unwrap().len(), 3);
}
