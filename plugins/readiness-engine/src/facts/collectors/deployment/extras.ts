import { parseAllDocuments } from 'yaml';
import type { DeploymentFacts, DeploymentFileInput } from '../../deployment';

import { READINESS_MANIFEST_ANNOTATION_PER_POD_RPS as PER_POD_RPS_ANNOTATION } from '@prodready/plugin-readiness-common';

/**
 * Capacity facts: what the service can serve at its HPA maximum, given the
 * per-pod capacity written next to the manifests.
 *
 * The per-pod capacity comes from the `prodready.dev/per-pod-rps`
 * annotation, or else from a comment such as
 * `# Capacity: peak 1200 rps / 100 rps per pod = 12 pods, + 50% buffer = 18`
 * in the file of the HPA (then of the workload, then any file): the first
 * `<n> rps per pod` in a comment.
 *
 * @public
 */
export type DeploymentCapacityFacts = {
  perPodRps: number | null;
  perPodRpsSource: 'annotation' | 'comment' | null;
  /** Where it was found, e.g. `hpa.yaml: # ... 80 rps per pod ...`. */
  evidence: string | null;
  /** The HPA's maximum, else the workload's replicas. */
  maxReplicas: number | null;
  /** maxReplicas × perPodRps: the throughput at full scale. */
  atMaxReplicasRps: number | null;
};

/**
 * Monitoring as code found next to the manifests.
 *
 * @public
 */
export type DeploymentMonitoringFacts = {
  /** PrometheusRule objects (Helm: `prometheusRule.enabled`). */
  prometheusRules: number;
  /** Alerting rules (`spec.groups[].rules[].alert`) in them. */
  alertRules: number;
  serviceMonitors: number;
  podMonitors: number;
  /** The pod template has `prometheus.io/scrape: 'true'`. */
  scrapeAnnotation: boolean;
  /** Metrics are scraped: a ServiceMonitor, PodMonitor or the scrape annotation. */
  metricsScraped: boolean;
};

type Doc = { path: string; value: Record<string, unknown> };

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function parseDocs(files: ReadonlyArray<DeploymentFileInput>): Doc[] {
  const docs: Doc[] = [];
  for (const file of files) {
    if (file.content.includes('{{')) {
      continue; // a Helm template; parseDeploymentFiles reports it
    }
    let documents;
    try {
      documents = parseAllDocuments(file.content);
    } catch {
      continue;
    }
    for (const document of documents) {
      if (document.errors.length > 0) {
        continue;
      }
      try {
        const value = asRecord(document.toJS({ maxAliasCount: 100 }));
        if (!value) {
          continue;
        }
        const items =
          typeof value.kind === 'string' &&
          /List$/.test(value.kind) &&
          Array.isArray(value.items)
            ? value.items
            : [value];
        for (const item of items) {
          const record = asRecord(item);
          if (record) {
            docs.push({ path: file.path, value: record });
          }
        }
      } catch {
        // bad YAML is reported by parseDeploymentFiles
      }
    }
  }
  return docs;
}

function annotationsOf(value: unknown): Record<string, unknown> {
  return asRecord(asRecord(value)?.annotations) ?? {};
}

function positiveNumber(value: unknown): number | null {
  let number = NaN;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) {
    number = Number(value);
  }
  return Number.isFinite(number) && number > 0 ? number : null;
}

const PER_POD_COMMENT =
  /#.*?\b(\d+(?:\.\d+)?)\s*(?:rps|req\/s|requests\/s|requests per second)\s+per\s+pod\b/i;

function findComment(
  files: ReadonlyArray<DeploymentFileInput>,
  preferred: ReadonlyArray<string | null | undefined>,
): { value: number; evidence: string } | null {
  const order = [
    ...preferred.filter((p): p is string => typeof p === 'string'),
    ...files.map(f => f.path),
  ];
  const seen = new Set<string>();
  for (const filePath of order) {
    if (seen.has(filePath)) {
      continue;
    }
    seen.add(filePath);
    const file = files.find(f => f.path === filePath);
    if (!file) {
      continue;
    }
    for (const line of file.content.split('\n')) {
      const match = PER_POD_COMMENT.exec(line);
      const value = match ? positiveNumber(match[1]) : null;
      if (match && value !== null) {
        return { value, evidence: `${file.path}: ${line.trim()}` };
      }
    }
  }
  return null;
}

function isWorkload(kind: unknown): boolean {
  return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'Rollout';
}

function nameOf(value: Record<string, unknown>): unknown {
  return asRecord(value.metadata)?.name;
}

