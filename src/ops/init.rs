//! `dengar init`: a commented configuration and reference-data templates for a new
//! installation or another city.
//!
//! The config is generated, not hand-kept: values come from [`Config::default`] serialised to
//! TOML, and the comment above each key is the field's `///` doc comment in `src/config.rs`
//! (compiled in and read at run time), so the file can never disagree with the code. Sections
//! whose structs live elsewhere still get their defaults, with a pointer instead of a comment.
//! The agency template is the shipped taxonomy with the city's name and without handles; the
//! account template holds one example account to edit.

use crate::catalog::Catalog;
use crate::config::Config;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Sources of the config structs, compiled in for their `///` comments. A config struct defined
/// in a file not listed here still gets its defaults, only without comments.
const CONFIG_SOURCES: [&str; 11] = [
    include_str!("../config.rs"),
    include_str!("../collect/config.rs"),
    include_str!("../collect/x/config.rs"),
    include_str!("../collect/instagram/config.rs"),
    include_str!("../collect/facebook/config.rs"),
    include_str!("../collect/youtube/config.rs"),
    include_str!("../collect/mastodon/config.rs"),
    include_str!("../forward/config.rs"),
    include_str!("../forward/file/config.rs"),
    include_str!("../forward/lapor/config.rs"),
    include_str!("../forward/open311/config.rs"),
];

/// Doc comments of every config struct.
pub fn config_docs() -> BTreeMap<String, StructDoc> {
    CONFIG_SOURCES
        .iter()
        .flat_map(|src| struct_docs(src))
        .collect()
}

/// The struct name in a field type: `Option<crate::forward::LaporConfig>` → `LaporConfig`.
pub fn base_type(ty: &str) -> &str {
    let t = ty.trim();
    let t = t
        .strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(t);
    t.rsplit("::").next().unwrap_or(t)
}

fn is_map(ty: &str) -> bool {
    ty.contains("Map<")
}

/// Errors of `init`.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already exists; use --force to overwrite it")]
    Exists(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise the default config: {0}")]
    Serialise(String),
}

/// A documented field of a config struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDoc {
    pub name: String,
    pub ty: String,
    pub doc: Vec<String>,
}

/// Doc comments of a struct and its fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructDoc {
    pub doc: Vec<String>,
    pub fields: Vec<FieldDoc>,
}

/// Reads `///` comments of `pub struct`s and their `pub` fields from Rust source.
pub fn struct_docs(src: &str) -> BTreeMap<String, StructDoc> {
    let mut out = BTreeMap::new();
    let mut pending: Vec<String> = Vec::new();
    let mut current: Option<(String, StructDoc)> = None;
    for line in src.lines() {
        let t = line.trim();
        if let Some(d) = t.strip_prefix("///") {
            pending.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            continue;
        }
        if t.starts_with("#[") {
            continue;
        }
        if let Some(rest) = t.strip_prefix("pub struct ") {
            if let Some(name) = rest.strip_suffix('{').map(str::trim) {
                let doc = std::mem::take(&mut pending);
                current = Some((
                    name.to_string(),
                    StructDoc {
                        doc,
                        fields: Vec::new(),
                    },
                ));
                continue;
            }
        }
        if let Some((_, sd)) = current.as_mut() {
            if t == "}" {
                if let Some((name, sd)) = current.take() {
                    out.insert(name, sd);
                }
            } else if let Some(field) = t.strip_prefix("pub ") {
                if let Some((name, ty)) = field.split_once(':') {
                    sd.fields.push(FieldDoc {
                        name: name.trim().to_string(),
                        ty: ty.trim().trim_end_matches(',').to_string(),
                        doc: std::mem::take(&mut pending),
                    });
                    continue;
                }
            }
        }
        pending.clear();
    }
    out
}

fn comment(out: &mut String, lines: &[String], indent: &str) {
    for l in lines {
        if l.is_empty() {
            let _ = writeln!(out, "{indent}#");
        } else {
            let _ = writeln!(out, "{indent}# {l}");
        }
    }
}

