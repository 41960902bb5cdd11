//! One module per resource, each with its own router.

pub mod agenda;
pub mod care_team;
pub mod check_ins;
pub mod goals;
pub mod health;
pub mod plan;
pub mod session;
pub mod static_files;
