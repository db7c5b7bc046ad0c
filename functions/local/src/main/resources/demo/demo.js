// Latchkey demo page: plain JavaScript, no build step. Served by the local server at /demo.js.
// Every call goes to the same origin, so the page works wherever the local server runs.
//
// Tokens are kept in this module's memory only (never localStorage or a cookie): a reload signs out.

let session = null; // the token response of the last login: {access_token, refresh_token, user, ...}

// ---------------------------------------------------------------- API calls

async function api(method, path, body, accessToken) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json?.error?.message ?? `${method} ${path} answered ${response.status}`);
    error.status = response.status;
    error.code = json?.error?.code;
    throw error;
  }
  return json;
}

// ---------------------------------------------------------------- WebAuthn (the part every client needs)

/** Adds a passkey to the signed-in account: options → navigator.credentials.create → verify. */
async function registerPasskey(accessToken, nickname) {
  const options = await api('POST', '/v1/auth/passkeys/register/options', nickname ? { nickname } : {}, accessToken);
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options.public_key) });
  return api('POST', '/v1/auth/passkeys/register/verify', {
    challenge_id: options.challenge_id,
    credential: credentialJson(credential),
    ...(nickname ? { nickname } : {}),
  }, accessToken);
}

/**
 * Signs in with a passkey, without an email: the options carry no allowCredentials, so the browser offers
 * every passkey it holds for this site, and the server finds the account from the credential.
 */
async function loginWithPasskey(mediation) {
  const options = await api('POST', '/v1/auth/passkeys/login/options', {});
  const credential = await navigator.credentials.get({
    publicKey: requestOptions(options.public_key),
    ...(mediation ? { mediation } : {}),
  });
  return api('POST', '/v1/auth/passkeys/login/verify', {
    challenge_id: options.challenge_id,
    credential: credentialJson(credential),
  });
}

// The server sends the WebAuthn Level 3 JSON forms; these turn them into what the browser API takes and back.
// Chromium, Firefox and Safari have the native methods; the fallbacks cover older browsers.

function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    user: { ...json.user, id: fromBase64Url(json.user.id) },
    excludeCredentials: (json.excludeCredentials ?? []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  };
}

function credentialJson(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: toBase64Url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toBase64Url(r.attestationObject);
    response.transports = r.getTransports?.() ?? [];
  } else {
    response.authenticatorData = toBase64Url(r.authenticatorData);
    response.signature = toBase64Url(r.signature);
    if (r.userHandle) response.userHandle = toBase64Url(r.userHandle);
  }
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response,
  };
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
}

