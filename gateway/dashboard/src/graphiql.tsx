import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql-accessibility.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CITY_COMPARISON, CITY_TREND, FORUM_PROGRESS } from './contract-queries';
import { storedToken } from './token-store';

/**
 * The analysts' workbench: GraphiQL, bundled and served by the gateway (no CDN), with the contract operations as
 * ready-made examples. Requests carry the token of whoever signed in on the dashboard (same browser tab).
 */
const examples = [
  { query: FORUM_PROGRESS, variables: JSON.stringify({ year: 2024 }, null, 2) },
  { query: CITY_COMPARISON, variables: JSON.stringify({ year: 2024 }, null, 2) },
  { query: CITY_TREND, variables: JSON.stringify({ id: 'duisburg', from: 2010, to: 2024 }, null, 2) },
];

async function fetcher(request: { query: string; variables?: unknown; operationName?: string | null }) {
  const token = storedToken();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': document.documentElement.lang || 'de',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(request),
  });
  return response.json();
}

/**
 * GraphiQL marks each list item of its tab bar as a tab although it holds two buttons (select, close), which nests
 * interactive controls. Here the bar is a plain list of buttons, and the active one says so with aria-current.
 */
function repairTabBar(root: HTMLElement): void {
  const repair = () => {
    for (const list of root.querySelectorAll<HTMLElement>('ul.graphiql-tabs[role]')) list.removeAttribute('role');
    for (const item of root.querySelectorAll<HTMLElement>('li.graphiql-tab')) {
      const button = item.querySelector<HTMLElement>('.graphiql-tab-button');
      if (item.hasAttribute('aria-selected')) {
        const active = item.getAttribute('aria-selected') === 'true';
        if (active) button?.setAttribute('aria-current', 'true');
        else button?.removeAttribute('aria-current');
        item.removeAttribute('aria-selected');
      }
      if (item.hasAttribute('role')) item.removeAttribute('role');
    }
  };
  new MutationObserver(repair).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-selected'] });
}

const root = document.getElementById('graphiql')!;
repairTabBar(root);

// The editors start from initialQuery/initialVariables; the tabs only take over once one is switched to.
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={examples}
      initialQuery={examples[0]!.query}
      initialVariables={examples[0]!.variables}
      defaultEditorToolsVisibility="variables"
    />
  </StrictMode>,
);
