import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A chart as an accessible figure: the drawing has a name for screen readers (role="img", aria-label), a visible
 * caption, and the same figures as a table for those who cannot see it (Observable Plot draws the SVG).
 */
export function PlotFigure({
  render,
  label,
  caption,
  table,
  tableLabel,
}: {
  render: () => SVGElement | HTMLElement;
  label: string;
  caption: string;
  table: ReactNode;
  tableLabel: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = render();
    const svg = chart instanceof SVGElement ? chart : chart.querySelector('svg');
    svg?.setAttribute('role', 'img');
    svg?.setAttribute('aria-label', label);
    // Inside role="img" everything is presentational; Plot's labels on its mark groups are not allowed there.
    svg?.querySelectorAll('[aria-label], [aria-description]').forEach((element) => {
      element.removeAttribute('aria-label');
      element.removeAttribute('aria-description');
    });
    container.current?.replaceChildren(chart);
    return () => chart.remove();
  }, [render, label]);
  return (
    <figure className="chart">
      <div ref={container} />
      <figcaption>{caption}</figcaption>
      <details>
        <summary>{tableLabel}</summary>
        {table}
      </details>
    </figure>
  );
}
