//! Pages that arrive when first opened. In the release build (`--cfg
//! tend_split`, see scripts/build) each group below is cut by wasm-split into
//! a wasm chunk of its own, so the first load carries only the frame, the
//! login and what every page shares; elsewhere (`trunk serve`, tests) the
//! same functions are plain async calls. Pages opened together share a group,
//! so opening one fetches a few files, not dozens.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::i18n::use_texts;
use crate::reminders::{self, ReminderWatcher};

use crate::pages::{
    appointments::AppointmentsPage, audit::AuditPage, care_team::CareTeamPage, check_in::CheckInPage,
    check_in_history::CheckInHistoryPage, check_ins::CheckInsPage, goals::GoalPage, goals::GoalsPage,
    history::HistoryPage, invite::InvitePage, lesson::LessonPage, manage::ManagePage,
    not_found::NotFoundPage, panel::PanelPage, people::PeoplePage, plan::PlanPage, settings::SettingsPage,
    sharing::SharingPage, today::TodayPage, transition::TransitionPage,
};

/// Every page that comes in a chunk. `repr(u8)`: it crosses into the chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Page {
    Today,
    Plan,
    CareTeam,
    History,
    Appointments,
    Transition,
    Goals,
    Goal,
    Lesson,
    CheckIns,
    CheckIn,
    CheckInHistory,
    People,
    Invite,
    Settings,
    Sharing,
    Audit,
    Panel,
    Manage,
}

/// One group of pages: a split point named `$module` in the release build,
/// an ordinary async function elsewhere. A chunk that cannot be fetched (no
/// network, and not yet kept by the service worker) is an `Err`, not a panic,
/// which would stop the whole app. `$preload` starts fetching the chunk.
macro_rules! group {
    ($module:ident, $name:ident, $preload:ident, |$page:ident| $body:expr) => {
        #[cfg(tend_split)]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name($page: Page) -> Result<AnyView, SplitLoaderError> {
            Ok($body)
        }
        #[cfg(not(tend_split))]
        async fn $name($page: Page) -> Result<AnyView, SplitLoaderError> {
            Ok($body)
        }
        #[cfg(not(tend_split))]
        async fn $preload() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

group!(today, today_group, preload_today_group, |page| match page {
    Page::Today => view! { <TodayPage /> }.into_any(),
    _ => view! { <NotFoundPage /> }.into_any(),
});

group!(record, record_group, preload_record_group, |page| match page {
    Page::Plan => view! { <PlanPage /> }.into_any(),
    Page::CareTeam => view! { <CareTeamPage /> }.into_any(),
    Page::History => view! { <HistoryPage /> }.into_any(),
    Page::Appointments => view! { <AppointmentsPage /> }.into_any(),
    Page::Transition => view! { <TransitionPage /> }.into_any(),
    Page::Goals => view! { <GoalsPage /> }.into_any(),
    Page::Goal => view! { <GoalPage /> }.into_any(),
    Page::Lesson => view! { <LessonPage /> }.into_any(),
    _ => view! { <NotFoundPage /> }.into_any(),
});

group!(
    check_in,
    check_in_group,
    preload_check_in_group,
    |page| match page {
        Page::CheckIns => view! { <CheckInsPage /> }.into_any(),
        Page::CheckIn => view! { <CheckInPage /> }.into_any(),
        Page::CheckInHistory => view! { <CheckInHistoryPage /> }.into_any(),
        _ => view! { <NotFoundPage /> }.into_any(),
    }
);

group!(sharing, sharing_group, preload_sharing_group, |page| match page {
    Page::People => view! { <PeoplePage /> }.into_any(),
    Page::Invite => view! { <InvitePage /> }.into_any(),
    Page::Settings => view! { <SettingsPage /> }.into_any(),
    Page::Sharing => view! { <SharingPage /> }.into_any(),
    Page::Audit => view! { <AuditPage /> }.into_any(),
    _ => view! { <NotFoundPage /> }.into_any(),
});

group!(care, care_group, preload_care_group, |page| match page {
    Page::Panel => view! { <PanelPage /> }.into_any(),
    Page::Manage => view! { <ManagePage /> }.into_any(),
    _ => view! { <NotFoundPage /> }.into_any(),
});

// The reminder watcher, which reads today's agenda: only a patient who
// turned reminders on needs it, so its code stays out of the first load.
#[cfg(tend_split)]
#[leptos::wasm_split::wasm_split(reminders, wasm_split_path = ::leptos::wasm_split, fallible)]
fn reminder_watcher() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ReminderWatcher /> }.into_any())
}
#[cfg(not(tend_split))]
async fn reminder_watcher() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ReminderWatcher /> }.into_any())
}

