/**
 * Remediation: the patch that makes a service's failing checks pass.
 */
export { computeRemediation, REMEDIABLE_AREAS } from './computeRemediation';
export type { ComputeRemediationOptions } from './types';
export { unifiedDiff } from './diff';
export { stringifyDocuments } from './workspace';
