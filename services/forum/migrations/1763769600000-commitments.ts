import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaName } from '../../common/migration-helpers';

const contract = "Contract 'Interkulturelle Städteregion Ruhr', signed in Bochum on 28 May 2010";

/** The commitments as adopted; later changes come as further migrations, so their history stays in review. */
const commitments = [
  {
    id: 'staff-share',
    measure: 'STAFF_SHARE',
    targetKind: 'FIXED',
    targetShare: 0.33,
    titleDe: 'Beschäftigte mit Zuwanderungsgeschichte entsprechend ihrem Anteil an der Bevölkerung',
    titleEn: 'Staff with a migration history in proportion to the population',
    explanation:
      "Forum-wide headline: 33 % of staff in municipal institutions, as Duisburg states it. Each city's own target (a fixed share or its population share) is its staff target.",
    source: `${contract}; City of Duisburg (33 % of staff in municipal institutions)`,
  },
  {
    id: 'trainee-share',
    measure: 'TRAINEE_SHARE',
    targetKind: 'INCREASE',
    targetShare: null,
    titleDe: 'Mehr Auszubildende mit Zuwanderungsgeschichte',
    titleEn: 'More trainees with a migration history',
    explanation: 'No share is stated: the commitment is a rising share of trainees with a migration history.',
    source: contract,
  },
  {
    id: 'jobcenter-training',
    measure: 'JOBCENTER_INTERCULTURAL_TRAINING',
    targetKind: 'FIXED',
    targetShare: 1,
    titleDe: 'Interkulturelle Schulung aller Beschäftigten im Jobcenter',
    titleEn: 'Intercultural training for every Jobcenter employee',
    explanation: 'Every employee of the Jobcenter completes intercultural training: a completion rate of 100 %.',
    source: contract,
  },
];

export class Commitments1763769600000 implements MigrationInterface {
  name = 'Commitments1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}.commitment (
        id varchar(64) PRIMARY KEY,
        measure varchar(64) NOT NULL UNIQUE,
        target_kind varchar(32) NOT NULL CHECK (target_kind IN ('FIXED', 'POPULATION_PARITY', 'INCREASE')),
        target_share numeric(5, 4) CHECK (target_share BETWEEN 0 AND 1),
        title_de text NOT NULL,
        title_en text NOT NULL,
        explanation text NOT NULL,
        source text NOT NULL,
        sort_order integer NOT NULL,
        CHECK ((target_kind = 'INCREASE') = (target_share IS NULL))
      )`);
    for (const [index, commitment] of commitments.entries()) {
      await queryRunner.query(
        `INSERT INTO ${schema}.commitment
           (id, measure, target_kind, target_share, title_de, title_en, explanation, source, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          commitment.id,
          commitment.measure,
          commitment.targetKind,
          commitment.targetShare,
          commitment.titleDe,
          commitment.titleEn,
          commitment.explanation,
          commitment.source,
          index + 1,
        ],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaName(queryRunner)}.commitment`);
  }
}
