//! Placeholder until the app benchmark lands.
fn main() {}
