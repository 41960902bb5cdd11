//! Every text the app shows, in English and Spanish.
//!
//! Each language is one value of [`Texts`]; a text missing from either
//! language is a compile error. Texts with values are functions.

use leptos::prelude::*;
use tend_model::{ActivityKind, Lang, PartOfDay};

pub struct Texts {
    pub app_name: &'static str,
    pub loading: &'static str,
    pub switch_to_other_language: &'static str,
    pub other_language: Lang,
    pub log_out: &'static str,
    pub main_nav: &'static str,
    // Login
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub log_in: &'static str,
    pub logging_in: &'static str,
    pub wrong_credentials: &'static str,
    pub fill_both: &'static str,
    // Today
    pub today_title: &'static str,
    pub done_of: fn(usize, usize) -> String,
    pub nothing_today: &'static str,
    pub morning: &'static str,
    pub afternoon: &'static str,
    pub evening: &'static str,
    pub mark_done: &'static str,
    pub skip: &'static str,
    pub undo: &'static str,
    pub cancel: &'static str,
    pub skip_reason: &'static str,
    pub confirm_skip: &'static str,
    pub status_done: &'static str,
    pub status_skipped: &'static str,
    pub status_saving: &'static str,
    pub entered_by: fn(&str) -> String,
    pub not_saved: fn(&str, &str) -> String,
    pub dismiss: &'static str,
    pub retry: &'static str,
    pub kind: fn(ActivityKind) -> &'static str,
    // People
    pub people_title: &'static str,
    pub people_intro: &'static str,
    pub people_none: &'static str,
    pub open_today: fn(&str) -> String,
    pub not_found_title: &'static str,
    pub go_home: &'static str,
    // Errors
    pub err_network: &'static str,
    pub err_session_ended: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_conflict: &'static str,
    pub err_server: &'static str,
    pub err_invalid: &'static str,
    pub err_in_future: &'static str,
    pub err_too_old: &'static str,
    pub err_not_scheduled: &'static str,
    pub err_reason_too_long: &'static str,
}

impl Texts {
    pub fn part_of_day(&self, part: PartOfDay) -> &'static str {
        match part {
            PartOfDay::Morning => self.morning,
            PartOfDay::Afternoon => self.afternoon,
            PartOfDay::Evening => self.evening,
        }
    }
}

pub static EN: Texts = Texts {
    app_name: "Tend",
    loading: "Loading…",
    switch_to_other_language: "Español",
    other_language: Lang::Es,
    log_out: "Log out",
    main_nav: "Main",
    login_title: "Log in to Tend",
    login_intro: "Your care plan, reminders and check-ins.",
    username: "Username",
    password: "Password",
    log_in: "Log in",
    logging_in: "Logging in…",
    wrong_credentials: "Wrong username or password. Please check both and try again.",
    fill_both: "Please enter your username and password.",
    today_title: "Today",
    done_of: |done, total| format!("{done} of {total} done"),
    nothing_today: "Nothing is planned for today.",
    morning: "Morning",
    afternoon: "Afternoon",
    evening: "Evening",
    mark_done: "Done",
    skip: "Skip",
    undo: "Undo",
    cancel: "Cancel",
    skip_reason: "Reason (optional)",
    confirm_skip: "Skip it",
    status_done: "Done",
    status_skipped: "Skipped",
    status_saving: "Saving…",
    entered_by: |name| format!("entered by {name}"),
    not_saved: |title, why| format!("“{title}” was not saved: {why} We put it back as it was."),
    dismiss: "Dismiss",
    retry: "Try again",
    kind: |kind| match kind {
        ActivityKind::Medication => "Medicine",
        ActivityKind::Measurement => "Measurement",
        ActivityKind::Exercise => "Activity",
        ActivityKind::Education => "Lesson",
        ActivityKind::Questionnaire => "Check-in",
        ActivityKind::Appointment => "Appointment",
        ActivityKind::Referral => "Referral",
        ActivityKind::Custom => "To do",
    },
    people_title: "People I care for",
    people_intro: "Open a person's day to see what they shared with you.",
    people_none: "No one is sharing their care plan with you right now.",
    open_today: |name| format!("{name}: today"),
    not_found_title: "This page does not exist.",
    go_home: "Go to the start page",
    err_network: "You seem to be offline, or Tend cannot be reached.",
    err_session_ended: "Your session has ended. Please log in again.",
    err_forbidden: "You are not allowed to do this.",
    err_not_found: "This could not be found, or it is not shared with you.",
    err_conflict: "This change clashed with an earlier one.",
    err_server: "Something went wrong on our side. Please try again in a moment.",
    err_invalid: "Some of what was entered could not be accepted.",
    err_in_future: "Only today's items and earlier ones can be marked.",
    err_too_old: "Items older than 30 days can no longer be changed.",
    err_not_scheduled: "This item is no longer in your plan at that time.",
    err_reason_too_long: "The reason is too long: please keep it under 500 characters.",
};

