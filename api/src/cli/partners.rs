//! `relais partners`: the directory in and out in data·inclusion's format.

use clap::Subcommand;

use super::fail;
use crate::db::Db;
use crate::partners::data_inclusion::{self, models::Document};

#[derive(Debug, Subcommand)]
pub enum PartnersAction {
    /// Import a data·inclusion v1 file (`{"structures": [...], "services": [...]}`); prints
    /// what was created, updated and skipped.
    Import {
        /// The file.
        #[arg(long = "data-inclusion")]
        data_inclusion: std::path::PathBuf,
        /// The CCAS whose directory receives the partners.
        #[arg(long)]
        ccas: String,
    },
    /// Print the CCAS's active partners as a data·inclusion v1 document.
    Export {
        /// data·inclusion's format (the only one).
        #[arg(long = "data-inclusion")]
        data_inclusion: bool,
        #[arg(long)]
        ccas: String,
    },
}

pub(super) fn run(db: &Db, action: PartnersAction, clock: &crate::clock::Clock) -> Result<(), String> {
    let mut conn = db.get().map_err(fail)?;
    let printed = match action {
        PartnersAction::Import { data_inclusion: file, ccas } => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let document: Document = serde_json::from_str(&text).map_err(|e| format!("not a data·inclusion document: {e}"))?;
            crate::organisations::queries::find(&mut conn, &ccas).map_err(|_| format!("no organisation {ccas}"))?;
            let summary = crate::db::pool::write_transaction(&mut conn, |conn| data_inclusion::import(conn, &ccas, &document, clock.now()))
                .map_err(fail)?;
            serde_json::to_string_pretty(&summary)
        }
        PartnersAction::Export { data_inclusion: _, ccas } => {
            serde_json::to_string_pretty(&data_inclusion::export(&mut conn, &ccas).map_err(fail)?)
        }
    };
    println!("{}", printed.map_err(|e| e.to_string())?);
    Ok(())
}