fn write_keys(
    out: &mut String,
    path: &str,
    table: &toml::Table,
    fields: &[FieldDoc],
    docs: &BTreeMap<String, StructDoc>,
    overrides: &BTreeMap<String, toml::Value>,
) {
    // documented fields first in source order, then anything else the section holds
    let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    for k in table.keys() {
        if !names.contains(k) {
            names.push(k.clone());
        }
    }
    for name in names {
        let full = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        let field = fields.iter().find(|f| f.name == name);
        let map_typed = field.is_some_and(|f| is_map(&f.ty));
        let value = overrides.get(&full).or_else(|| table.get(&name));
        // sub-sections are written after the keys; absent optional sub-sections as examples
        let struct_typed = field.is_some_and(|f| docs.contains_key(base_type(&f.ty)));
        match value {
            Some(toml::Value::Table(_)) if !map_typed => continue,
            None if struct_typed => continue,
            _ => {}
        }
        match field {
            Some(f) if !f.doc.is_empty() => comment(out, &f.doc, ""),
            _ => {
                let _ = writeln!(out, "# (no description in the source)");
            }
        }
        match value {
            Some(v) => {
                let _ = writeln!(out, "{name} = {v}");
            }
            None => {
                let _ = writeln!(out, "# {name} =   (not set)");
            }
        }
        out.push('\n');
    }
}

/// An optional section that is not set: its keys as comments, to uncomment and fill in.
fn write_example_section(out: &mut String, path: &str, doc: &[String], sd: &StructDoc) {
    let _ = writeln!(
        out,
        "# ----------------------------------------------------------------"
    );
    comment(out, doc, "");
    let _ = writeln!(
        out,
        "# (not set: uncomment the section and fill in what you use)"
    );
    let _ = writeln!(out, "# [{path}]");
    for f in &sd.fields {
        comment(out, &f.doc, "");
        let _ = writeln!(out, "# {} =", f.name);
    }
    out.push('\n');
}

fn write_section(
    out: &mut String,
    path: &str,
    section_doc: &[String],
    table: &toml::Table,
    docs: &BTreeMap<String, StructDoc>,
    ty: Option<&str>,
    overrides: &BTreeMap<String, toml::Value>,
) {
    let sd = ty.and_then(|t| docs.get(base_type(t)));
    let _ = writeln!(
        out,
        "# ----------------------------------------------------------------"
    );
    comment(out, section_doc, "");
    let _ = writeln!(out, "[{path}]");
    out.push('\n');
    let fields = sd.map(|s| s.fields.as_slice()).unwrap_or_default();
    write_keys(out, path, table, fields, docs, overrides);
    for (k, v) in table {
        let f = fields.iter().find(|f| &f.name == k);
        if let (toml::Value::Table(sub), false) = (v, f.is_some_and(|f| is_map(&f.ty))) {
            let doc = f.map(|f| f.doc.clone()).unwrap_or_default();
            write_section(
                out,
                &format!("{path}.{k}"),
                &doc,
                sub,
                docs,
                f.map(|f| f.ty.as_str()),
                overrides,
            );
        }
    }
    for f in fields {
        if table.contains_key(&f.name) {
            continue;
        }
        if let Some(sub) = docs.get(base_type(&f.ty)) {
            write_example_section(out, &format!("{path}.{}", f.name), &f.doc, sub);
        }
    }
}

