// French wording of the API's codes. `Record<Code, string>` over the generated types: a code
// added to the API without its French label breaks the build.
import type {
  AppointmentKind,
  ClosingReason,
  Consent,
  ContactChannel,
  ContactOutcome,
  DeclineReason,
  InterventionKind,
  JudicialProceedings,
  PartnerKind,
  PublicServed,
  ReferralStatus,
  Role,
  Safety,
  Urgency,
} from "./api/types";
import type { components } from "./api/schema";

type S = components["schemas"];

export const referralStatus: Record<ReferralStatus, string> = {
  received: "Nouvelle",
  contact_attempted: "Contact en cours",
  accepted: "Prise en charge",
  declined: "Non retenue",
};

export const source: Record<S["Source"], string> = {
  gendarmerie: "Gendarmerie",
  police_municipale: "Police municipale",
  police_nationale: "Police nationale",
  partner: "Partenaire",
  walk_in: "Venue spontanée",
  proactive: "Démarche proactive",
};

export const urgency: Record<Urgency, string> = { normal: "Normale", urgent: "Urgente" };

export const role: Record<Role, string> = { victim: "Victime", alleged_author: "Auteur présumé", other: "Autre personne" };

export const judicial: Record<JudicialProceedings, string> = { yes: "Oui", no: "Non", unknown: "Ne sait pas" };

export const safety: Record<Safety, string> = { yes: "Oui", no: "Non", unknown: "Ne sait pas" };

export const answer: Record<S["Answer"], string> = { yes: "Oui", no: "Non", unknown: "Ne sait pas" };

/** "Oui (2)", "Non", "Ne sait pas": children present or exposed, with their number. */
export function childrenText(r: { children_exposed: S["Answer"]; children_count?: number | null }): string {
  return r.children_exposed === "yes" && r.children_count ? `Oui (${r.children_count})` : answer[r.children_exposed];
}

export const policeContact: Record<S["PoliceContact"], string> = {
  home_call_out: "Intervention à domicile",
  complaint: "Plainte",
  main_courante: "Main courante ou PV de renseignement judiciaire",
  hearing: "Audition",
  other: "Autre",
};

export const consent: Record<Consent, string> = {
  given: "Donné",
  refused: "Refusé",
  not_required: "Non requis",
  unknown: "Inconnu",
};

export const sex: Record<S["Sex"], string> = { female: "Femme", male: "Homme", other: "Autre" };

export const contactChannel: Record<ContactChannel, string> = {
  phone: "Téléphone",
  sms: "SMS",
  letter: "Courrier",
  in_person: "En personne",
};

export const contactOutcome: Record<ContactOutcome, string> = {
  reached: "Personne jointe",
  no_answer: "Pas de réponse",
  wrong_number: "Numéro erroné",
  refused: "Refus",
};

export const declineReason: Record<DeclineReason, string> = {
  unreachable: "Personne injoignable",
  refused: "Refus de la personne",
  out_of_scope: "Hors du champ d'intervention",
  duplicate: "Doublon",
};

export const closingReason: Record<ClosingReason, string> = {
  oriented: "Orientée vers un partenaire",
  resolved: "Situation résolue",
  no_further_contact: "Plus de contact",
  moved_away: "Déménagement",
  other: "Autre motif",
};

export const appointmentKind: Record<AppointmentKind, string> = {
  scheduled: "Sur rendez-vous",
  emergency: "En urgence",
  phone: "Par téléphone",
};

export const appointmentStatus: Record<S["AppointmentStatus"], string> = {
  planned: "Prévu",
  attended: "Honoré",
  no_show: "Absence",
  cancelled: "Annulé",
};

export const interventionKind: Record<InterventionKind, string> = {
  first_listening: "Premier accueil, écoute",
  advice: "Conseil, information",
  orientation: "Orientation vers un partenaire",
  mediation: "Médiation",
  accompaniment: "Accompagnement",
  phone_follow_up: "Suivi téléphonique",
  administrative_help: "Aide administrative",
  concern_report: "Information préoccupante",
  prosecutor_report: "Signalement au procureur",
};

export const partnerKind: Record<PartnerKind, string> = {
  victim_support: "Aide aux victimes",
  social_services: "Services sociaux",
  child_protection: "Protection de l'enfance",
  health: "Santé",
  mental_health: "Santé mentale",
  addiction: "Addictologie",
  housing: "Logement, hébergement",
  legal_aid: "Accès au droit",
  justice: "Justice",
  family_mediation: "Médiation familiale",
  employment: "Emploi, insertion",
  other: "Autre",
};

export const publicServed: Record<PublicServed, string> = {
  everyone: "Tout public",
  adults: "Adultes",
  minors: "Mineurs",
  families: "Familles",
  victims: "Victimes",
  alleged_authors: "Auteurs présumés",
  elderly: "Personnes âgées",
};

export const situationStatus: Record<S["SituationStatus"], string> = { open: "Ouverte", closed: "Close" };

export const timelineKind: Record<string, string> = {
  referral: "Saisine",
  contact_attempt: "Tentative de contact",
  appointment: "Rendez-vous",
  intervention: "Intervention",
  note: "Note",
};

/** The options of a `<select>` for one of these records. */
export function options<K extends string>(labels: Record<K, string>): [K, string][] {
  return Object.entries(labels) as [K, string][];
}
