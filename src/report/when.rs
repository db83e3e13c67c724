//! When did it happen? The date of the event from what the citizen wrote, relative to the post's
//! own time in Banjarmasin (WITA, UTC+8): `tadi malam`, `kemarin`, `sejak subuh`, `sudah
//! seminggu`, `3 hari yang lalu`, `senin kemarin`, `malam minggu`, `tgl 12`, `12/11`, in
//! Indonesian and Banjar (`samalam` = kemarin, `talu hari` = tiga hari, `hanyar` = baru).
//!
//! Every expression found gives a date; the earliest wins, because a complaint that says
//! "sudah seminggu ... kemarin makin parah" is about something that began a week ago. Vague
//! words (`sudah lama`, `beberapa hari`, `bertahun-tahun`) give nothing: the draft then falls
//! back to the post's date. Future and recurring expressions (`senin depan`, `tiap jumat`,
//! `besok`) are ignored.

use super::words::{words, Word};
use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, Timelike, Weekday};

/// The event date and the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDate {
    pub date: NaiveDate,
    /// The expression as the citizen wrote it.
    pub phrase: String,
}

/// Words meaning "today, earlier".
const TODAY: &[&[&str]] = &[
    &["tadi", "pagi"],
    &["tadi", "siang"],
    &["tadi", "sore"],
    &["tadi", "subuh"],
    &["tadi", "baisukan"],
    &["td", "pagi"],
    &["td", "siang"],
    &["td", "sore"],
    &["pagi", "tadi"],
    &["siang", "tadi"],
    &["sore", "tadi"],
    &["subuh", "tadi"],
    &["pagi", "ini"],
    &["siang", "ini"],
    &["sore", "ini"],
    &["hari", "ini"],
    &["barusan"],
    &["baru", "saja"],
    &["baru", "aja"],
    &["baru", "haja"],
    &["hanyar", "haja"],
    &["hanyar", "tadi"],
    &["sejak", "subuh"],
    &["dari", "subuh"],
    &["mulai", "subuh"],
    &["sejak", "pagi"],
    &["dari", "pagi"],
    &["sejak", "siang"],
    &["dari", "siang"],
    &["sejak", "sore"],
    &["dari", "sore"],
    &["sejak", "tadi"],
    &["dari", "tadi"],
    &["seharian"],
    &["tadi"],
    &["td"],
];

/// Words meaning "last night".
const LAST_NIGHT: &[&[&str]] = &[
    &["tadi", "malam"],
    &["td", "malam"],
    &["tadi", "mlm"],
    &["td", "mlm"],
    &["malam", "tadi"],
    &["semalam"],
    &["semalaman"],
    &["sejak", "semalam"],
    &["dari", "semalam"],
    &["tengah", "malam", "tadi"],
    &["dini", "hari", "tadi"],
];

/// Words meaning "yesterday" (`samalam` is Banjar for kemarin) and "the day before".
const YESTERDAY: &[&str] = &[
    "kemarin", "kemaren", "kmrn", "kmarin", "kemrin", "kmren", "kemarn", "samalam", "kmaren",
];

