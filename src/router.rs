//! The address bar, links and which page an address shows. Written for
//! Tend instead of leptos_router, whose generic matching and nested routes
//! were a sixth of the first load's wasm (docs/PERFORMANCE.md): the site
//! map is a table (`ROUTES` in `lib.rs`), a page in a chunk is fetched
//! before the address changes, so the page before stays until the next one
//! can show, as leptos_router did.

use std::task::{Context, Poll, Waker};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::chunks::Page;

/// What an address shows: a page of the first load, or one in a chunk.
#[derive(Clone, Copy)]
pub enum Screen {
    Now(fn() -> AnyView),
    Chunk(Page),
}

/// One line of the site map: a path such as `/patients/:p/today`, whose
/// `:name` segments are parameters, and what it shows.
pub struct Route {
    pub path: &'static str,
    pub screen: Screen,
}

impl Route {
    /// A page of the first load.
    pub const fn now(path: &'static str, view: fn() -> AnyView) -> Route {
        Route {
            path,
            screen: Screen::Now(view),
        }
    }

    /// A page that comes in its group's chunk.
    pub const fn chunk(path: &'static str, page: Page) -> Route {
        Route {
            path,
            screen: Screen::Chunk(page),
        }
    }
}

/// The address: path, query (with its `?`) and fragment (with its `#`).
#[derive(Clone, Default, PartialEq, Debug)]
pub struct Address {
    pub path: String,
    pub query: String,
    pub fragment: String,
}

impl Address {
    /// An address of this app, such as `/login?next=/invite/x#top`.
    pub fn parse(to: &str) -> Address {
        let (rest, fragment) = to.split_at(to.find('#').unwrap_or(to.len()));
        let (path, query) = rest.split_at(rest.find('?').unwrap_or(rest.len()));
        Address {
            path: if path.is_empty() {
                "/".to_owned()
            } else {
                path.to_owned()
            },
            query: if query == "?" {
                String::new()
            } else {
                query.to_owned()
            },
            fragment: if fragment == "#" {
                String::new()
            } else {
                fragment.to_owned()
            },
        }
    }

    fn current() -> Address {
        let location = document().location();
        let read = |part: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
            location.as_ref().and_then(|l| part(l).ok()).unwrap_or_default()
        };
        Address {
            path: read(web_sys::Location::pathname),
            query: read(web_sys::Location::search),
            fragment: read(web_sys::Location::hash),
        }
    }

    fn to_href(&self) -> String {
        format!("{}{}{}", self.path, self.query, self.fragment)
    }
}

/// `s` with its `%XX` escapes decoded (as it was, should they be malformed).
fn decoded(s: &str) -> String {
    js_sys::decode_uri_component(s)
        .ok()
        .and_then(|d| d.as_string())
        .unwrap_or_else(|| s.to_owned())
}

/// A route's parameters (`:p` → `"12"`), or an address's query.
#[derive(Clone, Default, PartialEq, Debug)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// The pairs of a query such as `?week=2026-11-30&x=a%20b`, decoded.
    pub fn from_query(query: &str) -> ParamsMap {
        let decode = |s: &str| decoded(&s.replace('+', " "));
        ParamsMap(
            query
                .trim_start_matches('?')
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }
}

