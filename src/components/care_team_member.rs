use leptos::prelude::*;
use tend_model::CareTeamMember;

use crate::i18n::{use_lang, use_texts};

/// One person of the care team: who, what to call them for, hours, tap to call.
#[component]
pub fn CareTeamMemberCard(member: CareTeamMember) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let m = member;
    let href = format!("tel:{}", m.phone);
    let (name, phone) = (m.name.clone(), m.phone.clone());
    view! {
        <li class="card member">
            <h2>{m.name.clone()}</h2>
            <p class="hint">{move || m.role.get(lang.get()).to_owned()}</p>
            <p>{move || (t().call_for)(m.call_for.get(lang.get()))}</p>
            <p>{move || (t().hours)(m.hours.get(lang.get()))}</p>
            <a class="button primary" href=href>
                {move || (t().call_name)(&name, &phone)}
            </a>
        </li>
    }
}