const NUMBERS: &[(&str, i64)] = &[
    ("satu", 1),
    ("esa", 1),
    ("dua", 2),
    ("tiga", 3),
    ("talu", 3),
    ("empat", 4),
    ("ampat", 4),
    ("lima", 5),
    ("enam", 6),
    ("anam", 6),
    ("tujuh", 7),
    ("pitu", 7),
    ("delapan", 8),
    ("walu", 8),
    ("sembilan", 9),
    ("sanga", 9),
    ("sepuluh", 10),
    ("sapuluh", 10),
    ("sebelas", 11),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

fn unit(w: &str) -> Option<Unit> {
    base_unit(w).or_else(|| base_unit(w.strip_suffix("an")?))
}

fn base_unit(w: &str) -> Option<Unit> {
    Some(match w {
        "jam" => Unit::Hour,
        "hari" | "hr" | "malam" | "mlm" => Unit::Day,
        "minggu" | "mgg" | "mg" | "pekan" => Unit::Week,
        "bulan" | "bln" | "bl" => Unit::Month,
        "tahun" | "thn" | "th" => Unit::Year,
        _ => return None,
    })
}

/// `seminggu`, `sebulan`, `sehari`, `setahun`, `sepekan`, Banjar `saminggu`, with an optional
/// `-an` (`sebulanan`).
fn se_unit(w: &str) -> Option<Unit> {
    let rest = w.strip_prefix("se").or_else(|| w.strip_prefix("sa"))?;
    match unit(rest)? {
        // `semalam` is "last night", handled on its own
        Unit::Day if rest.starts_with("mal") || rest.starts_with("mlm") => None,
        u => Some(u),
    }
}

fn number(w: &Word) -> Option<i64> {
    if w.number {
        return w.norm.parse().ok().filter(|n| (1..=400).contains(n));
    }
    NUMBERS.iter().find(|(s, _)| *s == w.norm).map(|(_, n)| *n)
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "senin" | "snin" => Weekday::Mon,
        "selasa" | "slasa" => Weekday::Tue,
        "rabu" => Weekday::Wed,
        "kamis" => Weekday::Thu,
        "jumat" | "jumaat" => Weekday::Fri,
        "sabtu" => Weekday::Sat,
        "minggu" | "ahad" => Weekday::Sun,
        _ => return None,
    })
}

fn month(w: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &["januari", "jan"],
        &["februari", "feb", "pebruari"],
        &["maret", "mar"],
        &["april", "apr"],
        &["mei"],
        &["juni", "jun"],
        &["juli", "jul"],
        &["agustus", "agu", "agt", "ags"],
        &["september", "sep", "sept"],
        &["oktober", "okt"],
        &["november", "nov", "nop"],
        &["desember", "des"],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&w))
        .map(|i| i as u32 + 1)
}

fn starts_with(ws: &[Word], i: usize, pat: &[&str]) -> bool {
    i + pat.len() <= ws.len() && pat.iter().zip(&ws[i..]).all(|(p, w)| w.norm == *p)
}

fn go_back(now: DateTime<FixedOffset>, n: i64, u: Unit) -> Option<NaiveDate> {
    let day = now.date_naive();
    Some(match u {
        Unit::Hour => (now - Duration::hours(n)).date_naive(),
        Unit::Day => day - Duration::days(n),
        Unit::Week => day - Duration::days(7 * n),
        Unit::Month => day.checked_sub_months(Months::new(u32::try_from(n).ok()?))?,
        Unit::Year => day.checked_sub_months(Months::new(u32::try_from(n).ok()? * 12))?,
    })
}

