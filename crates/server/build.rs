// Migrations are embedded by sqlx::migrate!: a new or changed file rebuilds the server.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
