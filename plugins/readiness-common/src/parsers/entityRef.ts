import {
  KubernetesValidatorFunctions,
  parseEntityRef as parseCatalogEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * Options for {@link parseEntityRef}.
 *
 * @public
 */
export interface ParseEntityRefOptions extends ParserOptions {
  /** The kind used when the ref has none. Defaults to `resource`. */
  defaultKind?: string;
  /** The namespace used when the ref has none. Defaults to `default`. */
  defaultNamespace?: string;
}

/**
 * Parses an entity ref of the form `[<kind>:][<namespace>/]<name>` and returns
 * its canonical string form. The kind defaults to `resource` and the namespace
 * to `default`, so `sla-gold` becomes `resource:default/sla-gold`.
 *
 * @remarks
 *
 * Uses `parseEntityRef` and `stringifyEntityRef` from
 * `@backstage/catalog-model`, and additionally checks that the kind, namespace
 * and name are valid catalog values.
 *
 * @public
 */
export function parseEntityRef(
  value: unknown,
  options?: ParseEntityRefOptions,
): ParseResult<string> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text) {
    try {
      const ref = parseCatalogEntityRef(text, {
        defaultKind: options?.defaultKind ?? 'resource',
        defaultNamespace: options?.defaultNamespace ?? 'default',
      });
      if (
        KubernetesValidatorFunctions.isValidKind(ref.kind) &&
        KubernetesValidatorFunctions.isValidNamespace(
          ref.namespace.toLocaleLowerCase('en-US'),
        ) &&
        KubernetesValidatorFunctions.isValidObjectName(ref.name)
      ) {
        return succeed(stringifyEntityRef(ref));
      }
    } catch {
      // Reported below, like every other malformed ref.
    }
  }
  return fail(options, value, 'is not an entity ref', EXPECTED.entityRef);
}
