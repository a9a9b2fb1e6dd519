import { useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useLocale, type MessageKey } from '../../i18n';
import { NewHiresForm, TraineesForm } from './intake-forms';
import { StaffForm } from './staff-form';
import { TrainingForm } from './training-form';

const KINDS: ReadonlyArray<{ id: string; label: MessageKey; Form: (props: { city: string; year: number }) => ReactElement }> = [
  { id: 'staff', label: 'staffFigures', Form: StaffForm },
  { id: 'new-hires', label: 'newHires', Form: NewHiresForm },
  { id: 'trainees', label: 'trainees', Form: TraineesForm },
  { id: 'training', label: 'training', Form: TrainingForm },
];

/** Kept in the tab with the drafts: back from the provider's login page, the page shows the kind it showed. */
const KIND_KEY = 'hub-submission-kind';

/**
 * The kinds of figures an HR team reports, one at a time (WAI-ARIA tabs: arrow keys move between them): each kind
 * is a form and its revision history, and all four on one page would bury the one being worked on. Only the chosen
 * kind's form is on the page; what was typed into another is kept as its draft.
 */
export function FigureKinds({ city, year }: { city: string; year: number }) {
  const { t } = useLocale();
  const [chosen, setChosen] = useState(() => {
    const stored = sessionStorage.getItem(KIND_KEY);
    return KINDS.some((kind) => kind.id === stored) ? stored! : KINDS[0]!.id;
  });
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const choose = (id: string, focus = false) => {
    sessionStorage.setItem(KIND_KEY, id);
    setChosen(id);
    if (focus) tabs.current[id]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const index = KINDS.findIndex((kind) => kind.id === chosen);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: KINDS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    choose(KINDS[(next + KINDS.length) % KINDS.length]!.id, true);
  };
  const { Form } = KINDS.find((kind) => kind.id === chosen)!;
  return (
    <section className="figure-kinds" aria-labelledby="figure-kinds-heading">
      <h2 id="figure-kinds-heading">{t('figureKinds')}</h2>
      <div role="tablist" aria-labelledby="figure-kinds-heading" className="tabs" onKeyDown={onKeyDown}>
        {KINDS.map((kind) => (
          <button
            key={kind.id}
            ref={(element) => {
              tabs.current[kind.id] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${kind.id}`}
            aria-selected={kind.id === chosen}
            aria-controls={kind.id === chosen ? `panel-${kind.id}` : undefined}
            tabIndex={kind.id === chosen ? 0 : -1}
            onClick={() => choose(kind.id)}
          >
            {t(kind.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${chosen}`} aria-labelledby={`tab-${chosen}`} className="tab-panel">
        <Form city={city} year={year} />
      </div>
    </section>
  );
}
