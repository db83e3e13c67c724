//! The binary: `dengar user …` and `dengar serve` over real HTTP on 127.0.0.1.

use crate::util::run_with_stdin;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn dengar(dir: &std::path::Path) -> Command {
    let mut c = Command::new(crate::util::bin());
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("DENGAR_PASSWORD")
        .env_remove("DENGAR_CONFIG");
    c
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serve_without_users_says_how_to_create_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dengar(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no user accounts"), "{err}");
    assert!(err.contains("dengar user add admin --role admin"), "{err}");
    let out = dengar(dir.path())
        .args(["serve", "--bind", "localhost"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an address:port"));
}

#[test]
fn user_commands_take_passwords_from_env_or_stdin_never_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let out = dengar(dir.path())
        .args(["user", "add", "admin", "--role", "admin"])
        .env("DENGAR_PASSWORD", "sandi-admin-panjang")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_with_stdin(
        dengar(dir.path()).args(["user", "add", "rina", "--role", "reviewer"]),
        b"sandi-rina-panjang
",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = dengar(dir.path())
        .args(["user", "add", "budi", "--role", "viewer"])
        .env("DENGAR_PASSWORD", "pendek")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10"));
    let out = dengar(dir.path())
        .args(["user", "add", "budi", "--role", "viewer", "--password", "x"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap refuses a password argument"
    );
    let out = dengar(dir.path())
        .args(["user", "token", "rina"])
        .output()
        .unwrap();
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("dgr_") && token.len() > 40, "{token}");
    let list = dengar(dir.path()).args(["user", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(list.contains("admin") && list.contains("rina"), "{list}");
    assert!(!list.contains("sandi"), "no secrets in listings");
    let out = dengar(dir.path())
        .args(["user", "disable", "rina"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked 1 API tokens"));
    let list = dengar(dir.path()).args(["user", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("disabled"));
    let out = dengar(dir.path())
        .args(["user", "disable", "nobody"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_answers_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let out = dengar(dir.path())
        .args(["user", "add", "admin", "--role", "admin"])
        .env("DENGAR_PASSWORD", "sandi-admin-panjang")
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8_lossy(
        &dengar(dir.path())
            .args(["user", "token", "admin"])
            .output()
            .unwrap()
            .stdout,
    )
    .trim()
    .to_string();
    let port = free_port();
    let _server = Server(
        dengar(dir.path())
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    let login = loop {
        match client.get(format!("{base}/login")).send().await {
            Ok(r) => break r,
            Err(_) if start.elapsed() < Duration::from_secs(20) => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("server did not start: {e}"),
        }
    };
    assert_eq!(login.status(), 200);
    assert_eq!(login.headers()["x-frame-options"], "DENY");
    let r = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me: serde_json::Value = r.json().await.unwrap();
    assert_eq!(me["user"], "admin");
    assert_eq!(me["role"], "admin");
}
