//! Suppression that holds, for the `reports` audience.
//!
//! Counts from 1 to 4 are suppressed (primary suppression). That alone does not hold: a total
//! minus its visible parts, or a year minus its visible months, gives the hidden count back.
//! So the figures of a whole year are protected together: its months, quarters and the year,
//! each a set of cells bound by the equations a reader knows (a total is the sum of its parts,
//! a quarter the sum of its months, a year of its quarters, a legal report is an intervention
//! of that kind, the situations ongoing in a quarter are those ongoing in its first month).
//! Whenever an equation has exactly one hidden cell, another of its cells is hidden too
//! (secondary suppression); then an exact audit (Gaussian elimination over every equation)
//! checks that no hidden cell follows from any combination of them.
//!
//! Periods are protected in the order they end, and a period's cells are never hidden later:
//! so what was answered about October stays what will be answered once the year has ended.

use std::collections::HashMap;

use super::calendar::CalendarPeriod;
use super::funders::guide::{ACTIONS, ATTENDED_SUFFIX, Named, ORIGINS};
use super::funders::models::FundersFigures;
use super::models::{Breakdown, Count, Figures};

/// One count of one period.
#[derive(Debug, Clone)]
struct Cell {
    period: usize,
    value: i64,
    hidden: bool,
}

/// `whole = sum of parts`, as a reader of the answers knows it.
#[derive(Debug, Clone)]
struct Equation {
    whole: usize,
    parts: Vec<usize>,
}

impl Equation {
    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.whole).chain(self.parts.iter().copied())
    }
}

/// Figures that add up over time: events dated in the period. Distinct persons and situations
/// met do not (one person received in two months counts once in the quarter).
const ADDITIVE: [&str; 25] = [
    "met.opened",
    "referrals",
    "source:",
    "outcome:",
    "interventions",
    "intervention:",
    "orientation:",
    "orientation_outcome:",
    "appointments",
    "appointment:",
    "legal:",
    "contacted",
    "brief",
    "brief_channel:",
    "brief_origin:",
    "interviewed",
    "contacted_origin:",
    "interviewed_origin:",
    "guide_origin:",
    "unit:",
    "actions",
    "action:",
    "brief_guide:",
    "contacted_guide:",
    "interviewed_guide:",
];

fn is_additive(key: &str) -> bool {
    ADDITIVE.iter().any(|prefix| if prefix.ends_with(':') { key.starts_with(prefix) } else { key == *prefix })
}

/// Every count of one period's figures under a stable name.
fn counts_mut(f: &mut Figures) -> Vec<(String, &mut Count)> {
    let Figures {
        situations_met,
        persons_received,
        referrals_received,
        referrals_by_source,
        referrals_by_outcome,
        situations_by_problem_type,
        persons_by_role,
        persons_by_age_group,
        interventions_total,
        interventions_by_kind,
        orientations_by_partner_kind,
        orientations_by_outcome,
        appointments_total,
        appointments_by_kind_and_outcome,
        legal_reports_by_kind,
        brief_contacts_total,
        brief_contacts_by_channel,
        brief_contacts_by_origin,
        first_contact_delay,
        first_interview_delay,
        reactivity_by_origin,
    } = f;
    let mut counts: Vec<(String, &mut Count)> = vec![
        ("met.opened".into(), &mut situations_met.opened),
        ("met.ongoing".into(), &mut situations_met.ongoing),
        ("met.total".into(), &mut situations_met.total),
        ("persons_received".into(), persons_received),
        ("referrals".into(), referrals_received),
        ("interventions".into(), interventions_total),
        ("appointments".into(), appointments_total),
        ("contacted".into(), &mut first_contact_delay.referrals),
        ("brief".into(), brief_contacts_total),
        ("interviewed".into(), &mut first_interview_delay.referrals),
    ];
    for origin in reactivity_by_origin.iter_mut() {
        counts.push((format!("contacted_origin:{}", origin.key), &mut origin.first_contact.referrals));
        counts.push((format!("interviewed_origin:{}", origin.key), &mut origin.first_interview.referrals));
    }
    let lists: [(&str, &mut Vec<Breakdown>); 12] = [
        ("source:", referrals_by_source),
        ("outcome:", referrals_by_outcome),
        ("problem:", situations_by_problem_type),
        ("role:", persons_by_role),
        ("age:", persons_by_age_group),
        ("intervention:", interventions_by_kind),
        ("orientation:", orientations_by_partner_kind),
        ("orientation_outcome:", orientations_by_outcome),
        ("appointment:", appointments_by_kind_and_outcome),
        ("legal:", legal_reports_by_kind),
        ("brief_channel:", brief_contacts_by_channel),
        ("brief_origin:", brief_contacts_by_origin),
    ];
    for (prefix, list) in lists {
        counts.extend(list.iter_mut().map(|b| (format!("{prefix}{}", b.key), &mut b.count)));
    }
    counts
}

