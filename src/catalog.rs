//! Reference data: the agency taxonomy and the watched accounts.
//!
//! Both ship embedded (`data/agencies.toml`, `data/accounts.toml`, Banjarmasin) so the binary runs
//! anywhere; another city points `[data] agencies` / `accounts` at its own files.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const AGENCIES_TOML: &str = include_str!("../data/agencies.toml");
const ACCOUNTS_TOML: &str = include_str!("../data/accounts.toml");

/// A city agency (SKPD) complaints are routed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Stable identifier (`dinas-pupr`).
    pub code: String,
    /// Full name.
    pub name: String,
    /// The name staff use.
    pub short: String,
    /// Institution name in SP4N-LAPOR!.
    pub lapor_instansi: String,
    /// LAPOR category for this agency's reports.
    pub lapor_category: String,
    /// Social-media handles (without `@`).
    #[serde(default)]
    pub handles: Vec<String>,
    /// What it handles.
    #[serde(default)]
    pub description: String,
}

/// A watched account of the city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Handle without `@`.
    pub handle: String,
    /// Who it is.
    pub name: String,
    /// Agency code, or `pemko` for city-wide accounts.
    pub agency: String,
    /// Platforms where it is watched.
    #[serde(default)]
    pub platforms: Vec<String>,
    /// The account's id per platform where the API needs one (`instagram`: the IG professional
    /// account id, `facebook`: the Page id, `youtube`: the channel id, `x`: the numeric user id,
    /// which collectors resolve from the handle when missing). Default none.
    #[serde(default)]
    pub ids: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyFile {
    agency: Vec<Agency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountFile {
    account: Vec<Account>,
}

/// Errors loading reference data.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid list: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Agencies and accounts, with lookups.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub agencies: Vec<Agency>,
    pub accounts: Vec<Account>,
    by_handle: HashMap<String, usize>,
}

impl Catalog {
    /// The shipped Banjarmasin catalog.
    pub fn embedded() -> Catalog {
        Catalog::from_texts(
            AGENCIES_TOML,
            "data/agencies.toml",
            ACCOUNTS_TOML,
            "data/accounts.toml",
        )
        .expect("the shipped agency and account lists are valid")
    }

    /// Loads the catalog, replacing each embedded list by a file when given.
    pub fn load(agencies: Option<&Path>, accounts: Option<&Path>) -> Result<Catalog, CatalogError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| CatalogError::Read {
                path: p.display().to_string(),
                source,
            })
        };
        let (ag_text, ag_name) = match agencies {
            Some(p) => (read(p)?, p.display().to_string()),
            None => (AGENCIES_TOML.to_string(), "data/agencies.toml".to_string()),
        };
        let (ac_text, ac_name) = match accounts {
            Some(p) => (read(p)?, p.display().to_string()),
            None => (ACCOUNTS_TOML.to_string(), "data/accounts.toml".to_string()),
        };
        Catalog::from_texts(&ag_text, &ag_name, &ac_text, &ac_name)
    }

    fn from_texts(
        ag: &str,
        ag_name: &str,
        ac: &str,
        ac_name: &str,
    ) -> Result<Catalog, CatalogError> {
        let agencies = toml::from_str::<AgencyFile>(ag)
            .map_err(|source| CatalogError::Parse {
                path: ag_name.to_string(),
                source,
            })?
            .agency;
        let accounts = toml::from_str::<AccountFile>(ac)
            .map_err(|source| CatalogError::Parse {
                path: ac_name.to_string(),
                source,
            })?
            .account;
        let mut seen = std::collections::HashSet::new();
        for a in &agencies {
            if !seen.insert(a.code.as_str()) {
                return Err(CatalogError::Invalid {
                    path: ag_name.to_string(),
                    message: format!("agency code `{}` appears twice", a.code),
                });
            }
        }
        for acc in &accounts {
            if acc.agency != "pemko" && !seen.contains(acc.agency.as_str()) {
                return Err(CatalogError::Invalid {
                    path: ac_name.to_string(),
                    message: format!(
                        "account `{}` names unknown agency `{}`",
                        acc.handle, acc.agency
                    ),
                });
            }
        }
        let by_handle = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.handle.to_lowercase(), i))
            .collect();
        Ok(Catalog {
            agencies,
            accounts,
            by_handle,
        })
    }

    /// The agency with this code.
    pub fn agency(&self, code: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.code == code)
    }

    /// The watched account with this handle (case-insensitive, `@` optional).
    pub fn account(&self, handle: &str) -> Option<&Account> {
        let h = handle.trim_start_matches('@').to_lowercase();
        self.by_handle.get(&h).map(|&i| &self.accounts[i])
    }

    /// Agency codes in file order.
    pub fn codes(&self) -> Vec<String> {
        self.agencies.iter().map(|a| a.code.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_design_codes() {
        let c = Catalog::embedded();
        let codes = c.codes();
        for code in [
            "dinas-pupr",
            "dishub",
            "dlh",
            "disperkim",
            "dinkes",
            "disdik",
            "disdukcapil",
            "dinsos",
            "satpolpp",
            "damkar",
            "bpbd",
            "pdam",
            "diskominfotik",
            "dpmptsp",
            "disdag",
            "bapenda",
            "disnaker",
            "kecamatan-kelurahan",
            "lainnya",
        ] {
            assert!(codes.iter().any(|c| c == code), "missing {code}");
        }
        assert_eq!(codes.len(), 19);
        assert_eq!(c.account("@PTAM_Bandarmasih").unwrap().agency, "pdam");
    }

    #[test]
    fn accounts_may_carry_platform_ids() {
        let ag =
            "[[agency]]\ncode='a'\nname='A'\nshort='A'\nlapor_instansi='A'\nlapor_category='A'\n";
        let ac = "[[account]]\nhandle='x'\nname='X'\nagency='a'\nids = { instagram = '17841400000000001' }\n";
        let c = Catalog::from_texts(ag, "ag", ac, "ac").unwrap();
        assert_eq!(c.accounts[0].ids["instagram"], "17841400000000001");
        assert!(Catalog::embedded()
            .accounts
            .iter()
            .all(|a| a.ids.is_empty()));
    }

    #[test]
    fn account_with_unknown_agency_is_refused() {
        let ag =
            "[[agency]]\ncode='a'\nname='A'\nshort='A'\nlapor_instansi='A'\nlapor_category='A'\n";
        let ac = "[[account]]\nhandle='x'\nname='X'\nagency='b'\n";
        let err = Catalog::from_texts(ag, "ag", ac, "ac").unwrap_err();
        assert!(err.to_string().contains("unknown agency `b`"));
    }
}
