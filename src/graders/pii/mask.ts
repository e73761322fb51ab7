/**
 * Masks a finding for reasons and reports. Reports are shared, committed as baselines and pasted
 * into pull requests, so the personal data a grader catches must not be copied into them: each
 * form keeps the layout and as little as tells the kinds apart (an e-mail's initials and
 * top-level domain, an IBAN's country, a phone's last two digits) and stars out the rest. Cards,
 * SSNs and IBANs keep no digit: their last four are what account recovery and social
 * engineering ask for.
 */

const star = (ch: string): string => (/[\p{L}\p{N}]/u.test(ch) ? '*' : ch);

/** Stars every letter and digit except the last `keep` of them. */
function keepLast(text: string, keep: number): string {
  let remaining = [...text].filter((c) => /[\p{L}\p{N}]/u.test(c)).length - keep;
  return [...text]
    .map((c) => {
      if (!/[\p{L}\p{N}]/u.test(c)) return c;
      return remaining-- > 0 ? '*' : c;
    })
    .join('');
}

/** `john.doe@example.co.uk` → `j***@e***.uk` */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const tld = labels.length > 1 ? labels[labels.length - 1] : '';
  return `${local[0] ?? ''}***@${labels[0]?.[0] ?? ''}***${tld ? '.' + tld : ''}`;
}

/** `DE89 3704 0044 0532 0130 00` → `DE** **** **** **** **** **`: the country only. */
function maskIban(iban: string): string {
  return iban.slice(0, 2) + keepLast(iban.slice(2), 0);
}

/** `203.0.113.42` → `203.*.*.*`; `2001:db8::8a2e:370:7334` → `2001:***::****:***:****`. */
function maskIp(ip: string): string {
  if (!ip.includes(':')) return `${ip.split('.')[0]}.*.*.*`;
  const [first, ...rest] = ip.split(':');
  return [first, ...rest.map((group) => [...group].map(star).join(''))].join(':');
}

/** Anything else (user patterns, listed values): first character of each word, then stars. */
function maskGeneric(text: string): string {
  const significant = [...text].filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
  if (significant <= 4) return [...text].map(star).join('');
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => word[0] + '*'.repeat([...word].length - 1));
}

export function maskFinding(kind: string, text: string): string {
  switch (kind) {
    case 'email':
      return maskEmail(text);
    case 'card':
    case 'ssn':
      return keepLast(text, 0);
    case 'phone':
      return keepLast(text, 2);
    case 'iban':
      return maskIban(text);
    case 'ip':
      return maskIp(text);
    default:
      return maskGeneric(text);
  }
}
