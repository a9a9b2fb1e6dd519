import { registerEnumType } from 'type-graphql';
import type { TargetStatus as DomainTargetStatus } from '../../domain/intervals';

/** Declared by the city subgraphs (a city's share) and the forum (forum-wide figures): one declaration for both. */
export const TargetStatus = {
  MET: 'MET',
  UNCERTAIN: 'UNCERTAIN',
  NOT_MET: 'NOT_MET',
  UNKNOWN: 'UNKNOWN',
} as const satisfies Record<DomainTargetStatus, DomainTargetStatus>;
export type TargetStatus = (typeof TargetStatus)[keyof typeof TargetStatus];

registerEnumType(TargetStatus, {
  name: 'TargetStatus',
  description:
    'A share judged against its target with its 95 % interval (Zielerreichung). For a full count (no survey) the interval is the share itself, so the status is MET or NOT_MET.',
  valuesConfig: {
    MET: { description: 'The lower bound of the interval reaches the target: met, allowing for the uncertainty of the survey (erreicht).' },
    UNCERTAIN: {
      description: 'The target lies above the lower bound and at or below the upper bound: the survey cannot tell whether it is met (offen).',
    },
    NOT_MET: { description: 'Even the upper bound of the interval falls short of the target (nicht erreicht).' },
    UNKNOWN: { description: 'No interval or no target to judge by, e.g. the share is not recorded (nicht beurteilbar).' },
  },
});
