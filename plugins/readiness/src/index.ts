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
  EntityReadinessCard,
  EntityReadinessContent,
} from './plugin';
export type { EntityReadinessCardProps } from './components/EntityReadinessCard';
export type { EntityReadinessContentProps } from './components/EntityReadinessContent';
export type { ServiceLevelsCardProps } from './components/ServiceLevelsCard';
export * from './api';