/// Every count of one period's funders' grid; the counts it shares with the standard figures
/// (persons received, situations met, delays...) under the same names, so that both layouts
/// are one set of cells.
fn funders_counts_mut(g: &mut FundersFigures) -> Vec<(String, &mut Count)> {
    let FundersFigures {
        persons_received,
        persons_by_public,
        persons_by_sex,
        persons_by_age,
        persons_by_commune,
        situations_met,
        situations_by_public,
        referrals_received,
        referrals_by_origin,
        referrals_by_unit,
        actions_total,
        actions_by_kind,
        brief_contacts_total,
        brief_contacts_by_origin,
        first_contact_delay,
        first_interview_delay,
        reactivity_by_origin,
    } = g;
    let mut counts: Vec<(String, &mut Count)> = vec![
        ("persons_received".into(), persons_received),
        ("met.total".into(), situations_met),
        ("referrals".into(), referrals_received),
        ("actions".into(), actions_total),
        ("brief".into(), brief_contacts_total),
        ("contacted".into(), &mut first_contact_delay.referrals),
        ("interviewed".into(), &mut first_interview_delay.referrals),
    ];
    for (prefix, entries) in [
        ("public:", persons_by_public.entries_mut()),
        ("sex:", persons_by_sex.entries_mut()),
        ("age:", persons_by_age.entries_mut()),
        ("situation_public:", situations_by_public.entries_mut()),
        ("guide_origin:", referrals_by_origin.entries_mut()),
        ("action:", actions_by_kind.entries_mut()),
        ("brief_guide:", brief_contacts_by_origin.entries_mut()),
    ] {
        counts.extend(entries.into_iter().map(|(k, c)| (format!("{prefix}{k}"), c)));
    }
    counts.extend(persons_by_commune.iter_mut().map(|c| (format!("commune:{}", c.commune.as_deref().unwrap_or_default()), &mut c.count)));
    counts
        .extend(referrals_by_unit.iter_mut().map(|u| (format!("unit:{}", u.organisation_id.as_deref().unwrap_or_default()), &mut u.count)));
    for origin in reactivity_by_origin.iter_mut() {
        counts.push((format!("contacted_guide:{}", origin.key), &mut origin.first_contact.referrals));
        counts.push((format!("interviewed_guide:{}", origin.key), &mut origin.first_interview.referrals));
    }
    counts
}

/// Both layouts' counts of one period.
fn all_counts_mut<'a>(f: &'a mut Figures, g: Option<&'a mut FundersFigures>) -> Vec<(String, &'a mut Count)> {
    let mut counts = counts_mut(f);
    if let Some(g) = g {
        counts.extend(funders_counts_mut(g));
    }
    counts
}

struct Grid {
    cells: Vec<Cell>,
    index: HashMap<(usize, String), usize>,
    equations: Vec<Equation>,
}

impl Grid {
    fn new(periods: &[CalendarPeriod], figures: &mut [Figures], funders: &mut [FundersFigures]) -> Self {
        let mut grid = Grid { cells: Vec::new(), index: HashMap::new(), equations: Vec::new() };
        let mut funders = funders.iter_mut();
        for (period, f) in figures.iter_mut().enumerate() {
            for (key, count) in all_counts_mut(f, funders.next()) {
                // A count both layouts show is one cell.
                if grid.index.contains_key(&(period, key.clone())) {
                    continue;
                }
                let value = count.value.unwrap_or(0);
                grid.index.insert((period, key), grid.cells.len());
                grid.cells.push(Cell { period, value, hidden: (1..=4).contains(&value) });
            }
        }
        for period in 0..periods.len() {
            grid.equations_within(period);
        }
        grid.equations_over_time(periods);
        grid
    }

