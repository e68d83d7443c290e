/**
 * Observed service levels for the readiness engine: what each service
 * delivers (availability, latency, 5xx rate, error budget), read from
 * Prometheus, next to what it declares.
 *
 * @packageDocumentation
 */

export { readinessModulePrometheus as default } from './module';
export { createObservedServiceLevelsCollector } from './collector';
export type {
  ObservedServiceLevelsCollector,
  ObservedServiceLevelsCollectorOptions,
} from './collector';
export { readPrometheusSettings } from './config';
export type { PrometheusEndpoint, PrometheusSettings } from './config';
export { DEFAULT_QUERIES } from './queries';
export type { ObservedQueryName, ObservedQueryTemplates } from './queries';
