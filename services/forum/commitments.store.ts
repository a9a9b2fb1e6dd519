import type { DataSource } from 'typeorm';
import { CommitmentRecord } from './entities/commitment.entity';
import type { Commitment } from './types/commitment.type';

export class CommitmentsStore {
  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<Commitment[]> {
    const records = await this.dataSource.getRepository(CommitmentRecord).find({ order: { sortOrder: 'ASC' } });
    return records.map((record) => ({
      id: record.id,
      measure: record.measure,
      targetKind: record.targetKind,
      targetShare: record.targetShare,
      title: record.titleDe,
      titleEn: record.titleEn,
      explanation: record.explanation,
      source: record.source,
    }));
  }
}
