//! Staff accounts and their API tokens, each in its own sled tree (`web_users`, `web_tokens`).
//!
//! A user has a name, a [`Role`], an argon2id password hash (PHC string) and may be disabled.
//! API tokens are random 256-bit secrets shown once; only their SHA-256 is stored (a hash of a
//! high-entropy secret needs no slow KDF), keyed so a token finds its user in one lookup.
//! Disabling a user revokes every token and refuses every session at the next request.

use super::auth::{hash_password, random_token, sha256_hex};
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::Tree;
use std::fmt;

/// What a user may do. Ordered: each role can do everything the one before can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the queue, items, dashboard and audit log.
    Viewer,
    /// Also accepts, rejects, merges and undoes.
    Reviewer,
    /// Also manages users and exports the audit log.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Reviewer, Role::Admin];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The Indonesian label shown in the page.
    pub fn label(self) -> &'static str {
        match self {
            Role::Viewer => "Pemantau",
            Role::Reviewer => "Peninjau",
            Role::Admin => "Admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One staff account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    #[serde(default)]
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub last_login: Option<DateTime<Utc>>,
}

/// An API token's record (the secret itself is never stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub user: String,
    /// Short public id, shown in listings (the first characters of the token).
    pub id: String,
    pub created_at: DateTime<Utc>,
}

/// Errors of the user store.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("invalid user name `{0}`: use 1–32 lowercase letters, digits, `.`, `_` or `-`, starting with a letter or digit")]
    InvalidName(String),
    #[error("password too short: at least {min} characters")]
    WeakPassword { min: usize },
    #[error("password too long: at most {max} characters")]
    LongPassword { max: usize },
    #[error("user `{0}` already exists")]
    Exists(String),
    #[error("no user `{0}`")]
    NotFound(String),
    #[error("user `{0}` is disabled")]
    Disabled(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("store error: {0}")]
    Store(#[from] StoreError),
    #[error("store error: {0}")]
    Sled(#[from] sled::Error),
    #[error("corrupt user record: {0}")]
    Corrupt(#[from] serde_json::Error),
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted (argon2 takes any length; this bounds the work per attempt).
pub const MAX_PASSWORD: usize = 256;
/// Prefix of every API token, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "dgr_";

/// The user and token trees.
#[derive(Clone)]
pub struct Users {
    users: Tree,
    tokens: Tree,
}

/// Checks a user name.
pub fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
}

/// Checks a password's length (in characters).
pub fn check_password(password: &str) -> Result<(), UserError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(UserError::WeakPassword { min: MIN_PASSWORD });
    }
    if n > MAX_PASSWORD {
        return Err(UserError::LongPassword { max: MAX_PASSWORD });
    }
    Ok(())
}

impl Users {
    /// Opens the user trees of a store.
    pub fn open(store: &Store) -> Result<Users, UserError> {
        Ok(Users {
            users: store.tree("web_users")?,
            tokens: store.tree("web_tokens")?,
        })
    }

    /// Creates a user. The password is hashed here (slow on purpose: about 20–50 ms).
    pub fn add(&self, name: &str, role: Role, password: &str) -> Result<User, UserError> {
        if !valid_name(name) {
            return Err(UserError::InvalidName(name.to_string()));
        }
        check_password(password)?;
        let user = User {
            name: name.to_string(),
            role,
            password_hash: hash_password(password).map_err(UserError::Hash)?,
            disabled: false,
            created_at: Utc::now(),
            last_login: None,
        };
        let value = serde_json::to_vec(&user)?;
        match self
            .users
            .compare_and_swap(name.as_bytes(), None as Option<&[u8]>, Some(value))?
        {
            Ok(()) => {
                self.users.flush()?;
                Ok(user)
            }
            Err(_) => Err(UserError::Exists(name.to_string())),
        }
    }

    /// The user with this name.
    pub fn get(&self, name: &str) -> Result<Option<User>, UserError> {
        match self.users.get(name.as_bytes())? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }

    /// Every user, by name.
    pub fn list(&self) -> Result<Vec<User>, UserError> {
        let mut out = Vec::new();
        for kv in self.users.iter() {
            let (_, v) = kv?;
            out.push(serde_json::from_slice(&v)?);
        }
        Ok(out)
    }

