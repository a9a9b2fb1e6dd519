import { useId, type ReactNode } from 'react';

/**
 * A table that may be wider than a narrow screen scrolls in its own container, never the page (WCAG 2.1 reflow,
 * 1.4.10): the container is a region named by the table's title, and takes the focus so that it scrolls by keyboard.
 * The title stands above the container, where it wraps to the screen's width; a caption inside the table would be as
 * wide as the table and scroll out of sight with it. Screen readers get the caption as well.
 */
export function ScrollTable({
  caption,
  captionHidden = false,
  testId,
  children,
}: {
  caption: string;
  captionHidden?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <>
      <p id={id} className={captionHidden ? 'visually-hidden' : 'table-title'}>
        {caption}
      </p>
      <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
        <table className="data-table" data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          {children}
        </table>
      </div>
    </>
  );
}
