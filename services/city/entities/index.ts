import { NewHireFiguresRevision } from './new-hire-figures.entity';
import { OrganisationalUnit } from './organisational-unit.entity';
import { StaffFiguresRevision, StaffUnitFigures } from './staff-figures.entity';
import { TraineeFiguresRevision } from './trainee-figures.entity';
import { TrainingFiguresRevision } from './training-figures.entity';

export {
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
];