    /// Whether no user exists yet.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    fn update(&self, name: &str, f: impl Fn(&mut User)) -> Result<User, UserError> {
        loop {
            let Some(old) = self.users.get(name.as_bytes())? else {
                return Err(UserError::NotFound(name.to_string()));
            };
            let mut user: User = serde_json::from_slice(&old)?;
            f(&mut user);
            let new = serde_json::to_vec(&user)?;
            if self
                .users
                .compare_and_swap(name.as_bytes(), Some(old), Some(new))?
                .is_ok()
            {
                return Ok(user);
            }
        }
    }

    /// Disables a user and revokes their API tokens. Returns the number of tokens revoked.
    pub fn disable(&self, name: &str) -> Result<usize, UserError> {
        self.update(name, |u| u.disabled = true)?;
        let revoked = self.revoke_tokens(name)?;
        self.users.flush()?;
        Ok(revoked)
    }

    /// Notes a successful login.
    pub fn touch_login(&self, name: &str) -> Result<(), UserError> {
        self.update(name, |u| u.last_login = Some(Utc::now()))?;
        Ok(())
    }

    /// Issues a new API token for an enabled user and returns it; it cannot be shown again.
    pub fn issue_token(&self, name: &str) -> Result<String, UserError> {
        let user = self
            .get(name)?
            .ok_or_else(|| UserError::NotFound(name.to_string()))?;
        if user.disabled {
            return Err(UserError::Disabled(name.to_string()));
        }
        let token = format!("{TOKEN_PREFIX}{}", random_token());
        let record = TokenRecord {
            user: name.to_string(),
            id: token.chars().take(TOKEN_PREFIX.len() + 6).collect(),
            created_at: Utc::now(),
        };
        self.tokens
            .insert(sha256_hex(&token).as_bytes(), serde_json::to_vec(&record)?)?;
        self.tokens.flush()?;
        Ok(token)
    }

    /// The enabled user an API token belongs to.
    pub fn user_for_token(&self, token: &str) -> Result<Option<User>, UserError> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
            return Ok(None);
        }
        let Some(v) = self.tokens.get(sha256_hex(token).as_bytes())? else {
            return Ok(None);
        };
        let record: TokenRecord = serde_json::from_slice(&v)?;
        Ok(self.get(&record.user)?.filter(|u| !u.disabled))
    }

    /// The token records of a user (ids only).
    pub fn tokens_of(&self, name: &str) -> Result<Vec<TokenRecord>, UserError> {
        let mut out = Vec::new();
        for kv in self.tokens.iter() {
            let (_, v) = kv?;
            let r: TokenRecord = serde_json::from_slice(&v)?;
            if r.user == name {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn revoke_tokens(&self, name: &str) -> Result<usize, UserError> {
        let mut n = 0;
        for kv in self.tokens.iter() {
            let (k, v) = kv?;
            let r: TokenRecord = serde_json::from_slice(&v)?;
            if r.user == name {
                self.tokens.remove(k)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> (tempfile::TempDir, Users) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let u = Users::open(&store).unwrap();
        (dir, u)
    }

    #[test]
    fn names_are_checked() {
        assert!(valid_name("rina"));
        assert!(valid_name("rina.s_2-x"));
        assert!(!valid_name(""));
        assert!(!valid_name("Rina"));
        assert!(!valid_name("-rina"));
        assert!(!valid_name("rina sari"));
        assert!(!valid_name(&"a".repeat(33)));
    }

    #[test]
    fn add_get_list_disable() {
        let (_d, u) = users();
        assert!(u.is_empty());
        let user = u.add("rina", Role::Reviewer, "kata-sandi-panjang").unwrap();
        assert!(user.password_hash.starts_with("$argon2id$"));
        assert!(!user.password_hash.contains("kata-sandi"));
        assert!(matches!(
            u.add("rina", Role::Admin, "kata-sandi-lain"),
            Err(UserError::Exists(_))
        ));
        assert!(matches!(
            u.add("budi", Role::Admin, "pendek"),
            Err(UserError::WeakPassword { .. })
        ));
        assert_eq!(u.list().unwrap().len(), 1);
        let token = u.issue_token("rina").unwrap();
        assert!(token.starts_with(TOKEN_PREFIX));
        assert_eq!(u.user_for_token(&token).unwrap().unwrap().name, "rina");
        assert!(u.user_for_token("dgr_nope").unwrap().is_none());
        assert_eq!(u.disable("rina").unwrap(), 1);
        assert!(u.get("rina").unwrap().unwrap().disabled);
        assert!(u.user_for_token(&token).unwrap().is_none());
        assert!(matches!(u.issue_token("rina"), Err(UserError::Disabled(_))));
        assert!(matches!(u.disable("nobody"), Err(UserError::NotFound(_))));
    }
}
