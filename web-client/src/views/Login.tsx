// Sign-in, as a page or as the dialog over a view whose session expired.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Field } from "../components/Field";
import { ProblemAlert } from "../components/ProblemAlert";
import { useAction } from "../components/useLoad";
import { useSession } from "../session";

function SignInForm({ expired }: { expired: boolean }) {
  const session = useSession();
  const [login, setLogin] = useState(session.login);
  const [password, setPassword] = useState("");
  const { problem, busy, run } = useAction();
  const [missing, setMissing] = useState<{ login?: string; password?: string }>({});
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (expired) passwordInput.current?.focus();
  }, [expired]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const required = "Ce champ est obligatoire.";
    const empty = { login: login.trim() ? undefined : required, password: password ? undefined : required };
    setMissing(empty);
    if (empty.login || empty.password) return;
    void run(() => session.signIn(login.trim(), password));
  };

  return (
    <form onSubmit={submit} noValidate>
      <ProblemAlert problem={problem} />
      <Field label="Identifiant" error={missing.login} required>
        {(control) => (
          <input {...control} name="username" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
        )}
      </Field>
      <Field label="Mot de passe" error={missing.password} required>
        {(control) => (
          <input
            {...control}
            ref={passwordInput}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        )}
      </Field>
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Connexion…" : "Se connecter"}
      </button>
    </form>
  );
}

export function LoginPage() {
  useEffect(() => {
    document.title = "Connexion — Relais";
  }, []);
  return (
    <main id="contenu" className="login-page">
      <div className="login-card">
        <p className="brand-name">Relais</p>
        <h1>Connexion</h1>
        <p className="muted">Coordination sociale en brigade de gendarmerie et en commissariat.</p>
        <SignInForm expired={false} />
      </div>
    </main>
  );
}

/** Over the current view, whose state (a note being typed, a form) stays as it was. */
export function SessionExpiredDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      if (typeof element.showModal === "function") element.showModal();
      else element.setAttribute("open", "");
    }
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="session-expired-title" onCancel={(e) => e.preventDefault()}>
      <h2 id="session-expired-title">Session expirée</h2>
      <p>Pour votre sécurité, la session a pris fin. Reconnectez-vous : la page et ce que vous étiez en train de saisir sont conservés.</p>
      <SignInForm expired />
    </dialog>
  );
}
