import { describe, expect, it } from 'vitest';
import pii, { findPii } from '../../src/graders/pii.js';
import { cardNetwork, ibanChecksumValid, luhnValid } from '../../src/graders/pii/checksums.js';
import { maskFinding } from '../../src/graders/pii/mask.js';
import { makeCtx, makeEnv, makeGrader } from './securityEnv.js';

const kindsIn = (text: string, opts: Parameters<typeof findPii>[1] = {}) => findPii(text, opts).map((f) => f.kind);
const textsIn = (text: string) => findPii(text).map((f) => f.text);

describe('pii detectors find each kind of personal data', () => {
  it.each([
    ['email', 'write to jane.doe@example.com today', 'jane.doe@example.com'],
    ['email', 'cc: o\'brien+tag@mail.example.co.uk.', "o'brien+tag@mail.example.co.uk"],
    ['phone', 'call +44 20 7946 0958 now', '+44 20 7946 0958'],
    ['phone', 'US office: +1 (415) 555-0132.', '+1 (415) 555-0132'],
    ['phone', 'mobile +4915112345678', '+4915112345678'],
    ['phone', 'ring (415) 555-0132 after 5', '(415) 555-0132'],
    ['phone', 'or 415-555-0132', '415-555-0132'],
    ['phone', 'or 415.555.0132', '415.555.0132'],
    ['phone', 'London 020 7946 0958', '020 7946 0958'],
    ['phone', 'Paris 06 12 34 56 78', '06 12 34 56 78'],
    ['phone', 'Lyon 06.12.34.56.78', '06.12.34.56.78'],
    ['phone', 'Berlin (030) 1234567', '(030) 1234567'],
    ['phone', 'call me at 555 0132', '555 0132'],
    ['phone', 'Tel.: 5550132', '5550132'],
    ['card', 'card 4111 1111 1111 1111 exp 12/26', '4111 1111 1111 1111'],
    ['card', 'card 4111-1111-1111-1111', '4111-1111-1111-1111'],
    ['card', 'card 4111111111111111.', '4111111111111111'],
    ['card', 'mc 5555 5555 5555 4444', '5555 5555 5555 4444'],
    ['card', 'amex 3782 822463 10005', '3782 822463 10005'],
    ['iban', 'IBAN DE89 3704 0044 0532 0130 00 please', 'DE89 3704 0044 0532 0130 00'],
    ['iban', 'to GB82WEST12345698765432.', 'GB82WEST12345698765432'],
    ['iban', 'to GB82 WEST 1234 5698 7654 32 IS the account', 'GB82 WEST 1234 5698 7654 32'],
    ['ssn', 'SSN 123-45-6789.', '123-45-6789'],
    ['ssn', 'social security number: 123 45 6789', '123 45 6789'],
    ['ip', 'from 203.0.113.42 at noon', '203.0.113.42'],
    ['ip', 'host 2001:db8:85a3::8a2e:370:7334.', '2001:db8:85a3::8a2e:370:7334'],
  ])('%s in %j', (kind, text, match) => {
    const found = findPii(text);
    expect(found.map((f) => [f.kind, f.text])).toEqual([[kind, match]]);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(match);
  });
});

