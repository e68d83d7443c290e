import { useApi } from '@backstage/core-plugin-api';
import { OverviewItem } from '@prodready/plugin-readiness-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { readinessApiRef } from '../../api';
import { OverviewView } from './useOverviewQuery';

/** Rows fetched per request. */
export const OVERVIEW_PAGE_SIZE = 200;

/** The rows of the overview loaded so far, and how to load more. */
export interface OverviewRows {
  items: OverviewItem[];
  /** How many entities match, on all pages; undefined before the first page. */
  totalCount?: number;
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  /** Loads the next page, unless one is loading or none is left. */
  loadMore: () => void;
  retry: () => void;
}

/**
 * The overview rows of a view, fetched page by page (keyset cursor) as the
 * user scrolls; a new view starts over. Answers to an older view are dropped.
 */
export function useOverviewRows(view: OverviewView, key: string): OverviewRows {
  const api = useApi(readinessApiRef);
  const [items, setItems] = useState<OverviewItem[]>([]);
  const [totalCount, setTotalCount] = useState<number>();
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const viewRef = useRef(view);
  viewRef.current = view;

  const fetchPage = useCallback(
    async (pageCursor: string | undefined, gen: number) => {
      setLoading(true);
      setError(undefined);
      try {
        const { filter, orderBy, order } = viewRef.current;
        const page = await api.getOverview({
          ...filter,
          orderBy,
          order,
          limit: OVERVIEW_PAGE_SIZE,
          cursor: pageCursor,
        });
        if (gen !== generation.current) {
          return;
        }
        setItems(previous =>
          pageCursor ? [...previous, ...page.items] : page.items,
        );
        setTotalCount(page.totalCount);
        setCursor(page.nextCursor);
      } catch (e) {
        if (gen === generation.current) {
          setError(e as Error);
        }
      } finally {
        if (gen === generation.current) {
          setLoading(false);
        }
      }
    },
    [api],
  );

  useEffect(() => {
    generation.current += 1;
    setItems([]);
    setTotalCount(undefined);
    setCursor(undefined);
    fetchPage(undefined, generation.current);
  }, [key, attempt, fetchPage]);

  const loadMore = useCallback(() => {
    if (!loading && !error && cursor) {
      fetchPage(cursor, generation.current);
    }
  }, [loading, error, cursor, fetchPage]);

  const retry = useCallback(() => {
    if (cursor && items.length > 0) {
      fetchPage(cursor, generation.current);
    } else {
      setAttempt(a => a + 1);
    }
  }, [cursor, items.length, fetchPage]);

  return {
    items,
    totalCount,
    loading,
    error,
    hasMore: Boolean(cursor),
    loadMore,
    retry,
  };
}
