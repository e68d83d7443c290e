/**
 * Frontend of Production Readiness for Backstage (legacy frontend system;
 * the new frontend system is exported from `/alpha`).
 *
 * @packageDocumentation
 */
export { readinessPlugin, ReadinessPage } from './plugin';
export * from './api';
