/**
 * The readiness engine as a library: the pure parts shared by the readiness
 * backend, the scaffolder module, the benchmarks and command-line tools.
 *
 * - rules: the check compiler (json-rules-engine conditions plus our
 *   operators), compiled once into predicates;
 * - the built-in "Production readiness" checks and scoring (levels, areas);
 * - facts: the built-in fact collectors and the deployment-files parser
 *   (Kubernetes manifests and Helm values);
 * - generate: validated, scaled deployment manifests for a service;
 * - remediation: the patch that makes a service's failing checks pass.
 *
 * @packageDocumentation
 */
export type {
  CheckOperator,
  FactCollector,
  FactCollectorContext,
} from './types';
export * from './rules';
export * from './builtin';
export * from './scoring';
export * from './facts/deployment';
export * from './facts/collectors';
export * from './generate';
export { readCatalogFile } from './facts/catalogFile';
export * from './remediation';
export * from './fromTechInsightsCheck';
export { createLimiter } from './limiter';
export type { Limiter } from './limiter';
