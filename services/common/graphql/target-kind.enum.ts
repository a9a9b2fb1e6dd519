import { registerEnumType } from 'type-graphql';

export const TargetKind = {
  FIXED: 'FIXED',
  POPULATION_PARITY: 'POPULATION_PARITY',
  INCREASE: 'INCREASE',
} as const;
export type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];

registerEnumType(TargetKind, {
  name: 'TargetKind',
  description: 'How a target share is set (Art der Zielvorgabe).',
  valuesConfig: {
    FIXED: { description: "A stated share, such as Duisburg's 33 % of staff in municipal institutions (fester Zielwert)." },
    POPULATION_PARITY: {
      description:
        "The city's population share with a migration history: staff should mirror the population (Bevölkerungsparität).",
    },
    INCREASE: { description: 'No number is stated, only a rise: "more trainees with a migration history" (Steigerung).' },
  },
});