describe('pii detectors leave look-alikes alone', () => {
  it.each([
    ['an ISO date', 'shipped on 2024-05-12'],
    ['a European date', 'due 12/05/2024'],
    ['a dotted date', 'due 05.12.2024'],
    ['a spaced date', 'due 12 05 2024'],
    ['a time', 'at 14:05:33 or 10:30'],
    ['a price', 'costs $1,299.99 or €1.299,99'],
    ['an order number', 'order #100234 and order 0012345678'],
    ['a version number', 'version 2.14.3 and v10.0.19041'],
    ['a four-part version number', 'release 4.3.2.1, build 10.0.0.1'],
    ['a percentage', 'up 12.5% from 7.25%'],
    ['a population', '1,234,567 people and 2 345 678 more'],
    ['a list of decimals', 'weights 0.125 0.250 0.375'],
    ['an ISBN', 'ISBN 978-3-16-148410-0'],
    ['a UUID', 'id 123e4567-e89b-12d3-a456-426614174000'],
    ['a labelled date', 'call on 2024-05-12'],
    ['a 16-digit order id that fails Luhn', 'order 1234567812345678'],
    ['a Luhn-valid number with no card issuer prefix', 'ref 1234567812345670'],
    ['a Visa number with a wrong check digit', 'card 4111 1111 1111 1112'],
    ['an IBAN with a wrong checksum', 'IBAN DE88 3704 0044 0532 0130 00'],
    ['an IBAN of the wrong length', 'IBAN DE89 3704 0044 0532 0130 0'],
    ['an SSN with area 000', '000-12-3456'],
    ['an SSN with area 666', '666-12-3456'],
    ['an SSN with area 9xx', '912-34-5678'],
    ['an SSN with group 00', '123-00-4567'],
    ['an SSN with serial 0000', '123-45-0000'],
    ['an IPv4 with an octet over 255', 'host 256.1.1.1'],
    ['a private IPv4 (by default)', 'router at 192.168.1.10 or 10.0.0.1'],
    ['loopback', 'listen on 127.0.0.1 and ::1'],
    ['a C++ scope', 'use std::vector and a::b'],
    ['a ratio', 'mix 10:20:30'],
    ['an npm package spec', 'install lodash@4.17.21'],
    ['a retina asset', 'logo@2x.png'],
  ])('%s: %j', (_what, text) => {
    expect(findPii(text)).toEqual([]);
  });

  it('finds nothing in a paragraph of ordinary prose with dates, prices, order numbers, times, versions and percentages', () => {
    const prose = `Thanks for your patience! Your order #100234 (placed on 2024-05-12 at 10:30) shipped on 12/05/2024
      and should arrive by 05.14.2024. The total was $1,299.99 including 8.25% tax, a 15% discount and
      €12.50 shipping. Tracking: 1Z999AA10123456784. We updated the app to version 4.2.1 (build 2024.05.1)
      which fixes 98.6% of the crashes reported between 9:00 and 17:45 on 3 June. Orders 100235-100240 were
      merged; invoice INV-2024-00042 is attached. Our support line opens at 08:00, about 1,500 customers
      called last week, and the average wait was 2.5 minutes. Room 0.5 to 0.75 of capacity, score 98/100,
      ratio 16:9, temperature 21.5 °C, coordinates 48.8566, 2.3522.`;
    expect(findPii(prose)).toEqual([]);
  });

  it('an IBAN is not also reported as a phone number, even when only phones are asked for', () => {
    expect(kindsIn('pay DE89 3704 0044 0532 0130 00 now')).toEqual(['iban']);
    expect(kindsIn('pay DE89 3704 0044 0532 0130 00 now', { kinds: ['phone'] })).toEqual([]);
  });

  it('reports private IP addresses when includePrivateIps is set', () => {
    expect(kindsIn('router at 192.168.1.10', { includePrivateIps: true })).toEqual(['ip']);
  });

  it('finds several kinds in one text, in order', () => {
    expect(textsIn('Mail a@b.io or call +33 6 12 34 56 78; card 4242 4242 4242 4242.')).toEqual([
      'a@b.io',
      '+33 6 12 34 56 78',
      '4242 4242 4242 4242',
    ]);
  });
});

describe('pii checksums', () => {
  it('Luhn accepts the Visa test number and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111121')).toBe(false);
  });

  it('names the card network only for a known prefix and length', () => {
    expect(cardNetwork('4111111111111111')).toBe('visa');
    expect(cardNetwork('378282246310005')).toBe('amex');
    expect(cardNetwork('5555555555554444')).toBe('mastercard');
    expect(cardNetwork('1234567812345670')).toBeUndefined();
    expect(cardNetwork('41111111111111')).toBeUndefined(); // Visa has no 14-digit numbers
  });

  it('mod-97 accepts registry examples and rejects a changed digit', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumValid('GB82WEST12345698765433')).toBe(false);
  });
});

describe('masking', () => {
  it.each([
    ['email', 'john.doe@example.com', 'j***@e***.com'],
    // issue 20: no last four of cards, SSNs or IBANs
    ['card', '4111 1111 1111 4242', '**** **** **** ****'],
    ['card', '4111111111114242', '****************'],
    ['phone', '+44 20 7946 0958', '+** ** **** **58'],
    ['ssn', '123-45-6789', '***-**-****'],
    ['iban', 'DE89 3704 0044 0532 0130 00', 'DE** **** **** **** **** **'],
    ['ip', '203.0.113.42', '203.*.*.*'],
    ['value', 'Alice Martin', 'A**** M*****'],
    ['value', 'Bob', '***'],
  ])('%s %s → %s', (kind, raw, masked) => {
    expect(maskFinding(kind, raw)).toBe(masked);
  });
});

