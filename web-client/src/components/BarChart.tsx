// A bar chart that is also a table: screen readers read the figures, everyone sees the bars.
import type { Count } from "../api/types";

export interface Bar {
  label: string;
  count: Count;
}

/** "5 000" with the French thin space, or "< 5" for a suppressed count. */
export const countText = (count: Count) => (count.suppressed ? "< 5" : new Intl.NumberFormat("fr-FR").format(count.value ?? 0));

export function BarChart({ title, bars, unit = "" }: { title: string; bars: Bar[]; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.count.value ?? 0));
  return (
    <figure className="chart">
      <table>
        <caption>{title}</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Catégorie</th>
            <th scope="col">Nombre{unit && ` (${unit})`}</th>
          </tr>
        </thead>
        <tbody>
          {bars.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                Rien sur la période.
              </td>
            </tr>
          )}
          {bars.map((bar) => (
            <tr key={bar.label}>
              <th scope="row">{bar.label}</th>
              <td>
                <span className="bar" style={{ width: `${((bar.count.value ?? 0) / max) * 100}%` }} aria-hidden="true" />
                <span className="bar-value">{countText(bar.count)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
