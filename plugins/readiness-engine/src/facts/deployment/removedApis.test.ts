import * as engine from '../..';
import { REMOVED_API_VERSIONS, findRemovedApiVersion } from './removedApis';

describe('REMOVED_API_VERSIONS', () => {
  it('is exported from the package, frozen, one entry per API version and kind', () => {
    expect(engine.REMOVED_API_VERSIONS).toBe(REMOVED_API_VERSIONS);
    expect(engine.findRemovedApiVersion).toBe(findRemovedApiVersion);
    expect(Object.isFrozen(REMOVED_API_VERSIONS)).toBe(true);
    expect(Object.isFrozen(REMOVED_API_VERSIONS[0])).toBe(true);
    const keys = REMOVED_API_VERSIONS.map(e => `${e.apiVersion} ${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    const minor = (version: string) => Number(version.split('.')[1]);
    for (const entry of REMOVED_API_VERSIONS) {
      expect(entry.removedIn).toMatch(/^1\.\d+$/);
      expect(entry.deprecatedIn ?? '1.0').toMatch(/^1\.\d+$/);
      expect(minor(entry.deprecatedIn ?? '1.0')).toBeLessThan(
        minor(entry.removedIn),
      );
    }
    // An API version to migrate to, unless the kind itself is gone.
    expect(
      REMOVED_API_VERSIONS.filter(
        e => !/^[a-z0-9.]+\/v\d+$/.test(e.replacement),
      ).map(e => [e.apiVersion, e.kind, e.kindRemoved]),
    ).toEqual([
      ['extensions/v1beta1', 'PodSecurityPolicy', true],
      ['policy/v1beta1', 'PodSecurityPolicy', true],
    ]);
  });

  it.each([
    [
      'autoscaling/v2beta1',
      'HorizontalPodAutoscaler',
      'autoscaling/v2',
      '1.25',
    ],
    [
      'autoscaling/v2beta2',
      'HorizontalPodAutoscaler',
      'autoscaling/v2',
      '1.26',
    ],
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1', '1.25'],
    ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1', '1.22'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1', '1.22'],
    ['batch/v1beta1', 'CronJob', 'batch/v1', '1.25'],
    ['apps/v1beta1', 'Deployment', 'apps/v1', '1.16'],
    ['apps/v1beta1', 'StatefulSet', 'apps/v1', '1.16'],
    ['apps/v1beta2', 'DaemonSet', 'apps/v1', '1.16'],
    ['apps/v1beta2', 'ReplicaSet', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'Deployment', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'DaemonSet', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'ReplicaSet', 'apps/v1', '1.16'],
    ['extensions/v1beta1', 'NetworkPolicy', 'networking.k8s.io/v1', '1.16'],
    [
      'extensions/v1beta1',
      'PodSecurityPolicy',
      'Pod Security Admission',
      '1.16',
    ],
  ])(
    '%s %s: use %s (removed in %s)',
    (apiVersion, kind, replacement, removedIn) => {
      expect(findRemovedApiVersion(apiVersion, kind)).toMatchObject({
        apiVersion,
        kind,
        replacement,
        removedIn,
      });
    },
  );

  it('knows nothing of served versions, other kinds and missing values', () => {
    expect(
      findRemovedApiVersion('autoscaling/v2', 'HorizontalPodAutoscaler'),
    ).toBeUndefined();
    expect(findRemovedApiVersion('apps/v1', 'Deployment')).toBeUndefined();
    expect(findRemovedApiVersion('policy/v1beta1', 'Eviction')).toBeUndefined();
    expect(findRemovedApiVersion(null, 'Deployment')).toBeUndefined();
    expect(findRemovedApiVersion('apps/v1beta1', undefined)).toBeUndefined();
    expect(findRemovedApiVersion(' apps/v1beta2 ', 'Deployment')).toMatchObject(
      {
        apiVersion: 'apps/v1beta2',
      },
    );
    expect(
      findRemovedApiVersion('policy/v1beta1', 'PodSecurityPolicy'),
    ).toMatchObject({ kindRemoved: true, removedIn: '1.25' });
  });
});
