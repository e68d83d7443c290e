import fs from 'fs';
import path from 'path';
import {
  JsonObject,
  SEED_SCALING_DEFAULTS,
} from '@prodready/plugin-readiness-common';
import { parseDeploymentFiles } from './parseDeploymentFiles';
import type { DeploymentFacts, DeploymentFileInput } from './types';

/**
 * One test per example repository (examples/repos/<service>/deploy), each
 * asserting what examples/README.md says about that service's manifests.
 */

const REPOS = path.resolve(__dirname, '../../../../../examples/repos');

function readTree(dir: string, base = dir): DeploymentFileInput[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return readTree(full, base);
    }
    return [
      {
        path: path.relative(base, full).split(path.sep).join('/'),
        content: fs.readFileSync(full, 'utf8'),
      },
    ];
  });
}

function factsOf(service: string): DeploymentFacts {
  return parseDeploymentFiles(readTree(path.join(REPOS, service, 'deploy')), {
    workloadName: service,
  });
}

/** Fails on anything JSON cannot carry: undefined, NaN, class instances. */
function expectPlainJson(value: unknown, at = '$'): void {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${at} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectPlainJson(v, `${at}[${i}]`));
    return;
  }
  if (
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const [k, v] of Object.entries(value as object)) {
      expectPlainJson(v, `${at}.${k}`);
    }
    return;
  }
  throw new Error(`${at} is not plain JSON: ${String(value)}`);
}

/**
 * Loads a service's facts and checks what holds for every example: no errors,
 * plain JSON, the right main workload, consistent selectors.
 */
function load(service: string): DeploymentFacts {
  const facts = factsOf(service);
  expect(facts.errors).toEqual([]);
  expectPlainJson(facts);
  const asJson: JsonObject = facts; // compile-time: facts are a JsonObject
  expect(JSON.parse(JSON.stringify(asJson))).toEqual(facts);
  expect(facts.version).toBe(1);
  expect(facts.mainWorkload?.name).toBe(service);
  expect(facts.selectorsMatch).toBe(true);
  expect(facts.selectorMismatches).toEqual([]);
  return facts;
}

/** The services tested below, one test each. */
const SERVICES = [
  'payments-api',
  'ledger-service',
  'checkout-api',
  'auth-service',
  'refund-service',
  'fraud-detection',
  'cart-service',
  'user-profile-service',
  'product-search',
  'order-service',
];

const seed = SEED_SCALING_DEFAULTS;
const MiB = 1024 * 1024;

