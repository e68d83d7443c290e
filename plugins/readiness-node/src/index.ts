/**
 * Node library of Production Readiness for Backstage: extension points for
 * custom fact collectors and check operators.
 *
 * @packageDocumentation
 */
export * from './extensions';
