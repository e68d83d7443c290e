/**
 * The shape of the deployment facts: a plain, versioned JSON document (no
 * `undefined`, no class instances) that json-rules-engine-style rules read
 * with paths such as `$.hpa.maxReplicas` or `$.ingress.tls`.
 *
 * Every type here is a `type` alias (not an `interface`) so that
 * `DeploymentFacts` is assignable to `JsonObject`.
 */

/**
 * Version of the {@link DeploymentFacts} document; bumped on breaking changes.
 *
 * @public
 */
export const DEPLOYMENT_FACTS_VERSION = 1;

/**
 * One file handed to {@link parseDeploymentFiles}, path relative to the folder read.
 *
 * @public
 */
export type DeploymentFileInput = { path: string; content: string };

/**
 * Options of {@link parseDeploymentFiles}.
 *
 * @public
 */
export type ParseDeploymentFilesOptions = {
  /**
   * The name the main workload is expected to have (usually the entity name or
   * its `backstage.io/kubernetes-id`). Matches the workload name or the pod
   * labels `app.kubernetes.io/name`, `app` and `backstage.io/kubernetes-id`.
   * Also the fallback name of a Helm release.
   */
  workloadName?: string;
  /** Files larger than this (in characters) are reported and skipped. Default 2 MiB. */
  maxFileSize?: number;
};

/**
 * A problem with one file or document: bad YAML, a document without kind, a bad quantity.
 *
 * @public
 */
export type DeploymentFactsError = {
  path: string;
  /** 1-based index of the YAML document in its file, or null for the whole file. */
  document: number | null;
  /** 1-based line, when the YAML parser knows it. */
  line: number | null;
  message: string;
};

/**
 * Something that was read but deliberately not used (a non-manifest YAML file, a Helm template).
 *
 * @public
 */
export type DeploymentFactsNote = { path: string; message: string };

/**
 * How a probe checks the container.
 *
 * @public
 */
export type DeploymentProbeType = 'http' | 'tcp' | 'exec' | 'grpc' | 'unknown';

/**
 * Requests or limits of one container: raw strings and normalised values.
 *
 * @public
 */
export type DeploymentResourceQuantities = {
  /** As written, e.g. `'500m'`; null when not set. */
  cpu: string | null;
  /** Millicores; null when not set or not a valid quantity. */
  cpuMillis: number | null;
  /** As written, e.g. `'512Mi'`; null when not set. */
  memory: string | null;
  /** Bytes; null when not set or not a valid quantity. */
  memoryBytes: number | null;
};

/** @public */
export type DeploymentContainerFacts = {
  name: string | null;
  image: string | null;
  requests: DeploymentResourceQuantities;
  limits: DeploymentResourceQuantities;
  /** The probe type, or null when the container has no such probe. */
  probes: {
    liveness: DeploymentProbeType | null;
    readiness: DeploymentProbeType | null;
    startup: DeploymentProbeType | null;
  };
};

/** @public */
export type DeploymentBlueGreenFacts = {
  activeService: string | null;
  previewService: string | null;
  /** Argo Rollouts' default is true. */
  autoPromotionEnabled: boolean;
  prePromotionAnalysis: boolean;
  postPromotionAnalysis: boolean;
  scaleDownDelaySeconds: number | null;
};

/** @public */
export type DeploymentCanaryFacts = {
  steps: number;
  /** Traffic router named under `trafficRouting` (`nginx`, `istio`, `alb`, ...), or null. */
  trafficRouting: string | null;
  analysis: boolean;
  stableService: string | null;
  canaryService: string | null;
};

/** @public */
export type DeploymentStrategyFacts = {
  /** `RollingUpdate`, `Recreate`, `OnDelete`, `BlueGreen` or `Canary` (null: unknown). */
  type: string | null;
  /** False when the manifest relies on the default strategy. */
  declared: boolean;
  maxSurge: number | string | null;
  maxUnavailable: number | string | null;
  blueGreen: DeploymentBlueGreenFacts | null;
  canary: DeploymentCanaryFacts | null;
};

