//! Hand-written Banjarmasin examples (informal Indonesian and Banjar, written for this project)
//! with the title, location, event date and klasifikasi a Diskominfo staff member would put in
//! the LAPOR form. Areas come from the shipped kecamatan/kelurahan list; streets and landmarks
//! from the fixed list below, so the examples do not move when the shipped places file grows.
//!
//! Unless an example says otherwise it was posted on Friday 2026-11-20 at 09:30 WITA.

use super::gazetteer::Gazetteer;
use super::{event_date, find_location, klasifikasi, title_for, wita};
use crate::model::Klasifikasi::{self, Aspirasi, Pengaduan, PermintaanInformasi as Info};
use chrono::TimeZone;

const PLACES: &str = "name\tkind\tkecamatan\taliases
Jl. Kayu Tangi\tjalan\tBanjarmasin Utara\tkayutangi
Jl. Pramuka\tjalan\tBanjarmasin Timur\t
Jl. A. Yani\tjalan\tBanjarmasin Tengah;Banjarmasin Timur\tjalan ahmad yani;a yani;ahmad yani
Jl. Sultan Adam\tjalan\tBanjarmasin Utara\t
Jl. Veteran\tjalan\tBanjarmasin Timur\t
Jl. Pangeran Antasari\tjalan\tBanjarmasin Tengah\tp antasari
Jl. Belitung Darat\tjalan\tBanjarmasin Barat\t
Jl. Cemara Raya\tjalan\tBanjarmasin Utara\t
Jl. Adhyaksa\tjalan\tBanjarmasin Utara\t
Jl. Sutoyo S\tjalan\tBanjarmasin Tengah\tsutoyo
Jl. Gatot Subroto\tjalan\tBanjarmasin Timur\tgatsu
Pasar Antasari\tpasar\tBanjarmasin Tengah\tpasar sentra antasari
Duta Mall\tmall\tBanjarmasin Tengah\tdutamall
Masjid Raya Sabilal Muhtadin\tmasjid\tBanjarmasin Tengah\tsabilal muhtadin;masjid sabilal
Siring Menara Pandang\ttaman\tBanjarmasin Tengah\tmenara pandang
RSUD Ulin\trumah sakit\tBanjarmasin Tengah\trs ulin;rumah sakit ulin
Terminal Km. 6\tterminal\tBanjarmasin Timur\tterminal induk
Taman Kamboja\ttaman\tBanjarmasin Tengah\t
";

struct Ex {
    text: &'static str,
    /// Day of November 2026 and time, WITA.
    at: (u32, u32, u32),
    title: &'static str,
    lokasi: Option<&'static str>,
    /// Event date `YYYY-MM-DD`, or `None` when the post says nothing usable.
    date: Option<&'static str>,
    kind: Klasifikasi,
}

const FRI: (u32, u32, u32) = (20, 9, 30);

