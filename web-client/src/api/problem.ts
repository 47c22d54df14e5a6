// API errors (RFC 9457 problem+json) in French: one message for the whole answer, and one per
// field, keyed by the API's field path (`persons[0].phone`) so that forms show it in place.
import type { FieldError, Problem } from "./types";

/** An API answer that was not a success, carried as an exception. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.title);
  }

  /** The field errors, by field path. */
  fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) {
      out[error.field] ??= fieldMessage(error);
    }
    return out;
  }
}

/** The API could not be reached at all. */
export const networkProblem = () => new ApiProblem(0, { type: "about:blank", title: "network", status: 0, code: "network_error" });

/** Turns anything thrown while calling the API into an ApiProblem. */
export function asProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : networkProblem();
}

const BY_CODE: Record<string, string> = {
  network_error: "Le serveur ne répond pas. Vérifiez la connexion puis réessayez.",
  bad_request: "La demande est mal formée.",
  unreadable_file: "Ce fichier n'est pas un document JSON au format data·inclusion.",
  invalid_token: "Votre session a expiré. Reconnectez-vous.",
  insufficient_scope: "Votre compte ne permet pas cette action.",
  not_found: "Cet élément n'existe pas ou ne vous est pas accessible.",
  validation_failed: "Certains champs sont à corriger.",
  precondition_failed: "Quelqu'un a modifié cet élément entre-temps. Rechargez-le puis refaites votre modification.",
  precondition_required: "La modification n'a pas pu être vérifiée. Rechargez la page.",
  payload_too_large: "Le texte envoyé est trop long.",
  too_many_requests: "Trop de tentatives. Patientez quelques minutes avant de réessayer.",
  invalid_grant: "Identifiant ou mot de passe incorrect.",
  service_unavailable: "Le service est momentanément indisponible. Réessayez dans un instant.",
  internal_error: "Une erreur est survenue sur le serveur. Réessayez ; si elle persiste, prévenez l'administrateur.",
  appointment_overlap: "Ce créneau chevauche un autre rendez-vous du même coordinateur.",
  possible_duplicate: "Des personnes ressemblent à des personnes déjà connues : indiquez s'il s'agit des mêmes.",
  invalid_transition: "Cette action n'est plus possible dans l'état actuel.",
  situation_closed: "La situation est close : rouvrez-la d'abord.",
  already_exists: "Un élément identique existe déjà.",
  login_taken: "Cet identifiant est déjà pris.",
};

/** The message for a whole answer. */
export function problemMessage(problem: Problem): string {
  return BY_CODE[problem.code] ?? `Erreur ${problem.status} : la demande n'a pas abouti.`;
}

/** The message for one field, from its stable code (the API's English message is for developers). */
export function fieldMessage(error: FieldError): string {
  const numbers = error.message.match(/\d+/g) ?? [];
  switch (error.code) {
    case "required":
      return "Ce champ est obligatoire.";
    case "length":
      if (/at most/.test(error.message)) return `${numbers[0] ?? ""} caractères au plus.`;
      if (/at least/.test(error.message)) {
        return numbers[0] === "1" ? "Ce champ est obligatoire." : `${numbers[0] ?? ""} caractères au moins.`;
      }
      if (numbers.length === 2) {
        return numbers[0] === "1" ? `Obligatoire, ${numbers[1]} caractères au plus.` : `Entre ${numbers[0]} et ${numbers[1]} caractères.`;
      }
      return "Longueur incorrecte.";
    case "range":
      return "Valeur hors des limites permises.";
    case "email":
      return "Adresse électronique invalide.";
    case "url":
      return "Adresse web invalide.";
    case "phone":
      return "Numéro invalide : un numéro français (06 12 34 56 78) ou avec l’indicatif du pays (+32 …).";
    case "control_character":
      return "Caractères de contrôle non admis (retours à la ligne seulement dans les notes).";
    case "invisible_character":
      return "Caractères invisibles ou qui inversent le sens d’écriture non admis.";
    case "before_opening":
      return "La clôture ne peut pas précéder l’ouverture du dossier.";
    case "before_reception":
      return "La date ne peut pas précéder la réception de la saisine.";
    case "not_started":
      return "Avant le rendez-vous, seule une annulation peut être enregistrée.";
    case "future":
      return "La date ne peut pas être dans le futur.";
    case "identity":
      return "Indiquez au moins un nom ou un prénom.";
    case "unknown":
      return "Valeur inconnue.";
    case "charset":
      return "Lettres, chiffres, « . », « - », « _ » et « @ » uniquement.";
    default:
      return "Valeur invalide.";
  }
}