/** @public */
export type DeploymentSpreadFacts = {
  /** Spread across zones by topologySpreadConstraints or podAntiAffinity. */
  zone: boolean;
  /** The zone spread is hard (`DoNotSchedule` or required anti-affinity). */
  zoneRequired: boolean;
  /** Spread across nodes. */
  hostname: boolean;
  /** Every topology key used by spread constraints and anti-affinity. */
  topologyKeys: string[];
};

/** @public */
export type DeploymentWorkloadFacts = {
  kind: 'Deployment' | 'StatefulSet' | 'Rollout';
  apiVersion: string | null;
  name: string | null;
  namespace: string | null;
  path: string;
  /** `spec.replicas` as declared; null when omitted (Kubernetes then runs 1). */
  replicas: number | null;
  strategy: DeploymentStrategyFacts;
  podLabels: Record<string, string>;
  /** `spec.selector.matchLabels`. */
  selector: Record<string, string>;
  /** `spec.selector` selects the pod template's labels. */
  selectorMatchesPodLabels: boolean;
  containers: DeploymentContainerFacts[];
  spread: DeploymentSpreadFacts;
  /** For a Rollout with `workloadRef`: the workload its pod template comes from, e.g. `Deployment/web`. */
  templateFrom: string | null;
};

/** @public */
export type DeploymentHpaMetricFacts = {
  /** `Resource`, `ContainerResource`, `Pods`, `Object`, `External`, or a KEDA trigger type. */
  type: string;
  /** Resource or metric name (`cpu`, `memory`, `http_requests_per_second`). */
  name: string | null;
  /** For `ContainerResource`: the container. */
  container: string | null;
  /** `Utilization`, `AverageValue` or `Value`. */
  targetType: string | null;
  target: number | string | null;
};

/** @public */
export type DeploymentHpaSummary = {
  kind: 'HorizontalPodAutoscaler' | 'ScaledObject';
  name: string | null;
  apiVersion: string | null;
  path: string;
  scaleTargetRef: { kind: string | null; name: string | null };
  /** `scaleTargetRef` names a workload present in the files. */
  targetsWorkload: boolean;
  /** Effective minimum (Kubernetes' default 1 when omitted; KEDA's 0). */
  minReplicas: number | null;
  maxReplicas: number | null;
  cpuTargetPercent: number | null;
  memoryTargetPercent: number | null;
  /** As declared under `behavior`; null when not declared (Kubernetes then uses 0 / 300). */
  scaleUpStabilizationSeconds: number | null;
  scaleDownStabilizationSeconds: number | null;
  behaviorDeclared: boolean;
  metrics: DeploymentHpaMetricFacts[];
};

/** @public */
export type DeploymentPdbSummary = {
  name: string | null;
  path: string;
  /** As given: an integer or a percentage string; null when not set. */
  minAvailable: number | string | null;
  maxUnavailable: number | string | null;
  /** The selector selects the main workload's pods. */
  matchesWorkload: boolean;
  /** The pod count the budget is computed against: the HPA minimum, else the workload's replicas (default 1). */
  replicasConsidered: number | null;
  /** Pods that may be evicted at once with every pod healthy; null when unknown. */
  allowedDisruptions: number | null;
  /** At least one pod may be evicted, so node drains can proceed. */
  allowsDisruption: boolean;
};

/** @public */
export type DeploymentIngressSummary = {
  present: boolean;
  count: number;
  names: string[];
  classNames: string[];
  hosts: string[];
  tlsHosts: string[];
  /** Hosts with no TLS entry (or TLS annotation) covering them. */
  uncoveredHosts: string[];
  /** Every ingress host is covered by TLS. */
  tls: boolean;
  /** `cert-manager.io/cluster-issuer` or `cert-manager.io/issuer`. */
  certManagerIssuer: string | null;
  rateLimited: boolean;
  waf: boolean;
};

/** @public */
export type DeploymentNetworkPolicySummary = {
  present: boolean;
  count: number;
  /** Some policy's podSelector selects the main workload. */
  selectsWorkload: boolean;
  /** A namespace-wide policy (empty podSelector) denies all ingress. */
  defaultDeny: boolean;
  /** A namespace-wide policy denies all egress. */
  defaultDenyEgress: boolean;
  /** The main workload is isolated for ingress and no rule admits every source. */
  ingressRestricted: boolean;
  /** The main workload is isolated for egress and no rule admits every destination. */
  egressRestricted: boolean;
};

