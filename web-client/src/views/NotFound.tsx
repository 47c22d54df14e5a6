import { Link } from "wouter";
import { PageTitle } from "../components/Layout";

export function NotFound() {
  return (
    <section>
      <PageTitle title="Page introuvable">Page introuvable</PageTitle>
      <p>Cette page n'existe pas ou ne vous est pas accessible.</p>
      <p>
        <Link href="/">Revenir à l'accueil</Link>
      </p>
    </section>
  );
}
