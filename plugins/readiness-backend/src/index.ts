/**
 * Backend of Production Readiness for Backstage.
 *
 * @packageDocumentation
 */
export { readinessPlugin as default } from './plugin';