/// The parameters of `path` for `pattern`, if it matches: segment by
/// segment, a `:name` segment taking any one non-empty segment, decoded.
pub fn match_path(pattern: &str, path: &str) -> Option<ParamsMap> {
    let mut params = Vec::new();
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(ParamsMap(params)),
            (Some(w), Some(g)) => {
                if let Some(name) = w.strip_prefix(':') {
                    if g.is_empty() {
                        return None;
                    }
                    params.push((name.to_owned(), decoded(g)));
                } else if w != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// The route shown and its parameters (`None`: no route, the fallback).
#[derive(Clone, Default, PartialEq)]
struct Shown {
    route: Option<usize>,
    params: ParamsMap,
}

/// The first route of `routes` that `path` matches, and its parameters.
pub fn find_route(routes: &[Route], path: &str) -> Option<(usize, ParamsMap)> {
    // `/settings/` is `/settings`, as leptos_router had it (old bookmarks).
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    routes
        .iter()
        .enumerate()
        .find_map(|(i, r)| match_path(r.path, path).map(|params| (i, params)))
}

fn shown_for(routes: &[Route], path: &str) -> Shown {
    find_route(routes, path)
        .map(|(route, params)| Shown {
            route: Some(route),
            params,
        })
        .unwrap_or_default()
}

/// How an address came: a link or the app (a new history entry), a redirect
/// (in place of the current one), or Back and Forward (already in the bar).
#[derive(Clone, Copy, PartialEq)]
enum Arrival {
    Push,
    Replace,
    Popped,
}

#[derive(Clone, Copy)]
struct RouterContext {
    routes: &'static [Route],
    address: RwSignal<Address>,
    shown: RwSignal<Shown>,
    /// Counts navigations: one overtaken while its page was fetched is dropped.
    latest: StoredValue<u64>,
}

impl RouterContext {
    fn go(self, to: Address, arrival: Arrival) {
        let number = self.latest.get_value() + 1;
        self.latest.set_value(number);
        let shown = shown_for(self.routes, &to.path);
        let chunk = shown.route.and_then(|i| match self.routes[i].screen {
            Screen::Chunk(page) => Some(page),
            Screen::Now(_) => None,
        });
        spawn_local(async move {
            if let Some(page) = chunk {
                // A page that cannot come says so once shown.
                let _ = page.preload().await;
            }
            if self.latest.get_value() != number {
                return;
            }
            if let Ok(history) = window().history() {
                let href = to.to_href();
                let _ = match arrival {
                    // Against the bar itself: during a Back whose page is still
                    // on its way the router's own address is the one before.
                    Arrival::Push if Address::current() != to => {
                        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
                    }
                    Arrival::Replace => {
                        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href))
                    }
                    _ => Ok(()),
                };
            }
            let fragment = to.fragment.clone();
            self.address.set(to);
            if self.shown.with_untracked(|s| *s != shown) {
                self.shown.set(shown);
            }
            // Back and Forward leave the scrolling to the browser; else, once the
            // page is drawn: to the fragment's element, or the top.
            if arrival != Arrival::Popped {
                request_animation_frame(move || scroll_to(&fragment));
            }
        });
    }
}

fn scroll_to(fragment: &str) {
    let id = decoded(fragment.trim_start_matches('#'));
    match (!id.is_empty())
        .then(|| document().get_element_by_id(&id))
        .flatten()
    {
        Some(element) => element.scroll_into_view(),
        None => window().scroll_to_with_x_and_y(0.0, 0.0),
    }
}

fn use_router() -> RouterContext {
    use_context::<RouterContext>().expect("inside the Router")
}

/// Holds the address and the site map for what is inside it; links inside
/// the page (any `<a>` of this origin) change the address without a reload.
#[component]
pub fn Router(routes: &'static [Route], children: Children) -> impl IntoView {
    let address = Address::current();
    let router = RouterContext {
        routes,
        shown: RwSignal::new(shown_for(routes, &address.path)),
        address: RwSignal::new(address),
        latest: StoredValue::new(0),
    };
    provide_context(router);
    let clicks = window_event_listener(leptos::ev::click, move |ev| follow_link(router, &ev));
    let back_and_forward = window_event_listener(leptos::ev::popstate, move |_| {
        router.go(Address::current(), Arrival::Popped)
    });
    on_cleanup(move || {
        clicks.remove();
        back_and_forward.remove();
    });
    children()
}

/// A click on a link of this app: the app goes there itself, unless the
/// person asked for a new tab or window, or the link leaves the app, names
/// a target or a download, or only moves within the page.
fn follow_link(router: RouterContext, ev: &web_sys::MouseEvent) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return;
    }
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let rel = link.rel();
    let origin = document().location().and_then(|l| l.origin().ok());
    if !link.target().is_empty()
        || link.has_attribute("download")
        || rel.split_ascii_whitespace().any(|r| r == "external")
        || origin.as_deref() != Some(&link.origin())
    {
        return;
    }
    let to = Address {
        path: link.pathname(),
        query: link.search(),
        fragment: link.hash(),
    };
    let here = Address::current();
    if to.path == here.path && to.query == here.query && !to.fragment.is_empty() {
        // Within the page: the browser scrolls and moves focus; popstate follows.
        return;
    }
    ev.prevent_default();
    router.go(to, Arrival::Push);
}

