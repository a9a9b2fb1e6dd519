import type { Locale } from './i18n';

/**
 * A table as CSV, cell texts exactly as shown. German files use ";" (Excel in Germany expects it, since "," is the
 * decimal mark there); English ones ",". Cells are quoted where needed; soft hyphens (where a header may break on
 * screen) are left out.
 */
export function toCsv(header: string[], rows: string[][], locale: Locale): string {
  const separator = locale === 'de' ? ';' : ',';
  const quote = (cell: string) => (cell.includes(separator) || /["\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const cell = (text: string) => quote(text.replaceAll('\u00AD', ''));
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(separator)).join('\r\n')}\r\n`;
}

export function download(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
