/**
 * Kubernetes API versions that current clusters no longer serve: a manifest
 * that uses one is rejected by `kubectl apply`, so the next deploy (or the
 * next cluster upgrade) fails. The versions and releases are those of the
 * Kubernetes deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
 */

/**
 * One kind in one API version that Kubernetes no longer serves.
 *
 * @public
 */
export type RemovedApiVersion = {
  /** The removed API version, e.g. `autoscaling/v2beta2`. */
  apiVersion: string;
  /** The kind, e.g. `HorizontalPodAutoscaler`. */
  kind: string;
  /**
   * The API version to use instead, e.g. `autoscaling/v2`; when
   * {@link RemovedApiVersion.kindRemoved} is true, what replaces the kind.
   */
  replacement: string;
  /** The Kubernetes minor release that stopped serving it, e.g. `1.26`. */
  removedIn: string;
  /** The release that deprecated it; null when not recorded here. */
  deprecatedIn: string | null;
  /**
   * True when the kind itself was removed (PodSecurityPolicy), so that the
   * object cannot be migrated to another API version: `replacement` then
   * names the feature that replaces it.
   */
  kindRemoved: boolean;
};

function removed(
  apiVersion: string,
  kinds: string[],
  replacement: string,
  removedIn: string,
  deprecatedIn: string | null,
  kindRemoved = false,
): RemovedApiVersion[] {
  return kinds.map(kind => ({
    apiVersion,
    kind,
    replacement,
    removedIn,
    deprecatedIn,
    kindRemoved,
  }));
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const POD_SECURITY_ADMISSION = 'Pod Security Admission';

/**
 * The kinds in API versions that Kubernetes no longer serves, with the API
 * version to migrate to, the release that removed them and the release that
 * deprecated them.
 *
 * @remarks
 *
 * Covers what services' manifests use: workloads (`extensions/v1beta1`,
 * `apps/v1beta1`, `apps/v1beta2`, removed in 1.16), NetworkPolicy and
 * PodSecurityPolicy in `extensions/v1beta1` (1.16), Ingress, IngressClass
 * and RBAC betas (1.22), CronJob, PodDisruptionBudget, PodSecurityPolicy and
 * the first HorizontalPodAutoscaler beta (1.25), and the second one (1.26).
 *
 * @public
 */
export const REMOVED_API_VERSIONS: ReadonlyArray<Readonly<RemovedApiVersion>> =
  Object.freeze(
    [
      // Kubernetes 1.16
      ...removed('extensions/v1beta1', WORKLOADS, 'apps/v1', '1.16', '1.9'),
      ...removed('apps/v1beta1', WORKLOADS, 'apps/v1', '1.16', '1.9'),
      ...removed('apps/v1beta2', WORKLOADS, 'apps/v1', '1.16', '1.9'),
      ...removed(
        'extensions/v1beta1',
        ['NetworkPolicy'],
        'networking.k8s.io/v1',
        '1.16',
        '1.9',
      ),
      ...removed(
        'extensions/v1beta1',
        ['PodSecurityPolicy'],
        POD_SECURITY_ADMISSION,
        '1.16',
        null,
        true,
      ),
      // Kubernetes 1.22
      ...removed(
        'extensions/v1beta1',
        ['Ingress'],
        'networking.k8s.io/v1',
        '1.22',
        '1.14',
      ),
      ...removed(
        'networking.k8s.io/v1beta1',
        ['Ingress', 'IngressClass'],
        'networking.k8s.io/v1',
        '1.22',
        '1.19',
      ),
      ...removed(
        'rbac.authorization.k8s.io/v1beta1',
        RBAC,
        'rbac.authorization.k8s.io/v1',
        '1.22',
        '1.17',
      ),
      // Kubernetes 1.25
      ...removed('batch/v1beta1', ['CronJob'], 'batch/v1', '1.25', '1.21'),
      ...removed(
        'policy/v1beta1',
        ['PodDisruptionBudget'],
        'policy/v1',
        '1.25',
        '1.21',
      ),
      ...removed(
        'policy/v1beta1',
        ['PodSecurityPolicy'],
        POD_SECURITY_ADMISSION,
        '1.25',
        '1.21',
        true,
      ),
      ...removed(
        'autoscaling/v2beta1',
        ['HorizontalPodAutoscaler'],
        'autoscaling/v2',
        '1.25',
        '1.22',
      ),
      // Kubernetes 1.26
      ...removed(
        'autoscaling/v2beta2',
        ['HorizontalPodAutoscaler'],
        'autoscaling/v2',
        '1.26',
        '1.23',
      ),
    ].map(entry => Object.freeze(entry)),
  );

const BY_KEY: ReadonlyMap<string, Readonly<RemovedApiVersion>> = new Map(
  REMOVED_API_VERSIONS.map(entry => [
    `${entry.apiVersion} ${entry.kind}`,
    entry,
  ]),
);

/**
 * The entry of {@link REMOVED_API_VERSIONS} for a kind in an API version, if
 * Kubernetes no longer serves it.
 *
 * @public
 */
export function findRemovedApiVersion(
  apiVersion: string | null | undefined,
  kind: string | null | undefined,
): Readonly<RemovedApiVersion> | undefined {
  if (!apiVersion || !kind) {
    return undefined;
  }
  return BY_KEY.get(`${apiVersion.trim()} ${kind.trim()}`);
}
