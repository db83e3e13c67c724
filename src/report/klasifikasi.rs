//! Which LAPOR klasifikasi a post is: a complaint (pengaduan), a suggestion (aspirasi) or a
//! request for information (permintaan informasi), from cue words in Indonesian and Banjar.
//!
//! A post that names a problem (`rusak`, `mati`, `banjir`, `menumpuk`, `pungli`, ...) is a
//! pengaduan whatever else it says: "kapan jalan ini diperbaiki? sudah rusak sebulan" is a
//! complaint phrased as a question. Without a problem word, asking how, when or where (`cara`,
//! `syarat`, `kapan`, `info`, `kaya apa`) with a question is a permintaan informasi, and
//! proposing something (`usul`, `saran`, `sebaiknya`, `mohon ditambah`) is an aspirasi.
//! Staff correct the rest in review.

use super::words::words;
use crate::model::Klasifikasi;

/// Words (folded) that name a problem.
const PROBLEM: &[&str] = &[
    "rusak",
    "berlubang",
    "lubang",
    "bolong",
    "mati",
    "padam",
    "banjir",
    "tergenang",
    "genangan",
    "rob",
    "menumpuk",
    "numpuk",
    "bau",
    "macet",
    "pungli",
    "liar",
    "lambat",
    "lamban",
    "keruh",
    "kotor",
    "tersumbat",
    "mampet",
    "ambruk",
    "roboh",
    "runtuh",
    "patah",
    "tumbang",
    "bocor",
    "kebakaran",
    "terbakar",
    "kecelakaan",
    "parah",
    "mengecewakan",
    "kecewa",
    "dipersulit",
    "ditolak",
    "belum",
    "tidak",
    "gak",
    "ga",
    "nggak",
    "enggak",
    "tdk",
    "kada",
    "kadada",
    "gelap",
    "becek",
    "licin",
    "hancur",
    "retak",
    "amblas",
    "longsor",
    "sampah",
    "mangkrak",
    "telat",
    "terlambat",
    "sulit",
    "susah",
    "mahal",
    "kasar",
    "bising",
    "berisik",
    "ngebut",
    "mogok",
    "error",
    "eror",
    "down",
    "hilang",
    "dicuri",
    "dibiarkan",
    "terbengkalai",
    "ngadat",
    "tersendat",
    "kering",
    "mengalir",
    "sakit",
    "tolong",
    "lapuk",
    "jatuh",
    "ancur",
    "pecah",
    "meresahkan",
    "resah",
    "bahaya",
    "berbahaya",
];

/// Words of a question that asks for information.
const ASKING: &[&str] = &[
    "bagaimana",
    "gimana",
    "gmn",
    "caranya",
    "cara",
    "syarat",
    "syaratnya",
    "persyaratan",
    "prosedur",
    "kapan",
    "kpn",
    "dimana",
    "mana",
    "berapa",
    "brp",
    "apakah",
    "apa",
    "info",
    "informasi",
    "jadwal",
    "jadwalnya",
    "kah",
    "bisakah",
    "bisa",
    "boleh",
    "tanya",
    "bertanya",
    "nanya",
    "kayapa",
    "napa",
    "pabila",
];

/// Words that ask about a procedure or a schedule: information even when a problem is named
/// ("bagaimana cara mengurus KTP yang hilang?").
const PROCEDURE: &[&str] = &[
    "cara",
    "caranya",
    "syarat",
    "syaratnya",
    "persyaratan",
    "prosedur",
    "prosedurnya",
    "jadwal",
    "jadwalnya",
    "alur",
    "alurnya",
];

/// Damage to public works: a complaint even when phrased as a procedure question.
const DAMAGE: &[&str] = &[
    "rusak",
    "berlubang",
    "lubang",
    "mati",
    "padam",
    "banjir",
    "menumpuk",
    "numpuk",
    "macet",
    "pungli",
    "bau",
    "tersumbat",
    "bocor",
    "roboh",
    "ambruk",
];

/// Words that propose or wish for something.
const PROPOSING: &[&str] = &[
    "usul",
    "usulan",
    "mengusulkan",
    "saran",
    "menyarankan",
    "sebaiknya",
    "seharusnya",
    "harusnya",
    "alangkah",
    "semoga",
    "mudahan",
    "mudah2an",
    "moga",
    "harap",
    "berharap",
    "harapan",
    "ditambah",
    "ditambahkan",
    "dibangun",
    "dibuatkan",
    "diadakan",
    "disediakan",
    "ditingkatkan",
    "dipertimbangkan",
    "baiknya",
    "bagusnya",
    "aspirasi",
    "pengen",
    "ingin",
    "handak",
];

