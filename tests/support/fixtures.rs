//! The standard world of every test: two CCAS, and for CCAS A two gendarmerie units, a
//! police municipale service and a commissariat de police nationale; CCAS B has its own brigade.

use relais_api::auth::OrgKind;
use relais_api::db::Db;
use relais_api::error::ApiError;
use relais_api::organisations::queries::insert;

#[derive(Debug, Clone)]
pub struct World {
    pub ccas_a: String,
    pub brigade_a: String,
    /// A second unit of CCAS A: must not see brigade A's referrals.
    pub brigade_a2: String,
    pub police_a: String,
    pub commissariat_a: String,
    pub ccas_b: String,
    pub brigade_b: String,
}

impl World {
    pub fn create(db: &Db, now: chrono::NaiveDateTime) -> Result<World, ApiError> {
        let mut conn = db.get()?;
        let conn = &mut *conn;
        let ccas_a = insert(conn, OrgKind::Ccas, "CCAS A", None, now)?.id;
        let ccas_b = insert(conn, OrgKind::Ccas, "CCAS B", None, now)?.id;
        Ok(World {
            brigade_a: insert(conn, OrgKind::Gendarmerie, "Brigade A", Some(&ccas_a), now)?.id,
            brigade_a2: insert(conn, OrgKind::Gendarmerie, "Brigade A2", Some(&ccas_a), now)?.id,
            police_a: insert(conn, OrgKind::PoliceMunicipale, "Police municipale A", Some(&ccas_a), now)?.id,
            commissariat_a: insert(conn, OrgKind::PoliceNationale, "Commissariat A", Some(&ccas_a), now)?.id,
            brigade_b: insert(conn, OrgKind::Gendarmerie, "Brigade B", Some(&ccas_b), now)?.id,
            ccas_a,
            ccas_b,
        })
    }
}