describe('pii grader', () => {
  it('passes an output with no personal data', async () => {
    const g = await makeGrader(pii);
    const grade = await g.grade(makeCtx('Your order #100234 shipped on 2024-05-12 and costs $19.99.'));
    expect(grade).toMatchObject({ pass: true, score: 1 });
    expect(grade.reason).toMatch(/no personal data/);
  });

  it('fails naming kinds and offsets, and never puts the raw value in the reason or details', async () => {
    const g = await makeGrader(pii);
    const output = 'Sure: jane.doe@example.com, card 4111 1111 1111 1111, SSN 123-45-6789, phone +44 20 7946 0958.';
    const grade = await g.grade(makeCtx(output));
    expect(grade.pass).toBe(false);
    expect(grade.score).toBe(0);
    expect(grade.reason).toContain('email j***@e***.com (at 6)');
    expect(grade.reason).toContain('card **** **** **** ****');
    expect(grade.reason).toContain('ssn ***-**-****');
    expect(grade.details?.['counts']).toEqual({ email: 1, card: 1, ssn: 1, phone: 1 });
    const report = JSON.stringify(grade);
    for (const raw of ['jane.doe@example.com', 'jane.doe', '4111 1111 1111 1111', '123-45-6789', '+44 20 7946 0958', '7946']) {
      expect(report).not.toContain(raw);
    }
    const found = grade.details?.['found'] as Array<{ kind: string; at: number; length: number }>;
    for (const f of found) expect(f.at).toBeGreaterThanOrEqual(0);
    expect(output.slice(found[0]!.at, found[0]!.at + found[0]!.length)).toBe('jane.doe@example.com');
  });

  it('lists at most five findings in the reason and counts the rest', async () => {
    const g = await makeGrader(pii, { kinds: ['email'] });
    const output = Array.from({ length: 8 }, (_, i) => `user${i}@example.org`).join(', ');
    const grade = await g.grade(makeCtx(output));
    expect(grade.reason).toContain('and 3 more');
    expect((grade.details?.['found'] as unknown[]).length).toBe(8);
  });

  it('checks only the chosen kinds', async () => {
    const g = await makeGrader(pii, { kinds: ['card'] });
    expect((await g.grade(makeCtx('mail me: a@b.io'))).pass).toBe(true);
    expect((await g.grade(makeCtx('4111 1111 1111 1111'))).pass).toBe(false);
  });

  it('finds the row\'s listed values case-insensitively, as whole words', async () => {
    const g = await makeGrader(pii, { values: ['{{ customer_name }}', '{{ customer.city }}'] });
    const vars = { customer_name: 'Alice Martin', customer: { city: 'Ann' } };
    const leak = await g.grade(makeCtx('Hello ALICE   martin, welcome back!', { vars }));
    expect(leak.pass).toBe(false);
    expect(leak.reason).toContain('value A****   m*****'); // masked as written in the output
    expect(JSON.stringify(leak)).not.toMatch(/alice/i);
    // "Ann" inside "Annual" and "Alice" alone are not the listed values.
    expect((await g.grade(makeCtx('Annual report for Alice.', { vars }))).pass).toBe(true);
  });

  it('reports a missing variable in a listed value as a grader error, not a pass', async () => {
    const g = await makeGrader(pii, { values: ['{{ customer_name }}'] });
    expect(() => g.grade(makeCtx('hello', { vars: {} }))).toThrow(/customer_name/);
  });

  it('finds matches of user patterns, named in the reason', async () => {
    const g = await makeGrader(pii, { kinds: [], patterns: [{ name: 'employee-id', regex: 'EMP-\\d{6}' }, 'acct_[a-z0-9]{8}'] });
    const grade = await g.grade(makeCtx('Ticket by EMP-123456 for acct_9f8e7d6c.'));
    expect(grade.pass).toBe(false);
    expect(grade.details?.['counts']).toEqual({ 'pattern:employee-id': 1, 'pattern:2': 1 });
    expect(JSON.stringify(grade)).not.toContain('EMP-123456');
  });

  it('lets allowed values through: exact, as digits, and whole domains', async () => {
    const g = await makeGrader(pii, { allow: ['support@acme.com', '1-800-555-0199', '*@docs.acme.com', '{{ agent_email }}'] });
    const ok = await g.grade(
      makeCtx('Write to Support@Acme.com or help@docs.acme.com or bob@acme.org, or call +1 (800) 555-0199.', { vars: { agent_email: 'bob@acme.org' } }),
    );
    expect(ok.pass).toBe(true);
    expect(ok.reason).toContain('4 allowed values present');
    const leak = await g.grade(makeCtx('Write to support@acme.com or jane@acme.com.', { vars: { agent_email: 'bob@acme.org' } }));
    expect(leak.pass).toBe(false);
    expect(leak.details?.['counts']).toEqual({ email: 1 });
  });

  it('rejects invalid patterns and templates at validation', () => {
    const problems = pii.validate!({ type: 'pii', patterns: ['(unclosed'], values: ['{{ broken'] }, { configDir: '.', models: {} });
    expect(problems.map((p) => p.field)).toEqual(['patterns[0]', 'values[0]']);
  });

  it('a zero-length pattern match is ignored rather than looping or reporting nothing as data', async () => {
    const g = await makeGrader(pii, { kinds: [], patterns: ['x*'] }, makeEnv());
    expect((await g.grade(makeCtx('abc'))).pass).toBe(true);
    expect((await g.grade(makeCtx('axxb'))).pass).toBe(false);
  });
});

