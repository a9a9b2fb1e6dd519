import { createServer } from 'node:net';

/** A port the hub is about to listen on, and what for (`the gateway (PORT)`). */
export interface PlannedPort {
  port: number;
  purpose: string;
}

/** Whether nothing listens on `port` yet: binding it is the one sure way to know. */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * The planned ports something already listens on. A second `npm start` beside a running one would otherwise find
 * the first hub's services healthy, report itself ready, and leave its own processes failing to bind.
 */
export async function portsInUse(planned: readonly PlannedPort[], host = '127.0.0.1'): Promise<PlannedPort[]> {
  const free = await Promise.all(planned.map(({ port }) => portFree(port, host)));
  return planned.filter((_, index) => !free[index]);
}

/** One line saying which ports are taken and what to do about it. */
export function portsInUseMessage(taken: readonly PlannedPort[]): string {
  const list = taken.map(({ port, purpose }) => `${port} (${purpose})`).join(', ');
  return (
    `port${taken.length === 1 ? '' : 's'} already in use: ${list}. Is the hub already running (another npm start)? ` +
    'Stop it first, or move this one: PORT, EMBEDDED_DB_PORT, IDP_PORT, and the ports in MEMBERS_FILE.'
  );
}
