// Whether calling or texting a person is safe: in warning colour as soon as one channel is not.
import type { ReactNode } from "react";
import type { components } from "../api/schema";
import { safety } from "../labels";

export function SafeContactLine({ contact, children }: { contact: components["schemas"]["SafeContact"]; children?: ReactNode }) {
  const unsafe = contact.call === "no" || contact.text === "no";
  return (
    <div className={unsafe ? "warning" : "muted"}>
      Appel sans danger : {safety[contact.call ?? "unknown"]} · SMS sans danger : {safety[contact.text ?? "unknown"]}
      {children}
      {contact.note && ` — ${contact.note}`}
    </div>
  );
}
