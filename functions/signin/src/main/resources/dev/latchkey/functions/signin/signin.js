// Latchkey's hosted sign-in pages: plain JavaScript, no build step, no third-party code (CSP script-src 'self').
// The password, the TOTP code and the passkey go to the ordinary login routes (same origin), which throttle and
// audit them; their access token is then exchanged once at POST /oauth/signin for the single sign-on cookie, and the
// page continues the authorization request. Tokens stay in this function's memory only and are dropped on navigation.
'use strict';

const page = document.getElementById('page');
const status = document.getElementById('status');
let conditional = null; // the AbortController of the autofill (conditional mediation) request
let conditionalDone = Promise.resolve(); // settles when that request has ended

function say(message, info) {
  status.textContent = message;
  status.className = info ? 'info' : '';
}

async function api(path, body, accessToken) {
  const headers = { accept: 'application/json', 'content-type': 'application/json' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json?.error?.message ?? `The server answered ${response.status}.`);
    error.code = json?.error?.code;
    throw error;
  }
  return json;
}

/** Exchanges a fresh sign-in's access token for the single sign-on session, then continues the request. */
async function finish(tokens) {
  const next = await api('/oauth/signin', { request: page.dataset.request, csrf_token: page.dataset.csrf },
    tokens.access_token);
  say('Signed in. Continuing…', true);
  window.location.assign(next.continue);
}

async function passwordSignIn(event) {
  event.preventDefault();
  await abortConditional();
  const email = document.getElementById('email').value.trim();
  const password = document.getElementById('password').value;
  if (!email || !password) {
    say('Enter your email and password.');
    return;
  }
  try {
    const answer = await api('/v1/auth/login/password', { email, password });
    if (answer.mfa_required) {
      showMfa(answer.mfa_token);
      return;
    }
    await finish(answer);
  } catch (error) {
    say(error.message);
  }
}

function showMfa(mfaToken) {
  document.getElementById('password-form').hidden = true;
  document.getElementById('passkey').hidden = true;
  const form = document.getElementById('mfa-form');
  form.hidden = false;
  say('Enter the code from your authenticator app.', true);
  const input = document.getElementById('code');
  input.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = input.value.replace(/\s/g, '');
    const body = /^[0-9]{6}$/.test(value) ? { mfa_token: mfaToken, code: value }
      : { mfa_token: mfaToken, recovery_code: value };
    try {
      await finish(await api('/v1/auth/login/mfa', body));
    } catch (error) {
      say(error.message);
    }
  });
}

/** WebAuthn sign-in without an email: the server finds the account from the credential. */
async function passkeySignIn(mediation, signal) {
  const options = await api('/v1/auth/passkeys/login/options', {});
  const credential = await navigator.credentials.get({
    publicKey: requestOptions(options.public_key),
    ...(mediation ? { mediation } : {}),
    ...(signal ? { signal } : {}),
  });
  const tokens = await api('/v1/auth/passkeys/login/verify', {
    challenge_id: options.challenge_id,
    credential: credentialJson(credential),
  });
  await finish(tokens);
}

/** Ends the pending autofill request; a browser allows one WebAuthn request at a time. */
async function abortConditional() {
  if (conditional) {
    conditional.abort();
    conditional = null;
  }
  await conditionalDone;
}

async function startConditional() {
  if (!window.PublicKeyCredential || !PublicKeyCredential.isConditionalMediationAvailable) return;
  if (!(await PublicKeyCredential.isConditionalMediationAvailable())) return;
  conditional = new AbortController();
  conditionalDone = passkeySignIn('conditional', conditional.signal).catch((error) => {
    if (error.name !== 'AbortError') say(error.message);
  });
  await conditionalDone;
}

async function forgotPassword() {
  const email = document.getElementById('email').value.trim();
  if (!email) {
    say('Enter your email first, then choose "Forgot password?".');
    document.getElementById('email').focus();
    return;
  }
  try {
    await api('/v1/auth/password/forgot', { email });
    say('If this address belongs to an account, a password reset email is on its way.', true);
  } catch (error) {
    say(error.message);
  }
}

async function signUp(event) {
  event.preventDefault();
  const name = document.getElementById('name').value.trim();
  const email = document.getElementById('email').value.trim();
  const password = document.getElementById('password').value;
  try {
    await api('/v1/auth/register', { email, password, name });
    const answer = await api('/v1/auth/login/password', { email, password });
    await finish(answer);
  } catch (error) {
    say(error.message);
  }
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
  const response = {
    clientDataJSON: toBase64Url(r.clientDataJSON),
    authenticatorData: toBase64Url(r.authenticatorData),
    signature: toBase64Url(r.signature),
  };
  if (r.userHandle) response.userHandle = toBase64Url(r.userHandle);
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

if (page.dataset.mode === 'signin') {
  document.getElementById('password-form').addEventListener('submit', passwordSignIn);
  document.getElementById('forgot').addEventListener('click', forgotPassword);
  document.getElementById('passkey').addEventListener('click', async () => {
    await abortConditional();
    try {
      await passkeySignIn();
    } catch (error) {
      say(error.name === 'NotAllowedError' ? 'The passkey sign-in was cancelled.' : error.message);
    }
  });
  startConditional();
} else if (page.dataset.mode === 'signup') {
  document.getElementById('signup-form').addEventListener('submit', signUp);
}