const EXAMPLES: &[Ex] = &[
    Ex {
        text: "@pupr_bjm jalan berlubang di jl kayu tangi 2, sudah seminggu gak diperbaiki",
        at: FRI,
        title: "Jalan berlubang di Jl. Kayu Tangi 2",
        lokasi: Some("Jl. Kayu Tangi 2, Kec. Banjarmasin Utara"),
        date: Some("2026-11-13"),
        kind: Pengaduan,
    },
    Ex {
        text: "Lampu PJU di Gg. Sepakat RT 05 RW 02 Kel. Sungai Miai mati sejak kemarin malam, gelap gulita",
        at: FRI,
        title: "Lampu PJU di Gg. Sepakat RT 05 RW 02 Kel. Sungai Miai mati sejak kemarin malam",
        lokasi: Some("Gg. Sepakat, RT 05 RW 02, Kel. Sungai Miai, Kec. Banjarmasin Utara"),
        date: Some("2026-11-19"),
        kind: Pengaduan,
    },
    Ex {
        text: "banyu PDAM kada mengalir sudah 3 hari di Kelayan Dalam, pian tolong lah",
        at: FRI,
        title: "Banyu PDAM kada mengalir sudah 3 hari di Kelayan Dalam",
        lokasi: Some("Kel. Kelayan Dalam, Kec. Banjarmasin Selatan"),
        date: Some("2026-11-17"),
        kind: Pengaduan,
    },
    Ex {
        text: "Assalamualaikum pak wali. Sampah menumpuk di TPS Jl. Pramuka dekat Terminal Km 6, baunya sampai ke rumah warga",
        at: FRI,
        title: "Sampah menumpuk di TPS Jl. Pramuka dekat Terminal Km 6",
        lokasi: Some("Jl. Pramuka, dekat Terminal Km. 6, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "min, jukir liar di depan Duta Mall makin merajalela, tarif parkir motor 5rb",
        at: FRI,
        title: "Jukir liar di depan Duta Mall makin merajalela",
        lokasi: Some("Depan Duta Mall, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Jalan A. Yani km 5 arah kota macet parah tiap pagi gara2 lampu merah mati",
        at: FRI,
        title: "Jl. A. Yani Km. 5 arah kota macet parah tiap pagi gara2 lampu merah mati",
        lokasi: Some("Jl. A. Yani Km. 5"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Tolong pak, banjir rob masuk rumah di Alalak Selatan sejak subuh tadi, air setinggi lutut",
        at: FRI,
        title: "Banjir rob masuk rumah di Alalak Selatan sejak subuh tadi",
        lokasi: Some("Kel. Alalak Selatan, Kec. Banjarmasin Utara"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Kapan jalan di Komp. Bumi Mas Raya diperbaiki? Sudah rusak dari tahun lalu",
        at: FRI,
        title: "Kapan jalan di Komp. Bumi Mas Raya diperbaiki",
        lokasi: Some("Komp. Bumi Mas Raya"),
        date: Some("2025-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "mohon info jadwal pembuatan KTP-el keliling di Kec. Banjarmasin Barat bulan ini",
        at: FRI,
        title: "Mohon info jadwal pembuatan KTP-el keliling di Kec. Banjarmasin Barat bulan ini",
        lokasi: Some("Kec. Banjarmasin Barat"),
        date: None,
        kind: Info,
    },
    Ex {
        text: "Pohon tumbang di Jl. Sultan Adam depan SMPN 11, menutup separuh badan jalan, tadi malam waktu hujan deras",
        at: FRI,
        title: "Pohon tumbang di Jl. Sultan Adam depan SMPN 11",
        lokasi: Some("Jl. Sultan Adam, depan SMPN 11, Kec. Banjarmasin Utara"),
        date: Some("2026-11-19"),
        kind: Pengaduan,
    },
    Ex {
        text: "Air PDAM keruh warna coklat di Perumahan Kayu Tangi Ujung sejak 2 hari ini",
        at: FRI,
        title: "Air PDAM keruh warna coklat di Perum. Kayu Tangi Ujung sejak 2 hari ini",
        lokasi: Some("Perum. Kayu Tangi Ujung, Kec. Banjarmasin Utara"),
        date: Some("2026-11-18"),
        kind: Pengaduan,
    },
    Ex {
        text: "ulun handak batakun, kaya apa caranya maurus akta kelahiran anak di disdukcapil?",
        at: FRI,
        title: "Kaya apa caranya maurus akta kelahiran anak di disdukcapil",
        lokasi: None,
        date: None,
        kind: Info,
    },
    Ex {
        text: "Usul pak wali, siring sungai Martapura dekat Menara Pandang ditambah lampu hias dan tempat sampah",
        at: FRI,
        title: "Usul, siring sungai Martapura dekat Menara Pandang ditambah lampu hias dan tempat sampah",
        lokasi: Some("Dekat Siring Menara Pandang, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Aspirasi,
    },
    Ex {
        text: "Banjir lagi di Jl. Veteran, air masuk ke toko-toko. Drainase tersumbat sampah sudah lama",
        at: FRI,
        title: "Banjir lagi di Jl. Veteran",
        lokasi: Some("Jl. Veteran, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "kmrn sore ada kecelakaan di simpang empat Sungai Andai, lampu lalin mati total",
        at: FRI,
        title: "Kmrn sore ada kecelakaan di simpang empat Sungai Andai",
        lokasi: Some("Simpang Empat Sungai Andai, Kel. Sungai Andai, Kec. Banjarmasin Utara"),
        date: Some("2026-11-19"),
        kind: Pengaduan,
    },
    Ex {
        text: "Sudah sebulan lebih lampu jalan di Gg. Rahmat Kel. Pemurus Dalam mati, warga takut keluar malam",
        at: FRI,
        title: "Sudah sebulan lebih lampu jalan di Gg. Rahmat Kel. Pemurus Dalam mati",
        lokasi: Some("Gg. Rahmat, Kel. Pemurus Dalam, Kec. Banjarmasin Selatan"),
        date: Some("2026-10-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Pelayanan di Disdukcapil lambat banget, antri dari jam 7 pagi sampai siang belum dipanggil",
        at: FRI,
        title: "Pelayanan di Disdukcapil lambat banget",
        lokasi: None,
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Tadi pagi truk sampah DLH gak datang lagi ke TPS Kelayan Tengah, sampah sudah meluber ke jalan",
        at: FRI,
        title: "Tadi pagi truk sampah DLH gak datang lagi ke TPS Kelayan Tengah",
        lokasi: Some("TPS Kelayan Tengah, Kel. Kelayan Tengah, Kec. Banjarmasin Selatan"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Jembatan titian di Gang Mesjid RT 8 Kuin Cerucuk sudah lapuk, ada anak jatuh kemarin",
        at: FRI,
        title: "Jembatan titian di Gg. Mesjid RT 8 Kuin Cerucuk sudah lapuk",
        lokasi: Some("Gg. Mesjid, RT 08, Kel. Kuin Cerucuk, Kec. Banjarmasin Barat"),
        date: Some("2026-11-19"),
        kind: Pengaduan,
    },
    Ex {
        text: "semalam listrik padam 5 jam di Pekapuran Raya, itu PLN atau pemkot?",
        at: FRI,
        title: "Semalam listrik padam 5 jam di Pekapuran Raya",
        lokasi: Some("Kel. Pekapuran Raya, Kec. Banjarmasin Timur"),
        date: Some("2026-11-19"),
        kind: Pengaduan,
    },
    Ex {
        text: "jalan di depan SDN Teluk Dalam 3 becek dan berlubang, anak2 sekolah susah lewat",
        at: FRI,
        title: "Jalan di depan SDN Teluk Dalam 3 becek dan berlubang",
        lokasi: Some("Depan SDN Teluk Dalam 3, Kel. Teluk Dalam, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Pak wali, PKL di trotoar Jl. Pangeran Antasari bikin macet, mohon ditertibkan",
        at: FRI,
        title: "PKL di trotoar Jl. Pangeran Antasari bikin macet",
        lokasi: Some("Jl. Pangeran Antasari, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Sejak hari Senin air ledeng di Komplek Herlina Perkasa kada mengalir",
        at: FRI,
        title: "Sejak hari Senin air ledeng di Komp. Herlina Perkasa kada mengalir",
        lokasi: Some("Komp. Herlina Perkasa"),
        date: Some("2026-11-16"),
        kind: Pengaduan,
    },
    Ex {
        text: "Ada ODGJ mengamuk di sekitar Pasar Antasari tadi siang, warga resah",
        at: (20, 15, 0),
        title: "Ada ODGJ mengamuk di sekitar Pasar Antasari tadi siang",
        lokasi: Some("Sekitar Pasar Antasari, Kec. Banjarmasin Tengah"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "gimana cara daftar PPDB zonasi SMP tahun ini min?",
        at: FRI,
        title: "Gimana cara daftar PPDB zonasi SMP tahun ini",
        lokasi: None,
        date: None,
        kind: Info,
    },
    Ex {
        text: "Tolong dibantu pak, atap Puskesmas Pekauman bocor kalau hujan, pasien kebasahan",
        at: FRI,
        title: "Atap Puskesmas Pekauman bocor kalau hujan",
        lokasi: Some("Puskesmas Pekauman, Kel. Pekauman, Kec. Banjarmasin Selatan"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Sudah 2 minggu sampah di TPS dekat Pasar Kuripan gak diangkut, baunya minta ampun",
        at: FRI,
        title: "Sudah 2 minggu sampah di TPS dekat Pasar Kuripan gak diangkut",
        lokasi: Some("Dekat Pasar Kuripan, Kel. Kuripan, Kec. Banjarmasin Timur"),
        date: Some("2026-11-06"),
        kind: Pengaduan,
    },
    Ex {
        text: "hari ini jalan Belitung Darat macet total ada galian pipa PDAM gak ada rambu",
        at: FRI,
        title: "Hari ini Jl. Belitung Darat macet total ada galian pipa PDAM gak ada rambu",
        lokasi: Some("Jl. Belitung Darat, Kec. Banjarmasin Barat"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Lampu lalu lintas di perempatan Jl. Gatot Subroto - Jl. Pramuka mati dari semalam",
        at: FRI,
        title: "Lampu lalu lintas di perempatan Jl. Gatot Subroto - Jl. Pramuka mati dari semalam",
        lokasi: Some("Jl. Gatot Subroto, Kec. Banjarmasin Timur"),
        date: Some("2026-11-19"),
        kind: Pengaduan,
    },
    Ex {
        text: "Saran aja, sebaiknya ada halte bus di depan RSUD Ulin biar pengunjung gak kepanasan",
        at: FRI,
        title: "Saran, sebaiknya ada halte bus di depan RSUD Ulin biar pengunjung gak kepanasan",
        lokasi: Some("Depan RSUD Ulin, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Aspirasi,
    },
    Ex {
        text: "Ada buaya muncul di sungai belakang rumah warga Sungai Jingah, mohon damkar dievakuasi",
        at: FRI,
        title: "Ada buaya muncul di sungai belakang rumah warga Sungai Jingah",
        lokasi: Some("Kel. Sungai Jingah, Kec. Banjarmasin Utara"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Parkir liar di Jl. Sutoyo S depan toko emas, tarif 10rb padahal cuma sebentar",
        at: FRI,
        title: "Parkir liar di Jl. Sutoyo S depan toko emas",
        lokasi: Some("Jl. Sutoyo S, depan Toko Emas, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Kenapa pengurusan PBG di DPMPTSP lama sekali? sudah 3 bulan belum terbit",
        at: FRI,
        title: "Kenapa pengurusan PBG di DPMPTSP lama sekali",
        lokasi: None,
        date: Some("2026-08-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "rumah kosong di Gg. Famili RT 12 Kelayan Barat jadi sarang narkoba, tolong ditindak",
        at: FRI,
        title: "Rumah kosong di Gg. Famili RT 12 Kelayan Barat jadi sarang narkoba",
        lokasi: Some("Gg. Famili, RT 12, Kel. Kelayan Barat, Kec. Banjarmasin Selatan"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Bubuhan pian kaya apa, saluran di Jl. Cemara Raya kada pernah dikeruk, tiap hujan banjir",
        at: FRI,
        title: "Saluran di Jl. Cemara Raya kada pernah dikeruk",
        lokasi: Some("Jl. Cemara Raya, Kec. Banjarmasin Utara"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Tgl 14 kemarin ada pemotongan bansos PKH oleh oknum di Kel. Basirih, mohon diusut",
        at: FRI,
        title: "Tgl 14 kemarin ada pemotongan bansos PKH oleh oknum di Kel. Basirih",
        lokasi: Some("Kel. Basirih, Kec. Banjarmasin Barat"),
        date: Some("2026-11-14"),
        kind: Pengaduan,
    },
    Ex {
        text: "Pagi ini antrian BBM di SPBU Jl. A. Yani km 3 mengular sampai badan jalan, bikin macet",
        at: FRI,
        title: "Pagi ini antrian BBM di SPBU Jl. A. Yani Km. 3 mengular sampai badan jalan",
        lokasi: Some("Jl. A. Yani Km. 3"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Mohon maaf pak, mau tanya pendaftaran kartu pencari kerja (AK1) di Disnaker syaratnya apa aja?",
        at: FRI,
        title: "Mau tanya pendaftaran kartu pencari kerja (AK1) di Disnaker syaratnya apa",
        lokasi: None,
        date: None,
        kind: Info,
    },
    Ex {
        text: "kemaren lusa ada pohon tumbang di Jl. Adhyaksa, sampai sekarang belum dipotong",
        at: FRI,
        title: "Kemaren lusa ada pohon tumbang di Jl. Adhyaksa",
        lokasi: Some("Jl. Adhyaksa, Kec. Banjarmasin Utara"),
        date: Some("2026-11-18"),
        kind: Pengaduan,
    },
    Ex {
        text: "barusan ada kebakaran di pemukiman padat Pekapuran Laut, damkar belum datang!!",
        at: (20, 22, 15),
        title: "Barusan ada kebakaran di pemukiman padat Pekapuran Laut",
        lokasi: Some("Kel. Pekapuran Laut, Kec. Banjarmasin Tengah"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "tadi malam jam 8 motor saya hilang di parkiran Siring Menara Pandang, jukirnya gak tanggung jawab",
        at: (20, 21, 0),
        title: "Tadi malam jam 8 motor saya hilang di parkiran Siring Menara Pandang",
        lokasi: Some("Siring Menara Pandang, Kec. Banjarmasin Tengah"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Seminggu yang lalu sudah lapor soal pipa bocor di Gg. Karya Bersama, sampai sekarang belum ada petugas",
        at: FRI,
        title: "Seminggu yang lalu sudah lapor soal pipa bocor di Gg. Karya Bersama",
        lokasi: Some("Gg. Karya Bersama"),
        date: Some("2026-11-13"),
        kind: Pengaduan,
    },
    Ex {
        text: "Pak, lampu PJU sepanjang jalan Sungai Lulut banyak yang mati, rawan begal",
        at: FRI,
        title: "Lampu PJU sepanjang Jl. Sungai Lulut banyak yang mati",
        lokasi: Some("Jl. Sungai Lulut, Kel. Sungai Lulut, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Warga Kelayan Timur minta fogging, sudah 3 orang kena DBD bulan ini",
        at: FRI,
        title: "Warga Kelayan Timur minta fogging",
        lokasi: Some("Kel. Kelayan Timur, Kec. Banjarmasin Selatan"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Bagus banget taman kota sekarang, semoga dirawat terus ya pak",
        at: FRI,
        title: "Bagus banget taman kota sekarang",
        lokasi: None,
        date: None,
        kind: Aspirasi,
    },
    Ex {
        text: "Ada kabel menjuntai rendah di Jl. Pramuka Komp. Semanda, bahaya buat pengendara",
        at: FRI,
        title: "Ada kabel menjuntai rendah di Jl. Pramuka Komp. Semanda",
        lokasi: Some("Jl. Pramuka, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Jalan di Gang Purnama Murung Raya ancur, kaya kubangan kerbau, sudah talu bulan kada dibaiki",
        at: FRI,
        title: "Jalan di Gg. Purnama Murung Raya ancur",
        lokasi: Some("Gg. Purnama, Kel. Murung Raya, Kec. Banjarmasin Selatan"),
        date: Some("2026-08-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Minta tolong pak, ada pengemis anak2 tiap malam di lampu merah Jl. Veteran",
        at: FRI,
        title: "Ada pengemis anak2 tiap malam di lampu merah Jl. Veteran",
        lokasi: Some("Jl. Veteran, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "sudah 5 hari sampah di sepanjang Sungai Miai belum diangkut",
        at: FRI,
        title: "Sudah 5 hari sampah di sepanjang Sungai Miai belum diangkut",
        lokasi: Some("Kel. Sungai Miai, Kec. Banjarmasin Utara"),
        date: Some("2026-11-15"),
        kind: Pengaduan,
    },
    Ex {
        text: "Halo min, apakah pembayaran PBB bisa lewat aplikasi? kalau bisa apa nama aplikasinya",
        at: FRI,
        title: "Apakah pembayaran PBB bisa lewat aplikasi",
        lokasi: None,
        date: None,
        kind: Info,
    },
    Ex {
        text: "Air pasang (rob) masuk ke rumah di Kuin Utara sejak Rabu, sudah setinggi betis",
        at: FRI,
        title: "Air pasang (rob) masuk ke rumah di Kuin Utara sejak Rabu",
        lokasi: Some("Kel. Kuin Utara, Kec. Banjarmasin Utara"),
        date: Some("2026-11-18"),
        kind: Pengaduan,
    },
    Ex {
        text: "Guru honorer di SDN Pelambuan 4 belum gajian 3 bulan, kasihan pak",
        at: FRI,
        title: "Guru honorer di SDN Pelambuan 4 belum gajian 3 bulan",
        lokasi: Some("SDN Pelambuan 4, Kel. Pelambuan, Kec. Banjarmasin Barat"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Kok jembatan di Jl. Pramuka arah Sungai Lulut ditutup tanpa pemberitahuan?",
        at: FRI,
        title: "Kok jembatan di Jl. Pramuka arah Sungai Lulut ditutup tanpa pemberitahuan",
        lokasi: Some("Jl. Pramuka, Kel. Sungai Lulut, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "mau tanya, kapan pasar wadai Ramadhan dibuka pendaftarannya di Siring?",
        at: FRI,
        title: "Kapan pasar wadai Ramadhan dibuka pendaftarannya di Siring",
        lokasi: None,
        date: None,
        kind: Info,
    },
    Ex {
        text: "Ada pungli di loket pembuatan KK kelurahan Teluk Tiram, diminta 50rb",
        at: FRI,
        title: "Ada pungli di loket pembuatan KK kelurahan Teluk Tiram",
        lokasi: Some("Kel. Teluk Tiram, Kec. Banjarmasin Barat"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Malam minggu kemarin balap liar lagi di Jl. A. Yani Km. 2, sangat meresahkan",
        at: (21, 8, 0),
        title: "Malam minggu kemarin balap liar lagi di Jl. A. Yani Km. 2",
        lokasi: Some("Jl. A. Yani Km. 2"),
        date: Some("2026-11-14"),
        kind: Pengaduan,
    },
    Ex {
        text: "Mohon perbaikan lampu taman di Taman Kamboja, banyak yang mati sejak bulan lalu",
        at: FRI,
        title: "Mohon perbaikan lampu taman di Taman Kamboja",
        lokasi: Some("Taman Kamboja, Kec. Banjarmasin Tengah"),
        date: Some("2026-10-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "klotok penyeberangan di dermaga Alalak sering kelebihan muatan, takut tenggelam",
        at: FRI,
        title: "Klotok penyeberangan di dermaga Alalak sering kelebihan muatan",
        lokasi: Some("Dermaga Alalak, Kec. Banjarmasin Utara"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Jalan Sultan Adam depan Komplek Mandiri rusak berat sejak 2 minggu lalu, sudah ada yang jatuh",
        at: FRI,
        title: "Jl. Sultan Adam depan Komplek Mandiri rusak berat sejak 2 minggu lalu",
        lokasi: Some("Jl. Sultan Adam, depan Komp. Mandiri, Kec. Banjarmasin Utara"),
        date: Some("2026-11-06"),
        kind: Pengaduan,
    },
    Ex {
        text: "Pian, ulun handak melapor, sudah saminggu PJU di muka langgar Al Ikhlas Surgi Mufti padam",
        at: FRI,
        title: "Sudah saminggu PJU di muka langgar Al Ikhlas Surgi Mufti padam",
        lokasi: Some("Depan Langgar Al Ikhlas, Kel. Surgi Mufti, Kec. Banjarmasin Utara"),
        date: Some("2026-11-13"),
        kind: Pengaduan,
    },
    Ex {
        text: "Saluran drainase di Jl. Kayu Tangi Ujung tersumbat eceng gondok, tiap hujan deras air naik ke jalan",
        at: FRI,
        title: "Saluran drainase di Jl. Kayu Tangi Ujung tersumbat eceng gondok",
        lokasi: Some("Jl. Kayu Tangi Ujung, Kec. Banjarmasin Utara"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "dari tanggal 1 november air PDAM di Pemurus Baru cuma ngalir tengah malam",
        at: FRI,
        title: "Dari tanggal 1 november air PDAM di Pemurus Baru cuma ngalir tengah malam",
        lokasi: Some("Kel. Pemurus Baru, Kec. Banjarmasin Selatan"),
        date: Some("2026-11-01"),
        kind: Pengaduan,
    },
    Ex {
        text: "Ijin lapor pak, ada bangunan liar berdiri di bantaran sungai Jl. Belitung Darat RT 21",
        at: FRI,
        title: "Ada bangunan liar berdiri di bantaran sungai Jl. Belitung Darat RT 21",
        lokasi: Some("Jl. Belitung Darat, RT 21, Kec. Banjarmasin Barat"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "3 hari lalu anak saya ditolak berobat di Puskesmas Sungai Jingah karena BPJS, tolong dicek",
        at: FRI,
        title: "3 hari lalu anak saya ditolak berobat di Puskesmas Sungai Jingah karena BPJS",
        lokasi: Some("Puskesmas Sungai Jingah, Kel. Sungai Jingah, Kec. Banjarmasin Utara"),
        date: Some("2026-11-17"),
        kind: Pengaduan,
    },
    Ex {
        text: "Genangan setinggi 30 cm di depan Masjid Raya Sabilal Muhtadin sejak pagi, mobil banyak yang mogok",
        at: FRI,
        title: "Genangan setinggi 30 cm di depan Masjid Raya Sabilal Muhtadin sejak pagi",
        lokasi: Some("Depan Masjid Raya Sabilal Muhtadin, Kec. Banjarmasin Tengah"),
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
    Ex {
        text: "Wayah ini jalan di Komp. Beruntung Jaya Pemurus Luar kaya sungai, banyu sampai lutut",
        at: FRI,
        title: "Wayah ini jalan di Komp. Beruntung Jaya Pemurus Luar kaya sungai",
        lokasi: Some("Komp. Beruntung Jaya, Kel. Pemurus Luar, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Dishub tolong pasang rambu dilarang parkir di Jl. Veteran dekat Pasar Lama, macet tiap sore",
        at: FRI,
        title: "Dishub tolong pasang rambu dilarang parkir di Jl. Veteran dekat Pasar Lama",
        lokasi: Some("Jl. Veteran, dekat Pasar Lama, Kel. Pasar Lama, Kec. Banjarmasin Tengah"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "lampu jalan di depan gang 7 Pekapuran Raya mati, gelap pak",
        at: FRI,
        title: "Lampu jalan di depan Gg. 7 Pekapuran Raya mati",
        lokasi: Some("Gg. 7, Kel. Pekapuran Raya, Kec. Banjarmasin Timur"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "Mohon maaf pak kalau panjang. Kami sudah 2 kali datang ke kantor Dinas PUPR. Saluran di Gg. Harapan Kel. Sungai Andai tertutup ruko, tiap hujan terendam",
        at: FRI,
        title: "Saluran di Gg. Harapan Kel. Sungai Andai tertutup ruko",
        lokasi: Some("Gg. Harapan, Kel. Sungai Andai, Kec. Banjarmasin Utara"),
        date: None,
        kind: Pengaduan,
    },
    Ex {
        text: "sampah di sungai baru saja dibersihkan sudah kotor lagi, warga buang sembarangan",
        at: FRI,
        title: "Sampah di sungai baru saja dibersihkan sudah kotor lagi",
        lokasi: None,
        date: Some("2026-11-20"),
        kind: Pengaduan,
    },
];

fn gazetteer() -> Gazetteer {
    let wilayah = include_str!("../../data/gazetteer/banjarmasin-wilayah.csv");
    Gazetteer::parse(wilayah, PLACES).expect("example gazetteer")
}

#[test]
fn there_are_at_least_60_examples() {
    assert!(EXAMPLES.len() >= 60, "{}", EXAMPLES.len());
}

#[test]
fn titles_locations_dates_and_kinds() {
    let g = gazetteer();
    let mut failures = Vec::new();
    for (n, ex) in EXAMPLES.iter().enumerate() {
        let (d, h, m) = ex.at;
        let posted = wita().with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap();
        let lok = find_location(ex.text, &g);
        let got_title = title_for(ex.text, &lok);
        let got_lokasi = lok.render();
        let got_date = event_date(ex.text, posted).map(|e| e.date.format("%Y-%m-%d").to_string());
        let got_kind = klasifikasi(ex.text);
        let mut diffs = Vec::new();
        if got_title != ex.title {
            diffs.push(format!(
                "title\n      want {:?}\n      got  {got_title:?}",
                ex.title
            ));
        }
        if got_lokasi.as_deref() != ex.lokasi {
            diffs.push(format!(
                "lokasi\n      want {:?}\n      got  {got_lokasi:?}",
                ex.lokasi
            ));
        }
        if got_date.as_deref() != ex.date {
            diffs.push(format!(
                "date\n      want {:?}\n      got  {got_date:?}",
                ex.date
            ));
        }
        if got_kind != ex.kind {
            diffs.push(format!("klasifikasi want {:?} got {got_kind:?}", ex.kind));
        }
        assert!(got_title.chars().count() <= super::MAX_TITLE, "{got_title}");
        if !diffs.is_empty() {
            failures.push(format!("#{n} {:?}\n    {}", ex.text, diffs.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples differ:\n{}",
        failures.len(),
        EXAMPLES.len(),
        failures.join("\n")
    );
}
