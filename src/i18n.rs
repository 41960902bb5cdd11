//! Every text the app shows, in English and Spanish.
//!
//! Each language is one value of [`Texts`]; a text missing from either
//! language is a compile error. Texts with values are functions.

use leptos::prelude::*;
use tend_model::questionnaire::SocialNeed;
use tend_model::{ActivityKind, Band, Escalation, Lang, Metric, PartOfDay, ReadingError};

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
    // Sections of a patient's record
    pub sections_nav: &'static str,
    pub nav_today: &'static str,
    pub nav_check_ins: &'static str,
    // Check-ins
    pub check_ins_title: &'static str,
    pub check_ins_intro: &'static str,
    pub check_ins_none: &'static str,
    pub due_now: &'static str,
    pub due_since: fn(&str) -> String,
    pub next_due: fn(&str) -> String,
    pub last_result: fn(u8, u8, &str, &str) -> String,
    pub start_check_in: fn(&str) -> String,
    pub see_history: fn(&str) -> String,
    pub question_of: fn(usize, usize) -> String,
    pub back: &'static str,
    pub next: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub choose_an_answer: &'static str,
    pub optional_question: &'static str,
    pub answers_kept: &'static str,
    pub not_sent: fn(&str) -> String,
    pub result_title: &'static str,
    pub score_of: fn(u8, u8) -> String,
    pub band: fn(Band) -> &'static str,
    pub next_steps_title: &'static str,
    pub next_routine: &'static str,
    pub next_severe: &'static str,
    pub reach_sooner: &'static str,
    pub call_person: fn(&str, &str, &str) -> String,
    pub next_hf_yellow: &'static str,
    pub next_hf_red: &'static str,
    pub social_need: fn(SocialNeed) -> &'static str,
    pub saved_at: fn(&str) -> String,
    pub back_to_check_ins: &'static str,
    pub crisis_title: &'static str,
    pub crisis_intro: &'static str,
    pub crisis_call_988: &'static str,
    pub crisis_text_988: &'static str,
    pub crisis_call_911: &'static str,
    pub crisis_spanish_line: &'static str,
    pub crisis_team_told: &'static str,
    pub history_title: fn(&str) -> String,
    pub history_chart_desc: fn(usize, &str) -> String,
    pub history_none: &'static str,
    pub history_table_caption: &'static str,
    pub col_date: &'static str,
    pub col_score: &'static str,
    pub col_band: &'static str,
    // Readings
    pub save: &'static str,
    pub reading_label: fn(Metric) -> &'static str,
    pub diastolic_label: &'static str,
    pub reading_error: fn(ReadingError, Metric) -> String,
    pub escalation_now: fn(Escalation) -> &'static str,
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
    pub err_answers: &'static str,
    pub err_reading: &'static str,
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
    sections_nav: "Sections",
    nav_today: "Today",
    nav_check_ins: "Check-ins",
    check_ins_title: "Check-ins",
    check_ins_intro: "Short questionnaires from your care plan. Your answers help your care team help you.",
    check_ins_none: "There are no check-ins in this care plan.",
    due_now: "Due now",
    due_since: |date| format!("Due since {date}"),
    next_due: |date| format!("Next: {date}"),
    last_result: |total, max, band, date| format!("Last: {total} of {max}, {band} ({date})"),
    start_check_in: |title| format!("Start: {title}"),
    see_history: |title| format!("History: {title}"),
    question_of: |n, total| format!("Question {n} of {total}"),
    back: "Back",
    next: "Next",
    submit: "Send my answers",
    submitting: "Sending…",
    choose_an_answer: "Please choose an answer to go on.",
    optional_question: "This question is optional.",
    answers_kept: "Your answers are kept on this device until they are sent.",
    not_sent: |why| format!("Your answers were not sent: {why} They are kept here; try again when you can."),
    result_title: "Your result",
    score_of: |total, max| format!("Score: {total} of {max}"),
    band: |band| match band {
        Band::Minimal => "minimal or none",
        Band::Mild => "mild",
        Band::Moderate => "moderate",
        Band::ModeratelySevere => "moderately severe",
        Band::Severe => "severe",
        Band::GreenZone => "green zone: as usual",
        Band::YellowZone => "yellow zone: call your care team today",
        Band::RedZone => "red zone: get help now",
        Band::NoNeeds => "no needs found",
        Band::NeedsFound => "some needs found",
    },
    next_steps_title: "What happens next",
    next_routine: "Thank you. Your care team will look at this with you at your next check-in.",
    next_severe: "Your care team has been told and will reach out to you within one business day.",
    reach_sooner: "To talk with your care team sooner:",
    call_person: |name, role, phone| format!("Call {name} ({role}): {phone}"),
    next_hf_yellow: "Call your care team today. Your care manager has been told.",
    next_hf_red: "Get help now: call 911 if you have chest pain, severe shortness of breath or you fainted. Your care team has been told.",
    social_need: |need| match need {
        SocialNeed::Housing => "Housing: your care manager can connect you with housing help.",
        SocialNeed::Food => "Food: your care manager can connect you with a food pantry and food benefits.",
        SocialNeed::Transport => "Transport: the ride program takes you to appointments for free. Call 2 days before to book.",
        SocialNeed::Utilities => "Utilities: your care manager can help you apply for help with energy and water bills.",
        SocialNeed::Safety => "Safety: if you are in danger, call 911. For confidential help, call the National Domestic Violence Hotline at 1-800-799-7233.",
    },
    saved_at: |when| format!("Saved {when}."),
    back_to_check_ins: "Back to check-ins",
    crisis_title: "If you are thinking about hurting yourself, help is here now",
    crisis_intro: "You are not alone. Talk with someone right now, any time, day or night. It is free and private.",
    crisis_call_988: "Call 988, the Suicide & Crisis Lifeline",
    crisis_text_988: "Text 988",
    crisis_call_911: "Call 911 if you are in danger now",
    crisis_spanish_line: "988 also answers in Spanish: press 2.",
    crisis_team_told: "Your care team has been told and will contact you.",
    history_title: |title| format!("History: {title}"),
    history_chart_desc: |count, range| format!("{count} results, {range}. The shaded bands show the severity ranges."),
    history_none: "No results yet.",
    history_table_caption: "All results",
    col_date: "Date",
    col_score: "Score",
    col_band: "Result",
    save: "Save",
    reading_label: |metric| match metric {
        Metric::Weight => "Weight",
        Metric::BloodPressure => "Top number (systolic)",
        Metric::Glucose => "Blood sugar",
        Metric::ActivityMinutes => "Minutes",
        Metric::Spo2 => "Oxygen level",
    },
    diastolic_label: "Bottom number (diastolic)",
    reading_error: |error, metric| match error {
        ReadingError::NotANumber => match metric {
            Metric::Weight => "Enter a number, like 182.4.".into(),
            _ => "Enter a whole number, like 120.".into(),
        },
        ReadingError::OutOfRange { min, max } => match metric {
            Metric::Weight => format!("Enter a weight between {min} and {max} lb."),
            Metric::BloodPressure => "Blood pressure numbers are between 60 and 260 on top and 30 and 160 below: please check them.".into(),
            Metric::Glucose => format!("Enter a blood sugar between {min} and {max} mg/dL."),
            Metric::ActivityMinutes => format!("Enter between {min} and {max} minutes."),
            Metric::Spo2 => format!("Enter an oxygen level between {min} and {max} %."),
        },
        ReadingError::SystolicNotAboveDiastolic => {
            "The top number (systolic) must be higher than the bottom number (diastolic).".into()
        }
        ReadingError::WrongMetric => "This value does not belong here.".into(),
    },
    escalation_now: |escalation| match escalation {
        Escalation::WeightGainDay => "Your weight went up 2 lb or more since yesterday. Call your care team today: it can be fluid building up.",
        Escalation::WeightGainWeek => "Your weight went up 5 lb or more this week. Call your care team today: it can be fluid building up.",
        Escalation::VeryHighBloodPressure => "Your blood pressure is very high. Sit quietly for 5 minutes and measure again. If it is still 180/120 or higher, call your care team now. Call 911 if you have chest pain, shortness of breath, weakness, trouble speaking or a bad headache.",
        Escalation::LowGlucose => "Your blood sugar is low. Eat or drink 15 grams of fast sugar now: half a cup of juice or regular soda, or 4 glucose tablets. Check again in 15 minutes and repeat if it is still below 70. Then eat a snack. Call 911 if you feel confused or faint.",
        _ => "",
    },
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
    err_answers: "Some questions still need an answer.",
    err_reading: "The value was not accepted: please check it.",
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
    sections_nav: "Secciones",
    nav_today: "Hoy",
    nav_check_ins: "Controles",
    check_ins_title: "Controles",
    check_ins_intro: "Cuestionarios cortos de su plan de cuidado. Sus respuestas ayudan a su equipo a ayudarle.",
    check_ins_none: "No hay controles en este plan de cuidado.",
    due_now: "Toca ahora",
    due_since: |date| format!("Toca desde el {date}"),
    next_due: |date| format!("Próximo: {date}"),
    last_result: |total, max, band, date| format!("Último: {total} de {max}, {band} ({date})"),
    start_check_in: |title| format!("Empezar: {title}"),
    see_history: |title| format!("Historial: {title}"),
    question_of: |n, total| format!("Pregunta {n} de {total}"),
    back: "Atrás",
    next: "Siguiente",
    submit: "Enviar mis respuestas",
    submitting: "Enviando…",
    choose_an_answer: "Elija una respuesta para seguir.",
    optional_question: "Esta pregunta es opcional.",
    answers_kept: "Sus respuestas se guardan en este aparato hasta que se envíen.",
    not_sent: |why| format!("Sus respuestas no se enviaron: {why} Se guardan aquí; inténtelo de nuevo cuando pueda."),
    result_title: "Su resultado",
    score_of: |total, max| format!("Puntaje: {total} de {max}"),
    band: |band| match band {
        Band::Minimal => "mínimo o ninguno",
        Band::Mild => "leve",
        Band::Moderate => "moderado",
        Band::ModeratelySevere => "moderadamente grave",
        Band::Severe => "grave",
        Band::GreenZone => "zona verde: como siempre",
        Band::YellowZone => "zona amarilla: llame hoy a su equipo de cuidado",
        Band::RedZone => "zona roja: busque ayuda ahora",
        Band::NoNeeds => "no se encontraron necesidades",
        Band::NeedsFound => "se encontraron algunas necesidades",
    },
    next_steps_title: "Qué pasa ahora",
    next_routine: "Gracias. Su equipo de cuidado lo revisará con usted en su próximo control.",
    next_severe: "Su equipo de cuidado ya fue avisado y se comunicará con usted en un día hábil.",
    reach_sooner: "Para hablar antes con su equipo de cuidado:",
    call_person: |name, role, phone| format!("Llame a {name} ({role}): {phone}"),
    next_hf_yellow: "Llame hoy a su equipo de cuidado. Su gestora de cuidados ya fue avisada.",
    next_hf_red: "Busque ayuda ahora: llame al 911 si tiene dolor de pecho, mucha falta de aire o se desmayó. Su equipo de cuidado ya fue avisado.",
    social_need: |need| match need {
        SocialNeed::Housing => "Vivienda: su gestora de cuidados puede ponerle en contacto con ayuda para la vivienda.",
        SocialNeed::Food => "Comida: su gestora de cuidados puede ponerle en contacto con un banco de alimentos y beneficios de comida.",
        SocialNeed::Transport => "Transporte: el programa de traslados le lleva gratis a sus citas. Llame 2 días antes para reservar.",
        SocialNeed::Utilities => "Servicios: su gestora de cuidados puede ayudarle a pedir ayuda con las facturas de luz y agua.",
        SocialNeed::Safety => "Seguridad: si está en peligro, llame al 911. Para ayuda confidencial, llame a la Línea Nacional contra la Violencia Doméstica al 1-800-799-7233.",
    },
    saved_at: |when| format!("Guardado el {when}."),
    back_to_check_ins: "Volver a los controles",
    crisis_title: "Si está pensando en hacerse daño, hay ayuda ahora mismo",
    crisis_intro: "No está solo(a). Hable con alguien ahora mismo, a cualquier hora, de día o de noche. Es gratis y privado.",
    crisis_call_988: "Llame al 988, la Línea de Prevención del Suicidio y Crisis",
    crisis_text_988: "Envíe un mensaje de texto al 988",
    crisis_call_911: "Llame al 911 si está en peligro ahora",
    crisis_spanish_line: "El 988 también atiende en español: oprima 2.",
    crisis_team_told: "Su equipo de cuidado ya fue avisado y se comunicará con usted.",
    history_title: |title| format!("Historial: {title}"),
    history_chart_desc: |count, range| format!("{count} resultados, {range}. Las bandas sombreadas muestran los rangos de gravedad."),
    history_none: "Todavía no hay resultados.",
    history_table_caption: "Todos los resultados",
    col_date: "Fecha",
    col_score: "Puntaje",
    col_band: "Resultado",
    save: "Guardar",
    reading_label: |metric| match metric {
        Metric::Weight => "Peso",
        Metric::BloodPressure => "Número de arriba (sistólica)",
        Metric::Glucose => "Azúcar en la sangre",
        Metric::ActivityMinutes => "Minutos",
        Metric::Spo2 => "Nivel de oxígeno",
    },
    diastolic_label: "Número de abajo (diastólica)",
    reading_error: |error, metric| match error {
        ReadingError::NotANumber => match metric {
            Metric::Weight => "Escriba un número, como 182.4.".into(),
            _ => "Escriba un número entero, como 120.".into(),
        },
        ReadingError::OutOfRange { min, max } => match metric {
            Metric::Weight => format!("Escriba un peso entre {min} y {max} lb."),
            Metric::BloodPressure => "Los números de la presión están entre 60 y 260 arriba y entre 30 y 160 abajo: revíselos, por favor.".into(),
            Metric::Glucose => format!("Escriba un azúcar entre {min} y {max} mg/dL."),
            Metric::ActivityMinutes => format!("Escriba entre {min} y {max} minutos."),
            Metric::Spo2 => format!("Escriba un nivel de oxígeno entre {min} y {max} %."),
        },
        ReadingError::SystolicNotAboveDiastolic => {
            "El número de arriba (sistólica) debe ser mayor que el de abajo (diastólica).".into()
        }
        ReadingError::WrongMetric => "Este valor no corresponde aquí.".into(),
    },
    escalation_now: |escalation| match escalation {
        Escalation::WeightGainDay => "Su peso subió 2 lb o más desde ayer. Llame hoy a su equipo de cuidado: puede ser líquido acumulado.",
        Escalation::WeightGainWeek => "Su peso subió 5 lb o más esta semana. Llame hoy a su equipo de cuidado: puede ser líquido acumulado.",
        Escalation::VeryHighBloodPressure => "Su presión está muy alta. Siéntese tranquila 5 minutos y mídala otra vez. Si sigue en 180/120 o más, llame ahora a su equipo de cuidado. Llame al 911 si tiene dolor de pecho, falta de aire, debilidad, dificultad para hablar o un dolor de cabeza fuerte.",
        Escalation::LowGlucose => "Su azúcar está baja. Coma o beba ahora 15 gramos de azúcar rápida: media taza de jugo o de refresco normal, o 4 tabletas de glucosa. Mídala otra vez en 15 minutos y repita si sigue por debajo de 70. Después coma un bocadillo. Llame al 911 si se siente confundida o a punto de desmayarse.",
        _ => "",
    },
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
    err_answers: "Todavía hay preguntas sin responder.",
    err_reading: "El valor no se aceptó: revíselo, por favor.",
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
