import 'reflect-metadata';
import { AuditEntry } from '../common/audit/audit-entry.entity';
import { readAuthConfig } from '../common/auth/auth-config';
import { loadOrCreateSigningKey } from '../common/auth/keys';
import { gatewayAuthentication } from '../common/auth/request-authentication';
import { openUsedCredentials } from '../common/auth/used-credentials';
import { checkDatabase, openDatabase } from '../common/database';
import { subgraphApollo } from '../common/apollo-options';
import { startHttpService } from '../common/http-service';
import { runMain, stopOnSignals } from '../common/process-lifecycle';
import { createLogger } from '../common/logger';
import { forumLimits } from '../common/limits';
import { AnonymousRefusals } from '../common/audit/anonymous-refusals';
import { WriteReceipt } from '../common/write-receipt';
import { ServiceMetrics } from '../common/metrics';
import { MEMBERSHIP_FACTS_PATH, membershipFactsOf } from '../common/membership-facts';
import { MemberDirectory } from '../common/routing/member-directory';
import { registryPath, type Registry } from '../common/registry';
import { retryUntilAvailable } from '../common/retry';
import { ForumAdministrationService } from './administration.service';
import { CommitmentsStore } from './commitments.store';
import { readForumConfig } from './config';
import type { ForumContext } from './context';
import { CommitmentTargetRevision } from './entities/commitment-target.entity';
import { CommitmentRecord } from './entities/commitment.entity';
import { MembershipRevision } from './entities/membership-revision.entity';
import { MembershipStore } from './membership.store';
import { forumMigrations, forumRuntimePrivileges } from './migrations';
import { forumSubgraphSchema } from './schema';

/** How long the membership facts route reuses one read of the corrections. */
const FACTS_KEPT_MS = 1_000;

/** The forum subgraph: members, commitments, forum-wide progress. `npm run forum`. */
async function main(): Promise<void> {
  // The registry file is followed while the forum runs (member-directory.ts): a member added, moved or ended is in
  // `members` and the progress figures within seconds. Its own port is read once, at start.
  let reloadFailed: (error: Error) => void = () => undefined;
  const directory = new MemberDirectory(registryPath(), process.env, (error) => reloadFailed(error));
  const config = readForumConfig(directory.current());
  const service = 'forum';
  const logger = createLogger(service, config.logLevel);
  reloadFailed = (error) => logger.error({ err: error }, 'the member registry changed but cannot be read; the members as last read stay in force');
  directory.onChange((registry) => logger.info({ members: registry.members.map((member) => member.id) }, 'member registry read again'));
  directory.watch();
  const metrics = new ServiceMetrics(service);

  const dataSource = await retryUntilAvailable(
    () =>
      openDatabase({
        ...config.database,
        entities: [CommitmentRecord, CommitmentTargetRevision, MembershipRevision, AuditEntry],
        migrations: forumMigrations,
        privileges: forumRuntimePrivileges,
        applicationName: service,
        logger,
        metrics,
      }),
    { what: 'the forum database', logger },
  );
  const commitments = new CommitmentsStore(dataSource);
  const auth = readAuthConfig();
  // Tokens can be issued here only where the hub signs them itself; with an identity provider, there.
  const issuer =
    auth.localIssuer && 'file' in auth.users.keys ? { key: await loadOrCreateSigningKey(auth.users.keys.file), audience: auth.users.audience } : null;
  const membership = new MembershipStore(dataSource);
  const limits = forumLimits();
  const administration = new ForumAdministrationService(
    dataSource,
    () => directory.current(),
    membership,
    issuer,
    logger,
    new AnonymousRefusals(limits.audit.anonymousRefusalsPerMinute, service, logger),
  );

  const usedCredentials = await openUsedCredentials(config.usedCredentials, 'forum', logger);
  const gateway = await gatewayAuthentication('forum', config.gatewayKeys, usedCredentials);

  const server = await startHttpService<ForumContext>({
    service,
    host: config.host,
    port: config.port,
    logger,
    metrics,
    createApollo: subgraphApollo(forumSubgraphSchema(), service, logger),
    metricsToken: config.metricsToken,
    limits,
    authenticate: gateway.authenticate,
    authorizeOperation: gateway.authorizeOperation,
    tls: config.server.tls,
    healthPort: config.server.healthPort,
    routes: (app) => {
      // The cities ask here for their effective membership (services/city/membership.ts); public facts, see
      // services/common/membership-facts.ts. One read of the corrections serves every city asking within a second.
      let recent: { at: number; source: Registry; registry: Promise<Registry> } | undefined;
      const effective = () => {
        const source = directory.current();
        if (!recent || recent.source !== source || performance.now() - recent.at > FACTS_KEPT_MS) {
          const read = { at: performance.now(), source, registry: membership.effective(source) };
          read.registry.catch(() => (recent = recent === read ? undefined : recent));
          recent = read;
        }
        return recent.registry;
      };
      app.get(`${MEMBERSHIP_FACTS_PATH}/:id`, async (request, response) => {
        try {
          const facts = membershipFactsOf((await effective()).members, request.params.id);
          response.status(facts.member ? 200 : 404).json(facts);
        } catch (error) {
          logger.warn({ err: error }, 'membership facts not served: the corrections cannot be read');
          response.status(503).json({ error: 'the membership corrections cannot be read now' });
        }
      });
    },
    context: async ({ viewer }) => {
      let loaded: ReturnType<CommitmentsStore['all']> | undefined;
      return {
        // One registry for the whole request: the members list and the figures paired with it must not differ.
        registry: await membership.effective(directory.current()),
        viewer,
        dataSource,
        administration,
        commitmentsStore: commitments,
        commitments: () => (loaded ??= commitments.all()),
        writes: new WriteReceipt(),
      };
    },
    health: async () => {
      const database = await checkDatabase(dataSource);
      return { status: database.ok ? 'ok' : 'unavailable', members: directory.current().members.length, database };
    },
    onStop: async () => {
      directory.close();
      await usedCredentials.close();
      await dataSource.destroy();
    },
  });
  stopOnSignals(server.stop, logger);
}

runMain('forum', main);
