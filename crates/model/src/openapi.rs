//! OpenAPI schemas of wire values that utoipa cannot read off the Rust type:
//! wall-clock times carry no offset, so they are not RFC 3339 `date-time`s.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// A local date-time as chrono writes and reads it (`2026-03-08T02:30:00`,
/// optional fraction): no offset, months of their length (29 February is
/// left out, so every value the pattern allows is a real day).
pub const LOCAL_DATE_TIME_PATTERN: &str = r"^\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?$";

/// A time of day as chrono reads it: `HH:MM`, optional seconds and fraction.
pub const LOCAL_TIME_PATTERN: &str = r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?$";

fn local_date_time_object(nullable: bool) -> ObjectBuilder {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .pattern(Some(LOCAL_DATE_TIME_PATTERN))
        .description(Some(
            "A wall-clock date-time where the patient lives, without offset (`YYYY-MM-DDTHH:MM:SS`)",
        ))
        .examples(["2026-03-08T02:30:00"])
}

/// A wall-clock date-time where the patient lives.
pub fn local_date_time() -> impl Into<RefOr<Schema>> {
    local_date_time_object(false)
}

/// A wall-clock date-time where the patient lives, or `null`.
pub fn local_date_time_or_null() -> impl Into<RefOr<Schema>> {
    local_date_time_object(true)
}

/// The times of day of a schedule: 1 to [`crate::schedule::MAX_TIMES_A_DAY`].
pub fn times_of_day() -> impl Into<RefOr<Schema>> {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .pattern(Some(LOCAL_TIME_PATTERN))
                .examples(["08:00:00"]),
        )
        .min_items(Some(1))
        .max_items(Some(crate::schedule::MAX_TIMES_A_DAY))
}

/// Days of the week as chrono writes them, at least one.
pub fn weekdays() -> impl Into<RefOr<Schema>> {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])),
        )
        .min_items(Some(1))
}
