/**
 * The manifest annotation that declares how many requests per second one pod
 * serves within its latency target. The readiness engine reads it from the
 * HPA to score `hpa-capacity` (it is not part of the catalog vocabulary,
 * because it annotates Kubernetes objects, not entities).
 */
export const PER_POD_RPS_ANNOTATION = 'prodready.dev/per-pod-rps';