    fn cell(&self, period: usize, key: &str) -> Option<usize> {
        self.index.get(&(period, key.to_owned())).copied()
    }

    /// The cells of `period` whose key starts with `prefix`, with their keys, in key order.
    fn keyed(&self, period: usize, prefix: &str) -> Vec<(String, usize)> {
        let mut keys: Vec<(String, usize)> =
            self.index.iter().filter(|((p, k), _)| *p == period && k.starts_with(prefix)).map(|((_, k), i)| (k.clone(), *i)).collect();
        keys.sort();
        keys
    }

    fn keys_of(&self, period: usize, prefix: &str) -> Vec<usize> {
        self.keyed(period, prefix).into_iter().map(|(_, i)| i).collect()
    }

    fn equation(&mut self, whole: Option<usize>, parts: Vec<usize>) {
        if let Some(whole) = whole {
            self.equations.push(Equation { whole, parts });
        }
    }

    /// What one period's figures say of each other.
    fn equations_within(&mut self, p: usize) {
        let opened_and_ongoing = [self.cell(p, "met.opened"), self.cell(p, "met.ongoing")].into_iter().flatten().collect();
        self.equation(self.cell(p, "met.total"), opened_and_ongoing);
        for (total, prefix) in [
            ("referrals", "source:"),
            ("referrals", "outcome:"),
            ("persons_received", "age:"),
            ("interventions", "intervention:"),
            ("intervention:orientation", "orientation:"),
            ("intervention:orientation", "orientation_outcome:"),
            ("appointments", "appointment:"),
            ("brief", "brief_channel:"),
            ("brief", "brief_origin:"),
            ("contacted", "contacted_origin:"),
            ("interviewed", "interviewed_origin:"),
            ("persons_received", "public:"),
            ("persons_received", "sex:"),
            ("persons_received", "commune:"),
            ("met.total", "situation_public:"),
            ("referrals", "guide_origin:"),
            ("guide_origin:police_gendarmerie", "unit:"),
            ("actions", "action:"),
            ("brief", "brief_guide:"),
            ("contacted", "contacted_guide:"),
            ("interviewed", "interviewed_guide:"),
        ] {
            let parts = self.keys_of(p, prefix);
            if !parts.is_empty() {
                self.equation(self.cell(p, total), parts);
            }
        }
        for (key, legal) in self.keyed(p, "legal:") {
            let kind = key.trim_start_matches("legal:");
            self.equation(self.cell(p, &format!("intervention:{kind}")), vec![legal]);
        }
        self.guide_equations(p);
    }

    /// The funders' categories are sums of the standard figures' (see `funders::guide`).
    fn guide_equations(&mut self, p: usize) {
        let cells = |grid: &Grid, prefix: &str, codes: &[&str]| -> Vec<usize> {
            codes.iter().filter_map(|code| grid.cell(p, &format!("{prefix}{code}"))).collect()
        };
        for (origin, sources) in ORIGINS {
            for (guide, standard) in [
                ("guide_origin:", "source:"),
                ("brief_guide:", "brief_origin:"),
                ("contacted_guide:", "contacted_origin:"),
                ("interviewed_guide:", "interviewed_origin:"),
            ] {
                let parts = cells(self, standard, sources);
                self.equation(self.cell(p, &format!("{guide}{origin}")), parts);
            }
        }
        for (action, kinds) in ACTIONS {
            let parts = if kinds.is_empty() {
                self.keyed(p, "appointment:").into_iter().filter(|(key, _)| key.ends_with(ATTENDED_SUFFIX)).map(|(_, i)| i).collect()
            } else {
                cells(self, "intervention:", kinds)
            };
            self.equation(self.cell(p, &format!("action:{action}")), parts);
        }
    }