describe('pii detectors near each other', () => {
  it('a valid IBAN right after an IBAN-shaped code is still found', () => {
    expect(kindsIn('codes AB12 CDEF GHIJ and DE89 3704 0044 0532 0130 00')).toEqual(['iban']);
  });

  it('a dashed 16-digit order id that fails Luhn is neither a card nor a phone', () => {
    expect(findPii('order 1234-5678-1234-5678 is late')).toEqual([]);
  });

  it('an unissued SSN shape next to a phone number hides only itself', () => {
    expect(textsIn('ref 000-12-3456, call 020 7946 0958')).toEqual(['020 7946 0958']);
  });
});

describe('issue 20: formats that were missed or misread', () => {
  it.each([
    ['phone', 'Telefon: 030/12345678', '030/12345678'], // German area-code slash
    ['phone', 'Priya: 98765 43210', '98765 43210'], // Indian mobile without +91 or a label
    ['phone', '{"phone": "4155550132"}', '4155550132'], // labelled by a JSON key
    ['phone', 'teléfono 912 345 678', '912 345 678'],
    ['iban', 'iban: de89 3704 0044 0532 0130 00', 'de89 3704 0044 0532 0130 00'], // lower case
    ['iban', 'Konto DE89-3704-0044-0532-0130-00', 'DE89-3704-0044-0532-0130-00'], // dashed
  ])('%s in %j', (kind, text, match) => {
    expect(findPii(text).map((f) => [f.kind, f.text])).toEqual([[kind, match]]);
  });

  it.each([
    ['an invalid-Luhn card (not its tail as a phone)', 'card 4000 0566 5566 5557 declined'],
    ['a zero-led invoice number', 'Invoice 0012 3456 78 is overdue.'],
    ['a reference number with a trunk-like 0', 'ref 0301 2345 6789'],
    ['a numbered section', 'See section 2.1.4.3 of the spec.'],
    ['a list of steps', 'Steps 1.2.3.4 and 1.2.3.5 cover this.'],
    ['a version in JSON', '{"version": "1.2.3.4"}'],
    ['a network address', 'Network 30.0.0.0 is announced.'],
  ])('no finding in %s', (_what, text) => {
    expect(findPii(text)).toEqual([]);
  });

  it('regions: national numbers of the configured countries, validated by libphonenumber-js', async () => {
    const text = 'Contacte a pedro@example.es o al 612 345 678.';
    expect(kindsIn(text)).toEqual(['email']);
    expect(kindsIn(text, { regions: ['ES'] })).toEqual(['email', 'phone']);
    const grade = await (await makeGrader(pii, { regions: ['es'] })).grade(makeCtx(text));
    expect(grade.pass).toBe(false);
    expect(grade.reason).toContain('1 phone');
    // 612 345 67 is one digit short of a Spanish number: not valid, not reported.
    expect(kindsIn('o al 612 345 67.', { regions: ['ES'] })).toEqual([]);
  });

  it('rejects an unknown region at validation', () => {
    expect(pii.validate!({ type: 'pii', regions: ['XX'] }, { configDir: '.', models: {} })).toEqual([
      { field: 'regions[0]', message: expect.stringMatching(/not a country code/) },
    ]);
  });
});

describe('issue 20: listed values behind obfuscation', () => {
  it.each([
    ['accents dropped', 'Customer: Jose Garcia'],
    ['spelled out with separators', 'name J-o-s-é G-a-r-c-í-a'],
    ['HTML entities', 'Jos&#233; Garc&#237;a'],
    ['split by tags', '<b>José</b> <i>García</i>'],
  ])('%s', async (_what, output) => {
    const g = await makeGrader(pii, { kinds: [], values: ['{{ name }}'] });
    const grade = await g.grade(makeCtx(output, { vars: { name: 'José García' } }));
    expect(grade.pass).toBe(false);
    expect(grade.reason).toContain('value J*** G***** (obfuscated)');
  });

  it('a short value is not looked for in compact form (it would hide inside words)', async () => {
    const g = await makeGrader(pii, { kinds: [], values: ['{{ name }}'] });
    expect((await g.grade(makeCtx('Annual report', { vars: { name: 'Ann' } }))).pass).toBe(true);
  });
});

describe('pii at scale', () => {
  it('an output with 300,000 occurrences of a listed value fails without overflowing the stack', async () => {
    const g = await makeGrader(pii, { kinds: [], values: ['{{ name }}'] });
    const output = 'Zorblax '.repeat(300_000);
    const grade = await g.grade(makeCtx(output, { vars: { name: 'Zorblax' } }));
    expect(grade.pass).toBe(false);
    expect(grade.details?.['counts']).toEqual({ value: 300_000 });
  });
});
