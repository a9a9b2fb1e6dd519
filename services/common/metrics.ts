import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served at `/metrics`. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly sqlStatements: Counter;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.sqlStatements = new Counter({
      name: 'sql_statements_total',
      help: 'SQL statements sent to the database, transaction control included',
      registers: [this.registry],
    });
  }
}
