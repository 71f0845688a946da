//! Flowstorm: event-storming boards that run on an in-browser broker with Kafka semantics.
//!
//! Everything but `ui` is plain Rust, compiled and tested natively.

pub mod analysis;
pub mod broker;
pub mod collections;
pub mod editor;
pub mod exec;
pub mod export;
pub mod library;
pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod ui;
