/**
 * Two plain functions of the dashboard: the share axis fitted to what a chart shows (no longer a fixed 0 to 50 %), and
 * the part of a cited source that becomes a link. The pages themselves are tested in the browser (tests/browser).
 */
import { shareDomain } from '../../gateway/dashboard/src/components/chart-scales';
import { sourceLink, splitAtLink } from '../../gateway/dashboard/src/source-links';

describe('shareDomain', () => {
  it('fits bars from 0 to just above the highest share, interval bound or target, in steps of 5 %', () => {
    expect(shareDomain([0.195, 0.202, 0.33, 0.41, null], { fromZero: true })).toEqual([0, 0.45]);
    expect(shareDomain([0.05, 0.061], { fromZero: true })).toEqual([0, 0.1]);
  });

  it('fits a line from just below its lowest value, and never leaves 0 to 100 %', () => {
    const [low, high] = shareDomain([0.078, 0.195, 0.33], { fromZero: false });
    expect(low).toBeCloseTo(0.05);
    expect(high).toBeCloseTo(0.35);
    expect(shareDomain([0.08, 0.92, 1], { fromZero: false })).toEqual([0.05, 1]);
    expect(shareDomain([0.001, 0.01], { fromZero: false })[0]).toBe(0);
  });

  it('keeps room for the highest target, so that a target of 100 % is on the axis', () => {
    expect(shareDomain([0.7, 1], { fromZero: false })[1]).toBe(1);
  });

  it('has an axis even without values, and never an empty one', () => {
    expect(shareDomain([null, undefined], { fromZero: true })).toEqual([0, 1]);
    const [low, high] = shareDomain([0.2, 0.2], { fromZero: false });
    expect(high).toBeGreaterThan(low);
  });
});

describe('sourceLink', () => {
  const linked = (source: string) => {
    const link = sourceLink(source);
    return link && { text: splitAtLink(source, link)[1], href: link.href };
  };

  it('links an address in the text, without the punctuation after it', () => {
    expect(linked('Personalbericht 2024, https://www.duisburg.de/personal/bericht-2024.pdf.')).toEqual({
      text: 'https://www.duisburg.de/personal/bericht-2024.pdf',
      href: 'https://www.duisburg.de/personal/bericht-2024.pdf',
    });
    expect(linked('(see http://example.org/a?b=1)')).toEqual({ text: 'http://example.org/a?b=1', href: 'http://example.org/a?b=1' });
  });

  it('links a named site to it', () => {
    expect(linked("essen.de, page 'migration' (city register, 31.12.2019)")).toEqual({ text: 'essen.de', href: 'https://essen.de' });
    expect(linked('statistik.lwl.org, page zahlen/migration (Mikrozensus 2015)')).toEqual({ text: 'statistik.lwl.org', href: 'https://statistik.lwl.org' });
    expect(linked('BiB survey of 73 federal authorities, via mediendienst-integration.de')).toEqual({
      text: 'mediendienst-integration.de',
      href: 'https://mediendienst-integration.de',
    });
  });

  it('links a newspaper cited by name to its site, never to a guessed article address', () => {
    expect(linked('WAZ, article 232358759')).toEqual({ text: 'WAZ', href: 'https://www.waz.de/' });
    expect(linked('NRZ, article id241476244 (city register, 31.12.2023)')).toEqual({ text: 'NRZ', href: 'https://www.nrz.de/' });
    expect(linked("Wikipedia, 'Einwohnerentwicklung von Oberhausen' (IT.NRW, 31.12.2023)")).toEqual({
      text: "Wikipedia, 'Einwohnerentwicklung von Oberhausen'",
      href: 'https://de.wikipedia.org/wiki/Einwohnerentwicklung_von_Oberhausen',
    });
  });

  it('leaves a source that names nothing on the web as text', () => {
    expect(sourceLink("Contract 'Interkulturelle Städteregion Ruhr', signed in Bochum on 28 May 2010")).toBeNull();
    expect(sourceLink('City of Duisburg: 33 % of staff in municipal institutions')).toBeNull();
    expect(sourceLink('Personalstatistik 31.12.2024')).toBeNull();
  });
});
