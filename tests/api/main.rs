//! Black-box tests over HTTP: one binary, a fresh server and database per test.

mod access_log;
mod admin;
mod appointments;
mod audit;
mod authorization;
mod brief_contacts;
mod browser;
mod coherent_dates;
mod dataset;
mod demo;
mod disclosure;
mod hostile_input;
mod http_errors;
mod interventions;
mod migrations;
mod openapi;
mod partners;
mod persons;
mod races;
mod referrals;
mod reports;
mod retention;
mod sessions;
mod situations;
mod tokens;
mod triage;
