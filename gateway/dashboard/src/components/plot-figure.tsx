import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A chart as an accessible figure: the drawing has a name for screen readers (role="img", aria-label), a visible
 * caption, and the same figures as a table for those who cannot see it (Observable Plot draws the SVG). The chart is
 * drawn for the width it has, so that its labels keep their size on a narrow screen instead of shrinking with it.
 */
export function PlotFigure({
  render,
  label,
  caption,
  table,
  tableLabel,
  testId,
}: {
  render: (width: number) => SVGElement | HTMLElement;
  label: string;
  caption: ReactNode;
  table: ReactNode;
  tableLabel: string;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    setWidth(Math.floor(element.clientWidth));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (width === null || width === 0) return;
    const chart = render(width);
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
  }, [render, label, width]);
  return (
    <figure className="chart" data-testid={testId}>
      <div ref={container} className="chart-drawing" />
      <figcaption>{caption}</figcaption>
      <details>
        <summary>{tableLabel}</summary>
        {table}
      </details>
    </figure>
  );
}
