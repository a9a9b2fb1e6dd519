import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LocaleProvider } from './i18n';
import { startSession } from './session';
import './styles.css';

// The session first: a sign-in the provider has just sent back is finished before the page decides what to show.
void startSession()
  .catch(() => undefined)
  .finally(() =>
    createRoot(document.getElementById('app')!).render(
      <StrictMode>
        <LocaleProvider>
          <App />
        </LocaleProvider>
      </StrictMode>,
    ),
  );
