/**
 * A small semantic version parser and comparison (semver 2.0.0 precedence),
 * so that rules can compare versions without a dependency.
 */

/** A parsed version. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers; numeric ones as numbers. Empty for a release. */
  prerelease: ReadonlyArray<string | number>;
}

/**
 * `1.2.3`, `v1.2.3`, `1.2.3-rc.1+build.5`; minor and patch may be left out
 * (`1.2` is `1.2.0`, `20` is `20.0.0`), as image tags and runtime versions
 * often do.
 */
const SEMVER =
  /^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const NUMERIC = /^\d+$/;

/** The form of a version, for error messages. */
export const SEMVER_FORM = "a version such as '1.2.3' or 'v2.0.0-rc.1'";

/** Parses a version, or returns `undefined` if it is not one. */
export function parseSemVer(value: unknown): SemVer | undefined {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
  } else if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0
  ) {
    text = String(value);
  } else {
    return undefined;
  }
  const match = SEMVER.exec(text);
  if (!match) {
    return undefined;
  }
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  const patch = Number(match[3] ?? 0);
  if (
    !Number.isSafeInteger(major) ||
    !Number.isSafeInteger(minor) ||
    !Number.isSafeInteger(patch)
  ) {
    return undefined;
  }
  const prerelease = match[4]
    ? match[4]
        .split('.')
        .map(part => (NUMERIC.test(part) ? Number(part) : part))
    : [];
  return { major, minor, patch, prerelease };
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.sign(a - b);
  }
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (typeof a === 'number') {
    return -1;
  }
  if (typeof b === 'number') {
    return 1;
  }
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** Compares two versions: negative, zero or positive, by semver precedence. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core =
    Math.sign(a.major - b.major) ||
    Math.sign(a.minor - b.minor) ||
    Math.sign(a.patch - b.patch);
  if (core !== 0) {
    return core;
  }
  // A release is newer than any of its pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (order !== 0) {
      return order;
    }
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}
