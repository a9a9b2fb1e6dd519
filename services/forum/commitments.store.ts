import type { DataSource, EntityManager } from 'typeorm';
import { CommitmentTargetRevision } from './entities/commitment-target.entity';
import { CommitmentRecord } from './entities/commitment.entity';
import type { Commitment } from './types/commitment.type';

/** The commitments with their current targets: the latest revision of each. */
export class CommitmentsStore {
  constructor(private readonly dataSource: DataSource) {}

  async all(manager: EntityManager = this.dataSource.manager): Promise<Commitment[]> {
    const [records, targets] = await Promise.all([
      manager.getRepository(CommitmentRecord).find({ order: { sortOrder: 'ASC' } }),
      manager
        .getRepository(CommitmentTargetRevision)
        .createQueryBuilder('target')
        .distinctOn(['target.commitmentId'])
        .orderBy('target.commitmentId')
        .addOrderBy('target.revision', 'DESC')
        .getMany(),
    ]);
    return records.map((record) => {
      const target = targets.find((candidate) => candidate.commitmentId === record.id);
      const targetKind = target?.targetKind ?? record.targetKind;
      return {
        id: record.id,
        measure: record.measure,
        targetKind,
        // Only a FIXED target has a share of its own; one stored with a parity target before parity was computed is ignored.
        targetShare: targetKind === 'FIXED' ? (target ? target.targetShare : record.targetShare) : null,
        targetRevision: target?.revision ?? 1,
        title: record.titleDe,
        titleEn: record.titleEn,
        explanation: record.explanation,
        source: record.source,
      };
    });
  }

  history(commitmentId: string): Promise<CommitmentTargetRevision[]> {
    return this.dataSource.getRepository(CommitmentTargetRevision).find({ where: { commitmentId }, order: { revision: 'ASC' } });
  }
}
