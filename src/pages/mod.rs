//! One page, one file.

pub mod home;
pub mod login;
pub mod not_found;
pub mod people;
pub mod today;
