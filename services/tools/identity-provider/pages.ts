/** The provider's own pages: plain HTML, German, labelled fields, no script (WCAG 2.1 AA: contrast, focus, labels). */

const escape = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b1f24; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 0.5rem; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.5rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { display: block; width: 100%; box-sizing: border-box; font-size: 1rem; padding: 0.5rem; border: 1px solid #5a6570; border-radius: 0.25rem; }
  button { margin-top: 1.5rem; font-size: 1rem; padding: 0.6rem 1.2rem; background: #0b5394; color: #fff; border: 0; border-radius: 0.25rem; cursor: pointer; }
  button.secondary { background: #fff; color: #0b5394; border: 1px solid #0b5394; margin-left: 0.5rem; }
  :focus-visible { outline: 3px solid #c2410c; outline-offset: 2px; }
  .error { color: #a4161a; font-weight: 600; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} – Integrationsforum</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export function loginPage(uid: string, options: { username?: string; refused?: boolean } = {}): string {
  const error = options.refused ? `<p class="error" id="login-error" role="alert">Benutzername oder Passwort ist falsch.</p>` : '';
  const described = options.refused ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return layout(
    'Anmelden',
    `<h1>Anmelden beim Integrationsforum</h1>
${error}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label for="username">Benutzername</label>
  <input id="username" name="username" autocomplete="username" required value="${escape(options.username ?? '')}"${described}>
  <label for="password">Passwort</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}>
  <button type="submit">Anmelden</button>
</form>`,
  );
}

/** oidc-provider's `logoutSource`: the sign-out confirmation, with the provider's own form inside. */
export function logoutPage(form: string): string {
  return layout(
    'Abmelden',
    `<h1>Abmelden</h1>
<p>Möchten Sie sich vom Integrationsforum abmelden?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Abmelden</button>`,
  );
}

export function errorPage(message: string): string {
  return layout('Fehler', `<h1>Anmeldung nicht möglich</h1><p class="error" role="alert">${escape(message)}</p>`);
}
