import { describe, expect, test } from "vitest";
import { ApiProblem, fieldMessage, problemMessage } from "./problem";

describe("API errors in French", () => {
  test("each field code has its French message; the API's English one is never shown", () => {
    const at = (code: string, message: string) => fieldMessage({ field: "x", code, message });
    expect(at("length", "must be between 1 and 4000 characters long")).toBe("Obligatoire, 4000 caractères au plus.");
    expect(at("length", "must be between 4 and 30 characters long")).toBe("Entre 4 et 30 caractères.");
    expect(at("length", "must be at most 200 characters long")).toBe("200 caractères au plus.");
    expect(at("phone", "is not a valid phone number (French, or with its country code)")).toBe(
      "Numéro invalide : un numéro français (06 12 34 56 78) ou avec l’indicatif du pays (+32 …).",
    );
    expect(at("future", "cannot be in the future")).toBe("La date ne peut pas être dans le futur.");
    expect(at("email", "must be an e-mail address")).toBe("Adresse électronique invalide.");
    expect(at("something_new", "is not valid")).toBe("Valeur invalide.");
  });

  test("field errors are keyed by the API's field path, the first one of a field kept", () => {
    const problem = new ApiProblem(422, {
      type: "urn:relais:problem:validation_failed",
      title: "The request is not valid",
      status: 422,
      code: "validation_failed",
      errors: [
        { field: "persons[0].phone", code: "phone", message: "may only hold digits" },
        { field: "persons[0].phone", code: "length", message: "must be between 4 and 30 characters long" },
        { field: "summary", code: "length", message: "must be between 1 and 4000 characters long" },
      ],
    });
    expect(problem.fields()).toEqual({
      "persons[0].phone": "Numéro invalide : un numéro français (06 12 34 56 78) ou avec l’indicatif du pays (+32 …).",
      summary: "Obligatoire, 4000 caractères au plus.",
    });
    expect(problemMessage(problem.problem)).toBe("Certains champs sont à corriger.");
  });

  test("an unknown code still says something useful, with the status", () => {
    expect(problemMessage({ type: "", title: "", status: 418, code: "teapot" })).toBe("Erreur 418 : la demande n'a pas abouti.");
  });
});
