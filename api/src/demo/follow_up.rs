//! The demo's follow-up of each file: appointments (past ones attended, missed or cancelled),
//! interventions, and the coming fortnight of the agenda.

use chrono::{Datelike, Duration, NaiveDateTime, Weekday};
use diesel::prelude::*;

use super::year::{Context, Dice, working_instant};
use crate::appointments::hours::local_instant;
use crate::appointments::models::{AppointmentInput, AppointmentKind};
use crate::db::DbConnection;
use crate::db::schema::appointments;
use crate::error::{ApiError, ApiResult};
use crate::interventions::models::{InterventionKind, LegalReport, NewIntervention};
use crate::situations::models::PersonRole;
use crate::vocabulary::Role;

/// The agenda ahead: a follow-up appointment for the most recent open files, on free slots of
/// each coordinator from tomorrow, at opening hours, Monday to Saturday; each expects the
/// file's persons.
pub(super) fn seed_coming_fortnight(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    dice: &mut Dice,
    next_slot: &mut [i64; 2],
    open_files: &[(usize, String, String)],
) -> ApiResult<()> {
    let base = ctx.today() - Duration::days(366);
    let tomorrow = (ctx.today() + Duration::days(1) - base).num_days() * 8;
    for (coordinator, situation, person) in open_files.iter().rev().take(14) {
        let mut slot = next_slot[*coordinator].max(tomorrow) + dice.below(4) as i64;
        // Open Monday to Friday 9:00–17:00 and Saturday morning (the site's default hours).
        loop {
            match (base + Duration::days(slot / 8)).weekday() {
                Weekday::Sun => slot = (slot / 8 + 1) * 8,
                Weekday::Sat if slot % 8 >= 3 => slot = (slot / 8 + 2) * 8,
                _ => break,
            }
        }
        next_slot[*coordinator] = slot + 1;
        // The loop above already chose an open day: a Saturday morning stays a Saturday
        // (`working_instant` would move it onto the next Monday's slot, booked or not).
        let starts = local_instant(base + Duration::days(slot / 8), 9 * 60 + (slot % 8) as i32 * 60)
            .map(|t| t.naive_utc())
            .ok_or_else(|| ApiError::internal("demo appointment time"))?;
        let input = AppointmentInput {
            kind: if dice.percent(20) { AppointmentKind::Phone } else { AppointmentKind::Scheduled },
            site_id: ctx.site_id.to_owned(),
            coordinator_id: ctx.coordinators[*coordinator].to_owned(),
            situation_id: Some(situation.clone()),
            person_id: Some(person.clone()),
            expected_person_ids: Vec::new(),
            starts_at: starts.and_utc(),
            ends_at: (starts + Duration::minutes(45)).and_utc(),
        };
        crate::appointments::queries::insert_expecting(conn, ctx.ccas_id, &input, ctx.now)?;
    }
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one call site, each argument is one piece of the demo's state")]
pub(super) fn seed_follow_up(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    dice: &mut Dice,
    next_slot: &mut [i64; 2],
    coordinator: usize,
    situation: &str,
    roles: &[PersonRole],
    contacted: NaiveDateTime,
) -> ApiResult<()> {
    let coordinator_id = ctx.coordinators[coordinator];
    // The victim and the other persons come together; an alleged author is met apart, if at all.
    let come: Vec<String> = roles.iter().filter(|r| r.role != Role::AllegedAuthor).map(|r| r.person_id.clone()).collect();
    // Appointments: one to three, on successive free working-day slots of the coordinator
    // (eight a day from 9:00 local), so that none overlaps.
    let base = ctx.today() - Duration::days(366);
    for _ in 0..1 + dice.below(3) {
        let earliest = (contacted.date() + Duration::days(1) - base).num_days() * 8;
        let mut slot = next_slot[coordinator].max(earliest) + dice.below(3) as i64;
        while matches!((base + Duration::days(slot / 8)).weekday(), Weekday::Sat | Weekday::Sun) {
            slot = (slot / 8 + 1) * 8;
        }
        next_slot[coordinator] = slot + 1;
        let day = base + Duration::days(slot / 8);
        let starts = working_instant(day, 9 * 60 + (slot % 8) as i32 * 60)?;
        let input = AppointmentInput {
            kind: if dice.percent(15) { AppointmentKind::Phone } else { AppointmentKind::Scheduled },
            site_id: ctx.site_id.to_owned(),
            coordinator_id: coordinator_id.to_owned(),
            situation_id: Some(situation.to_owned()),
            person_id: Some(roles[0].person_id.clone()),
            expected_person_ids: come.clone(),
            starts_at: starts.and_utc(),
            ends_at: (starts + Duration::minutes(45)).and_utc(),
        };
        let id = crate::appointments::queries::insert_expecting(conn, ctx.ccas_id, &input, ctx.now)?;
        if day < ctx.today() {
            let status = match dice.below(100) {
                0..=77 => "attended",
                78..=91 => "no_show",
                _ => "cancelled",
            };
            let reason = (status == "cancelled").then_some("reporté à la demande de la personne");
            diesel::update(appointments::table.find(&id))
                .set((appointments::status.eq(status), appointments::cancel_reason.eq(reason)))
                .execute(conn)?;
            if status == "attended" {
                crate::persons::queries::record_contact(conn, &come, starts)?;
                crate::referrals::record_interview(conn, situation, starts)?;
            }
        }
    }
    let intervention = |kind, at: NaiveDateTime, partner_id: Option<String>, report: Option<LegalReport>| NewIntervention {
        situation_id: situation.to_owned(),
        kind,
        occurred_at: at.and_utc(),
        duration_minutes: Some(30),
        coordinator_id: coordinator_id.to_owned(),
        person_ids: come.clone(),
        partner_id,
        in_person: kind != InterventionKind::PhoneFollowUp,
        outcome: None,
        report,
    };
    let first = contacted + Duration::days(1 + dice.below(6) as i64);
    if first > ctx.now - Duration::days(8) {
        return Ok(());
    }
    crate::interventions::insert(conn, ctx.ccas_id, &intervention(InterventionKind::FirstListening, first, None, None), ctx.now)?;
    if dice.percent(65) {
        let partner = dice.pick(ctx.partner_ids).clone();
        crate::interventions::insert(
            conn,
            ctx.ccas_id,
            &intervention(InterventionKind::Orientation, first + Duration::hours(1), Some(partner), None),
            ctx.now,
        )?;
    }
    let extra = *dice.pick(&[
        InterventionKind::Advice,
        InterventionKind::Mediation,
        InterventionKind::Accompaniment,
        InterventionKind::PhoneFollowUp,
        InterventionKind::AdministrativeHelp,
    ]);
    if dice.percent(50) {
        crate::interventions::insert(conn, ctx.ccas_id, &intervention(extra, first + Duration::days(7), None, None), ctx.now)?;
    }
    let authors: Vec<String> = roles.iter().filter(|r| r.role == Role::AllegedAuthor).map(|r| r.person_id.clone()).collect();
    if !authors.is_empty() && dice.percent(40) {
        let support =
            NewIntervention { person_ids: authors, ..intervention(InterventionKind::Advice, first + Duration::days(3), None, None) };
        crate::interventions::insert(conn, ctx.ccas_id, &support, ctx.now)?;
    }
    if dice.percent(6) {
        let report = LegalReport { sent_on: first.date(), recipient: "CRIP de l'Isère".to_owned() };
        crate::interventions::insert(
            conn,
            ctx.ccas_id,
            &intervention(InterventionKind::ConcernReport, first + Duration::hours(2), None, Some(report)),
            ctx.now,
        )?;
    }
    Ok(())
}
