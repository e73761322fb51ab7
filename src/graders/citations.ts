import { GraderError } from '../errors.js';
import type { Grade, GradeContext } from '../types.js';
import { claimsOf, DEFAULT_MARKERS, defaultCitations, normaliseId, patternCitations, unparsedCitations, type CitationMatcher, type Claim } from './citations/extract.js';
import { DEFAULT_SOURCE_PATHS, lookup, parseSourcePath, sourceResolver, toSources, type Source } from './citations/sources.js';
import { checkSupport } from './citations/support.js';
import { JudgeSpend } from './judge/spend.js';
import { graderName } from './name.js';
import { quote } from './text.js';
import { defineGrader } from './define.js';

const DEFAULT_MAX_CLAIMS = 20;
/** Ids listed in a reason before "…": the details keep them all. */
const LISTED_IDS = 10;

function compileCitationPattern(source: string): RegExp {
  const re = new RegExp(source, 'g');
  // One capture group (or a group named `id`) holds the cited id(s).
  if (!/\(\?<id>/.test(source) && new RegExp(`${source}|`).exec('')!.length < 2) {
    throw new Error('the pattern needs a capture group (or a group named `id`) around the cited id');
  }
  return re;
}

function listIds(ids: string[]): string {
  const shown = ids.slice(0, LISTED_IDS).map((id) => `[${id}]`).join(', ');
  return ids.length > LISTED_IDS ? `${shown}, …` : shown;
}

/**
 * Checks a RAG answer's citations against the sources the row provided: every cited id must be a
 * provided source (invented ones are reported by id), citations can be required with a minimum
 * count, and with `support.judge` each cited sentence is checked against its passages by a model.
 */
const citations = defineGrader({
  type: 'citations',
  description: 'Every citation ([doc-3], [1], [^1], 【1†source】, (doc-3), Source: doc-3, ¹, <cite> or a pattern) refers to a source the row provided; optionally required, counted, and checked for support by a judge.',
  optionsSchema: {
    type: 'object',
    properties: {
      sources: {
        type: 'string',
        minLength: 1,
        description: 'Path of the row field holding the sources, e.g. "vars.documents" or "{{ context.docs }}". Default: vars.sources, else vars.documents.',
      },
      pattern: {
        type: 'string',
        minLength: 1,
        description: 'Regular expression of one citation, with a capture group (or a group named `id`) around the id(s); default: brackets like [doc-3], [1], [^1], [1, 2].',
      },
      required: { type: 'boolean', default: false, description: 'Fail an output that cites nothing.' },
      minCitations: { type: 'integer', minimum: 1, description: 'Fail an output that cites fewer distinct provided sources.' },
      support: {
        type: 'object',
        description: 'Check with a judge model that each cited sentence is supported by the passages it cites.',
        properties: {
          judge: { type: 'string', minLength: 1, description: 'Name of the judge model under `models:`.' },
          params: { type: 'object', description: 'Request params for the judge (default: temperature 0).' },
          maxClaims: { type: 'integer', minimum: 1, default: DEFAULT_MAX_CLAIMS, description: 'Check at most this many cited sentences per output (judge calls).' },
        },
        required: ['judge'],
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  validate(options, ctx) {
    const problems: Array<{ field: string; message: string }> = [];
    if (options.sources !== undefined && !parseSourcePath(options.sources)) {
      problems.push({ field: 'sources', message: `"${options.sources}" is not a field path; write e.g. "vars.documents" or "context.docs"` });
    }
    if (options.pattern !== undefined) {
      try {
        compileCitationPattern(options.pattern);
      } catch (err) {
        problems.push({ field: 'pattern', message: err instanceof Error ? err.message : String(err) });
      }
    }
    const judge = options.support?.judge;
    if (judge !== undefined && !ctx.models[judge]) {
      problems.push({ field: 'support.judge', message: `unknown model "${judge}" (defined models: ${Object.keys(ctx.models).join(', ') || 'none'})` });
    }
    return problems;
  },
  create(options, env) {
    const name = graderName(options);
    const paths = options.sources !== undefined ? [parseSourcePath(options.sources)!] : DEFAULT_SOURCE_PATHS.map((p) => parseSourcePath(p)!);
    const custom = options.pattern !== undefined ? compileCitationPattern(options.pattern) : undefined;
    const matcher: CitationMatcher = custom ? patternCitations(custom) : defaultCitations;
    const markers = custom ?? DEFAULT_MARKERS;
    const required = options.required === true || options.minCitations !== undefined;
    const minCitations = options.minCitations ?? (required ? 1 : 0);
    const support = options.support;
    const judgeParams = { temperature: 0, ...(support?.params ?? {}) };
    const maxClaims = support?.maxClaims ?? DEFAULT_MAX_CLAIMS;

    function sourcesOf(ctx: GradeContext): { sources: Source[]; ordered: boolean } {
      for (const path of paths) {
        const value = lookup(ctx.scope, path);
        if (value === undefined || value === null) continue;
        return { sources: toSources(value, name, path.join('.')), ordered: Array.isArray(value) };
      }
      const where = options.sources !== undefined ? `\`${options.sources}\`` : '`sources` or `documents` var';
      throw new GraderError(name, `case ${ctx.row.id} has no ${where} to check citations against; set \`sources:\` to the field holding them`);
    }

    return {
      name,
      async grade(ctx): Promise<Grade> {
        const { sources, ordered } = sourcesOf(ctx);
        const resolve = sourceResolver(sources, ordered);
        const knownIds = new Set(sources.map((s) => normaliseId(s.id)));
        const found = matcher.find(ctx.output, knownIds);
        const cited = [...new Set(found.map((c) => c.id))];
        const invented = cited.filter((id) => !resolve(id));
        const validSources = new Set(cited.map((id) => resolve(id)).filter((s): s is Source => s !== undefined));
        const sourceIds = sources.map((s) => s.id);
        const unparsed = custom ? [] : unparsedCitations(ctx.output, found);
        const details: Record<string, unknown> = {
          cited,
          invented,
          sources: sourceIds,
          citations: found.map((c) => ({ id: c.id, at: c.at, source: resolve(c.id)?.id ?? null })),
          ...(unparsed.length ? { unparsed } : {}),
        };
        const unparsedNote = unparsed.length ? `; citation-like text not checked: ${unparsed.slice(0, 3).map((u) => quote(u.text, 40)).join(', ')} (set \`pattern:\` to read it)` : '';
        if (unparsed.length) env.warn(`grader ${name}: outputs hold citation-like text it cannot read, e.g. ${quote(unparsed[0]!.text, 40)}; set \`pattern:\` to the citation format your prompt asks for`);

        const problems: string[] = [];
        let score = 1;
        if (cited.length === 0 && required) {
          problems.push('no citations, and citations are required');
          score = 0;
        }
        if (invented.length) {
          problems.push(`invented citation${invented.length > 1 ? 's' : ''} ${listIds(invented)} (provided: ${listIds(sourceIds) || 'none'})`);
          score *= 1 - invented.length / cited.length;
        }
        if (cited.length > 0 && validSources.size < minCitations) {
          problems.push(`cites ${validSources.size} provided source${validSources.size === 1 ? '' : 's'}, at least ${minCitations} required`);
          score *= validSources.size / minCitations;
        }

        let grade: Partial<Grade> = {};
        let supportNote = '';
        if (support && validSources.size > 0) {
          const claims: Claim[] = claimsOf(ctx.output, found, new RegExp(markers.source, markers.flags)).filter((c) => c.ids.some((id) => resolve(id)));
          const checked = claims.slice(0, maxClaims);
          const spend = new JudgeSpend();
          const verdicts = await Promise.all(
            checked.map((claim) => {
              const passages = [...new Set(claim.ids.map((id) => resolve(id)).filter((s): s is Source => s !== undefined))];
              return checkSupport(env.models, support.judge, claim.text, passages, { grader: name, params: judgeParams, spend, signal: ctx.signal });
            }),
          );
          grade = { costUsd: spend.costUsd, ...(spend.tokens ? { tokens: spend.tokens } : {}) };
          details['claims'] = checked.map((claim, i) => ({ claim: claim.text, ids: claim.ids, supported: verdicts[i]!.supported, reasoning: verdicts[i]!.reasoning }));
          if (claims.length > checked.length) details['uncheckedClaims'] = claims.length - checked.length;
          const unsupported = checked.map((claim, i) => ({ claim, verdict: verdicts[i]! })).filter((x) => !x.verdict.supported);
          if (checked.length) score *= 1 - unsupported.length / checked.length;
          if (unsupported.length) {
            const first = unsupported[0]!;
            const because = first.verdict.reasoning ? ` (judge: ${quote(first.verdict.reasoning, 100)})` : '';
            problems.push(`${unsupported.length} of ${checked.length} cited claims not supported by their sources, e.g. ${quote(first.claim.text, 80)} ${listIds(first.claim.ids)}${because}`);
          } else if (checked.length) {
            const limit = claims.length > checked.length ? ` (first ${checked.length} of ${claims.length} checked)` : '';
            supportNote = `; ${checked.length === 1 ? 'the cited claim is' : `all ${checked.length} cited claims are`} supported${limit}`;
          }
        }

        if (problems.length) return { ...grade, pass: false, score: Math.max(0, Math.min(1, score)), reason: problems.join('; ') + unparsedNote, details };
        const reason =
          cited.length === 0
            ? 'no citations (not required)'
            : `${found.length} citation${found.length === 1 ? '' : 's'}, all to provided sources (${listIds(cited)})${supportNote}`;
        return { ...grade, pass: true, score: 1, reason: reason + unparsedNote, details };
      },
    };
  },
});

export default citations;
