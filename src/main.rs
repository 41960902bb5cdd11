fn main() {
    console_error_panic_hook::set_once();
    // The static shell in index.html painted while the wasm loaded; the app takes over now.
    if let Some(shell) = leptos::prelude::document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(tend_app::App);
}