/// The most recent `wd` on or before `day` (strictly before when `strict`).
fn last_weekday(day: NaiveDate, wd: Weekday, strict: bool) -> NaiveDate {
    let mut back =
        (7 + day.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
    if back == 0 && strict {
        back = 7;
    }
    day - Duration::days(back)
}

/// The most recent date with this day (and month) on or before `today`.
fn recent_date(today: NaiveDate, d: u32, m: Option<u32>, y: Option<i32>) -> Option<NaiveDate> {
    if let (Some(m), Some(y)) = (m, y) {
        return NaiveDate::from_ymd_opt(y, m, d).filter(|x| *x <= today);
    }
    if let Some(m) = m {
        let this = NaiveDate::from_ymd_opt(today.year(), m, d);
        return match this {
            Some(x) if x <= today => Some(x),
            _ => NaiveDate::from_ymd_opt(today.year() - 1, m, d),
        };
    }
    let this = NaiveDate::from_ymd_opt(today.year(), today.month(), d);
    match this {
        Some(x) if x <= today => Some(x),
        _ => {
            let prev = today.checked_sub_months(Months::new(1))?;
            NaiveDate::from_ymd_opt(prev.year(), prev.month(), d)
        }
    }
}

/// A match: the date and the word range it came from.
type Found = (NaiveDate, usize, usize);

/// Reads the event date from `text` posted at `posted` (any offset; converted to WITA).
pub fn event_date<Tz: chrono::TimeZone>(text: &str, posted: DateTime<Tz>) -> Option<EventDate> {
    let now = posted.with_timezone(&super::wita());
    let ws = words(text);
    let mut found: Vec<Found> = Vec::new();
    let today = now.date_naive();
    let mut i = 0;
    while i < ws.len() {
        if let Some(f) = match_at(&ws, i, now, text) {
            i = f.2.max(i + 1);
            found.push(f);
        } else {
            i += 1;
        }
    }
    let (date, a, b) = found
        .into_iter()
        .filter(|(d, _, _)| *d <= today)
        .min_by_key(|(d, a, _)| (*d, *a))?;
    Some(EventDate {
        date,
        phrase: text[ws[a].start..ws[b - 1].end].to_string(),
    })
}

fn prev_is(ws: &[Word], i: usize, set: &[&str]) -> bool {
    i > 0 && set.contains(&ws[i - 1].norm.as_str())
}

fn match_at(ws: &[Word], i: usize, now: DateTime<FixedOffset>, text: &str) -> Option<Found> {
    let today = now.date_naive();
    let w = ws[i].norm.as_str();
    // future or habitual: skip the whole expression
    if prev_is(
        ws,
        i,
        &["besok", "bsk", "tiap", "setiap", "saban", "nanti", "esok"],
    ) {
        return None;
    }

    // numbered dates: 12/11, 12-11-2026, tgl 12, 12 november 2026
    if let Some(f) = absolute_date(ws, i, today, text) {
        return Some(f);
    }

    // kemarin lusa / kemarin dulu
    if YESTERDAY.contains(&w) {
        if i + 1 < ws.len() && matches!(ws[i + 1].norm.as_str(), "lusa" | "dulu") {
            return Some((today - Duration::days(2), i, i + 2));
        }
        // "minggu kemarin", "bulan kemarin" are handled at their first word
        return Some((today - Duration::days(1), i, i + 1));
    }
    if w == "lusa" && prev_is(ws, i, &["kemarin", "kemaren", "kmrn"]) {
        return None;
    }

    for pat in LAST_NIGHT {
        if starts_with(ws, i, pat) {
            let d = if now.hour() >= 18 {
                today
            } else {
                today - Duration::days(1)
            };
            return Some((d, i, i + pat.len()));
        }
    }
    for pat in TODAY {
        if starts_with(ws, i, pat) {
            // "tadi" alone only when not followed by a part of the day handled above
            return Some((today, i, i + pat.len()));
        }
    }

    // malam minggu / malam jumat: the evening before that day
    if (w == "malam" || w == "mlm") && i + 1 < ws.len() {
        if let Some(wd) = weekday(&ws[i + 1].norm) {
            let day = last_weekday(today, wd, false) - Duration::days(1);
            let day = if day > today {
                day - Duration::days(7)
            } else {
                day
            };
            return Some((day, i, i + 2));
        }
    }

    // day names: senin, hari minggu, sejak rabu, jumat kemarin
    if let Some(wd) = weekday(w) {
        let is_minggu = w == "minggu";
        let has_hari = prev_is(ws, i, &["hari", "hr"]);
        let ctx = prev_is(
            ws,
            i,
            &["sejak", "dari", "mulai", "pada", "tanggal", "hari", "hr"],
        );
        if is_minggu && !has_hari {
            // "minggu" is also "week"
        } else if i + 1 < ws.len() && matches!(ws[i + 1].norm.as_str(), "depan" | "besok") {
            return None;
        } else {
            let strict = i + 1 < ws.len()
                && matches!(
                    ws[i + 1].norm.as_str(),
                    "lalu" | "kemarin" | "kemaren" | "kmrn"
                );
            let end = if strict { i + 2 } else { i + 1 };
            let start = if ctx { i - 1 } else { i };
            return Some((last_weekday(today, wd, strict), start, end));
        }
    }

    // minggu lalu / pekan kemarin / bulan lalu / tahun lalu
    if let Some(u) = unit(w) {
        if u != Unit::Hour && u != Unit::Day && i + 1 < ws.len() {
            let next = ws[i + 1].norm.as_str();
            if matches!(next, "lalu" | "kemarin" | "kemaren" | "kmrn" | "kemarinnya") {
                return go_back(now, 1, u).map(|d| (d, i, i + 2));
            }
        }
    }

    // se-unit: seminggu, sebulan, setahun, sehari (+ lalu | yang lalu | optional)
    if let Some(u) = se_unit(w) {
        // "seminggu sekali", "sehari-hari": how often, not when
        if i + 1 < ws.len() && matches!(ws[i + 1].norm.as_str(), "sekali" | "kali" | "hari") {
            return None;
        }
        let (end, _) = tail(ws, i + 1);
        return go_back(now, 1, u).map(|d| (d, i, end));
    }

    // N unit [yang] lalu | sudah N unit | N unit ini | N unit terakhir
    if let Some(n) = number(&ws[i]) {
        if i + 1 < ws.len() {
            if let Some(u) = unit(&ws[i + 1].norm) {
                let before_ok = prev_is(
                    ws,
                    i,
                    &[
                        "sudah", "udah", "udh", "sdh", "dah", "sdah", "lah", "hampir", "sejak",
                        "selama", "sampai", "sampe", "lebih", "sekitar", "kurang", "sudh", "dari",
                    ],
                );
                let (tail_end, ago) = tail(ws, i + 2);
                let recent = tail_end < ws.len()
                    && matches!(
                        ws[tail_end].norm.as_str(),
                        "ini" | "terakhir" | "belakangan"
                    );
                let often =
                    tail_end < ws.len() && matches!(ws[tail_end].norm.as_str(), "sekali" | "kali");
                // "2 hari" alone is a duration of unknown anchor ("tiap 2 hari"): needs a cue
                if !often && (before_ok || ago || recent) {
                    let end = if recent { tail_end + 1 } else { tail_end };
                    let start = if before_ok { i - 1 } else { i };
                    return go_back(now, n, u).map(|d| (d, start, end));
                }
            }
        }
    }
    None
}

/// Past an optional `lebih` and `lalu`, `yang lalu`, `yg lalu`, `kemarin`: the index after
/// them, and whether they said "ago".
fn tail(ws: &[Word], mut i: usize) -> (usize, bool) {
    if i < ws.len() && matches!(ws[i].norm.as_str(), "lebih" | "an") {
        i += 1;
    }
    if i + 1 < ws.len()
        && matches!(ws[i].norm.as_str(), "yang" | "yg" | "nang")
        && ws[i + 1].norm == "lalu"
    {
        return (i + 2, true);
    }
    if i < ws.len() && matches!(ws[i].norm.as_str(), "lalu" | "kemarin" | "silam") {
        return (i + 1, true);
    }
    (i, false)
}

/// `tgl 12`, `tanggal 12 nov`, `12 november 2026`, `12/11`, `12-11-2026`.
fn absolute_date(ws: &[Word], i: usize, today: NaiveDate, text: &str) -> Option<Found> {
    let w = &ws[i];
    let cue = matches!(w.norm.as_str(), "tgl" | "tanggal" | "tg");
    let (d_idx, start) = if cue { (i + 1, i) } else { (i, i) };
    let d_word = ws.get(d_idx)?;
    if !d_word.number || d_word.norm.len() > 2 {
        return None;
    }
    // not an address number: "RT 12/04", "no 12", "km 6"
    if prev_is(
        ws,
        d_idx,
        &["rt", "rw", "no", "nomor", "km", "blok", "gg", "jl", "nomer"],
    ) {
        return None;
    }
    let d: u32 = d_word.norm.parse().ok()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    // 12/11[/2026] written with a slash or dash and nothing else between
    let sep = |a: &Word, b: &Word| {
        let between = &text[a.end..b.start];
        between == "/" || between == "-" || between == "."
    };
    if let Some(m_word) = ws.get(d_idx + 1) {
        if m_word.number && sep(d_word, m_word) {
            let m: u32 = m_word.norm.parse().ok()?;
            if !(1..=12).contains(&m) {
                return None;
            }
            let mut end = d_idx + 2;
            let mut y = None;
            if let Some(y_word) = ws.get(d_idx + 2) {
                if y_word.number && sep(m_word, y_word) {
                    let mut yy: i32 = y_word.norm.parse().ok()?;
                    if yy < 100 {
                        yy += 2000;
                    }
                    y = Some(yy);
                    end += 1;
                }
            }
            // "12.30" is a time of day, not a date
            if y.is_none() && &text[d_word.end..m_word.start] == "." {
                return None;
            }
            return recent_date(today, d, Some(m), y).map(|x| (x, start, end));
        }
        if let Some(m) = month(&m_word.norm) {
            let mut end = d_idx + 2;
            let mut y = None;
            if let Some(y_word) = ws.get(d_idx + 2) {
                if y_word.number && y_word.norm.len() == 4 {
                    y = y_word.norm.parse().ok();
                    end += 1;
                }
            }
            return recent_date(today, d, Some(m), y).map(|x| (x, start, end));
        }
    }
    if cue {
        return recent_date(today, d, None, None).map(|x| (x, start, d_idx + 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// 2026-11-20 is a Friday; 09:30 WITA.
    fn friday_morning() -> DateTime<FixedOffset> {
        super::super::wita()
            .with_ymd_and_hms(2026, 11, 20, 9, 30, 0)
            .unwrap()
    }

    fn date(text: &str) -> Option<String> {
        event_date(text, friday_morning()).map(|e| e.date.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn relative_days() {
        assert_eq!(date("kemarin sore banjir").as_deref(), Some("2026-11-19"));
        assert_eq!(
            date("tadi malam lampu padam").as_deref(),
            Some("2026-11-19")
        );
        assert_eq!(date("sejak subuh air mati").as_deref(), Some("2026-11-20"));
        assert_eq!(date("sudah seminggu sampah").as_deref(), Some("2026-11-13"));
        assert_eq!(date("3 hari yang lalu").as_deref(), Some("2026-11-17"));
        assert_eq!(date("kemarin lusa").as_deref(), Some("2026-11-18"));
        assert_eq!(date("sudah lama rusak"), None);
        assert_eq!(date("tiap 2 hari mati lampu"), None);
    }

    #[test]
    fn tadi_malam_posted_at_night_is_the_same_day() {
        let late = super::super::wita()
            .with_ymd_and_hms(2026, 11, 20, 22, 0, 0)
            .unwrap();
        let e = event_date("tadi malam ada kecelakaan", late).unwrap();
        assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!(e.phrase, "tadi malam");
    }

    #[test]
    fn post_time_is_read_in_wita() {
        // 2026-11-19 17:00 UTC is 2026-11-20 01:00 WITA
        let utc = chrono::Utc
            .with_ymd_and_hms(2026, 11, 19, 17, 0, 0)
            .unwrap();
        let e = event_date("kemarin", utc).unwrap();
        assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 11, 19).unwrap());
    }

    #[test]
    fn weekdays_and_dates() {
        assert_eq!(date("sejak senin").as_deref(), Some("2026-11-16"));
        assert_eq!(date("jumat kemarin").as_deref(), Some("2026-11-13"));
        assert_eq!(date("hari minggu").as_deref(), Some("2026-11-15"));
        assert_eq!(date("malam minggu").as_deref(), Some("2026-11-14"));
        assert_eq!(date("sudah 2 minggu").as_deref(), Some("2026-11-06"));
        assert_eq!(date("tgl 25").as_deref(), Some("2026-10-25"));
        assert_eq!(date("tanggal 3 november").as_deref(), Some("2026-11-03"));
        assert_eq!(date("12/11 jam 8").as_deref(), Some("2026-11-12"));
        assert_eq!(date("rapat jam 12.30"), None);
        assert_eq!(date("RT 12/04"), None);
        assert_eq!(date("senin depan"), None);
    }
}
