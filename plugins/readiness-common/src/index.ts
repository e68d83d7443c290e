/**
 * The domain model of Production Readiness for Backstage: the
 * `prodready.dev/` annotations and their parsers, readiness areas, phases and
 * checklists, check, result and scorecard types, and permissions.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './areas';
export * from './parsers';
export * from './phases';
export * from './types';
export * from './permissions';
export * from './capacity';
export { closestName } from './suggest';
export * from './serviceLevels';
export * from './api';
export * from './initiatives';
export * from './notifications';
