/**
 * Frontend of Production Readiness for Backstage (legacy frontend system;
 * the new frontend system is exported from `/alpha`).
 *
 * @packageDocumentation
 */
export {
  readinessPlugin,
  ReadinessPage,
  EntityServiceLevelsCard,
} from './plugin';
export type { ServiceLevelsCardProps } from './components/ServiceLevelsCard';
export * from './api';