function isTruthy(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Capacity and monitoring facts that `parseDeploymentFiles` does not
 * extract: the per-pod capacity and the monitoring objects.
 *
 * @public
 */
export function extractDeploymentExtras(
  files: ReadonlyArray<DeploymentFileInput>,
  facts: DeploymentFacts,
): {
  capacity: DeploymentCapacityFacts;
  monitoring: DeploymentMonitoringFacts;
} {
  const docs = parseDocs(files);
  const manifests = docs.filter(d => typeof d.value.kind === 'string');
  const helmValues = facts.helm
    ? docs.filter(d => /(^|\/)values[^/]*\.ya?ml$/i.test(d.path))
    : [];

  // Capacity ----------------------------------------------------------------
  const hpaName = facts.hpa?.name ?? null;
  const workloadName = facts.mainWorkload?.name ?? null;
  const annotated: Array<{
    label: string;
    annotations: Record<string, unknown>;
  }> = [];
  for (const doc of manifests) {
    const kind = doc.value.kind;
    const name = nameOf(doc.value);
    if (
      (kind === 'HorizontalPodAutoscaler' || kind === 'ScaledObject') &&
      name === hpaName
    ) {
      annotated.push({
        label: `${doc.path}: ${kind}/${String(name)}`,
        annotations: annotationsOf(doc.value.metadata),
      });
    }
    if (isWorkload(kind) && name === workloadName) {
      const template = asRecord(asRecord(doc.value.spec)?.template);
      annotated.push(
        {
          label: `${doc.path}: ${String(kind)}/${String(name)}`,
          annotations: annotationsOf(doc.value.metadata),
        },
        {
          label: `${doc.path}: ${String(kind)}/${String(name)} pod template`,
          annotations: annotationsOf(template?.metadata),
        },
      );
    }
  }
  for (const doc of helmValues) {
    annotated.push({
      label: `${doc.path}: podAnnotations`,
      annotations: asRecord(doc.value.podAnnotations) ?? {},
    });
  }
  let perPodRps: number | null = null;
  let perPodRpsSource: DeploymentCapacityFacts['perPodRpsSource'] = null;
  let evidence: string | null = null;
  for (const { label, annotations } of annotated) {
    const value = positiveNumber(annotations[PER_POD_RPS_ANNOTATION]);
    if (value !== null) {
      perPodRps = value;
      perPodRpsSource = 'annotation';
      evidence = `${label} annotation ${PER_POD_RPS_ANNOTATION}`;
      break;
    }
  }
  if (perPodRps === null) {
    const comment = findComment(files, [
      facts.hpa?.path,
      facts.mainWorkload?.path,
    ]);
    if (comment) {
      perPodRps = comment.value;
      perPodRpsSource = 'comment';
      evidence = comment.evidence;
    }
  }
  const mainWorkload = facts.workloads.find(
    w =>
      w.name === facts.mainWorkload?.name &&
      w.path === facts.mainWorkload?.path,
  );
  const maxReplicas = facts.hpa?.maxReplicas ?? mainWorkload?.replicas ?? null;
  const capacity: DeploymentCapacityFacts = {
    perPodRps,
    perPodRpsSource,
    evidence,
    maxReplicas,
    atMaxReplicasRps:
      perPodRps !== null && maxReplicas !== null
        ? Number((perPodRps * maxReplicas).toFixed(6))
        : null,
  };

  // Monitoring --------------------------------------------------------------
  let prometheusRules = 0;
  let alertRules = 0;
  let serviceMonitors = 0;
  let podMonitors = 0;
  let scrapeAnnotation = false;
  for (const doc of manifests) {
    const kind = doc.value.kind;
    if (kind === 'PrometheusRule') {
      prometheusRules += 1;
      const groups = asRecord(doc.value.spec)?.groups;
      for (const group of Array.isArray(groups) ? groups : []) {
        const rules = asRecord(group)?.rules;
        for (const rule of Array.isArray(rules) ? rules : []) {
          if (typeof asRecord(rule)?.alert === 'string') {
            alertRules += 1;
          }
        }
      }
    } else if (kind === 'ServiceMonitor') {
      serviceMonitors += 1;
    } else if (kind === 'PodMonitor') {
      podMonitors += 1;
    } else if (isWorkload(kind) && nameOf(doc.value) === workloadName) {
      const template = asRecord(asRecord(doc.value.spec)?.template);
      if (isTruthy(annotationsOf(template?.metadata)['prometheus.io/scrape'])) {
        scrapeAnnotation = true;
      }
    }
  }
  for (const doc of helmValues) {
    const values = doc.value;
    if (isTruthy(asRecord(values.podAnnotations)?.['prometheus.io/scrape'])) {
      scrapeAnnotation = true;
    }
    const metrics = asRecord(values.metrics);
    const serviceMonitor =
      asRecord(values.serviceMonitor) ?? asRecord(metrics?.serviceMonitor);
    if (isTruthy(serviceMonitor?.enabled)) {
      serviceMonitors += 1;
    }
    const prometheusRule =
      asRecord(values.prometheusRule) ?? asRecord(metrics?.prometheusRule);
    if (isTruthy(prometheusRule?.enabled)) {
      prometheusRules += 1;
      const rules = prometheusRule?.rules;
      for (const rule of Array.isArray(rules) ? rules : []) {
        if (typeof asRecord(rule)?.alert === 'string') {
          alertRules += 1;
        }
      }
    }
  }
  return {
    capacity,
    monitoring: {
      prometheusRules,
      alertRules,
      serviceMonitors,
      podMonitors,
      scrapeAnnotation,
      metricsScraped: serviceMonitors + podMonitors > 0 || scrapeAnnotation,
    },
  };
}
