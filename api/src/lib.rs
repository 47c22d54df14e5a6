//! Relais: case management for the social coordinators of gendarmerie brigades and police
//! stations. This crate is the REST API; `main.rs` is its command line.

pub mod api_clients;
pub mod app;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod brief_contacts;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod health;
pub mod http;
pub mod interventions;
pub mod log_format;
pub mod openapi;
pub mod organisations;
pub mod partners;
pub mod persons;
pub mod phone;
pub mod reference;
pub mod referrals;
pub mod reports;
pub mod retention;
pub mod search;
pub mod sites;
pub mod situations;
pub mod state;
pub mod text;
pub mod time;
pub mod users;
pub mod vocabulary;
pub mod web_client;
pub mod webhooks;
