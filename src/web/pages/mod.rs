//! Server-rendered HTML pages (maud escapes every interpolation) and their shared layout: the
//! top bar with navigation, the signed-in user and the logout form, the keyboard-help panel,
//! and the one script and one stylesheet the CSP allows.

pub mod audit;
pub mod dashboard;
pub mod item;
pub mod login;
pub mod queue;
pub mod users;

use super::auth::Identity;
use super::users::Role;
use maud::{html, Markup, DOCTYPE};

/// Which navigation entry is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Queue,
    Item,
    Dashboard,
    Audit,
    Users,
}

/// The CSRF hidden field of a form.
pub fn csrf_field(who: &Identity) -> Markup {
    html! { input type="hidden" name=(super::csrf::FIELD) value=(who.csrf_token()); }
}

/// A page with the top bar. `page` names the page for the script (`data-page`).
pub fn layout(title: &str, who: &Identity, nav: Nav, page: &str, content: Markup) -> Markup {
    let link = |n: Nav, href: &str, label: &str| {
        html! {
            a.nav-link.active[nav == n] href=(href) aria-current=[(nav == n).then_some("page")] { (label) }
        }
    };
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) " · dengar" }
                link rel="stylesheet" href=(super::assets::css_url());
                script src=(super::assets::js_url()) defer {}
            }
            body data-page=(page) {
                header.topbar {
                    a.brand href="/" {
                        span.logo { "d" }
                        span { "dengar" }
                        span.brand-sub { "Tinjauan Aduan Warga · Diskominfotik Banjarmasin" }
                    }
                    nav.nav {
                        (link(Nav::Queue, "/", "Antrean"))
                        (link(Nav::Dashboard, "/dashboard", "Dasbor"))
                        (link(Nav::Audit, "/audit", "Audit"))
                        @if who.role >= Role::Admin {
                            (link(Nav::Users, "/users", "Pengguna"))
                        }
                    }
                    div.who {
                        span.user { (who.user) }
                        span.role { (who.role.label()) }
                        form.inline method="post" action="/logout" {
                            (csrf_field(who))
                            button.link type="submit" { "Keluar" }
                        }
                    }
                }
                main.content { (content) }
                (help_panel())
            }
        }
    }
}

fn help_panel() -> Markup {
    let keys = [
        ("j / k", "item berikutnya / sebelumnya"),
        ("o atau Enter", "buka item terpilih"),
        ("x", "pilih / batal pilih baris"),
        ("a", "terima (item terpilih, atau yang dibuka)"),
        ("r", "tolak dengan alasan yang dipilih"),
        ("e", "sunting draf laporan"),
        ("u", "batalkan keputusan terakhir"),
        ("g", "kembali ke antrean"),
        ("?", "tampilkan / sembunyikan bantuan ini"),
    ];
    html! {
        aside #help.help hidden {
            div.help-box role="dialog" aria-label="Pintasan papan ketik" {
                h2 { "Pintasan papan ketik" }
                table {
                    @for (k, what) in keys {
                        tr { td { kbd { (k) } } td { (what) } }
                    }
                }
                p.muted { "Tekan " kbd { "?" } " atau " kbd { "Esc" } " untuk menutup." }
            }
        }
    }
}

/// A page without the top bar (login).
pub fn bare(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) " · dengar" }
                link rel="stylesheet" href=(super::assets::css_url());
            }
            body.bare data-page="login" {
                main.narrow { (content) }
            }
        }
    }
}
