import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { shippedConfigSchema } from '../../src/config/shippedSchema.js';
import { repoRoot } from '../helpers/project.js';

describe('the shipped config schema', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(shippedConfigSchema());
  const quickstart = parse(readFileSync(path.join(repoRoot, 'examples/quickstart/llm-eval.yaml'), 'utf8'));

  it('accepts the quickstart config', () => {
    expect(validate(quickstart), JSON.stringify(validate.errors)).toBe(true);
  });

  it("checks each grader's options by its type", () => {
    const bad = structuredClone(quickstart);
    bad.suites['ticket-routing'].graders = [{ type: 'exact', ignoreCaes: true }];
    expect(validate(bad)).toBe(false);
    bad.suites['ticket-routing'].graders = [{ type: 'regex' }];
    expect(validate(bad)).toBe(false);
    bad.suites['ticket-routing'].graders = [{ type: 'regex', pattern: '^ok$' }];
    expect(validate(bad)).toBe(true);
  });

  it('is the file the build writes', () => {
    const written = JSON.parse(readFileSync(path.join(repoRoot, 'schema/llm-eval.schema.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(shippedConfigSchema())));
  });
});
