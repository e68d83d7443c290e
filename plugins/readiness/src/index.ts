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
  EntityReadinessInitiativesCard,
  EntityGroupReadinessCard,
} from './plugin';
export type { EntityInitiativesCardProps } from './components/EntityInitiativesCard';
export type { EntityGroupReadinessCardProps } from './components/GroupReadinessCard';
export type { EntityReadinessCardProps } from './components/EntityReadinessCard';
export type { EntityReadinessContentProps } from './components/EntityReadinessContent';
export type { ServiceLevelsCardProps } from './components/ServiceLevelsCard';
export * from './api';
