//! The API and page suite: the real app on a random port, over HTTP, on SQLite and (when
//! `YINGJI_TEST_DATABASE_URL` is set) PostgreSQL. One test binary for the whole app.

mod accounts;
mod admin;
mod bad_input;
mod cli;
mod contact_groups;
mod contacts;
mod duty_dispatch;
mod duty_dispatch_questions;
mod duty_headquarters;
mod duty_logs;
mod duty_responsible;
mod duty_rosters;
mod duty_statistics;
mod fire_areas;
mod fire_forecasts;
mod fire_hotspots;
mod fire_patrols;
mod fire_reports;
mod fire_statistics;
mod notify;
mod operations;
mod safety_accidents;
mod safety_enforcement;
mod safety_hazards;
mod safety_inspections;
mod safety_notices;
mod safety_numbering;
mod safety_sorting;
mod safety_statistics;
mod safety_units;
mod scope;
mod support;
mod warning_alerts;
mod warning_consultations;
mod warning_statistics;
