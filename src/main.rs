use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::{document, set_timeout, window_event_listener, WindowListenerHandle};
use wasm_bindgen::prelude::*;

type Start = Box<dyn FnOnce()>;

use tend_app::shell::{self, Painted};

/// Longest the kept screen stays once the app has started, if nothing
/// revealed the app's own page before (the app reveals it when it has its
/// day, an error, or another page).
const LAST_SCREEN_AT_MOST: Duration = Duration::from_secs(10);

fn main() {
    console_error_panic_hook::set_once();
    let start: Start = Box::new(|| {
        shell::take_over(&document());
        leptos::mount::mount_to_body(tend_app::App);
    });
    match shell::painted(&document()) {
        Painted::Login => once_presented(Box::new(|| when_not_typing(start))),
        // The app is built beside the kept screen, hidden (style/main.css), and shown by `shell::reveal`.
        Painted::LastScreen => once_presented(Box::new(|| {
            leptos::mount::mount_to_body(tend_app::App);
            set_timeout(shell::reveal, LAST_SCREEN_AT_MOST);
        })),
        Painted::Loading => start(),
    }
}

/// Runs `start` once the painted page is on screen: the browser's
/// largest-contentful-paint entry says it was presented. Replaced sooner, the
/// browser forgets that it was (seen in Chromium when the wasm came within
/// about 100 ms of the paint), and the page seems to have waited for the
/// app. On a phone the wasm comes long after, so nothing waits; if the entry
/// never comes (input stops it), at most 300 ms; where the browser has no
/// such entry, at once.
fn once_presented(start: Start) {
    let pending = Rc::new(Cell::new(Some(start)));
    let run = move || {
        if let Some(start) = pending.take() {
            start();
        }
    };
    let lcp = JsValue::from_str("largest-contentful-paint");
    let supported = js_sys::Reflect::get(&js_sys::global(), &"PerformanceObserver".into())
        .and_then(|class| js_sys::Reflect::get(&class, &"supportedEntryTypes".into()))
        .ok()
        .and_then(|types| types.dyn_into::<js_sys::Array>().ok())
        .is_some_and(|types| types.includes(&lcp, 0));
    if supported {
        let observed = Closure::<dyn FnMut()>::new(run.clone());
        if let Ok(observer) = web_sys::PerformanceObserver::new(observed.as_ref().unchecked_ref()) {
            // { type, buffered }: an entry from before the wasm came counts too.
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"type".into(), &lcp);
            let _ = js_sys::Reflect::set(&options, &"buffered".into(), &JsValue::TRUE);
            observer.observe(options.unchecked_ref());
        }
        observed.forget();
    }
    set_timeout(run, Duration::from_millis(if supported { 300 } else { 0 }));
}

/// Someone typing into the painted login page keeps it until they pause for
/// a second or leave it: taking over moves the caret into the app's field,
/// which closes a phone's keyboard mid-word.
fn when_not_typing(start: Start) {
    let typed_at = Rc::new(Cell::new(js_sys::Date::now()));
    let listener = {
        let typed_at = typed_at.clone();
        window_event_listener(leptos::ev::input, move |_| typed_at.set(js_sys::Date::now()))
    };
    check_typing(start, typed_at, listener);
}

fn check_typing(start: Start, typed_at: Rc<Cell<f64>>, listener: WindowListenerHandle) {
    let in_shell = document()
        .active_element()
        .and_then(|e| e.closest("#shell input").ok().flatten())
        .is_some();
    if !in_shell || js_sys::Date::now() - typed_at.get() >= 1000.0 {
        listener.remove();
        start();
    } else {
        set_timeout(
            move || check_typing(start, typed_at, listener),
            Duration::from_millis(250),
        );
    }
}
