//! The classifier from the command line: `classify` output (reasons with spans, near-duplicate
//! groups), `train` + `eval` on a small hand-written dataset, and `train --from-reviews`.

use crate::util::*;

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `dengar classify [EXTRA…]` on a JSONL file and returns its output lines.
fn classify(env: &Env, input: &std::path::Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let out = env.path("classified.jsonl");
    let mut args = vec![
        "classify",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = env.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    lines(&out)
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
    let got = classify(&env, &input, &[]);
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
/// Settings that keep the tests' cross-validation to one quick candidate.
const QUICK: [&str; 8] = [
    "--alphas",
    "0.5",
    "--idf",
    "false",
    "--block-norm",
    "true",
    "--class-weight",
    "none",
];

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
    let mut args = vec!["eval", "--dataset", data_s, "--task", "complaint", "--json"];
    args.extend(QUICK);
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
    args.extend(QUICK);
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
        args.extend(QUICK);
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
    let got = classify(&env, &input, &["--model", models.to_str().unwrap()]);
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
fn eval_extra_train_rows_join_training_but_are_never_scored() {
    let env = Env::new();
    let data = dataset(&env);
    // two test rows about fires: no train row of the dataset names that agency
    let mut csv = std::fs::read_to_string(&data).unwrap();
    for (id, place) in [(900, "kelayan"), (901, "alalak")] {
        csv.push_str(&format!(
            "{id},test,kebakaran rumah warga di {place} apinya besar tolong {},1,damkar\n",
            unique(id)
        ));
    }
    let data = env.write("with-fires.csv", &csv);
    // the extra rows: complaints about fires, written for this test
    let mut extra = String::new();
    for (i, place) in ["pekapuran", "belitung", "teluk dalam", "sungai miai"]
        .iter()
        .enumerate()
    {
        extra.push_str(&format!(
            "{{\"text\":\"kebakaran di {place} api cepat membesar tolong damkar {}\",\"label\":1,\"agency\":\"damkar\"}}\n",
            unique(700 + i)
        ));
    }
    let extra = env.write("extra.jsonl", &extra);
    let run = |more: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "eval",
            "--dataset",
            data.to_str().unwrap(),
            "--task",
            "agency",
            "--json",
        ];
        args.extend(QUICK);
        args.extend(more);
        let o = env.run(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    // the shipped models train on nothing, so extra rows with them are a mistake, said at once
    let o = env.run(&[
        "eval",
        "--shipped",
        "--dataset",
        data.to_str().unwrap(),
        "--task",
        "agency",
        "--extra-train",
        extra.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    let damkar_hits = |r: &serde_json::Value| r["agency"]["confusion"]["damkar"]["damkar"].as_u64();
    let without = run(&[]);
    assert_eq!(damkar_hits(&without), None, "{without}");
    let with = run(&["--extra-train", extra.to_str().unwrap()]);
    assert_eq!(damkar_hits(&with), Some(2), "{with}");
    // scored on the dataset's test rows only, trained on its train rows plus the extra ones
    assert_eq!(with["agency"]["n"], without["agency"]["n"]);
    assert_eq!(
        with["train_rows"],
        without["train_rows"].as_u64().unwrap() + 4
    );
    assert!(with["trained_on"]
        .as_str()
        .unwrap()
        .ends_with("+ 4 extra rows"));
    // `train` takes the same flag: the model it writes knows the agency only the extra rows name
    let models = env.path("models");
    let mut args = vec![
        "train",
        "--dataset",
        data.to_str().unwrap(),
        "--split",
        "train",
        "--task",
        "agency",
        "--extra-train",
        extra.to_str().unwrap(),
        "--out",
        models.to_str().unwrap(),
    ];
    args.extend(QUICK);
    let o = env.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let input = env.write(
        "fire.jsonl",
        "{\"id\":1,\"text\":\"kebakaran di kelayan apinya besar tolong damkar\"}\n",
    );
    let got = classify(&env, &input, &["--model", models.to_str().unwrap()]);
    assert_eq!(got[0]["agency"], "damkar", "{}", got[0]);
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
    let train = |more: &[&str]| {
        let mut args = vec![
            "train",
            "--from-reviews",
            "--dataset",
            data.to_str().unwrap(),
            "--task",
            "complaint",
            "--out",
            models.to_str().unwrap(),
        ];
        args.extend(QUICK);
        args.extend(more);
        env.run(&args)
    };
    let o = train(&[]);
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
    assert_eq!(m["settings"]["settings_chosen_on"], "training rows");
    assert!(stderr(&o).contains("2 reviewed posts join the training rows"));
    // with enough reviewed posts (here: two, one of each class) the folds validate on them
    let o = train(&["--review-folds-min", "2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("choosing the settings on the 2 reviewed posts"),
        "{}",
        stderr(&o)
    );
    // two validated rows make one fold (the dataset's rows would make five)
    assert!(stderr(&o).contains("fold 1/1 "), "{}", stderr(&o));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(models.join("complaint.json")).unwrap())
            .unwrap();
    assert_eq!(m["settings"]["settings_chosen_on"], "reviewed items");
    assert!(m["threshold"].as_f64().unwrap().is_finite(), "{m}");
}

#[test]
fn dash_means_stdin_and_stdout() {
    let env = Env::new();
    let o = run_with_stdin(
        env.cmd()
            .args(["classify", "--input", "-", "--output", "-"])
            .current_dir(env.path(".")),
        b"{\"id\":\"x\",\"text\":\"air PDAM mati dari subuh\"}
",
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(line["id"], "x");
    assert!(!env.path("-").exists(), "`-` must not become a file");
}

/// Posts written for this test (no corpus text) and what the shipped models said about them
/// when the pin was taken (`dengar classify` before the throughput work, with the models
/// retrained on the 8,569-post corpus), so inference changes
/// cannot move outputs unnoticed: everything exact except numbers, which may move by float
/// rounding (the output prints four decimals).
const PINNED_IN: &str = r####"{"id": "p1", "text": "Jalan di Kayu Tangi berlubang PARAH, sudah sebulan gak diperbaiki. Tolong @pemkot_bjm!!", "account": "pemkot_bjm"}
{"id": "p2", "text": "RT @warga_bjm: Jalan di Kayu Tangi berlubang PARAH, sudah sebulan gak diperbaiki. Tolong @pemkot_bjm!!"}
{"id": "p3", "text": "Ada kebakaran di gang Kenanga, api ganal banar, tolong damkar cepat 🙏🔥 https://t.co/abc"}
{"id": "p4", "text": "selamat pagi pak wali, semangat terus :) #banjarmasinbaiman", "account": "pemkot_bjm"}
{"id": "p5", "text": "Sampah di TPS Kelayan nda diangkut 3 hari, bau banar... kapan diangkut? 😡😡", "account": "dlh_bjm"}
{"id": "p6", "text": "lampu PJU mati mati mati terus, gelap gulita di jln A. Yani km 5, rawan begal"}
{"id": "p7", "text": "Air PDAM keruh lagi, sudah bayar Rp 150.000 tiap bulan tapi aliran kada lancar -_-", "account": "pdam_bjm"}
{"id": "p8", "text": "Antrian e-KTP di disdukcapil lamaaaa bangettt, blanko habis katanya. Kapan ada lagi?"}
{"id": "p9", "text": ""}
{"id": "p10", "text": "Café di pinggir sungai asik banget, mantap 👍 terimakasih pemkot"}
"####;

const PINNED_OUT: &str = r####"{"id":"p1","complaint":true,"complaint_score":1.0000,"agency":"dinas-pupr","agency_scores":[["dinas-pupr",0.7481],["disperkim",0.0989],["lainnya",0.0573]],"urgency":0.1500,"urgent":false,"dup_group":"ge6b43c7b690c895b","reasons":[{"feature":"Tolong","weight":3.0423,"span":[67,73]},{"feature":"berlubang","weight":1.6953,"span":[20,29]},{"feature":"sebulan","weight":1.2779,"span":[43,50]},{"feature":"@pemkot_bjm","weight":1.1300,"span":[74,85]},{"feature":"diperbaiki","weight":0.9895,"span":[55,65]},{"feature":"Jalan","weight":0.9507,"span":[0,5]}]}
{"id":"p2","complaint":true,"complaint_score":1.0000,"agency":"dinas-pupr","agency_scores":[["dinas-pupr",0.7234],["disperkim",0.1221],["lainnya",0.0351]],"urgency":0.1500,"urgent":false,"dup_group":"ge6b43c7b690c895b","reasons":[{"feature":"Tolong","weight":2.9122,"span":[82,88]},{"feature":"berlubang","weight":1.6527,"span":[35,44]},{"feature":"sebulan","weight":1.2346,"span":[58,65]},{"feature":"@pemkot_bjm","weight":1.0197,"span":[89,100]},{"feature":"diperbaiki","weight":0.9609,"span":[70,80]},{"feature":"Jalan","weight":0.9138,"span":[15,20]}]}
{"id":"p3","complaint":true,"complaint_score":0.8654,"agency":"damkar","agency_scores":[["damkar",0.9991],["diskominfotik",0.0001],["satpolpp",0.0001]],"urgency":1.0000,"urgent":true,"dup_group":"g9c1cb6d9522acf2b","reasons":[{"feature":"tolong","weight":3.2039,"span":[48,54]},{"feature":"damkar","weight":1.0133,"span":[55,61]},{"feature":":/","weight":-0.9404,"span":[82,84]},{"feature":"ganal","weight":0.7726,"span":[35,40]},{"feature":"kebakaran","weight":0.7650,"span":[4,13]},{"feature":"cepat","weight":-0.7496,"span":[62,67]}]}
{"id":"p4","complaint":false,"complaint_score":0.0001,"agency":null,"agency_scores":[["lainnya",0.2145],["dinas-pupr",0.1304],["bpbd",0.0971]],"urgency":0.0000,"urgent":false,"dup_group":"gd6a1fe6d61edc21b","reasons":[{"feature":"semangat","weight":-1.2387,"span":[23,31]},{"feature":"#banjarmasinbaiman","weight":-1.0873,"span":[41,59]},{"feature":"selamat","weight":-0.7927,"span":[0,7]},{"feature":"terus","weight":0.7583,"span":[32,37]},{"feature":"pagi","weight":-0.6738,"span":[8,12]},{"feature":"selamat pagi","weight":-0.2703,"span":[0,12]}]}
{"id":"p5","complaint":true,"complaint_score":0.9951,"agency":"dlh","agency_scores":[["dlh",1.0000],["kecamatan-kelurahan",0.0000],["pdam",0.0000]],"urgency":0.0000,"urgent":false,"dup_group":"g0acff00b6789c0b5","reasons":[{"feature":"Kelayan","weight":1.3692,"span":[14,21]},{"feature":"Sampah","weight":1.1167,"span":[0,6]},{"feature":"bau","weight":0.8649,"span":[43,46]},{"feature":"kapan","weight":0.6973,"span":[56,61]},{"feature":"nda","weight":0.6214,"span":[22,25]},{"feature":"banar","weight":-0.5421,"span":[47,52]}]}
{"id":"p6","complaint":true,"complaint_score":0.9977,"agency":"disperkim","agency_scores":[["disperkim",0.9899],["lainnya",0.0052],["dishub",0.0015]],"urgency":0.7000,"urgent":true,"dup_group":"g2b4377cca280eb61","reasons":[{"feature":"mati","weight":1.7003,"span":[10,14]},{"feature":"lampu","weight":1.2053,"span":[0,5]},{"feature":"begal","weight":1.1894,"span":[72,77]},{"feature":"gelap","weight":1.1652,"span":[32,37]},{"feature":"jln","weight":0.8931,"span":[48,51]},{"feature":"terus","weight":0.6900,"span":[25,30]}]}
{"id":"p7","complaint":true,"complaint_score":0.9983,"agency":"pdam","agency_scores":[["pdam",0.9590],["dinas-pupr",0.0060],["lainnya",0.0042]],"urgency":0.0000,"urgent":false,"dup_group":"g7d590aea3e35a82d","reasons":[{"feature":"lancar","weight":-1.8096,"span":[72,78]},{"feature":"keruh","weight":1.5157,"span":[9,14]},{"feature":"kada","weight":1.3954,"span":[67,71]},{"feature":"Air","weight":1.3133,"span":[0,3]},{"feature":"tiap","weight":1.2340,"span":[44,48]},{"feature":"bulan","weight":0.9519,"span":[49,54]}]}
{"id":"p8","complaint":true,"complaint_score":0.8479,"agency":"disdukcapil","agency_scores":[["disdukcapil",0.9426],["lainnya",0.0073],["dinsos",0.0060]],"urgency":0.0000,"urgent":false,"dup_group":"g01d56f3dc7f2d789","reasons":[{"feature":"katanya","weight":1.8508,"span":[60,67]},{"feature":"blanko","weight":0.9720,"span":[47,53]},{"feature":"Kapan","weight":0.5373,"span":[69,74]},{"feature":"Antrian","weight":-0.5241,"span":[0,7]},{"feature":"habis","weight":0.4986,"span":[54,59]},{"feature":"di","weight":0.3885,"span":[14,16]}]}
{"id":"p9","complaint":false,"complaint_score":0.0187,"agency":null,"agency_scores":[["lainnya",0.0945],["diskominfotik",0.0939],["disnaker",0.0670]],"urgency":0.0000,"urgent":false,"dup_group":"gceb98cc6f884576d","reasons":[]}
{"id":"p10","complaint":false,"complaint_score":0.0006,"agency":null,"agency_scores":[["bpbd",0.2078],["dlh",0.1447],["satpolpp",0.1442]],"urgency":0.0000,"urgent":false,"dup_group":"ga29930368f3f71a9","reasons":[{"feature":"terimakasih","weight":-3.7475,"span":[49,60]},{"feature":"pemkot","weight":1.4793,"span":[61,67]},{"feature":"mantap","weight":-1.3103,"span":[37,43]},{"feature":"asik","weight":-0.7012,"span":[24,28]},{"feature":"pinggir","weight":0.6479,"span":[9,16]},{"feature":"sungai","weight":0.5661,"span":[17,23]}]}
"####;

/// Compares two output values: numbers within print precision plus rounding, the rest exact.
fn same_output(got: &serde_json::Value, want: &serde_json::Value, at: &str) {
    use serde_json::Value;
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            assert!((g - w).abs() <= 6e-5, "{at}: {g} vs {w}");
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{at}: {got} vs {want}");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                same_output(g, w, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(g), Value::Object(w)) => {
            assert_eq!(
                g.keys().collect::<Vec<_>>(),
                w.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (k, wv) in w {
                same_output(&g[k], wv, &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(got, want, "{at}"),
    }
}

#[test]
fn classify_output_is_pinned_for_hand_written_posts() {
    let env = Env::new();
    let input = env.write("pinned.jsonl", PINNED_IN);
    let got = classify(&env, &input, &[]);
    let want: Vec<serde_json::Value> = PINNED_OUT
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        same_output(g, w, w["id"].as_str().unwrap());
    }
}
