import { useCallback, useEffect, useState } from 'react';
import { graphql, type GraphQLErrorEntry } from './api';
import { useLocale } from './i18n';

export interface QueryState<Data> {
  loading: boolean;
  data: Data | null;
  errors: GraphQLErrorEntry[];
  /** The answer's age when it came from the gateway's cache, in seconds; null when fresh. */
  ageSeconds: number | null;
  reload: () => void;
}

/** Loads a query and loads it again when its variables, the language or the signed-in user change. */
export function useQuery<Data>(query: string, variables: Record<string, unknown>, skip = false): QueryState<Data> {
  const { locale } = useLocale();
  const [state, setState] = useState<Omit<QueryState<Data>, 'reload'>>({ loading: !skip, data: null, errors: [], ageSeconds: null });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    window.addEventListener('hub-token', reload);
    return () => window.removeEventListener('hub-token', reload);
  }, [reload]);

  useEffect(() => {
    if (skip) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    graphql<Data>(query, JSON.parse(key) as Record<string, unknown>, locale).then(
      (result) => current && setState({ loading: false, data: result.data, errors: result.errors, ageSeconds: result.ageSeconds }),
      (error: unknown) => current && setState({ loading: false, data: null, errors: [{ message: String((error as Error).message ?? error) }], ageSeconds: null }),
    );
    return () => {
      current = false;
    };
  }, [query, key, locale, generation, skip]);

  return { ...state, reload };
}
