//! Components take data in and give events out; none of them fetches.

pub mod agenda_item;
pub mod care_team_member;
pub mod check_box;
pub mod crisis_resources;
pub mod day_progress;
pub mod error_notice;
pub mod missed_medicines;
pub mod offline_banner;
pub mod password_form;
pub mod patient_nav;
pub mod preview_banner;
pub mod question;
pub mod score_chart;
pub mod taking_part;
pub mod top_bar;
pub mod trend_chart;

pub use agenda_item::AgendaItemCard;
pub use care_team_member::CareTeamMemberCard;
pub use check_box::CheckBox;
pub use crisis_resources::CrisisResources;
pub use day_progress::DayProgress;
pub use error_notice::ErrorNotice;
pub use missed_medicines::MissedMedicines;
pub use offline_banner::OfflineBanner;
pub use password_form::PasswordForm;
pub use patient_nav::PatientNav;
pub use preview_banner::PreviewBanner;
pub use question::Question;
pub use score_chart::ScoreChart;
pub use taking_part::{GoalRequestList, RequestForm};
pub use top_bar::TopBar;
pub use trend_chart::TrendChart;
