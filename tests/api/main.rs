//! Black-box tests over HTTP: one binary, a fresh server and database per test.

mod access_log;
mod admin;
mod appointments;
mod audit;
mod authorization;
mod browser;
mod dataset;
mod demo;
mod disclosure;
mod http_errors;
mod interventions;
mod migrations;
mod openapi;
mod partners;
mod persons;
mod referrals;
mod reports;
mod retention;
mod situations;
mod tokens;
mod triage;
