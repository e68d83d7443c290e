/** "just now", "5 min ago", "3 h ago", "2 days ago", else the local date. */
export function formatRelativeTime(
  iso: string,
  now: Date = new Date(),
): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return iso;
  }
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours} h ago`;
  }
  const days = Math.floor(hours / 24);
  if (days < 14) {
    return days === 1 ? 'yesterday' : `${days} days ago`;
  }
  return at.toLocaleDateString();
}

/** A score as a whole percentage, or "n/a" when nothing applies. */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined
    ? 'n/a'
    : `${Math.round(score)}%`;
}

/** `component:default/payments-api` → `payments-api` (default namespace). */
export function shortRef(ref: string | null | undefined): string {
  if (!ref) {
    return '—';
  }
  const [kindAndNamespace, name] = ref.includes('/')
    ? [ref.slice(0, ref.lastIndexOf('/')), ref.slice(ref.lastIndexOf('/') + 1)]
    : ['', ref];
  const namespace = kindAndNamespace.split(':').pop();
  return namespace && namespace !== 'default' ? `${namespace}/${name}` : name;
}
