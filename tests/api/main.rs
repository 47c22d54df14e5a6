//! Black-box tests over HTTP: one binary, a fresh server and database per test.

mod admin;
mod audit;
mod authorization;
mod http_errors;
mod migrations;
mod openapi;
mod partners;
mod persons;
mod situations;
mod triage;
mod referrals;
mod tokens;
