//! The static shell of index.html, painted while the wasm loads: "Loading",
//! or the login page when nobody is logged in on this device. When the app
//! starts it takes the shell away, keeping what was typed into it for the
//! app's login page.

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

/// Whether the shell is the painted login page (not "Loading").
pub fn shows_login(document: &Document) -> bool {
    document.query_selector("#shell h1").ok().flatten().is_some()
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