describe('deployment facts of the example repositories', () => {
  it('payments-api', () => {
    const facts = load('payments-api');
    // complete: Deployment, Service, HPA 3..18, PDB, Ingress+TLS, NetworkPolicy (separate files)
    expect(facts.source).toBe('manifests');
    expect(facts.helm).toBe(false);
    expect(facts.files).toEqual([
      'deployment.yaml',
      'hpa.yaml',
      'ingress.yaml',
      'networkpolicy.yaml',
      'pdb.yaml',
      'service.yaml',
    ]);
    expect(facts.hpa).toMatchObject({
      apiVersion: 'autoscaling/v2',
      minReplicas: 3,
      maxReplicas: 18,
      cpuTargetPercent: seed.cpuUtilizationPercent,
      memoryTargetPercent: seed.memoryUtilizationPercent,
      scaleUpStabilizationSeconds: seed.scaleUpCooldownSeconds,
      scaleDownStabilizationSeconds: seed.scaleDownCooldownSeconds,
      targetsWorkload: true,
    });
    expect(facts.hpa!.minReplicas!).toBeGreaterThanOrEqual(seed.minReplicas);
    expect(facts.hpa!.maxReplicas!).toBeLessThanOrEqual(seed.maxReplicas);
    expect(facts.pdb).toMatchObject({
      minAvailable: null,
      maxUnavailable: 1,
      matchesWorkload: true,
      replicasConsidered: 3,
      allowedDisruptions: 1,
      allowsDisruption: true,
    });
    expect(facts.probes).toEqual({
      liveness: true,
      readiness: true,
      startup: true,
    });
    expect(facts.resources).toEqual({
      requestsSet: true,
      limitsSet: true,
      cpuRequestsSet: true,
      memoryRequestsSet: true,
      cpuLimitsSet: true,
      memoryLimitsSet: true,
      cpuRequestMillis: 500,
      memoryRequestBytes: 768 * MiB,
      cpuLimitMillis: 2000,
      memoryLimitBytes: 1024 * MiB,
    });
    expect(facts.utilisationTargetsHaveRequests).toBe(true);
    expect(facts.ingress).toMatchObject({
      present: true,
      tls: true,
      hosts: ['payments.example.com'],
      uncoveredHosts: [],
      certManagerIssuer: 'letsencrypt-prod',
      rateLimited: true, // nginx limit-rps
      waf: false,
    });
    expect(facts.networkPolicy).toMatchObject({
      present: true,
      selectsWorkload: true,
      ingressRestricted: true,
      defaultDeny: false,
    });
    expect(facts.rollout).toEqual({
      strategy: 'rolling-update',
      tool: 'deployment',
      maxSurge: '25%',
      maxUnavailable: 0,
      analysis: false,
    });
    expect(facts.zoneSpread).toBe(true);
    expect(facts.service).toMatchObject({
      present: true,
      selectsWorkload: true,
    });
    expect(facts.workloads).toHaveLength(1);
    expect(facts.workloads[0]).toMatchObject({
      kind: 'Deployment',
      replicas: 3,
      podLabels: { 'app.kubernetes.io/name': 'payments-api' },
      spread: { zone: true, zoneRequired: true, hostname: true },
    });
    expect(facts.workloads[0].containers[0]).toEqual({
      name: 'payments-api',
      image: 'registry.example.com/payments/payments-api:2.14.3',
      requests: {
        cpu: '500m',
        cpuMillis: 500,
        memory: '768Mi',
        memoryBytes: 805306368,
      },
      limits: {
        cpu: '2',
        cpuMillis: 2000,
        memory: '1Gi',
        memoryBytes: 1073741824,
      },
      probes: { liveness: 'http', readiness: 'http', startup: 'http' },
    });
  });

  it('ledger-service', () => {
    const facts = load('ledger-service');
    // complete, as a Helm values.yaml: replicaCount 3, autoscaling 3..18 at CPU 70 / memory 80,
    // resources, 3 probes, PDB, ingress.tls, networkPolicy
    expect(facts.source).toBe('helm');
    expect(facts.helm).toBe(true);
    expect(facts.files).toEqual(['values.yaml']);
    expect(facts.workloads[0]).toMatchObject({
      kind: 'Deployment',
      replicas: 3,
    });
    expect(facts.hpa).toMatchObject({
      apiVersion: 'autoscaling/v2',
      minReplicas: 3,
      maxReplicas: 18,
      cpuTargetPercent: 70,
      memoryTargetPercent: 80,
      scaleUpStabilizationSeconds: 300,
      scaleDownStabilizationSeconds: 600,
      targetsWorkload: true,
    });
    expect(facts.pdb).toMatchObject({
      maxUnavailable: 1,
      allowsDisruption: true,
    });
    expect(facts.probes).toEqual({
      liveness: true,
      readiness: true,
      startup: true,
    });
    expect(facts.resources).toMatchObject({
      requestsSet: true,
      limitsSet: true,
      cpuRequestMillis: 500,
      memoryRequestBytes: 512 * MiB,
    });
    expect(facts.utilisationTargetsHaveRequests).toBe(true);
    expect(facts.ingress).toMatchObject({
      present: true,
      tls: true,
      hosts: ['ledger.internal.example.com'],
      certManagerIssuer: 'internal-ca',
    });
    expect(facts.networkPolicy).toMatchObject({
      present: true,
      ingressRestricted: true,
    });
    expect(facts.zoneSpread).toBe(true);
    expect(facts.service.present).toBe(true);
    expect(facts.rollout.strategy).toBe('rolling-update');
  });

  it('checkout-api', () => {
    const facts = load('checkout-api');
    // complete, in one multi-document file k8s.yaml: HPA 3..24
    expect(facts.files).toEqual(['k8s.yaml']);
    expect(facts.kinds).toEqual({
      Deployment: 1,
      Service: 1,
      HorizontalPodAutoscaler: 1,
      PodDisruptionBudget: 1,
      Ingress: 1,
      NetworkPolicy: 1,
    });
    expect(facts.hpa).toMatchObject({ minReplicas: 3, maxReplicas: 24 });
    expect(facts.pdb).toMatchObject({ minAvailable: 2, allowedDisruptions: 1 });
    expect(facts.probes).toEqual({
      liveness: true,
      readiness: true,
      startup: true,
    });
    expect(facts.ingress.tls).toBe(true);
    expect(facts.networkPolicy.present).toBe(true);
    expect(facts.zoneSpread).toBe(true);
  });

  it('auth-service', () => {
    const facts = load('auth-service');
    // complete: HPA 4..36, NetworkPolicy with egress rules
    expect(facts.hpa).toMatchObject({ minReplicas: 4, maxReplicas: 36 });
    expect(facts.networkPolicy).toMatchObject({
      present: true,
      ingressRestricted: true,
      egressRestricted: true,
    });
    // maxUnavailable 25% of the HPA minimum of 4 rounds up to 1.
    expect(facts.pdb).toMatchObject({
      maxUnavailable: '25%',
      replicasConsidered: 4,
      allowedDisruptions: 1,
      allowsDisruption: true,
    });
    expect(facts.ingress).toMatchObject({ tls: true, rateLimited: true });
  });

  it('refund-service', () => {
    const facts = load('refund-service');
    // complete: HPA 2..6, internal Ingress with TLS from internal-ca
    expect(facts.hpa).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(facts.ingress).toMatchObject({
      present: true,
      tls: true,
      certManagerIssuer: 'internal-ca',
      classNames: ['nginx-internal'],
    });
    expect(facts.pdb?.allowsDisruption).toBe(true);
    expect(facts.networkPolicy.present).toBe(true);
    expect(facts.probes).toEqual({
      liveness: true,
      readiness: true,
      startup: true,
    });
  });

  it('fraud-detection', () => {
    const facts = load('fraud-detection');
    // partial: no PDB, no NetworkPolicy, no topology spread, HPA max 6 is too low; no Ingress
    expect(facts.pdb).toBeNull();
    expect(facts.networkPolicy.present).toBe(false);
    expect(facts.networkPolicy.ingressRestricted).toBe(false);
    expect(facts.zoneSpread).toBe(false);
    expect(facts.hpa).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(facts.ingress.present).toBe(false);
    expect(facts.ingress.tls).toBe(false);
    // probes and resources are fine; the readiness probe is gRPC
    expect(facts.probes).toEqual({
      liveness: true,
      readiness: true,
      startup: true,
    });
    expect(facts.workloads[0].containers[0].probes.readiness).toBe('grpc');
    expect(facts.resources).toMatchObject({
      requestsSet: true,
      limitsSet: true,
      cpuRequestMillis: 1000,
      memoryRequestBytes: 2048 * MiB,
    });
  });

  it('cart-service', () => {
    const facts = load('cart-service');
    // partial: no probes at all, no PDB, no NetworkPolicy, Ingress without TLS or issuer; HPA 2..15
    expect(facts.probes).toEqual({
      liveness: false,
      readiness: false,
      startup: false,
    });
    expect(facts.workloads[0].containers[0].probes).toEqual({
      liveness: null,
      readiness: null,
      startup: null,
    });
    expect(facts.pdb).toBeNull();
    expect(facts.networkPolicy.present).toBe(false);
    expect(facts.ingress).toMatchObject({
      present: true,
      tls: false,
      certManagerIssuer: null,
      hosts: ['cart.example.com'],
      uncoveredHosts: ['cart.example.com'],
    });
    expect(facts.hpa).toMatchObject({ minReplicas: 2, maxReplicas: 15 });
    // a soft zone spread (ScheduleAnyway)
    expect(facts.zoneSpread).toBe(true);
    expect(facts.workloads[0].spread.zoneRequired).toBe(false);
    // no strategy declared: the Deployment default
    expect(facts.rollout).toMatchObject({
      strategy: 'rolling-update',
      maxSurge: null,
      maxUnavailable: null,
    });
    expect(facts.workloads[0].strategy.declared).toBe(false);
  });

  it('user-profile-service', () => {
    const facts = load('user-profile-service');
    // partial: no startup probe, HPA on CPU only (no memory metric, no behavior), no NetworkPolicy;
    // PDB and Ingress+TLS present; HPA max 18
    expect(facts.probes).toEqual({
      liveness: true,
      readiness: true,
      startup: false,
    });
    expect(facts.hpa).toMatchObject({
      minReplicas: 3,
      maxReplicas: 18,
      cpuTargetPercent: 70,
      memoryTargetPercent: null,
      scaleUpStabilizationSeconds: null,
      scaleDownStabilizationSeconds: null,
      behaviorDeclared: false,
    });
    expect(facts.networkPolicy.present).toBe(false);
    expect(facts.pdb?.allowsDisruption).toBe(true);
    expect(facts.ingress.tls).toBe(true);
  });

  it('product-search', () => {
    const facts = load('product-search');
    // partial: CPU request only (no memory request although the HPA targets memory 80%),
    // no limits, no topology spread; HPA 2..23, PDB, TLS and NetworkPolicy present
    expect(facts.hpa).toMatchObject({
      minReplicas: 2,
      maxReplicas: 23,
      memoryTargetPercent: 80,
    });
    expect(facts.utilisationTargetsHaveRequests).toBe(false);
    expect(facts.resources).toEqual({
      requestsSet: false,
      limitsSet: false,
      cpuRequestsSet: true,
      memoryRequestsSet: false,
      cpuLimitsSet: false,
      memoryLimitsSet: false,
      cpuRequestMillis: 500,
      memoryRequestBytes: null,
      cpuLimitMillis: null,
      memoryLimitBytes: null,
    });
    expect(facts.zoneSpread).toBe(false);
    expect(facts.pdb).not.toBeNull();
    expect(facts.ingress.tls).toBe(true);
    expect(facts.networkPolicy.present).toBe(true);
  });

  it('order-service', () => {
    const facts = load('order-service');
    // partial: replicas 1, HPA minReplicas 1 (below 2), PDB minAvailable 1 with 1 replica
    // (blocks every node drain), no topology spread
    expect(facts.workloads[0].replicas).toBe(1);
    expect(facts.hpa?.minReplicas).toBe(1);
    expect(facts.hpa!.minReplicas!).toBeLessThan(seed.minReplicas);
    expect(facts.pdb).toEqual({
      name: 'order-service',
      path: 'pdb.yaml',
      minAvailable: 1,
      maxUnavailable: null,
      matchesWorkload: true,
      replicasConsidered: 1,
      allowedDisruptions: 0,
      allowsDisruption: false,
    });
    expect(facts.zoneSpread).toBe(false);
  });

  it('covers every example repository with deployment files', () => {
    const withDeploy = fs
      .readdirSync(REPOS)
      .filter(repo => fs.existsSync(path.join(REPOS, repo, 'deploy')))
      .sort();
    expect([...SERVICES].sort()).toEqual(withDeploy);
  });

  it('reads a whole repository (nested folders, non-YAML files skipped)', () => {
    const files = [
      ...readTree(path.join(REPOS, 'payments-api')),
      { path: 'README.md', content: '# payments-api\n' },
      { path: 'src/main.ts', content: 'export {};\n' },
    ];
    const facts = parseDeploymentFiles(files);
    expect(facts.files).toEqual([
      'deploy/deployment.yaml',
      'deploy/hpa.yaml',
      'deploy/ingress.yaml',
      'deploy/networkpolicy.yaml',
      'deploy/pdb.yaml',
      'deploy/service.yaml',
    ]);
    expect(facts.hpa?.maxReplicas).toBe(18);
    expect(facts.errors).toEqual([]);
  });

  it('gives the same facts whatever order the files come in', () => {
    const files = readTree(path.join(REPOS, 'payments-api', 'deploy'));
    expect(parseDeploymentFiles([...files].reverse())).toEqual(
      parseDeploymentFiles(files),
    );
  });
});
