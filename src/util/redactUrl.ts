import { registerSecret } from './secrets.js';

/**
 * Credentials inside URLs: `http://user:secret@host`, `?api-key=…`, `?key=…`, `&token=…`,
 * `sig=…`. `redactUrl` is the one way a URL is written anywhere (reports, errors, cache
 * files): userinfo and credential-like query or fragment values become `[REDACTED]`, the rest
 * of the URL is kept byte for byte. `registerUrlSecrets` adds those parts to the secret
 * registry, so they are also scrubbed wherever an SDK or server quotes the URL in a message.
 */

const REDACTED = '[REDACTED]';

/** Query parameter names that carry a credential (matched anywhere in the name, any case). */
const CREDENTIAL_NAME = /key|token|sig|secret|pass|pwd|auth|credential|session|cookie|bearer/i;

/** `scheme://userinfo@`: userinfo is everything up to the last `@` before the path. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)@/i;

/** `name=value` in a query or fragment. */
const PARAM = /([?&;#])([^=&;#\s]+)=([^&;#\s]*)/g;

/**
 * A URL inside free text (an error message): up to whitespace, `"`, `<`, `>` or a backtick. A
 * single quote is a legal URL character (and may sit in a password), so it does not end one.
 */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"<>`]+/gi;

export function redactUrl(url: string): string {
  return url
    .replace(USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(PARAM, (m, sep: string, name: string) => (CREDENTIAL_NAME.test(name) ? `${sep}${name}=${REDACTED}` : m));
}

/** `?name=value`, `&name=value`, `#name=value` in free text: a quoted path, query or fragment without its scheme. */
const PARAM_IN_TEXT = /([?&;#])([^=&;#\s"<>`?]+)=([^&;#\s"<>`]*)/g;

/**
 * Every URL inside `text` redacted, and credential parameters of quoted paths too (a server
 * echoing `POST /v1?api-key=…`): for messages from SDKs and servers.
 */
export function redactUrlsIn(text: string): string {
  const urls = text.includes('://') ? text.replace(URL_IN_TEXT, (u) => redactUrl(u)) : text;
  return urls.includes('=') ? urls.replace(PARAM_IN_TEXT, (m, sep: string, name: string) => (CREDENTIAL_NAME.test(name) ? `${sep}${name}=${REDACTED}` : m)) : urls;
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The secret parts of a URL, as written and percent-decoded. */
export function urlSecrets(url: string): string[] {
  const out = new Set<string>();
  const add = (s: string): void => {
    if (!s) return;
    out.add(s);
    out.add(decoded(s));
  };
  const info = USERINFO.exec(url)?.[2];
  if (info) {
    add(info);
    const colon = info.indexOf(':');
    if (colon >= 0) {
      add(info.slice(0, colon));
      add(info.slice(colon + 1));
    }
  }
  for (const m of url.matchAll(PARAM)) if (CREDENTIAL_NAME.test(m[2]!)) add(m[3]!);
  return [...out];
}

/** Registers a URL's secret parts with the secret registry (long enough ones: see registerSecret). */
export function registerUrlSecrets(url: string | undefined): void {
  if (url) for (const s of urlSecrets(url)) registerSecret(s);
}
