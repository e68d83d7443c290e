import {
  buildOverviewQueryString,
  OverviewFilter,
  OverviewOrderBy,
  OverviewQuery,
  parseOverviewQueryString,
} from '@prodready/plugin-readiness-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The overview's order when the URL names none: least ready first. */
export const DEFAULT_ORDER: Required<Pick<OverviewQuery, 'orderBy' | 'order'>> =
  { orderBy: 'level', order: 'asc' };

/** The filters and order of the overview, kept in the page URL. */
export interface OverviewView {
  filter: OverviewFilter;
  orderBy: OverviewOrderBy;
  order: 'asc' | 'desc';
}

/**
 * The overview's view (filters and order) read from and written to the page
 * URL, so that a view can be shared as a link.
 */
export function useOverviewQuery(): {
  view: OverviewView;
  /** A stable key of the view, for effects. */
  key: string;
  setFilter: (filter: OverviewFilter) => void;
  setOrder: (orderBy: OverviewOrderBy, order: 'asc' | 'desc') => void;
} {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const view = useMemo<OverviewView>(() => {
    const {
      orderBy,
      order,
      limit: _limit,
      cursor: _cursor,
      ...filter
    } = parseOverviewQueryString(search);
    return {
      filter,
      orderBy: orderBy ?? DEFAULT_ORDER.orderBy,
      order: order ?? (orderBy ? 'asc' : DEFAULT_ORDER.order),
    };
  }, [search]);

  const write = useCallback(
    (next: OverviewView) => {
      const isDefault =
        next.orderBy === DEFAULT_ORDER.orderBy &&
        next.order === DEFAULT_ORDER.order;
      setSearchParams(
        buildOverviewQueryString({
          ...next.filter,
          ...(isDefault ? {} : { orderBy: next.orderBy, order: next.order }),
        }),
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const setFilter = useCallback(
    (filter: OverviewFilter) => write({ ...view, filter }),
    [write, view],
  );
  const setOrder = useCallback(
    (orderBy: OverviewOrderBy, order: 'asc' | 'desc') =>
      write({ ...view, orderBy, order }),
    [write, view],
  );

  return {
    view,
    key: buildOverviewQueryString({
      ...view.filter,
      orderBy: view.orderBy,
      order: view.order,
    }),
    setFilter,
    setOrder,
  };
}