    /// A quarter adds up its months and a year its quarters; the situations ongoing at the
    /// start of a quarter (or year) are those ongoing at the start of its first child.
    fn equations_over_time(&mut self, periods: &[CalendarPeriod]) {
        let position = |p: &CalendarPeriod| periods.iter().position(|q| q == p);
        for (parent, period) in periods.iter().enumerate() {
            let children: Option<Vec<usize>> = period.children().iter().map(position).collect();
            let Some(children) = children.filter(|c| !c.is_empty()) else { continue };
            let mut keys: Vec<String> = self
                .index
                .keys()
                .filter(|(p, k)| (*p == parent || children.contains(p)) && is_additive(k))
                .map(|(_, k)| k.clone())
                .collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let parts: Vec<usize> = children.iter().filter_map(|c| self.cell(*c, &key)).collect();
                // A key absent from the parent is a zero its children must add up to.
                if let Some(whole) = self.cell(parent, &key) {
                    self.equations.push(Equation { whole, parts });
                }
            }
            if let Some(first) = children.first() {
                self.equation(self.cell(parent, "met.ongoing"), self.cell(*first, "met.ongoing").into_iter().collect());
            }
        }
    }

    /// Hides cells of the periods in `step` (those ending together) until no hidden cell of
    /// the periods so far can be computed back.
    fn protect_step(&mut self, step: &[usize], known_periods: usize) {
        loop {
            let active: Vec<&Equation> =
                self.equations.iter().filter(|e| e.cells().all(|c| self.cells[c].period < known_periods)).collect();
            let exposed = active.iter().find(|e| e.cells().filter(|c| self.cells[*c].hidden).count() == 1).map(|e| e.cells().collect());
            let exposed: Vec<usize> = match exposed {
                Some(cells) => cells,
                None => match self.audit(&active) {
                    Some(cell) => active.iter().filter(|e| e.cells().any(|c| c == cell)).flat_map(|e| e.cells()).collect(),
                    None => return,
                },
            };
            let Some(cover) = self.cover(&exposed, step).or_else(|| self.cover(&self.step_cells(step), step)) else { return };
            self.cells[cover].hidden = true;
        }
    }

    fn step_cells(&self, step: &[usize]) -> Vec<usize> {
        (0..self.cells.len()).filter(|c| step.contains(&self.cells[*c].period)).collect()
    }

    /// The smallest visible positive count among `candidates` in the periods of `step`.
    fn cover(&self, candidates: &[usize], step: &[usize]) -> Option<usize> {
        candidates
            .iter()
            .copied()
            .filter(|c| !self.cells[*c].hidden && self.cells[*c].value > 0 && step.contains(&self.cells[*c].period))
            .min_by_key(|c| (self.cells[*c].value, *c))
    }

    /// A hidden cell that some combination of the equations determines, if any: Gaussian
    /// elimination over the hidden cells (the visible ones are constants).
    fn audit(&self, equations: &[&Equation]) -> Option<usize> {
        let unknowns: Vec<usize> = {
            let mut cells: Vec<usize> = equations.iter().flat_map(|e| e.cells()).filter(|c| self.cells[*c].hidden).collect();
            cells.sort_unstable();
            cells.dedup();
            cells
        };
        let column: HashMap<usize, usize> = unknowns.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let mut rows: Vec<Vec<f64>> = equations
            .iter()
            .map(|e| {
                let mut row = vec![0.0; unknowns.len()];
                let mut put = |cell: usize, coefficient: f64| {
                    if let Some(i) = column.get(&cell) {
                        row[*i] += coefficient;
                    }
                };
                put(e.whole, -1.0);
                for part in &e.parts {
                    put(*part, 1.0);
                }
                row
            })
            .filter(|row| row.iter().any(|x| x.abs() > EPSILON))
            .collect();
        let pivots = reduce(&mut rows, unknowns.len());
        pivots.into_iter().find_map(|(row, col)| {
            let alone = rows[row].iter().enumerate().all(|(j, x)| j == col || x.abs() <= EPSILON);
            alone.then(|| unknowns[col])
        })
    }
}

const EPSILON: f64 = 1e-9;

/// Reduced row echelon form in place; returns the (row, column) of each pivot.
fn reduce(rows: &mut [Vec<f64>], columns: usize) -> Vec<(usize, usize)> {
    let mut pivots = Vec::new();
    let mut next = 0;
    for col in 0..columns {
        let Some(best) = (next..rows.len()).max_by(|a, b| rows[*a][col].abs().total_cmp(&rows[*b][col].abs())) else { break };
        if rows[best][col].abs() <= EPSILON {
            continue;
        }
        rows.swap(next, best);
        let scale = rows[next][col];
        for x in rows[next].iter_mut() {
            *x /= scale;
        }
        let pivot = rows[next].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            let factor = row[col];
            if r != next && factor.abs() > EPSILON {
                for (x, p) in row.iter_mut().zip(&pivot) {
                    *x -= factor * p;
                }
            }
        }
        pivots.push((next, col));
        next += 1;
    }
    pivots
}

