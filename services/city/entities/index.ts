import { AuditEntry } from '../../common/audit/audit-entry.entity';
import { FigureImportJobRecord } from './figure-import-job.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { NewHireFiguresRevision } from './new-hire-figures.entity';
import { OrganisationalUnit } from './organisational-unit.entity';
import { StaffFiguresRevision, StaffUnitFigures } from './staff-figures.entity';
import { TraineeFiguresRevision } from './trainee-figures.entity';
import { TrainingFiguresRevision } from './training-figures.entity';
import { WithheldPatternRecord } from './withheld-pattern.entity';

export {
  AuditEntry,
  FigureImportJobRecord,
  IdempotencyRecord,
  NewHireFiguresRevision,
  OrganisationalUnit,
  StaffFiguresRevision,
  StaffUnitFigures,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
  WithheldPatternRecord,
};

export const cityEntities = [
  OrganisationalUnit,
  StaffFiguresRevision,
  StaffUnitFigures,
  NewHireFiguresRevision,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
  AuditEntry,
  IdempotencyRecord,
  WithheldPatternRecord,
  FigureImportJobRecord,
];
