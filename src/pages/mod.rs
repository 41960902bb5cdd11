//! One page, one file.

pub mod check_in;
pub mod check_in_history;
pub mod check_ins;
pub mod home;
pub mod login;
pub mod not_found;
pub mod people;
pub mod today;