/// Words that make a post a proposal even when it names a thing that could be a problem
/// ("usul ... ditambah tempat sampah").
const PROPOSAL: &[&str] = &[
    "usul",
    "usulan",
    "mengusulkan",
    "saran",
    "menyarankan",
    "sebaiknya",
    "alangkah",
    "aspirasi",
];

/// Phrases that make a request for information even without a question mark.
const INFO_PHRASES: &[&[&str]] = &[
    &["mohon", "info"],
    &["minta", "info"],
    &["mohon", "informasi"],
    &["minta", "informasi"],
    &["numpang", "tanya"],
    &["mau", "tanya"],
    &["ingin", "bertanya"],
    &["izin", "bertanya"],
    &["ijin", "bertanya"],
    &["handak", "batakun"],
    &["kaya", "apa"],
];

/// Whether a clause names a concrete problem (damage, flooding, garbage, a broken service): the
/// title prefers such a clause over a preamble.
pub fn names_problem(clause: &str) -> bool {
    words(clause)
        .iter()
        .any(|w| DAMAGE.contains(&w.norm.as_str()) || CONCRETE.contains(&w.norm.as_str()))
}

/// Problem words beyond [`DAMAGE`] that make a clause the heart of a complaint.
const CONCRETE: &[&str] = &[
    "tergenang",
    "terendam",
    "genangan",
    "tertutup",
    "hancur",
    "amblas",
    "longsor",
    "tumbang",
    "padam",
    "keruh",
    "liar",
    "lambat",
    "pungli",
    "kebakaran",
    "terbakar",
    "kecelakaan",
    "diperbaiki",
    "perbaikan",
    "sampah",
    "gelap",
    "becek",
    "antri",
    "antrian",
    "mangkrak",
    "ditolak",
    "dipersulit",
];

/// The klasifikasi of one post text.
pub fn klasifikasi(text: &str) -> Klasifikasi {
    let all = words(text);
    let ws: Vec<&str> = all.iter().map(|w| w.norm.as_str()).collect();
    let has = |set: &[&str]| ws.iter().any(|w| set.contains(w));
    // capitalised mid-text, a cue word is a name ("Gg. Harapan", "Jl. Usul")
    let cue = |set: &[&str]| {
        all.iter()
            .enumerate()
            .any(|(i, w)| set.contains(&w.norm.as_str()) && (i == 0 || !w.capital))
    };
    let phrase = |p: &[&str]| {
        ws.windows(p.len())
            .any(|win| win.iter().zip(p).all(|(a, b)| a == b))
    };
    let question = text.contains('?');
    let info = INFO_PHRASES.iter().any(|p| phrase(p));
    let damage = has(DAMAGE);
    if (info || (question && cue(PROCEDURE))) && !damage {
        return Klasifikasi::PermintaanInformasi;
    }
    if cue(PROPOSAL) && !damage {
        return Klasifikasi::Aspirasi;
    }
    if has(PROBLEM) || names_problem(text) {
        return Klasifikasi::Pengaduan;
    }
    if question && has(ASKING) {
        return Klasifikasi::PermintaanInformasi;
    }
    if cue(PROPOSING) {
        return Klasifikasi::Aspirasi;
    }
    Klasifikasi::Pengaduan
}

#[cfg(test)]
mod tests {
    use super::*;
    use Klasifikasi::*;

    #[test]
    fn the_three_kinds() {
        let cases = [
            (
                "jalan di Kayu Tangi rusak parah, tolong diperbaiki",
                Pengaduan,
            ),
            ("kapan jalan ini diperbaiki? sudah rusak sebulan", Pengaduan),
            ("lampu PJU di Gg. Sepakat mati 3 hari", Pengaduan),
            (
                "bagaimana cara mengurus KTP-el yang hilang?",
                PermintaanInformasi,
            ),
            ("gimana cara lapor jalan rusak?", Pengaduan),
            (
                "apakah pelayanan disdukcapil buka hari sabtu?",
                PermintaanInformasi,
            ),
            (
                "bagaimana cara mengurus akta kelahiran anak?",
                PermintaanInformasi,
            ),
            (
                "mohon info jadwal fogging di Kelayan Dalam",
                PermintaanInformasi,
            ),
            (
                "syarat daftar PPDB zonasi apa aja ya min?",
                PermintaanInformasi,
            ),
            ("kaya apa caranya maurus KK pian?", PermintaanInformasi),
            ("usul pak, taman di siring ditambah tempat duduk", Aspirasi),
            ("sebaiknya ada halte di depan pasar", Aspirasi),
            ("semoga banjarmasin makin bersih dan hijau", Aspirasi),
            ("sampah", Pengaduan),
        ];
        for (text, want) in cases {
            assert_eq!(klasifikasi(text), want, "{text}");
        }
    }
}
