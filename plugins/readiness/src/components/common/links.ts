import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { initiativeRouteRef, rootRouteRef } from '../../routes';

/*
 * Each hook below calls useRouteRef in a try: it throws when the route is
 * not mounted in the app (after calling its own hooks, always the same ones),
 * and then the links are left out.
 */

function useEntityRoute() {
  try {
    return useRouteRef(entityRouteRef);
  } catch {
    return undefined;
  }
}

function useInitiativeRoute() {
  try {
    return useRouteRef(initiativeRouteRef);
  } catch {
    return undefined;
  }
}

function useRootRoute() {
  try {
    return useRouteRef(rootRouteRef);
  } catch {
    return undefined;
  }
}

/**
 * The path of an entity's page (and of its Readiness tab), when the catalog's
 * entity route is mounted.
 */
export function useEntityLinks(): {
  entity: (entityRef: string) => string | undefined;
  readinessTab: (entityRef: string) => string | undefined;
} {
  const entityRoute = useEntityRoute();
  const entity = (entityRef: string) => {
    if (!entityRoute) {
      return undefined;
    }
    try {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      return entityRoute({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      });
    } catch {
      return undefined;
    }
  };
  return {
    entity,
    readinessTab: entityRef => {
      const path = entity(entityRef);
      return path ? `${path}/readiness` : undefined;
    },
  };
}

/**
 * The path of an initiative's detail view, when the readiness page is mounted
 * in the app.
 */
export function useInitiativeLink(): (id: string) => string | undefined {
  const route = useInitiativeRoute();
  return id => (route ? route({ id }) : undefined);
}

/** The path of the readiness overview page, when it is mounted. */
export function useOverviewLink(): string | undefined {
  const route = useRootRoute();
  return route ? route() : undefined;
}