pub static ES: Texts = Texts {
    app_name: "Tend",
    loading: "Cargando…",
    switch_to_other_language: "English",
    other_language: Lang::En,
    log_out: "Cerrar sesión",
    main_nav: "Principal",
    login_title: "Entrar en Tend",
    login_intro: "Su plan de cuidado, recordatorios y controles.",
    username: "Usuario",
    password: "Contraseña",
    log_in: "Entrar",
    logging_in: "Entrando…",
    wrong_credentials: "Usuario o contraseña incorrectos. Revise ambos e inténtelo de nuevo.",
    fill_both: "Escriba su usuario y su contraseña.",
    today_title: "Hoy",
    done_of: |done, total| format!("{done} de {total} hechas"),
    nothing_today: "No hay nada planeado para hoy.",
    morning: "Mañana",
    afternoon: "Tarde",
    evening: "Noche",
    mark_done: "Hecho",
    skip: "Omitir",
    undo: "Deshacer",
    cancel: "Cancelar",
    skip_reason: "Motivo (opcional)",
    confirm_skip: "Omitir",
    status_done: "Hecho",
    status_skipped: "Omitido",
    status_saving: "Guardando…",
    entered_by: |name| format!("registrado por {name}"),
    not_saved: |title, why| format!("«{title}» no se guardó: {why} Lo dejamos como estaba."),
    dismiss: "Cerrar aviso",
    retry: "Intentar de nuevo",
    kind: |kind| match kind {
        ActivityKind::Medication => "Medicina",
        ActivityKind::Measurement => "Medición",
        ActivityKind::Exercise => "Actividad",
        ActivityKind::Education => "Lección",
        ActivityKind::Questionnaire => "Control",
        ActivityKind::Appointment => "Cita",
        ActivityKind::Referral => "Referido",
        ActivityKind::Custom => "Pendiente",
    },
    people_title: "Personas que cuido",
    people_intro: "Abra el día de una persona para ver lo que compartió con usted.",
    people_none: "Ahora nadie comparte su plan de cuidado con usted.",
    open_today: |name| format!("{name}: hoy"),
    not_found_title: "Esta página no existe.",
    go_home: "Ir a la página de inicio",
    err_network: "Parece que no hay conexión, o no se puede llegar a Tend.",
    err_session_ended: "Su sesión terminó. Vuelva a entrar, por favor.",
    err_forbidden: "No tiene permiso para hacer esto.",
    err_not_found: "No se encontró, o no está compartido con usted.",
    err_conflict: "Este cambio chocó con uno anterior.",
    err_server: "Algo falló de nuestro lado. Inténtelo de nuevo en un momento.",
    err_invalid: "Parte de lo que escribió no se pudo aceptar.",
    err_in_future: "Solo se pueden marcar las tareas de hoy y de días anteriores.",
    err_too_old: "Las tareas de hace más de 30 días ya no se pueden cambiar.",
    err_not_scheduled: "Esta tarea ya no está en su plan a esa hora.",
    err_reason_too_long: "El motivo es demasiado largo: use menos de 500 caracteres.",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

const STORAGE_KEY: &str = "tend.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language to start in: the one chosen before, else the browser's, else English.
pub fn initial_lang() -> Lang {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    stored
        .as_deref()
        .and_then(Lang::from_tag)
        .or_else(|| browser.as_deref().and_then(Lang::from_tag))
        .unwrap_or_default()
}

/// Remembers the choice and tells the page (and screen readers) its language.
pub fn apply_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, lang.tag());
    }
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// Puts the language in context: read it with [`use_lang`], change it with [`use_set_lang`].
pub fn provide_lang(lang: RwSignal<Lang>) {
    provide_context::<Signal<Lang>>(lang.into());
    provide_context::<WriteSignal<Lang>>(lang.write_only());
}

pub fn use_lang() -> Signal<Lang> {
    use_context::<Signal<Lang>>().unwrap_or_else(|| Signal::stored(Lang::En))
}

pub fn use_set_lang() -> Option<WriteSignal<Lang>> {
    use_context::<WriteSignal<Lang>>()
}

/// The texts of the current language, reactively: `move || t().log_in`.
pub fn use_texts() -> impl Fn() -> &'static Texts + Copy + 'static {
    let lang = use_lang();
    move || texts(lang.get())
}
