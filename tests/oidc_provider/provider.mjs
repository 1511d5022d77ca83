// A real OpenID Connect provider for the tests of staff SSO: panva/oidc-provider
// (OpenID Certified), with a small login page of its own that checks a password.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json: {"port": 5xxxx, "client_id": "...", "client_secret": "...",
//   "redirect_uris": ["http://127.0.0.1:PORT/inloggen/via/gemeente/terug"],
//   "post_logout_redirect_uris": ["http://127.0.0.1:PORT/inloggen"],
//   "accounts": {"login": {"password": "...", "claims": {"name": "...", ...}}}}
// Prints "ready <issuer>" on stdout once it listens on 127.0.0.1.

import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris || [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub', 'auth_time'],
    profile: ['name', 'preferred_username'],
    hhb: ['hhb_roles', 'hhb_team'],
  },
  scopes: ['openid', 'profile', 'hhb'],
  conformIdTokenClaims: false, // role and team in the ID token, as many providers do
  cookies: { keys: ['test-only-cookie-key'] },
  features: {
    devInteractions: { enabled: false },
    // RP-Initiated Logout 1.0 (end_session_endpoint), with the gemeente's own pages
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
});

async function logoutSource(ctx, form) {
  // `form` is the provider's own form (id="op.logoutForm", with its CSRF value)
  ctx.body = `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Gemeente Voorbeeldstad - afmelden</title></head><body>
<h1>Gemeente Voorbeeldstad</h1><p>Wilt u ook bij de gemeente afmelden?</p>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, afmelden</button>
</body></html>`;
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Gemeente Voorbeeldstad</title></head><body><p>U bent afgemeld.</p></body></html>`;
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(res, uid, error) {
  res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Gemeente Voorbeeldstad - aanmelden</title></head><body>
<h1>Gemeente Voorbeeldstad</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Gemeente-account</label> <input id="login" name="login" required>
<label for="password">Geheim</label> <input id="password" name="password" type="password" required>
<button type="submit">Aanmelden</button></form></body></html>`);
}

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

async function consent(req, res, details) {
  // a first-party client: grant what it asks for without a consent screen
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const result = { consent: { grantId: await grant.save() } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'consent') return consent(req, res, details);
  if (req.method === 'GET') return loginPage(res, uid, '');
  if (action !== 'login') { res.writeHead(404); return res.end(); }
  const form = await body(req);
  const account = accounts[form.get('login')];
  if (!account || account.password !== form.get('password')) {
    return loginPage(res, uid, 'Onbekend account of verkeerd geheim.');
  }
  const result = { login: { accountId: form.get('login') } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const match = new URL(req.url, issuer).pathname.match(/^\/interaction\/([^/]+)(?:\/(\w+))?$/);
  if (!match) return handle(req, res);
  return interaction(req, res, match[1], match[2]).catch((err) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${err.message}`);
  });
});
server.listen(config.port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