/// The commented configuration: every section with its defaults, `overrides` (dotted key →
/// value) replacing defaults where given.
pub fn commented_config(
    heading: &[String],
    overrides: &BTreeMap<String, toml::Value>,
) -> Result<String, InitError> {
    let docs = config_docs();
    let value = toml::Value::try_from(Config::default())
        .map_err(|e| InitError::Serialise(e.to_string()))?;
    let toml::Value::Table(root) = value else {
        return Err(InitError::Serialise("the config is not a table".into()));
    };
    let top = docs.get("Config").cloned().unwrap_or_default();
    let mut out = String::new();
    comment(&mut out, heading, "");
    out.push('\n');
    // top-level plain keys must come before any table
    let plain: Vec<FieldDoc> = top
        .fields
        .iter()
        .filter(|f| !matches!(root.get(&f.name), Some(toml::Value::Table(_))))
        .cloned()
        .collect();
    let plain_table: toml::Table = root
        .iter()
        .filter(|(_, v)| !matches!(v, toml::Value::Table(_)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    write_keys(&mut out, "", &plain_table, &plain, &docs, overrides);
    let mut order: Vec<String> = top.fields.iter().map(|f| f.name.clone()).collect();
    for k in root.keys() {
        if !order.contains(k) {
            order.push(k.clone());
        }
    }
    for name in order {
        if let Some(toml::Value::Table(t)) = root.get(&name) {
            let f = top.fields.iter().find(|f| f.name == name);
            write_section(
                &mut out,
                &name,
                &f.map(|f| f.doc.clone()).unwrap_or_default(),
                t,
                &docs,
                f.map(|f| f.ty.as_str()),
                overrides,
            );
        }
    }
    Ok(out)
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A slug for handles and file names: lowercase letters and digits.
pub fn slug(city: &str) -> String {
    let s: String = city
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if s.is_empty() {
        "kota".to_string()
    } else {
        s
    }
}

/// The agencies template: the shipped taxonomy renamed for `city`, without handles.
pub fn agencies_template(city: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Agencies (SKPD) of Pemerintah Kota {city} that dengar routes complaints to."
    );
    s.push_str(
        "# Made by `dengar init` from the taxonomy dengar ships: check every name against your city's\n\
         # organisation (SOTK), fill in each agency's social-media `handles`, and keep the `code`s:\n\
         # the shipped models predict these codes. Remove agencies your city does not have, except\n\
         # `lainnya` (anything else).\n#\n\
         # Fields: code (stable id), name, short, lapor_instansi (name in SP4N-LAPOR!),\n\
         #         lapor_category, handles (without @), description (shown to reviewers)\n\n",
    );
    for a in Catalog::embedded().agencies {
        let rename = |t: &str| t.replace("Banjarmasin", city);
        s.push_str("[[agency]]\n");
        let _ = writeln!(s, "code = {}", quote(&a.code));
        let _ = writeln!(s, "name = {}", quote(&rename(&a.name)));
        let _ = writeln!(s, "short = {}", quote(&rename(&a.short)));
        let _ = writeln!(s, "lapor_instansi = {}", quote(&rename(&a.lapor_instansi)));
        let _ = writeln!(s, "lapor_category = {}", quote(&a.lapor_category));
        s.push_str("handles = []\n");
        let _ = writeln!(s, "description = {}\n", quote(&rename(&a.description)));
    }
    s
}

/// The accounts template: one example account to edit.
pub fn accounts_template(city: &str) -> String {
    let slug = slug(city);
    format!(
        "# Watched accounts of Pemerintah Kota {city}: dengar harvests mentions of, replies to and\n\
         # comments on these accounts. Made by `dengar init`: replace the example with the city's\n\
         # real accounts (the mayor, the city, each agency).\n#\n\
         # Fields: handle (without @), name, agency (a code from agencies.toml, or \"pemko\" for\n\
         #         city-wide accounts), platforms (x, instagram, facebook, youtube, mastodon),\n\
         #         ids (optional per-platform ids: ids = {{ instagram = \"1784...\" }})\n\n\
         [[account]]\n\
         handle = {}\n\
         name = {}\n\
         agency = \"pemko\"\n\
         platforms = [\"x\", \"instagram\", \"facebook\", \"youtube\"]\n",
        quote(&format!("pemkot_{slug}")),
        quote(&format!("Pemerintah Kota {city}")),
    )
}

/// What `init` wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub config: PathBuf,
    pub agencies: PathBuf,
    pub accounts: PathBuf,
    pub data_dir: PathBuf,
}

/// Writes `config.toml`, `agencies.toml` and `accounts.toml` for `city` into `dir` (absolute
/// paths inside the config; the data directory is `data_dir`, else `dir/data`). Refuses to
/// overwrite unless `force`.
pub fn write(
    dir: &Path,
    city: &str,
    force: bool,
    data_dir: Option<&Path>,
) -> Result<Written, InitError> {
    let dir = super::schedule::absolute(dir);
    let w = Written {
        config: dir.join("config.toml"),
        agencies: dir.join("agencies.toml"),
        accounts: dir.join("accounts.toml"),
        data_dir: data_dir
            .map(super::schedule::absolute)
            .unwrap_or_else(|| dir.join("data")),
    };
    for p in [&w.config, &w.agencies, &w.accounts] {
        if p.exists() && !force {
            return Err(InitError::Exists(p.clone()));
        }
    }
    let path_value = |p: &Path| toml::Value::String(p.display().to_string());
    let overrides: BTreeMap<String, toml::Value> = [
        ("data_dir".to_string(), path_value(&w.data_dir)),
        ("data.agencies".to_string(), path_value(&w.agencies)),
        ("data.accounts".to_string(), path_value(&w.accounts)),
    ]
    .into_iter()
    .collect();
    let heading = vec![
        format!("dengar configuration for Pemerintah Kota {city}, made by `dengar init`."),
        "Every key is shown with its default and what it does; delete what you do not change."
            .into(),
        "Check it with `dengar --config <this file> status`; unknown keys are refused.".into(),
    ];
    let config = commented_config(&heading, &overrides)?;
    std::fs::create_dir_all(&dir).map_err(|source| InitError::Io {
        path: dir.clone(),
        source,
    })?;
    for (p, text) in [
        (&w.config, config),
        (&w.agencies, agencies_template(city)),
        (&w.accounts, accounts_template(city)),
    ] {
        std::fs::write(p, text).map_err(|source| InitError::Io {
            path: p.clone(),
            source,
        })?;
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_config_field_has_a_doc_comment() {
        let docs = config_docs();
        let top = &docs["Config"];
        assert!(top
            .fields
            .iter()
            .any(|f| f.name == "retention" && f.ty == "RetentionConfig"));
        // every struct reachable from Config, whichever file defines it
        let mut todo = vec!["Config".to_string()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            for f in &docs[&name].fields {
                assert!(!f.doc.is_empty(), "{name}.{} has no /// comment", f.name);
                let t = base_type(&f.ty);
                if docs.contains_key(t) {
                    todo.push(t.to_string());
                }
            }
        }
        assert!(
            seen.contains("XConfig") && seen.contains("LaporConfig"),
            "{seen:?}"
        );
        assert!(docs["RetentionConfig"].fields[0]
            .doc
            .join(" ")
            .contains("Default 30"));
        assert_eq!(
            base_type("Option<crate::forward::LaporConfig>"),
            "LaporConfig"
        );
    }

    #[test]
    fn generated_config_loads_and_templates_parse() {
        let dir = tempfile::tempdir().unwrap();
        let w = write(dir.path(), "Samarinda", false, None).unwrap();
        let c = Config::load(&w.config).unwrap();
        assert_eq!(c.retention.retention_days, 30);
        assert_eq!(c.schedule.timezone, "Asia/Makassar");
        assert_eq!(c.data.agencies.as_deref(), Some(w.agencies.as_path()));
        assert_eq!(c.data_dir.as_deref(), Some(w.data_dir.as_path()));
        let cat = Catalog::load(Some(&w.agencies), Some(&w.accounts)).unwrap();
        assert_eq!(cat.agencies.len(), Catalog::embedded().agencies.len());
        assert!(cat.agencies.iter().all(|a| !a.name.contains("Banjarmasin")));
        assert!(cat.agencies.iter().any(|a| a.name.contains("Samarinda")));
        assert_eq!(cat.accounts[0].handle, "pemkot_samarinda");
        let text = std::fs::read_to_string(&w.config).unwrap();
        // every key line is preceded by a comment line
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            if !l.starts_with('#') && !l.starts_with('[') && l.contains(" = ") {
                assert!(lines[i - 1].starts_with('#'), "key without comment: {l}");
            }
        }
        assert!(text.contains("[retention]\n"));
        assert!(text.contains("retention_days = 30\n"));
        assert!(text.contains("# Days a dismissed or rejected post keeps"));
        assert!(text.contains("# root_words =   (not set)"));
        assert!(
            !text.contains("no description"),
            "undocumented key:\n{text}"
        );
        assert!(text.contains("# [forward.lapor]\n"), "{text}");
        assert!(text.contains("accounts = {}"), "{text}");
        assert!(matches!(
            write(dir.path(), "Samarinda", false, None),
            Err(InitError::Exists(_))
        ));
        let w = write(
            dir.path(),
            "Samarinda",
            true,
            Some(Path::new("/var/lib/dengar")),
        )
        .unwrap();
        assert_eq!(w.data_dir, Path::new("/var/lib/dengar"));
    }

    #[test]
    fn doc_parser_reads_fields_and_skips_attributes() {
        let src = "/// A thing.\n#[derive(Debug)]\npub struct Thing {\n    /// The size.\n    /// In metres.\n    #[serde(default)]\n    pub size: u32,\n    pub bare: bool,\n}\n";
        let d = struct_docs(src);
        assert_eq!(d["Thing"].doc, vec!["A thing."]);
        assert_eq!(d["Thing"].fields[0].doc, vec!["The size.", "In metres."]);
        assert_eq!(d["Thing"].fields[0].ty, "u32");
        assert!(d["Thing"].fields[1].doc.is_empty());
    }
}
