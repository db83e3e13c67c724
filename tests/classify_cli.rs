//! The classifier from the command line: `classify` output (reasons with spans, near-duplicate
//! groups), `train` + `eval` on a small hand-written dataset, and `train --from-reviews`.

mod util;
use util::*;

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn classify_gives_reasons_with_spans_and_near_duplicate_groups() {
    let env = Env::new();
    let flood = "Banjir setinggi lutut di Jl. Veteran depan pasar, motor banyak yang mogok, \
                 saluran tersumbat sampah dari kemarin sore, tolong dikeruk";
    let rows = [
        serde_json::json!({"id": "a", "text": flood, "account": "pemkot_bjm"}),
        serde_json::json!({"id": "b", "text": format!("RT @warga_bjm: {flood}")}),
        serde_json::json!({"id": "c", "text": format!("{flood} https://t.co/xyz")}),
        serde_json::json!({"id": "d", "text": "Lampu jalan di gang Mawar mati total sejak minggu lalu, gelap sekali kalau malam \"tolong\" 😡"}),
        serde_json::json!({"id": 5, "text": "selamat pagi pak wali, semangat terus"}),
    ];
    let input = env.write(
        "in.jsonl",
        rows.iter()
            .map(|r| r.to_string() + "\n")
            .collect::<String>(),
    );
    let out = env.path("out.jsonl");
    let o = env.run(&[
        "classify",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = lines(&out);
    assert_eq!(got.len(), 5);
    // ids are echoed exactly, numbers stay numbers
    assert_eq!(got[0]["id"], "a");
    assert_eq!(got[4]["id"], 5);
    // the flood and its copies share a group; the street light and the greeting do not
    let g = |i: usize| got[i]["dup_group"].as_str().unwrap().to_string();
    assert!(g(0).starts_with('g'));
    assert_eq!(g(0), g(1));
    assert_eq!(g(0), g(2));
    assert_ne!(g(0), g(3));
    assert_ne!(g(3), g(4));
    // reasons point into the text that was sent
    for (row, l) in rows.iter().zip(&got) {
        let text = row["text"].as_str().unwrap();
        let reasons = l["reasons"].as_array().unwrap();
        for r in reasons {
            if let Some(span) = r["span"].as_array() {
                let (s, e) = (
                    span[0].as_u64().unwrap() as usize,
                    span[1].as_u64().unwrap() as usize,
                );
                assert_eq!(&text[s..e], r["feature"].as_str().unwrap(), "{l}");
            }
            assert!(r["weight"].is_number());
        }
        let s = l["complaint_score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s));
        assert_eq!(l["agency_scores"].as_array().unwrap().len(), 3);
    }
    assert_eq!(got[0]["complaint"], true, "{}", got[0]);
    assert_eq!(got[4]["complaint"], false, "{}", got[4]);
    assert!(got[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["weight"].as_f64().unwrap() > 0.0));
}

/// Words only row `id` has, so rows are not near duplicates of one another.
fn unique(id: usize) -> String {
    (0..8).map(|k| format!("w{id}x{k} ")).collect()
}

/// A small labeled dataset written for this test: complaints and non-complaints in two
/// periods, in the shape of the evaluation files (`id,split,text,label`, `agency`).
fn dataset(env: &Env) -> std::path::PathBuf {
    let problems = [
        ("jalan berlubang dalam", "dinas-pupr"),
        ("saluran got mampet", "dinas-pupr"),
        ("sampah menumpuk di tps", "dlh"),
        ("sampah tidak diangkut", "dlh"),
        ("air pdam mati", "pdam"),
        ("air ledeng keruh", "pdam"),
    ];
    let places = [
        "kelayan",
        "pekapuran",
        "sungai miai",
        "teluk dalam",
        "alalak",
        "belitung",
    ];
    let chatter = [
        "terima kasih pak wali atas acaranya",
        "selamat pagi warga banjarmasin",
        "mantap pelayanannya cepat sekali",
        "kapan jadwal pasar murah pak",
        "semangat terus untuk tim kebersihan",
        "info lowongan kerja di kantor kota",
    ];
    let mut w = csv::Writer::from_path(env.path("data.csv")).unwrap();
    w.write_record(["id", "split", "text", "label", "agency"])
        .unwrap();
    let mut id = 0;
    for split in ["train", "train", "train", "test"] {
        for (i, place) in places.iter().enumerate() {
            let (p, agency) = problems[(i + id) % problems.len()];
            id += 1;
            w.write_record([
                &id.to_string(),
                split,
                &format!("{p} di {place} sudah seminggu tolong {}", unique(id)),
                "1",
                agency,
            ])
            .unwrap();
            id += 1;
            w.write_record([
                &id.to_string(),
                split,
                &format!(
                    "{} {place} {}",
                    chatter[(i + id) % chatter.len()],
                    unique(id)
                ),
                "0",
                "",
            ])
            .unwrap();
        }
    }
    w.flush().unwrap();
    env.path("data.csv")
}

#[test]
fn eval_and_train_use_the_same_model_format() {
    let env = Env::new();
    let data = dataset(&env);
    let data_s = data.to_str().unwrap();
    let quick = [
        "--alphas",
        "0.5",
        "--idf",
        "false",
        "--block-norm",
        "true",
        "--class-weight",
        "none",
    ];
    let mut args = vec!["eval", "--dataset", data_s, "--task", "complaint", "--json"];
    args.extend(quick);
    let neg = env.write(
        "neg.csv",
        "id,split,text,label\n1,test,resep kue bolu enak sekali,0\n",
    );
    args.extend(["--negatives", neg.to_str().unwrap()]);
    let o = env.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(r["complaint"]["f1"].as_f64().unwrap() > 0.8, "{r}");
    assert!(r["calibration"]["ece"].is_number());
    assert_eq!(r["calibration"]["bins"].as_array().unwrap().len(), 10);
    assert!(r["false_alarm_rate"].is_number());
    assert!(r["selection"]["folds"].as_array().unwrap().len() >= 3);
    // agency
    let mut args = vec!["eval", "--dataset", data_s, "--task", "agency", "--json"];
    args.extend(quick);
    let o = env.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(r["agency"]["top3"].as_f64().unwrap() > 0.9, "{r}");
    // train both models into a directory and classify with them
    let models = env.path("models");
    for task in ["complaint", "agency"] {
        let mut args = vec![
            "train",
            "--dataset",
            data_s,
            "--task",
            task,
            "--split",
            "train",
            "--out",
            models.to_str().unwrap(),
        ];
        args.extend(quick);
        let o = env.run(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(models.join("complaint.json")).unwrap())
            .unwrap();
    assert_eq!(m["version"], 2);
    assert!(m["calibration"]["a"].is_number());
    assert!(m["threshold"].is_number());
    let input = env.write(
        "in.jsonl",
        "{\"id\":1,\"text\":\"sampah tidak diangkut di kelayan sudah seminggu tolong\"}\n",
    );
    let out = env.path("out.jsonl");
    let o = env.run(&[
        "classify",
        "--model",
        models.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = lines(&out);
    assert_eq!(got[0]["complaint"], true, "{}", got[0]);
    assert_eq!(got[0]["agency"], "dlh", "{}", got[0]);
    // the shipped models score the same dataset without training
    let o = env.run(&[
        "eval",
        "--shipped",
        "--dataset",
        data_s,
        "--task",
        "complaint",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn train_from_reviews_adds_reviewed_items() {
    let env = Env::new();
    assert_eq!(code(&env.run(&["nightly"])), 0);
    let items: Vec<serde_json::Value> = stdout(&env.run(&["export"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let id = |i: &serde_json::Value| {
        format!(
            "{}:{}",
            i["post"]["platform"].as_str().unwrap(),
            i["post"]["native_id"].as_str().unwrap()
        )
    };
    let flagged: Vec<String> = items
        .iter()
        .filter(|i| i["status"] == "flagged")
        .map(id)
        .collect();
    assert!(flagged.len() >= 3);
    let o = env.run(&["review", &flagged[0], "--accept", "--agency", "dlh"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = env.run(&["review", &flagged[1], "--reject", "not-a-complaint"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = env.run(&["review", &flagged[2], "--reject", "duplicate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let data = dataset(&env);
    let models = env.path("models");
    let o = env.run(&[
        "train",
        "--from-reviews",
        "--dataset",
        data.to_str().unwrap(),
        "--task",
        "complaint",
        "--alphas",
        "0.5",
        "--idf",
        "false",
        "--block-norm",
        "true",
        "--class-weight",
        "none",
        "--out",
        models.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 reviewed items from the store (1 complaints)"),
        "{}",
        stderr(&o)
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(models.join("complaint.json")).unwrap())
            .unwrap();
    assert!(
        m["trained_on"]
            .as_str()
            .unwrap()
            .contains("+ 2 reviewed items"),
        "{}",
        m["trained_on"]
    );
}

#[test]
fn dash_means_stdin_and_stdout() {
    use std::io::Write;
    let env = Env::new();
    let mut child = env
        .cmd()
        .args(["classify", "--input", "-", "--output", "-"])
        .current_dir(env.path("."))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"x\",\"text\":\"air PDAM mati dari subuh\"}\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(line["id"], "x");
    assert!(!env.path("-").exists(), "`-` must not become a file");
}
