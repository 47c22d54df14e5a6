export function MoreButton({ hasMore, loading, onMore }: { hasMore: boolean; loading: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <p>
      <button type="button" className="button-secondary" onClick={onMore} disabled={loading}>
        {loading ? "Chargement…" : "Voir plus"}
      </button>
    </p>
  );
}
