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
import { subgraphLimits } from '../common/limits';
import { AnonymousRefusals } from '../common/audit/anonymous-refusals';
import { WriteReceipt } from '../common/write-receipt';
import { ServiceMetrics } from '../common/metrics';
import { loadRegistry } from '../common/registry';
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

/** The forum subgraph: members, commitments, forum-wide progress. `npm run forum`. */
async function main(): Promise<void> {
  const registry = loadRegistry();
  const config = readForumConfig(registry);
  const service = 'forum';
  const logger = createLogger(service, config.logLevel);
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
  const limits = subgraphLimits();
  const administration = new ForumAdministrationService(
    dataSource,
    registry,
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
    createApollo: subgraphApollo(forumSubgraphSchema(registry), service, logger),
    metricsToken: config.metricsToken,
    limits,
    authenticate: gateway.authenticate,
    authorizeOperation: gateway.authorizeOperation,
    tls: config.server.tls,
    healthPort: config.server.healthPort,
    context: async ({ viewer }) => {
      let loaded: ReturnType<CommitmentsStore['all']> | undefined;
      return {
        registry: await membership.effective(registry),
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
      return { status: database.ok ? 'ok' : 'unavailable', members: registry.members.length, database };
    },
    onStop: async () => {
      await usedCredentials.close();
      await dataSource.destroy();
    },
  });
  stopOnSignals(server.stop, logger);
}

runMain('forum', main);