/// The page of the address, or `fallback` when no route matches.
///
/// A page in a chunk whose code is here (`go` waits for it) is built at
/// once, and replaces the page before in the same step. Left to a
/// `Suspend`, it replaced it a task later (tachys' `Suspend::rebuild`), and
/// in between the old page's views still ran with its signals gone: a
/// request it had in flight, aborted as it was left, came back and its view
/// read a disposed resource. That was a panic (a trap in the release build)
/// leaving Today for Visits during Today's own requests.
#[component]
pub fn Routes(fallback: fn() -> AnyView) -> impl IntoView {
    let router = use_router();
    let route = Memo::new(move |_| router.shown.with(|s| s.route));
    move || match route.get() {
        Some(i) => match router.routes[i].screen {
            Screen::Now(view) => view(),
            Screen::Chunk(page) => {
                let mut view = page.view();
                match view.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
                    Poll::Ready(view) => view,
                    // Still on its way (the app's first page, or one whose code could
                    // not be fetched before): shown when it comes.
                    Poll::Pending => Suspend::new(send_wrapper::SendWrapper::new(view)).into_any(),
                }
            }
        },
        None => fallback(),
    }
}

/// Options of a navigation, as leptos_router named them.
#[derive(Clone, Copy, Default)]
pub struct NavigateOptions {
    /// In place of the current history entry.
    pub replace: bool,
}

/// Goes to an address of the app, as a link would.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    let router = use_router();
    move |to: &str, options: NavigateOptions| {
        let arrival = if options.replace {
            Arrival::Replace
        } else {
            Arrival::Push
        };
        router.go(Address::parse(to), arrival);
    }
}

/// The parameters of the route shown (`:p` of `/patients/:p/today`).
pub fn use_params_map() -> Memo<ParamsMap> {
    let router = use_router();
    Memo::new(move |_| router.shown.with(|s| s.params.clone()))
}

/// The query of the address (`?next=…`), decoded.
pub fn use_query_map() -> Memo<ParamsMap> {
    let router = use_router();
    Memo::new(move |_| router.address.with(|a| ParamsMap::from_query(&a.query)))
}

/// Goes to `path` once drawn, in place of the address that led here (Back
/// does not come back to a page that only sends on).
#[component]
pub fn Redirect(#[prop(into)] path: String) -> impl IntoView {
    let router = use_router();
    // A tick later, so what is being drawn is drawn first; not if the page
    // that asked is gone by then (a newer navigation wins).
    if let Ok(timer) = set_timeout_with_handle(
        move || router.go(Address::parse(&path), Arrival::Replace),
        Duration::ZERO,
    ) {
        on_cleanup(move || timer.clear());
    }
}

/// A link of the app: `aria-current="page"` while its page (or one under
/// it) is shown.
#[component]
pub fn A(#[prop(into)] href: Signal<String>, children: Children) -> impl IntoView {
    let router = use_router();
    let current = move || {
        let here = router.address.with(|a| href.with(|h| is_current(h, &a.path)));
        here.then_some("page")
    };
    view! {
        <a href=href aria-current=current>
            {children()}
        </a>
    }
}

/// Whether a link to `href` is current at `path`: the same segments, or
/// `path` under it (`/patients/1/goals` at `/patients/1/goals/3`).
pub fn is_current(href: &str, path: &str) -> bool {
    let mut wanted = href.split('/');
    let same = path
        .split('/')
        .zip(wanted.by_ref())
        .enumerate()
        .all(|(i, (p, h))| p == h || (h.is_empty() && i > 1));
    same && matches!(wanted.next(), None | Some(""))
}
