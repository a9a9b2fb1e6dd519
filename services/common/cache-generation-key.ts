/**
 * The Redis key of the response cache's generation: INCR'd by whoever commits a write (a gateway replica for a write
 * it forwarded, a city for an import job it committed), read by every gateway replica before it looks up an answer
 * (gateway/shared-state/cache-generation.ts). One definition, so both sides name the same key.
 */
export function responseCacheGenerationKey(keyPrefix: string): string {
  return `${keyPrefix}response-cache:generation`;
}
