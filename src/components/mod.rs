//! Components take data in and give events out; none of them fetches.

pub mod agenda_item;
pub mod day_progress;
pub mod top_bar;

pub use agenda_item::AgendaItemCard;
pub use day_progress::DayProgress;
pub use top_bar::TopBar;
