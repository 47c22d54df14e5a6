// Print what is on screen with the print layout (styles.css, @media print): menus, forms and
// buttons left out; private notes left out unless the coordinator asks for them.
import { useState } from "react";

export function PrintButton({ withPrivateNotes = false }: { withPrivateNotes?: boolean }) {
  const [privateNotes, setPrivateNotes] = useState(false);
  const print = () => {
    document.body.classList.toggle("print-private-notes", privateNotes);
    window.print();
  };
  return (
    <div className="print-controls">
      {withPrivateNotes && (
        <label className="inline">
          <input type="checkbox" checked={privateNotes} onChange={(e) => setPrivateNotes(e.target.checked)} /> Imprimer aussi mes notes
          personnelles
        </label>
      )}
      <button type="button" className="button-secondary" onClick={print}>
        Imprimer
      </button>
    </div>
  );
}
