// The options and checkboxes that many forms offer: a vocabulary's French labels, the
// coordinators, a set of codes.
import { options } from "../labels";
import { Field } from "./Field";
import { useReference } from "../reference";

/** `<option>`s for each code of a vocabulary, with its French label. */
export function LabelOptions<K extends string>({ labels }: { labels: Record<K, string> }) {
  return (
    <>
      {options(labels).map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </>
  );
}

/** `<option>`s for the CCAS's coordinators, after an empty choice when `empty` names it. */
export function CoordinatorOptions({ empty }: { empty?: string }) {
  const reference = useReference();
  return (
    <>
      {empty !== undefined && <option value="">{empty}</option>}
      {reference.coordinators.map((coordinator) => (
        <option key={coordinator.id} value={coordinator.id}>
          {coordinator.display_name}
        </option>
      ))}
    </>
  );
}

/** One checkbox per choice; `value` holds the checked codes. */
export function CheckboxGroup<K extends string>({
  choices,
  value,
  onChange,
}: {
  choices: [K, string][];
  value: K[];
  onChange: (next: K[]) => void;
}) {
  return (
    <div className="checkbox-grid">
      {choices.map(([code, label]) => (
        <label key={code} className="inline">
          <input
            type="checkbox"
            checked={value.includes(code)}
            onChange={(e) => onChange(e.target.checked ? [...value, code] : value.filter((c) => c !== code))}
          />
          {label}
        </label>
      ))}
    </div>
  );
}

/** A labelled `<select>` over a vocabulary, its French labels as options. */
export function LabelSelect<K extends string>(props: {
  label: string;
  labels: Record<K, string>;
  /** "" shows `placeholder`: an answer that matters is chosen, never pre-set. */
  value: K | "";
  onChange: (value: K) => void;
  placeholder?: string;
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
}) {
  return (
    <Field label={props.label} error={props.error} required={props.required}>
      {(c) => (
        <select
          {...c}
          value={props.value}
          disabled={props.disabled}
          required={props.required}
          onChange={(e) => props.onChange(e.target.value as K)}
        >
          {props.placeholder !== undefined && (
            <option value="" disabled>
              {props.placeholder}
            </option>
          )}
          <LabelOptions labels={props.labels} />
        </select>
      )}
    </Field>
  );
}
