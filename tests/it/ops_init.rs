//! `dengar init` for another city: the commented config loads, the templates load as the
//! city's reference data, and a nightly run works on them; existing files are kept.

use crate::ops_util::*;

#[test]
fn init_writes_a_config_that_loads_and_runs() {
    let inst = Install::new();
    let dir = inst.path("samarinda");
    let init = || {
        std::process::Command::new(bin())
            .args([
                "init",
                "--city",
                "Samarinda",
                "--dir",
                dir.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let o = init();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let config = dir.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    for section in [
        "[data]",
        "[harvest]",
        "[classify]",
        "[retention]",
        "[schedule]",
        "[forward]",
        "[collect]",
    ] {
        assert!(
            text.contains(&format!("\n{section}\n")),
            "missing {section}"
        );
    }
    let loaded = dengar::config::Config::load(&config).unwrap();
    assert_eq!(loaded.retention.retention_days, 30);
    let agencies = std::fs::read_to_string(dir.join("agencies.toml")).unwrap();
    assert!(agencies.contains("Kota Samarinda") && !agencies.contains("Banjarmasin"));

    // the generated config drives a real run on the city's templates
    let run = |args: &[&str]| {
        std::process::Command::new(bin())
            .env_remove("DENGAR_DATA_DIR")
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["nightly"]);
    assert!(matches!(code(&o), 0 | 2), "{}", stderr(&o));
    assert!(
        dir.join("data").join("reports").join("run-1.html").exists(),
        "data_dir from the config"
    );
    let s = run(&["status"]);
    assert!(stdout(&s).contains("last run    #1"), "{}", stdout(&s));

    // a second init keeps the edited files
    let again = init();
    assert_eq!(code(&again), 1);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}