function toBase64Url(buffer) {
  let binary = '';
  new Uint8Array(buffer).forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---------------------------------------------------------------- page

const $ = (id) => document.getElementById(id);

function say(text, kind = 'ok') {
  const message = $('message');
  message.textContent = text;
  message.className = kind;
}

/** Runs an action, showing its error (a WebAuthn DOMException or the API's standard error body). */
async function attempt(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (e) {
    const text = e instanceof DOMException && e.name === 'NotAllowedError'
      ? 'The passkey prompt was cancelled or timed out.'
      : e.message;
    say(text, 'error');
  } finally {
    button.disabled = false;
  }
}

/** The claims of a JWT, for display only (the API verifies tokens; the page never needs to). */
function claims(jwt) {
  const payload = jwt.split('.')[1];
  return JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
}

async function signedIn(tokens, how) {
  session = tokens;
  await showAccount();
  say(`Signed in ${how}.`);
}

async function showAccount() {
  const me = await api('GET', '/v1/users/me', undefined, session.access_token);
  $('user-name').textContent = me.user.name;
  $('user-email').textContent = me.user.email;
  $('user-verified').textContent = me.user.email_verified ? 'yes' : 'not yet';
  $('user-id').textContent = me.user.id;
  $('user-amr').textContent = (claims(session.access_token).amr ?? []).join(', ');
  await showPasskeys();
  await showMfa();
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  // The chart never stands in the way of signing in.
  showVerifications().catch(() => {});
}

async function showPasskeys() {
  const { passkeys } = await api('GET', '/v1/users/me/passkeys', undefined, session.access_token);
  $('passkey-count').textContent = passkeys.length;
  const list = $('passkey-list');
  list.replaceChildren(...passkeys.map((passkey) => {
    const item = document.createElement('li');
    item.className = 'passkey';
    item.dataset.passkeyId = passkey.id;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = passkey.nickname || 'Passkey';
    const meta = document.createElement('span');
    meta.className = 'meta';
    const used = passkey.last_used_at ? `last used ${when(passkey.last_used_at)}` : 'never used';
    meta.textContent = `added ${when(passkey.created_at)}, ${used}${passkey.backed_up ? ', synced' : ''}`;
    const rename = smallButton('Rename', async () => {
      const nickname = prompt('New nickname', passkey.nickname ?? '');
      if (nickname === null) return;
      await api('PATCH', `/v1/users/me/passkeys/${encodeURIComponent(passkey.id)}`, { nickname }, session.access_token);
      await showPasskeys();
    });
    const remove = smallButton('Remove', async () => {
      await api('DELETE', `/v1/users/me/passkeys/${encodeURIComponent(passkey.id)}`, undefined, session.access_token);
      await showPasskeys();
      say('Passkey removed.');
    });
    item.append(name, meta, rename, remove);
    return item;
  }));
}

function smallButton(label, action) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small secondary';
  button.textContent = label;
  button.addEventListener('click', () => attempt(button, action));
  return button;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function signOutLocally() {
  session = null;
  $('signed-in').hidden = true;
  $('signed-out').hidden = false;
  $('passkey-list').replaceChildren();
  hideMfaSteps();
}

// ---------------------------------------------------------------- API keys: verification analytics

/** The signed-in user's own (personal) organization: the first one it owns. */
async function ownOrganizationId() {
  const me = await api('GET', '/v1/users/me', undefined, session.access_token);
  return (me.memberships.find((m) => m.role === 'owner') ?? me.memberships[0])?.organization_id;
}

/** Reads the organization's daily verification counts and draws them as a sparkline. */
async function showVerifications() {
  const org = await ownOrganizationId();
  if (!org) return;
  const report = await api('GET', `/v1/orgs/${encodeURIComponent(org)}/api-keys/analytics`, undefined,
    session.access_token);
  drawSparkline($('verification-sparkline'), report.days.map((day) => day.total));
  $('verification-total').textContent = report.totals.total;
  $('verification-valid').textContent = report.totals.valid;
}

/** One polyline over the values (oldest left), scaled to the SVG's viewBox, and a dot on the last value. */
function drawSparkline(svg, values) {
  const [width, height, pad] = [300, 48, 4];
  const top = Math.max(1, ...values);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const points = values.map((value, i) => [pad + i * step, height - pad - (value / top) * (height - 2 * pad)]);
  const ns = 'http://www.w3.org/2000/svg';
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '2');
  const [lastX, lastY] = points[points.length - 1] ?? [pad, height - pad];
  const dot = document.createElementNS(ns, 'circle');
  dot.setAttribute('cx', lastX.toFixed(1));
  dot.setAttribute('cy', lastY.toFixed(1));
  dot.setAttribute('r', '3');
  dot.setAttribute('fill', 'currentColor');
  const title = document.createElementNS(ns, 'title');
  title.textContent = values.join(', ');
  svg.replaceChildren(title, line, dot);
  svg.dataset.values = values.join(',');
}

$('verify-demo-key-button').addEventListener('click', () => attempt($('verify-demo-key-button'), async () => {
  const org = await ownOrganizationId();
  const created = await api('POST', `/v1/orgs/${encodeURIComponent(org)}/api-keys`,
    { name: 'demo key', permissions: ['read'] }, session.access_token);
  for (const permission of ['read', 'read', 'read', 'write']) {
    await api('POST', '/v1/api-keys/verify', { key: created.key, permission });
  }
  await showVerifications();
  say('A key was made and verified four times (one without the permission asked): the sparkline counts them.');
}));

$('register-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt($('register-button'), async () => {
    const email = $('register-email').value;
    const password = $('register-password').value;
    await api('POST', '/v1/auth/register', { email, password, name: $('register-name').value });
    $('login-email').value = email;
    $('register-form').reset();
    say(`Account created for ${email}. Check the outbox for the verification mail, and sign in.`);
  });
});

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt($('login-button'), async () => {
    const tokens = await api('POST', '/v1/auth/login/password',
      { email: $('login-email').value, password: $('login-password').value });
    $('login-form').reset();
    if (tokens.mfa_required) {
      askForSecondFactor(tokens.mfa_token);
      return;
    }
    await signedIn(tokens, 'with a password');
  });
});