/** @public */
export type DeploymentRolloutSummary = {
  strategy: 'rolling-update' | 'recreate' | 'blue-green' | 'canary' | null;
  tool: 'deployment' | 'statefulset' | 'argo-rollouts' | 'flagger' | null;
  /** RollingUpdate parameters as declared (null: default 25%). */
  maxSurge: number | string | null;
  maxUnavailable: number | string | null;
  /** Automated analysis gates the rollout (Argo Rollouts analysis, Flagger). */
  analysis: boolean;
};

/** @public */
export type DeploymentServiceSummary = {
  present: boolean;
  count: number;
  names: string[];
  types: string[];
  /** Some Service selects the main workload's pods. */
  selectsWorkload: boolean;
};

/**
 * An object whose `apiVersion` Kubernetes no longer serves (see
 * `REMOVED_API_VERSIONS`): the cluster rejects it.
 *
 * @public
 */
export type DeploymentRemovedApi = {
  path: string;
  /** 1-based index of the YAML document in its file. */
  document: number;
  kind: string;
  name: string | null;
  /** As written, e.g. `autoscaling/v2beta2`. */
  apiVersion: string;
  /** The API version to use instead, e.g. `autoscaling/v2`. */
  replacement: string;
  /** The Kubernetes release that stopped serving it, e.g. `1.26`. */
  removedIn: string;
  /** The release that deprecated it, when known. */
  deprecatedIn: string | null;
};

/**
 * A heuristic finding, with what it was found in.
 *
 * @public
 */
export type DeploymentHint = { detected: boolean; evidence: string[] };

/** @public */
export type DeploymentFacts = {
  version: typeof DEPLOYMENT_FACTS_VERSION;
  /** `helm` when the facts come from a values.yaml, `none` when nothing usable was found. */
  source: 'manifests' | 'helm' | 'none';
  helm: boolean;
  /** Every YAML file read, sorted. */
  files: string[];
  errors: DeploymentFactsError[];
  notes: DeploymentFactsNote[];
  /** How many objects of each kind were found. */
  kinds: Record<string, number>;
  /**
   * Objects in API versions that Kubernetes no longer serves, in file order.
   * They are still read as their kind (an HPA in `autoscaling/v2beta2` is the
   * HPA). Facts collected before this field existed lack it.
   */
  removedApis: DeploymentRemovedApi[];
  workloads: DeploymentWorkloadFacts[];
  /** The workload the summaries are about. */
  mainWorkload: { kind: string; name: string | null; path: string } | null;
  hpa: DeploymentHpaSummary | null;
  pdb: DeploymentPdbSummary | null;
  /** True only if every container of the main workload has the probe. */
  probes: { liveness: boolean; readiness: boolean; startup: boolean };
  resources: {
    /** Every container requests both CPU and memory. */
    requestsSet: boolean;
    /** Every container limits both CPU and memory. */
    limitsSet: boolean;
    cpuRequestsSet: boolean;
    memoryRequestsSet: boolean;
    cpuLimitsSet: boolean;
    memoryLimitsSet: boolean;
    /** Sums over the containers that set them; null when none does. */
    cpuRequestMillis: number | null;
    memoryRequestBytes: number | null;
    cpuLimitMillis: number | null;
    memoryLimitBytes: number | null;
  };
  /** Every utilisation metric of the HPA has a matching request in every container it covers. */
  utilisationTargetsHaveRequests: boolean;
  ingress: DeploymentIngressSummary;
  networkPolicy: DeploymentNetworkPolicySummary;
  rollout: DeploymentRolloutSummary;
  zoneSpread: boolean;
  /** Service, HPA and PDB selectors and refs all match workloads' pod labels / names. */
  selectorsMatch: boolean;
  /** Why `selectorsMatch` is false, one line each. */
  selectorMismatches: string[];
  service: DeploymentServiceSummary;
  compression: DeploymentHint;
  cdn: DeploymentHint;
};
