import { isIPv6 } from 'node:net';
import type { CountryCode } from 'libphonenumber-js';
import { phoneNumbers } from './phoneNumbers.js';
import { cardNetwork, IBAN_LENGTHS, ibanChecksumValid } from './checksums.js';

/**
 * The built-in personal-data detectors of the pii grader. Each is a regular expression that finds
 * candidates (compiled once, at module load) followed by checks that reject look-alikes: a Luhn
 * digit for cards, mod-97 for IBANs, reserved ranges for SSNs, octet ranges for IPv4. Phone
 * numbers have no checksum, so their rules are shape rules chosen to leave dates, times, prices,
 * order and version numbers alone (see detectPhones).
 */

export const PII_KINDS = ['email', 'phone', 'card', 'iban', 'ssn', 'ip'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiFinding {
  /** A PiiKind, `pattern:<name>` for a user pattern, or `value` for a listed value. */
  kind: string;
  /** UTF-16 offsets into the output, end exclusive. */
  start: number;
  end: number;
  text: string;
  /** What the check recognised (card network, IP version, phone rule), for the details. */
  note?: string;
}

export interface DetectOptions {
  /** Report private, loopback and link-local IP addresses too (default false). */
  includePrivateIps: boolean;
  /**
   * Countries (ISO 3166 alpha-2) whose national phone numbers are also searched for, each
   * candidate validated by libphonenumber-js against that country's numbering plan.
   */
  regions?: CountryCode[];
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/**
 * The kind of a "shadow" finding: text shaped like one kind that fails its check (an IBAN with a
 * bad checksum, an unissued SSN). It is no personal data, but it claims its stretch of text during
 * overlap resolution so that its pieces are not reported as another kind, then it is dropped.
 */
const SHADOW = '~shadow';

// ------------------------------------------------------------------ e-mail

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![A-Za-z0-9-])/g;
/** `logo@2x.png`, `icon@3x.webp`: asset names with a file extension where a top-level domain would be. */
const FILE_EXTENSION = /^(?:png|jpe?g|gif|svg|webp|bmp|ico|avif|css|js|mjs|cjs|ts|tsx|jsx|json|html?|txt|ya?ml|lock)$/i;

function detectEmails(text: string): PiiFinding[] {
  return [...text.matchAll(EMAIL)].filter((m) => !FILE_EXTENSION.test(m[1]!)).map((m) => finding('email', m.index, m[0]));
}

// ------------------------------------------------------------------ phone numbers

/** `+CC …`: a country code and groups; E.164 allows at most 15 digits. */
const PHONE_INTL = /(?<![\w+@])\+\d{1,3}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,5})){1,7}(?![\w@])/g;
/** North American `(415) 555-0132`, `415-555-0132`, `415.555.0132`: area code and exchange start 2-9. */
const PHONE_NANP =
  /(?<![\w#$€£¥.,+/-])(?:1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}([ .-]))[2-9]\d{2}([ .-])\d{4}(?![\w/%-]|[.,]\d)/g;
/**
 * National numbers with a trunk 0 in groups: `020 7946 0958`, `06 12 34 56 78`, `(030) 1234567`,
 * and the German area-code slash `030/12345678`. `00…` is an international prefix or a
 * zero-padded reference (`0012 3456 78`), not a trunk 0.
 */
const PHONE_TRUNK = /(?<![\w#$€£¥.,+/:-])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:\/\d{3,8}(?:-\d{1,5})?|(?:[ .-]\d{2,8}){1,5})(?![\w/%]|[.,:-]\d)/g;
/** Indian mobiles written nationally, 5 + 5 digits starting 6–9: `98765 43210`. */
const PHONE_IN_MOBILE = /(?<![\w#$€£¥.,+/:-])[6-9]\d{4} \d{5}(?![\w/%]|[.,:-]\d)/g;
/** An area code in brackets without the trunk 0: `(11) 91234-5678`, `(02) 9876 5432`. */
const PHONE_BRACKETED = /(?<![\w#$€£¥.,+/:-])\(\d{2,4}\) ?\d{3,5}[ -]\d{4}(?![\w/%]|[.,:-]\d)/g;
/**
 * Any digit run right after a word that announces a phone number ("call me at", "tel:", a JSON
 * key `"phone": "…"`, "Telefon", "téléphone", "móvil", "Handy", "portable"…).
 */
const PHONE_LABELLED =
  /(?<![\p{L}])(?:phone|tel|telephone|mobile|cell|cellphone|fax|whatsapp|sms|call|text|dial|telefon|telefonnummer|handy|mobil|mobilnummer|rufnummer|tel\.-nr|téléphone|portable|numéro de téléphone|teléfono|telefono|móvil|movil|celular|cellulare|llámame al|llame al|appelez le|rufen sie|ruf|contact|contacto|kontakt)(?:_?(?:number|no|nr|num))?["']?\.?(?:[ \t]+(?:me|him|her|them|us|at|on|number|no\.?|#|is|unter|au|al))*[ \t]*[:=]?[ \t]*["']?(\+?\(?\d[\d ()./-]{4,20}\d)(?![\w/%]|[.,:]\d)/dgiu;
/** A reference number, not a phone: "invoice 0171-2345-678", "ref 0301 2345 6789", "PO 0098…". */
const REFERENCE_BEFORE =
  /(?:\b(?:invoice|order|ref|reference|po|sku|serial|ticket|case|tracking|account|acct|id|no|nr|batch|customer|kunden|bestell|rechnungs|commande|facture|pedido|factura|aktenzeichen)\b\.?(?:[ \t]+(?:no|nr|number|n°|num|#)\.?)?|#)[ \t]*[:#]?[ \t]*$/i;
/** Day-month-year or year-month-day, with any separator: never a phone number. */
const DATE_SHAPE = /^(?:\d{4}[-/. ]\d{1,2}[-/. ]\d{1,2}|\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4})$/;

function plausiblePhone(candidate: string, minDigits: number, maxDigits: number): boolean {
  const n = digitsOf(candidate).length;
  if (n < minDigits || n > maxDigits || DATE_SHAPE.test(candidate.trim())) return false;
  // A dot between groups is a phone separator only when it is the only one (06.12.34.56.78);
  // mixed with spaces it is a decimal point in a list of numbers (0.125 0.250 0.375).
  const separators = new Set(candidate.replace(/[\d()+]/g, ''));
  return !(separators.has('.') && separators.size > 1);
}

/**
 * Phone numbers need a shape that prose numbers do not have: a leading `+` country code, the
 * North American 3-3-4 grouping, a trunk `0` followed by separated groups, or a label word right
 * before the digits. A bare run of digits is never a phone number on its own (it is more often an
 * order or tracking number); dates, times (colons), prices, decimals and version numbers fail
 * these shapes or the digit-count bounds.
 */
function detectPhones(text: string, opts: DetectOptions): PiiFinding[] {
  const found: PiiFinding[] = [];
  const isReference = (at: number): boolean => REFERENCE_BEFORE.test(text.slice(Math.max(0, at - 24), at));
  for (const m of text.matchAll(PHONE_INTL)) {
    if (plausiblePhone(m[0], 8, 15)) found.push(finding('phone', m.index, m[0], 'international'));
  }
  for (const m of text.matchAll(PHONE_NANP)) {
    // The two separators of 415-555-0132 agree; 415 555-0132 style mixes are not numbers people write.
    if (m[1] !== undefined && m[1] !== m[2]) continue;
    if (plausiblePhone(m[0], 10, 11) && !isReference(m.index)) found.push(finding('phone', m.index, m[0], 'north-american'));
  }
  const shapes: Array<[RegExp, number, number, string]> = [
    [PHONE_TRUNK, 9, 14, 'national'],
    [PHONE_IN_MOBILE, 10, 10, 'national'],
    [PHONE_BRACKETED, 9, 11, 'national'],
  ];
  for (const [re, min, max, note] of shapes) {
    for (const m of text.matchAll(re)) {
      if (plausiblePhone(m[0], min, max) && !isReference(m.index)) found.push(finding('phone', m.index, m[0], note));
    }
  }
  for (const m of text.matchAll(PHONE_LABELLED)) {
    const [start] = m.indices![1]!;
    if (plausiblePhone(m[1]!, 7, 15)) found.push(finding('phone', start, m[1]!, 'labelled'));
  }
  for (const region of opts.regions ?? []) {
    for (const m of phoneNumbers().findPhoneNumbersInText(text, region)) {
      if (!isReference(m.startsAt)) found.push(finding('phone', m.startsAt, text.slice(m.startsAt, m.endsAt), `valid in ${m.number.country ?? region}`));
    }
  }
  return found;
}

// ------------------------------------------------------------------ payment cards

/** Runs of digit groups joined by single spaces or dashes, not part of a word or a decimal. */
const DIGIT_GROUPS = /(?<![\w.,+/-])\d+(?:[ -]\d+)*(?![\w/]|[.,]\d)/g;

/**
 * Cards are 13–19 digits, optionally grouped with one kind of separator (4111 1111 1111 1111,
 * 3782-822463-10005), with a known issuer prefix and a valid Luhn digit. A run of groups can hold
 * more than a card ("4111 1111 1111 1111 12 26"), so every window of whole groups is tried and
 * the longest card wins.
 */
function detectCards(text: string): PiiFinding[] {
  const found: PiiFinding[] = [];
  for (const m of text.matchAll(DIGIT_GROUPS)) {
    if (digitsOf(m[0]).length < 13) continue;
    const groups: Array<{ start: number; end: number; sep: string }> = [];
    const re = /\d+/g;
    for (const g of m[0].matchAll(re)) {
      groups.push({ start: m.index + g.index, end: m.index + g.index + g[0].length, sep: m[0][g.index - 1] ?? '' });
    }
    let s = 0;
    while (s < groups.length) {
      let best: { e: number; network: string } | undefined;
      let digits = '';
      for (let e = s; e < groups.length; e++) {
        const g = groups[e]!;
        if (e > s + 1 && g.sep !== groups[s + 1]!.sep) break; // one kind of separator per card
        const len = g.end - g.start;
        if (e > s && (len < 3 || len > 6 || groups[s]!.end - groups[s]!.start > 6)) break; // groups of 3–6 when grouped
        digits += text.slice(g.start, g.end);
        if (digits.length > 19) break;
        const network = cardNetwork(digits);
        if (network) best = { e, network };
      }
      if (best) {
        const start = groups[s]!.start;
        const end = groups[best.e]!.end;
        found.push(finding('card', start, text.slice(start, end), best.network));
        s = best.e + 1;
      } else s++;
    }
    // Laid out like a card (4111 1111 1111 1112) but failing its checks: not a card, and its
    // tail is not a phone number either.
    if (!found.some((f) => f.start >= m.index && f.end <= m.index + m[0].length) && CARD_SHAPE.test(m[0])) {
      found.push(finding(SHADOW, m.index, m[0], 'card-shaped'));
    }
  }
  return found;
}

/** Four groups of four (the last 1–7), or 13–19 digits in one run. */
const CARD_SHAPE = /^(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{13,19})$/;

// ------------------------------------------------------------------ IBANs

const IBAN_START = /\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){8,32}/g;

/**
 * An IBAN is read for exactly its country's length (so the word after it is never swallowed),
 * printed compact or in groups separated by single spaces or dashes, in either case, and must
 * pass the mod-97 check (which a random letters-and-digits run passes one time in 97, on top of
 * having its country's exact length).
 */
function detectIbans(text: string): PiiFinding[] {
  const found: PiiFinding[] = [];
  IBAN_START.lastIndex = 0;
  for (let m = IBAN_START.exec(text); m; m = IBAN_START.exec(text)) {
    const length = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    let end = m.index;
    let compact = '';
    if (length !== undefined) {
      while (end < text.length && compact.length < length) {
        const ch = text[end]!;
        if (/[A-Za-z0-9]/.test(ch)) compact += ch.toUpperCase();
        else if (!((ch === ' ' || ch === '-') && compact.length > 0 && /[A-Za-z0-9]/.test(text[end + 1] ?? ''))) break;
        end++;
      }
    }
    if (length !== undefined && compact.length === length && !/[A-Za-z0-9]/.test(text[end] ?? '') && ibanChecksumValid(compact)) {
      found.push(finding('iban', m.index, text.slice(m.index, end)));
      IBAN_START.lastIndex = end;
    } else {
      // Shaped like an IBAN but not one: its digit groups are not a phone number either. Only
      // upper case claims the text: lower case "at 12…" shapes are too common in prose.
      if (/^[A-Z]{2}/.test(m[0])) found.push(finding(SHADOW, m.index, m[0], 'iban-shaped'));
      IBAN_START.lastIndex = m.index + 1;
    }
  }
  return found;
}

// ------------------------------------------------------------------ US social security numbers

/** AAA-GG-SSSS; area 000, 666 and 900–999, group 00 and serial 0000 are never issued. */
const SSN = /(?<![\w/.-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w/-]|[.,]\d)/g;
/** Unformatted or space-separated, only when labelled. */
const SSN_LABELLED = /\b(?:SSN|social security (?:number|no\.?|#))[ \t]*(?:is|:|#)?[ \t]*((?!000|666|9\d\d)\d{3}[ -]?(?!00)\d{2}[ -]?(?!0000)\d{4})\b/dgi;

/** The AAA-GG-SSSS layout whatever the numbers: an unissued SSN is still not a phone number. */
const SSN_SHAPE = /(?<![\w/.-])\d{3}-\d{2}-\d{4}(?![\w/-]|[.,]\d)/g;

function detectSsns(text: string): PiiFinding[] {
  const found = [...text.matchAll(SSN)].map((m) => finding('ssn', m.index, m[0]));
  for (const m of text.matchAll(SSN_LABELLED)) found.push(finding('ssn', m.indices![1]![0], m[1]!, 'labelled'));
  for (const m of text.matchAll(SSN_SHAPE)) {
    if (!found.some((f) => f.start === m.index)) found.push(finding(SHADOW, m.index, m[0], 'ssn-shaped'));
  }
  return found;
}

// ------------------------------------------------------------------ IP addresses

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])(?:${OCTET}\\.){3}${OCTET}(?![\\w]|\\.\\d)`, 'g');
/** "version 10.0.0.1", "build 1.2.3.4": four-part version numbers look exactly like addresses. */
const VERSION_BEFORE =
  /(?:\bversion|\bver\.?|\brelease|\bbuild|\bfirmware|\bv|\bpatch(?: notes)?(?: for)?|§|\bsections?|\bsec\.|\bchapters?|\bch\.|\bsteps?|\brequirements?|\breq\.|\bclauses?|\barticles?|\bart\.|\bparagraphs?|\bpara\.|\bitems?|\brules?|\btables?|\bfigures?|\bfig\.|\bappendix|\bparts?|\bkapitel|\babschnitt|\bchapitre|\bcapítulo|\bsección|\bapartado)["']?[ \t]*[:=]?[ \t]*["']?$/i;
const IPV6_CANDIDATE = /(?<![\w:.])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:)[0-9A-Fa-f:]{2,39}(?![\w:])/g;

function privateIPv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 10 || a === 127 || a === 0 || ip === '255.255.255.255' ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)
  );
}

function privateIPv6(ip: string): boolean {
  const lower = ip.toLowerCase();
  return lower === '::1' || lower === '::' || /^fe[89ab]/.test(lower) || /^f[cd]/.test(lower);
}

/**
 * IPv4 with valid octets (no leading zeros), not preceded by a version word; IPv6 validated by
 * node:net with at least three non-empty groups (so `a::b` in code is left alone). Private,
 * loopback, link-local and CGNAT ranges name no one on the internet and are skipped unless
 * `includePrivateIps`; documentation ranges (192.0.2.0/24, 2001:db8::/32) are reported, as
 * they stand in for real addresses in fixtures.
 */
function detectIps(text: string, opts: DetectOptions): PiiFinding[] {
  const found: PiiFinding[] = [];
  let sectionEnd = -1;
  for (const m of text.matchAll(IPV4)) {
    // "sections 2.1.4.3 and 2.1.4.4": the word covers the whole list.
    const listed = sectionEnd >= 0 && /^\s*(?:,|and|or|to|&|-|–)\s*$/.test(text.slice(sectionEnd, m.index));
    if (listed || VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index))) {
      sectionEnd = m.index + m[0].length;
      continue;
    }
    sectionEnd = -1;
    // 30.0.0.0, 203.0.113.0: a network, not a host anyone is at.
    if (m[0].endsWith('.0')) continue;
    if (!opts.includePrivateIps && privateIPv4(m[0])) continue;
    found.push(finding('ip', m.index, m[0], 'ipv4'));
  }
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    if (!isIPv6(m[0]) || m[0].split(':').filter(Boolean).length < 3) continue;
    if (!opts.includePrivateIps && privateIPv6(m[0])) continue;
    found.push(finding('ip', m.index, m[0], 'ipv6'));
  }
  return found;
}

// ------------------------------------------------------------------ all together

function finding(kind: string, start: number, text: string, note?: string): PiiFinding {
  const f: PiiFinding = { kind, start, end: start + text.length, text };
  if (note) f.note = note;
  return f;
}

const DETECTORS: Record<PiiKind, (text: string, opts: DetectOptions) => PiiFinding[]> = {
  email: detectEmails,
  card: detectCards,
  iban: detectIbans,
  ssn: detectSsns,
  ip: detectIps,
  phone: detectPhones,
};

/**
 * When findings overlap, the one backed by a check wins over a shape: checksummed or structured
 * kinds first, then shadows (see SHADOW), then shape-only kinds; within a tier the longer finding,
 * then the more specific kind.
 */
const PRIORITY: Record<string, number> = { email: 0, card: 1, iban: 2, ssn: 3, [SHADOW]: 4, ip: 5, phone: 6 };
const TIER: Record<string, number> = { email: 0, card: 0, iban: 0, ssn: 0, [SHADOW]: 1 };
const priorityOf = (kind: string): number => PRIORITY[kind] ?? (kind.startsWith('pattern') ? 7 : 8);
const tierOf = (kind: string): number => TIER[kind] ?? 2;

/**
 * Keeps one finding per stretch of text. Needed because the detectors overlap on purpose (an
 * IBAN's digit groups look like a national phone number); shadows are dropped at the end.
 */
export function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  const ranked = [...findings].sort(
    (a, b) =>
      tierOf(a.kind) - tierOf(b.kind) ||
      b.end - b.start - (a.end - a.start) ||
      priorityOf(a.kind) - priorityOf(b.kind) ||
      a.start - b.start,
  );
  // Kept findings never overlap, so a character is covered by at most one: marking covered
  // characters makes each check proportional to the finding's length, not to the findings kept.
  let end = 0;
  for (const f of findings) if (f.end > end) end = f.end;
  const covered = new Uint8Array(end);
  const kept: PiiFinding[] = [];
  for (const f of ranked) {
    if (covered.subarray(f.start, f.end).includes(1)) continue;
    covered.fill(1, f.start, f.end);
    kept.push(f);
  }
  return kept.filter((f) => f.kind !== SHADOW).sort((a, b) => a.start - b.start);
}

/**
 * Runs every built-in detector (all of them, so that overlaps resolve the same way whatever
 * `kinds` selects) and returns the findings, not yet filtered by kind.
 */
export function detectBuiltIn(text: string, opts: DetectOptions): PiiFinding[] {
  return PII_KINDS.flatMap((kind) => DETECTORS[kind](text, opts));
}
