import { useEffect, useRef } from 'react';
import { useLocale } from './i18n';
import { CityPage } from './pages/city';
import { Comparison } from './pages/comparison';
import { Overview } from './pages/overview';
import { Submissions } from './pages/submissions';
import { Link, useRoute, type Route } from './router';

function Page({ route }: { route: Route }) {
  const { t } = useLocale();
  switch (route.page) {
    case 'overview':
      return <Overview />;
    case 'city':
      return <CityPage id={route.id} />;
    case 'comparison':
      return <Comparison />;
    case 'submissions':
      return <Submissions />;
    case 'not-found':
      return <h1>{t('notFound')}</h1>;
  }
}

export function App() {
  const { t, locale, setLocale } = useLocale();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After navigating, keyboard and screen-reader users continue at the new page's content, not at the top.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);

  const nav: Array<{ href: string; label: string; current: boolean }> = [
    { href: '/', label: t('overview'), current: route.page === 'overview' },
    { href: '/staedte', label: t('cities'), current: route.page === 'city' },
    { href: '/vergleich', label: t('comparison'), current: route.page === 'comparison' },
    { href: '/meldungen', label: t('submissions'), current: route.page === 'submissions' },
  ];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div>
          <p className="site-title">{t('appTitle')}</p>
          <p className="site-subtitle">{t('appSubtitle')}</p>
        </div>
        <nav aria-label={t('navigation')}>
          <ul>
            {nav.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={item.current ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
            <li>
              <a href="/graphiql">{t('workbench')}</a>
            </li>
          </ul>
        </nav>
        <button type="button" className="language-switch" lang={locale === 'de' ? 'en' : 'de'} aria-label={t('switchLanguageLabel')} onClick={() => setLocale(locale === 'de' ? 'en' : 'de')}>
          {t('switchLanguage')}
        </button>
      </header>
      {/* The comparison's ten columns need the whole window; the other pages keep lines short enough to read. */}
      <main id="main" ref={main} tabIndex={-1} className={route.page === 'comparison' ? 'wide' : undefined}>
        <Page route={route} />
      </main>
    </>
  );
}
