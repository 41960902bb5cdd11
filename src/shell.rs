//! The static shell of index.html, painted while the wasm loads: "Loading";
//! the login page when nobody is logged in on this device; or, for someone
//! who left Today within their idle limit, the Today they left, inert until
//! the app has it afresh. When the app starts it takes the shell away,
//! keeping what was typed into it for the app's login page.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlInputElement};

/// A field of the painted login page.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Field {
    Username,
    Password,
}

impl Field {
    fn id(self) -> &'static str {
        match self {
            Field::Username => "username",
            Field::Password => "password",
        }
    }
}

/// What was typed into the painted login page, and where the caret was.
#[derive(Default, Debug)]
pub struct Typed {
    pub username: String,
    pub password: String,
    pub focused: Option<(Field, u32)>,
}

thread_local! {
    static TYPED: RefCell<Typed> = RefCell::default();
}

/// What index.html painted in the shell.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Painted {
    Loading,
    Login,
    /// The screen this person left (see [`keep_last_screen`]).
    LastScreen,
}

/// What the shell shows, as index.html's script marked it (`data-painted`).
pub fn painted(document: &Document) -> Painted {
    let marked = document
        .get_element_by_id("shell")
        .and_then(|shell| shell.get_attribute("data-painted"));
    match marked.as_deref() {
        Some("login") => Painted::Login,
        Some("last") => Painted::LastScreen,
        _ => Painted::Loading,
    }
}

/// Where index.html's script finds the screen to paint.
pub const LAST_SCREEN_KEY: &str = "tend.last-screen";

/// What index.html's script reads to paint the screen kept last.
#[derive(serde::Serialize)]
struct LastScreen<'a> {
    account: i64,
    path: &'a str,
    home: bool,
    lang: String,
    /// The device's date then (`Date.prototype.toDateString`).
    day: String,
    until: i64,
    html: String,
}

/// Keeps the screen as it is now for index.html to paint on the next start
/// at `path` (and at `/` where `home`): the app's nodes as HTML, without ids
/// (the app's own page is built beside it, hidden, before it shows),
/// without alerts and missed medicines, which were about then, and without
/// the outbox's banner (offline, changes waiting), which the app says
/// afresh. Painted only for `account`, in the same language, on the same
/// day, before `until` (ms since the epoch: the session's idle limit, after
/// which the server has ended it).
pub fn keep_last_screen(account: i64, path: &str, home: bool, until: i64) {
    let document = leptos::prelude::document();
    let (Some(body), Some(storage)) = (document.body(), crate::local_storage()) else {
        return;
    };
    let nodes = body.children();
    let mut html = String::new();
    for i in 0..nodes.length() {
        let Some(node) = nodes.item(i) else { continue };
        if node.id() == "shell" || node.tag_name() == "SCRIPT" {
            continue;
        }
        let Ok(copy) = node.clone_node_with_deep(true) else {
            continue;
        };
        let Ok(copy) = copy.dyn_into::<web_sys::Element>() else {
            continue;
        };
        for stale in within(&copy, "[role=alert], .outbox, .missed-medicines") {
            stale.remove();
        }
        copy.remove_attribute("id").ok();
        for named in within(&copy, "[id]") {
            named.remove_attribute("id").ok();
        }
        html.push_str(&copy.outer_html());
    }
    let lang = document
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .unwrap_or_default();
    let screen = LastScreen {
        account,
        path,
        home,
        lang,
        day: js_sys::Date::new_0().to_date_string().into(),
        until,
        html,
    };
    // Full storage only means no painted screen next time.
    if let Ok(json) = serde_json::to_string(&screen) {
        let _ = storage.set_item(LAST_SCREEN_KEY, &json);
    }
}

/// The elements under `root` that match `selector`.
fn within(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let Ok(found) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// A mark in the page's performance timeline (`performance.mark`), read by
/// tools/bench/lighthouse.mjs: when the app's own page was on screen.
pub fn mark(name: &str) {
    let global = js_sys::global();
    let Ok(performance) = js_sys::Reflect::get(&global, &"performance".into()) else {
        return;
    };
    if let Ok(mark) = js_sys::Reflect::get(&performance, &"mark".into()) {
        if let Ok(mark) = mark.dyn_into::<js_sys::Function>() {
            let _ = mark.call1(&performance, &name.into());
        }
    }
}

/// Forgets the kept screen: the session ended on this device.
pub fn forget_last_screen() {
    if let Some(storage) = crate::local_storage() {
        let _ = storage.remove_item(LAST_SCREEN_KEY);
    }
}

/// Shows the app's page where the kept screen was painted: called once the
/// app has its own (or something else to say, or the page was left).
pub fn reveal() {
    let document = leptos::prelude::document();
    if painted(&document) == Painted::LastScreen {
        if let Some(shell) = document.get_element_by_id("shell") {
            shell.remove();
        }
    }
}

/// Removes the shell, keeping what was typed into it.
pub fn take_over(document: &Document) {
    let Some(shell) = document.get_element_by_id("shell") else {
        return;
    };
    let field = |field: Field| -> Option<HtmlInputElement> {
        shell
            .query_selector(&format!("#{}", field.id()))
            .ok()??
            .dyn_into()
            .ok()
    };
    let value = |f: Field| field(f).map(|input| input.value()).unwrap_or_default();
    let focused = [Field::Username, Field::Password].into_iter().find_map(|f| {
        let input = field(f)?;
        let active = document.active_element()?;
        (active == **input).then(|| (f, input.selection_start().ok().flatten().unwrap_or(0)))
    });
    let typed = Typed {
        username: value(Field::Username),
        password: value(Field::Password),
        focused,
    };
    TYPED.with(|t| *t.borrow_mut() = typed);
    shell.remove();
}

/// What was typed before the app started, once: the next login page starts empty.
pub fn take_typed() -> Typed {
    TYPED.with(|t| std::mem::take(&mut *t.borrow_mut()))
}
