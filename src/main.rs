use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    let start = || {
        tend_app::shell::take_over(&leptos::prelude::document());
        leptos::mount::mount_to_body(tend_app::App);
    };
    if tend_app::shell::shows_login(&leptos::prelude::document()) {
        once_presented(start);
    } else {
        start();
    }
}

/// Runs `start` once the painted login page is on screen: the browser's
/// largest-contentful-paint entry says it was presented. Replaced sooner, the
/// browser forgets that it was (seen in Chromium when the wasm came within
/// about 100 ms of the paint), and the page seems to have waited for the
/// app. On a phone the wasm comes long after, so nothing waits; where the
/// entry is not supported, or never comes (input stops it), at most 300 ms.
fn once_presented(start: impl FnOnce() + 'static) {
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
        let on_entry = run.clone();
        let observed = Closure::<dyn FnMut()>::new(on_entry);
        if let Ok(observer) = web_sys::PerformanceObserver::new(observed.as_ref().unchecked_ref()) {
            // { type, buffered }: an entry from before the wasm came counts too.
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"type".into(), &lcp);
            let _ = js_sys::Reflect::set(&options, &"buffered".into(), &JsValue::TRUE);
            observer.observe(options.unchecked_ref());
        }
        observed.forget();
    }
    leptos::prelude::set_timeout(
        run,
        std::time::Duration::from_millis(if supported { 300 } else { 0 }),
    );
}
