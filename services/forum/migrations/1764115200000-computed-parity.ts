import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quoteIdentifier } from '../../common/database';
import { schemaName } from '../../common/migration-helpers';

const STAFF_COMMITMENT = {
  adopted: {
    titleDe: 'Beschäftigte mit Zuwanderungsgeschichte entsprechend ihrem Anteil an der Bevölkerung',
    titleEn: 'Staff with a migration history in proportion to the population',
    explanation:
      "Forum-wide headline: 33 % of staff in municipal institutions, as Duisburg states it. Each city's own target (a fixed share or its population share) is its staff target.",
  },
  fixedHeadline: {
    titleDe: 'Beschäftigte mit Zuwanderungsgeschichte: feste forumweite Zielmarke von 33 %',
    titleEn: "Staff with a migration history: the forum's fixed headline of 33 %",
    explanation:
      "A fixed headline, not parity with the population: 33 % of staff in municipal institutions, as Duisburg states it. Parity with the population is reported beside it (the population-weighted share of the reporting cities), and each city is judged against its own target (a fixed share or its population's share).",
  },
};

/**
 * A POPULATION_PARITY target is computed from the cities' population figures, never typed in: from now on a target
 * revision carries a share exactly when it is FIXED. Earlier revisions stay as written (NOT VALID), since revisions are
 * never changed; the forum ignores a share stored with a parity target. The staff commitment's title said parity while
 * its target is the fixed 33 % headline: it now says what the target is.
 */
export class ComputedParity1764115200000 implements MigrationInterface {
  name = 'ComputedParity1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    const checks: Array<{ conname: string }> = await queryRunner.query(
      `SELECT conname FROM pg_constraint
       WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%target_share IS NULL%'`,
      [`${schema}.commitment_target`],
    );
    for (const { conname } of checks) {
      await queryRunner.query(`ALTER TABLE ${schema}.commitment_target DROP CONSTRAINT ${quoteIdentifier(conname)}`);
    }
    await queryRunner.query(`
      ALTER TABLE ${schema}.commitment_target ADD CONSTRAINT commitment_target_share_exactly_when_fixed
        CHECK ((target_kind = 'FIXED') = (target_share IS NOT NULL)) NOT VALID`);
    await this.retitle(queryRunner, STAFF_COMMITMENT.fixedHeadline);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaName(queryRunner);
    await this.retitle(queryRunner, STAFF_COMMITMENT.adopted);
    await queryRunner.query(`ALTER TABLE ${schema}.commitment_target DROP CONSTRAINT commitment_target_share_exactly_when_fixed`);
    await queryRunner.query(`
      ALTER TABLE ${schema}.commitment_target ADD CONSTRAINT commitment_target_check
        CHECK ((target_kind = 'INCREASE') = (target_share IS NULL)) NOT VALID`);
  }

  private async retitle(queryRunner: QueryRunner, text: { titleDe: string; titleEn: string; explanation: string }): Promise<void> {
    await queryRunner.query(`UPDATE ${schemaName(queryRunner)}.commitment SET title_de = $1, title_en = $2, explanation = $3 WHERE id = 'staff-share'`, [
      text.titleDe,
      text.titleEn,
      text.explanation,
    ]);
  }
}
