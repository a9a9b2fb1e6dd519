import type { Locale } from './i18n';

const tag = (locale: Locale) => (locale === 'de' ? 'de-DE' : 'en-GB');

/** 0.2141 -> "21,4 %" (German) or "21.4%" (English); null -> the dash for "no value". */
export function percent(value: number | null | undefined, locale: Locale, digits = 1): string {
  if (value == null) return '–';
  return new Intl.NumberFormat(tag(locale), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function count(value: number | null | undefined, locale: Locale): string {
  if (value == null) return '–';
  return new Intl.NumberFormat(tag(locale)).format(value);
}

/** An interval of shares: 0.274, 0.309 -> "27,4–30,9 %" (German) or "27.4–30.9%" (English). */
export function percentRange(lower: number | null | undefined, upper: number | null | undefined, locale: Locale, digits = 1): string {
  if (lower == null || upper == null) return '–';
  const number = new Intl.NumberFormat(tag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${number.format(lower * 100)}–${percent(upper, locale, digits)}`;
}

/** A change in percentage points with its sign: 2.134 -> "+2,1", -0.5 -> "−0,5". */
export function signedPoints(value: number | null | undefined, locale: Locale, digits = 1): string {
  if (value == null) return '–';
  return new Intl.NumberFormat(tag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(value);
}

/** Percentage points to a target: positive means still missing, negative means above the target. */
export function points(value: number | null | undefined, locale: Locale): string {
  if (value == null) return '–';
  return new Intl.NumberFormat(tag(locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** [2010, 2011, 2012, 2015] -> "2010–2012, 2015". */
export function yearRanges(years: readonly number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const year of sorted) {
    const last = ranges.at(-1);
    if (last && year === last[1] + 1) last[1] = year;
    else ranges.push([year, year]);
  }
  return ranges.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(', ');
}

export function dateTime(value: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}
