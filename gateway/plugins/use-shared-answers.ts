import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../context';
import type { GenerationPerRequest } from '../shared-state/cache-generation';
import { cacheAudience, readsWhatChangesWithoutCommit } from './use-response-cache';

/** Longer than any answer may take (the gateway's time limits are seconds): only a lost answer takes this long. */
const GIVE_UP_WAITING_MS = 60_000;

/**
 * Identical questions asked while the first is still being answered wait for that answer instead of running the
 * query plan again: the same document, operation name, variables, audience (who sees the same figures, as the
 * response cache decides it, `cacheAudience`) and cache generation. Fifty dashboards opened at nine o'clock ask the
 * same few questions at once; without this each would plan, call every city and merge on its own, and the response
 * cache only helps from the second moment on. The same rules as the cache: queries only, never audit logs or import
 * jobs, nothing while the generation is unknown (Redis away), and a committed write starts a new generation, so a
 * question asked after a write never joins one asked before it. Every waiting request gets the answer as the first
 * one's plugins made it (errors collapsed per city, `missingSince` as found); its own then leave it as it is.
 * Within one replica: replicas share cached answers, not answers in flight.
 */
export function useSharedAnswers(generations: GenerationPerRequest, registry: Registry): ApolloServerPlugin<GatewayContext> {
  const shared = new Counter({
    name: 'gateway_answers_shared_total',
    help: 'Queries answered with the answer of the identical query in flight when they arrived, without running themselves',
    registers: [registry],
  });
  /**
   * An answer being worked out, by its key (undefined when it ended without one that could be shared), and how many
   * wait for it: with none, the answer is not copied for sharing.
   */
  const answersInFlight = new Map<string, { answer: Promise<FormattedExecutionResult | undefined>; waiting: number }>();
  return {
    async requestDidStart() {
      let ownKey: string | undefined;
      let settle: ((answer: FormattedExecutionResult | undefined) => void) | undefined;
      let giveUp: NodeJS.Timeout | undefined;
      return {
        async responseForOperation({ operation, document, contextValue, source, operationName, request, metrics }) {
          if (operation?.operation !== 'query' || contextValue.warmingUp || readsWhatChangesWithoutCommit(document)) return null;
          const generation = await generations.of(contextValue);
          if (generation === undefined) return null;
          const keyData = { source, operationName, variables: request.variables ?? {}, audience: cacheAudience(contextValue.viewer), generation };
          const key = createHash('sha256').update(JSON.stringify(keyData)).digest('hex');
          const inFlight = answersInFlight.get(key);
          if (inFlight) {
            inFlight.waiting += 1;
            const answer = await inFlight.answer;
            // The first one ended without an answer to share (it failed as a whole): this one runs on its own.
            if (!answer) return null;
            // Not worked out here: like an answer from the cache, it is neither kept again nor made over by the other
            // plugins (use-city-availability-errors.ts, Apollo's response cache look at this flag).
            metrics.responseCacheHit = true;
            shared.inc();
            return { body: { kind: 'single', singleResult: structuredClone(answer) }, http: { status: undefined, headers: new HeaderMap() } };
          }
          ownKey = key;
          answersInFlight.set(key, {
            waiting: 0,
            answer: new Promise((resolve) => {
              settle = resolve;
              // Apollo sends every answer through willSendResponse; should a plugin before this one throw there, those
              // waiting run their question themselves rather than wait for ever.
              giveUp = setTimeout(() => {
                answersInFlight.delete(key);
                resolve(undefined);
              }, GIVE_UP_WAITING_MS).unref();
            }),
          });
          return null;
        },
        async willSendResponse({ response }) {
          if (!settle || ownKey === undefined) return;
          // Cleared, or the timer would hold the answer in memory for its whole wait.
          clearTimeout(giveUp);
          const waiting = answersInFlight.get(ownKey)?.waiting ?? 0;
          // From here on nobody can join: those counted are all who will ever read this answer.
          answersInFlight.delete(ownKey);
          const answer = response.body.kind === 'single' && response.body.singleResult.data ? response.body.singleResult : undefined;
          settle(answer && waiting > 0 ? structuredClone({ data: answer.data, ...(answer.errors ? { errors: answer.errors } : {}) }) : undefined);
          settle = undefined;
        },
      };
    },
  };
}