$('passkey-login-button').addEventListener('click', () => attempt($('passkey-login-button'), async () => {
  if (!window.PublicKeyCredential) throw new Error('This browser does not support passkeys.');
  await signedIn(await loginWithPasskey(), 'with a passkey');
}));

$('add-passkey-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt($('add-passkey-button'), async () => {
    if (!window.PublicKeyCredential) throw new Error('This browser does not support passkeys.');
    const passkey = await registerPasskey(session.access_token, $('passkey-nickname').value.trim());
    $('add-passkey-form').reset();
    await showPasskeys();
    say(`Passkey "${passkey.nickname || 'Passkey'}" added. Sign out and sign back in with it.`);
  });
});

$('logout-button').addEventListener('click', () => attempt($('logout-button'), async () => {
  const refreshToken = session?.refresh_token;
  signOutLocally();
  if (refreshToken) await api('POST', '/v1/auth/logout', { refresh_token: refreshToken });
  say('Signed out.');
}));

// ---------------------------------------------------------------- two-factor sign-in (docs/mfa.md)

let mfaToken = null; // the second login step's token, between the password and the code

function askForSecondFactor(token) {
  mfaToken = token;
  $('mfa-login').hidden = false;
  $('mfa-login-code').focus();
  say('Password accepted. Enter the code from your authenticator app.');
}

/** POST /v1/auth/login/mfa with a TOTP code or a recovery code; the tokens' amr says which. */
async function finishSecondFactor(second, how) {
  const tokens = await api('POST', '/v1/auth/login/mfa', { mfa_token: mfaToken, ...second });
  mfaToken = null;
  $('mfa-login-form').reset();
  $('mfa-recovery-form').reset();
  $('mfa-login').hidden = true;
  await signedIn(tokens, how);
}

function hideMfaSteps() {
  mfaToken = null;
  $('mfa-login').hidden = true;
  $('mfa-enrolment').hidden = true;
  $('mfa-recovery').hidden = true;
  $('mfa-qr').replaceChildren();
  $('mfa-uri').textContent = '';
  $('mfa-recovery-codes').replaceChildren();
}

async function showMfa() {
  const status = await api('GET', '/v1/users/me/mfa', undefined, session.access_token);
  $('mfa-status').textContent = status.enabled
    ? `On: authenticator app added ${when(status.totp_created_at)}, ${status.recovery_codes_left} recovery codes left.`
    : 'Off: the password alone signs you in.';
  $('mfa-enrol-button').hidden = status.enabled;
}

$('mfa-login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt($('mfa-login-button'), () => finishSecondFactor({ code: $('mfa-login-code').value.trim() },
    'with a password and a code'));
});

$('mfa-recovery-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt($('mfa-recovery-button'), () => finishSecondFactor(
    { recovery_code: $('mfa-recovery-code').value.trim() }, 'with a password and a recovery code'));
});

$('mfa-enrol-button').addEventListener('click', () => attempt($('mfa-enrol-button'), async () => {
  const started = await api('POST', '/v1/users/me/mfa/totp', undefined, session.access_token);
  // The server draws the QR code (an SVG of the otpauth:// URI); parsed as SVG, never as HTML.
  const svg = new DOMParser().parseFromString(started.qr_svg, 'image/svg+xml').documentElement;
  $('mfa-qr').replaceChildren(document.importNode(svg, true));
  $('mfa-uri').textContent = started.otpauth_uri;
  $('mfa-enrolment').hidden = false;
  $('mfa-recovery').hidden = true;
  $('mfa-confirm-code').focus();
  say('Scan the QR code with your authenticator app, then enter its code.');
}));

$('mfa-confirm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt($('mfa-confirm-button'), async () => {
    const { recovery_codes: codes } = await api('POST', '/v1/users/me/mfa/totp/confirm',
      { code: $('mfa-confirm-code').value.trim() }, session.access_token);
    $('mfa-confirm-form').reset();
    $('mfa-enrolment').hidden = true;
    $('mfa-qr').replaceChildren();
    $('mfa-recovery-codes').replaceChildren(...codes.map((code) => {
      const item = document.createElement('li');
      item.textContent = code;
      return item;
    }));
    $('mfa-recovery').hidden = false;
    await showMfa();
    say('Two-factor sign-in is on. Keep the recovery codes somewhere safe.');
  });
});

// For tests and curious people in the browser console: the current access token (still memory only).
window.latchkeyDemo = Object.freeze({ accessToken: () => session?.access_token ?? null });
