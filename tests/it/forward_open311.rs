//! `dengar forward` and `dengar sync` against a mock Open311 GeoReport v2 receiver.

use crate::util::forward::{seed, text, Env, Mode, Protocol, Receiver, Seed};
use dengar::model::Status;

const LAMPU: Seed = Seed {
    id: "201",
    text: "Lampu PJU di Gg. Sepakat RT 05 RW 02 Kel. Sungai Miai mati sejak kemarin malam",
    agency: "disperkim",
    merged_into: None,
};
const JALAN: Seed = Seed {
    id: "202",
    text: "Jalan di Komp. Bumi Mas Raya berlubang besar, bahaya",
    agency: "dinas-pupr",
    merged_into: None,
};

fn config(rx: &Receiver, extra: &str) -> String {
    format!(
        "[forward]\ntarget = \"open311\"\n[forward.retry]\nmax_attempts = 3\ninitial_backoff_ms = 10\nmax_backoff_ms = 50\n\n[forward.open311]\nbase_url = \"{}\"\ndefault_service_code = \"umum\"\n{extra}\n[forward.open311.service_codes]\ndinas-pupr = \"jalan-rusak\"\n",
        rx.url("/v2")
    )
}

fn form(body: &str) -> std::collections::BTreeMap<String, String> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn forwards_with_service_codes_retries_and_follows_up() {
    let rx = Receiver::start(Protocol::Open311 { tokens: false });
    rx.set_mode(Mode::FailNext(1, 500));
    let env = Env::new(&config(&rx, ""));
    let ids = seed(&env.data(), &[LAMPU, JALAN]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.posts(), 3, "one retry after the 500");
    assert_eq!(rx.recorded().len(), 2);
    let forms: Vec<_> = rx.bodies().iter().map(|b| form(b)).collect();
    assert!(forms.iter().all(|f| f["api_key"] == "kunci-uji"));
    let lampu = forms
        .iter()
        .rev()
        .find(|f| f["description"].contains("Lampu PJU"))
        .unwrap();
    assert_eq!(lampu["service_code"], "umum");
    assert_eq!(
        lampu["address_string"],
        "Gg. Sepakat, RT 05 RW 02, Kel. Sungai Miai, Kec. Banjarmasin Utara, Kota Banjarmasin"
    );
    let jalan = forms
        .iter()
        .find(|f| f["description"].contains("Bumi Mas"))
        .unwrap();
    assert_eq!(jalan["service_code"], "jalan-rusak");

    let store = env.store();
    let tracking = |id: &str| {
        store
            .report_for_item(id)
            .unwrap()
            .unwrap()
            .tracking_id()
            .unwrap()
            .to_string()
    };
    let (t0, t1) = (tracking(&ids[0]), tracking(&ids[1]));
    drop(store);
    rx.set_status(&t0, "closed", "lampu sudah diganti");
    rx.set_status(&t1, "open", "");
    let o = env.run(&["sync"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let store = env.store();
    let rec = store.report_for_item(&ids[0]).unwrap().unwrap();
    let st = rec.remote_status().unwrap();
    assert_eq!(st.status, "closed");
    assert_eq!(st.note.as_deref(), Some("lampu sudah diganti"));
    assert!(st.updated_at.is_some());
    for id in &ids {
        assert_eq!(store.get(id).unwrap().unwrap().status, Status::Forwarded);
    }
}

#[test]
fn a_400_keeps_the_receivers_description() {
    let rx = Receiver::start(Protocol::Open311 { tokens: false });
    rx.set_mode(Mode::Reject(
        400,
        "address_string is outside the jurisdiction".into(),
    ));
    let env = Env::new(&config(&rx, ""));
    let ids = seed(&env.data(), &[JALAN]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(rx.posts(), 1);
    let rec = env.store().report_for_item(&ids[0]).unwrap().unwrap();
    assert_eq!(rec.state.name(), "failed-permanent");
    assert!(rec
        .receiver_message()
        .unwrap()
        .contains("address_string is outside the jurisdiction"));
}

#[test]
fn tokens_are_receipts_and_sync_resolves_them() {
    let rx = Receiver::start(Protocol::Open311 { tokens: true });
    let env = Env::new(&config(&rx, ""));
    let ids = seed(&env.data(), &[JALAN]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let tracking = env
        .store()
        .report_for_item(&ids[0])
        .unwrap()
        .unwrap()
        .tracking_id()
        .unwrap()
        .to_string();
    assert_eq!(tracking, "token:tok-LAP-0001");
    rx.set_status("LAP-0001", "open", "");
    let o = env.run(&["sync", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["resolved"], 1);
    let rec = env.store().report_for_item(&ids[0]).unwrap().unwrap();
    assert_eq!(rec.tracking_id(), Some("LAP-0001"));
    assert_eq!(rec.remote_status().unwrap().status, "open");
}