/// Reminds the patient on this device while the app is open, once they
/// turned reminders on: the watcher's code is fetched then. If it cannot
/// come (offline before the service worker kept it), it is asked for again
/// every half minute while reminders are wanted.
#[component]
pub fn Reminders() -> impl IntoView {
    let wanted = reminders::watcher_wanted();
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        wanted.get().then(|| {
            Suspend::new(send_wrapper::SendWrapper::new(async move {
                reminder_watcher().await.unwrap_or_else(|_| {
                    set_timeout(
                        move || {
                            attempt.try_update(|n| *n += 1);
                        },
                        std::time::Duration::from_secs(30),
                    );
                    ().into_any()
                })
            }))
        })
    }
}

impl Page {
    /// The page, once its group's code is here; if it cannot come, a notice
    /// that says so and tries again on request.
    pub fn view(self) -> Pin<Box<dyn Future<Output = AnyView>>> {
        Box::pin(async move {
            self.load()
                .await
                .unwrap_or_else(|_| view! { <PageNotLoaded page=self /> }.into_any())
        })
    }

    fn group(self) -> Group {
        match self {
            Page::Today => Group::Today,
            Page::Plan
            | Page::CareTeam
            | Page::History
            | Page::Appointments
            | Page::Transition
            | Page::Goals
            | Page::Goal
            | Page::Lesson => Group::Record,
            Page::CheckIns | Page::CheckIn | Page::CheckInHistory => Group::CheckIn,
            Page::People | Page::Invite | Page::Settings | Page::Sharing | Page::Audit => Group::Sharing,
            Page::Panel | Page::Manage => Group::Care,
        }
    }

    async fn load(self) -> Result<AnyView, SplitLoaderError> {
        match self.group() {
            Group::Today => today_group(self).await,
            Group::Record => record_group(self).await,
            Group::CheckIn => check_in_group(self).await,
            Group::Sharing => sharing_group(self).await,
            Group::Care => care_group(self).await,
        }
    }

    /// Starts fetching the page's code without showing it.
    pub async fn preload(self) -> Result<(), SplitLoaderError> {
        match self.group() {
            Group::Today => preload_today_group().await,
            Group::Record => preload_record_group().await,
            Group::CheckIn => preload_check_in_group().await,
            Group::Sharing => preload_sharing_group().await,
            Group::Care => preload_care_group().await,
        }
    }
}

/// The pages opened together, whose code comes in one chunk.
#[derive(Clone, Copy)]
enum Group {
    Today,
    Record,
    CheckIn,
    Sharing,
    Care,
}

/// Says that the page's code could not be fetched, and fetches it again on request.
#[component]
fn PageNotLoaded(page: Page) -> impl IntoView {
    let t = use_texts();
    let again = RwSignal::new(false);
    move || {
        if again.get() {
            // One thread in the browser: the wrapper only satisfies Suspend's bound.
            return Suspend::new(send_wrapper::SendWrapper::new(page.view())).into_any();
        }
        view! {
            <div class="page">
                <div class="notice error" role="alert">
                    <p>{move || t().page_not_loaded}</p>
                    <button type="button" class="button secondary" on:click=move |_| again.set(true)>
                        {move || t().retry}
                    </button>
                </div>
            </div>
        }
        .into_any()
    }
}

/// Starts fetching Today's code, which a patient opens right after logging in.
/// A failure is left for when the page opens, which says so.
pub fn preload_today() {
    leptos::task::spawn_local(async {
        let _ = Page::Today.preload().await;
    });
}
