import { AuditEntry } from '../../common/audit/audit-entry.entity';
import { FigureImportJobRecord } from './figure-import-job.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { NewHireFiguresRevision } from './new-hire-figures.entity';
import { OrganisationalUnit } from './organisational-unit.entity';
import { StaffFiguresRevision, StaffUnitFigures } from './staff-figures.entity';
import { TraineeFiguresRevision } from './trainee-figures.entity';
import { TrainingFiguresRevision } from './training-figures.entity';

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
  FigureImportJobRecord,
];
