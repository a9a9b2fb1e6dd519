import { currentToken, tokenRefused } from './session';

export interface GraphQLErrorEntry {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string; city?: string; messages?: { de: string; en: string }; [key: string]: unknown };
}

export interface GraphQLResult<Data> {
  data: Data | null;
  errors: GraphQLErrorEntry[];
  /** How old the answer is when it came from the gateway's cache (its `Age` header, seconds); null when fresh. */
  ageSeconds: number | null;
}

/** One GraphQL request to the gateway on this origin, with the signed-in user's token and language. */
export async function graphql<Data>(query: string, variables: Record<string, unknown>, locale: 'de' | 'en'): Promise<GraphQLResult<Data>> {
  const send = async (token: string | null) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': locale,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Data | null; errors?: GraphQLErrorEntry[] };
    const age = Number(response.headers.get('age') ?? Number.NaN);
    return { data: body.data ?? null, errors: body.errors ?? [], ageSeconds: Number.isFinite(age) ? age : null };
  };
  const token = await currentToken();
  const result = await send(token);
  if (!token || !result.errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) return result;
  // The gateway refused the token (it ran out there first): renew once; without a session the page asks to sign in.
  const renewed = await tokenRefused();
  return renewed ? send(renewed) : result;
}