/// Protects the exact figures of `periods` (as [`super::calendar::ended_in_year`] lists them,
/// in the order they ended) in place.
/// `funders`, when given, holds the funders' grid of the same periods: both layouts are
/// protected as one, so that neither answer helps compute a count the other hides.
pub fn protect(periods: &[CalendarPeriod], figures: &mut [Figures], funders: &mut [FundersFigures]) {
    let mut grid = Grid::new(periods, figures, funders);
    let mut start = 0;
    while start < periods.len() {
        // Periods that end on the same day (March, the first quarter) are one step.
        let end_of = |i: usize| periods[i].bounds().map(|(_, last)| last).ok();
        let mut end = start + 1;
        while end < periods.len() && end_of(end) == end_of(start) {
            end += 1;
        }
        let step: Vec<usize> = (start..end).collect();
        grid.protect_step(&step, end);
        start = end;
    }
    let mut funders = funders.iter_mut();
    for (period, f) in figures.iter_mut().enumerate() {
        let mut g = funders.next();
        for (key, count) in all_counts_mut(f, g.as_deref_mut()) {
            if grid.cell(period, &key).is_some_and(|c| grid.cells[c].hidden) {
                *count = Count { value: None, suppressed: true };
            }
        }
        let delays = [&mut f.first_contact_delay, &mut f.first_interview_delay]
            .into_iter()
            .chain(f.reactivity_by_origin.iter_mut().flat_map(|o| [&mut o.first_contact, &mut o.first_interview]));
        let funders_delays = g.into_iter().flat_map(|g| {
            [&mut g.first_contact_delay, &mut g.first_interview_delay]
                .into_iter()
                .chain(g.reactivity_by_origin.iter_mut().flat_map(|o| [&mut o.first_contact, &mut o.first_interview]))
        });
        for delay in delays.chain(funders_delays) {
            if delay.referrals.suppressed {
                delay.median_minutes = None;
                delay.p90_minutes = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_only_a_combination_reveals_gets_company() {
        // Hidden x = 3, y = 2, z = 4 in x + y = 5, y + z = 6, x + z = 7: every equation has two
        // hidden cells, yet (5 - 6 + 7) / 2 gives x. One of the totals must go too.
        let value = [3, 2, 4, 5, 6, 7];
        let cells = value.iter().map(|v| Cell { period: 0, value: *v, hidden: *v <= 4 }).collect();
        let equations = [(3, [0, 1]), (4, [1, 2]), (5, [0, 2])].map(|(whole, parts)| Equation { whole, parts: parts.to_vec() }).to_vec();
        let mut grid = Grid { cells, index: HashMap::new(), equations };
        assert!(grid.audit(&grid.equations.iter().collect::<Vec<_>>()).is_some());
        grid.protect_step(&[0], 1);
        assert!(grid.cells[3].hidden, "the smallest total joins the hidden cells");
        assert_eq!(grid.audit(&grid.equations.iter().collect::<Vec<_>>()), None);
    }

    #[test]
    fn elimination_finds_a_cell_fixed_by_three_equations_and_none_in_a_rectangle() {
        // x + y = 3, y + z = 5, x + z = 4: each has two unknowns, yet x = 1.
        let mut triangle = vec![vec![1.0, 1.0, 0.0], vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 1.0]];
        assert_eq!(reduce(&mut triangle, 3).len(), 3);
        // a + b, c + d, a + c, b + d: rank 3 of 4, nothing determined.
        let mut rectangle = vec![vec![1.0, 1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0, 1.0], vec![1.0, 0.0, 1.0, 0.0], vec![0.0, 1.0, 0.0, 1.0]];
        let pivots = reduce(&mut rectangle, 4);
        assert_eq!(pivots.len(), 3);
        assert!(pivots.iter().all(|(r, c)| rectangle[*r].iter().enumerate().any(|(j, x)| j != *c && x.abs() > EPSILON)));
    }
}
