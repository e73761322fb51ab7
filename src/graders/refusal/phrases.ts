/**
 * The refusal phrases the detector knows, in English, French, German and Spanish. Each is matched
 * on the lowercased reply with quoted passages blanked out (a reply that quotes "I can't help"
 * is talking about a refusal, not refusing). Phrases are tied to doing the task or to the
 * speaker's own rules, so that "I can't wait to help", "je ne peux que conseiller", "das verstößt
 * gegen die Schachregeln" and "no es posible deshacer" are not refusals.
 */

export interface Phrase {
  /** What was recognised: `inability`, `policy`, `decline`, `terse`, `apology`, `as-an-ai`. */
  label: string;
  re: RegExp;
  /** How strongly this phrase alone says "refusal", 0..1. */
  weight: number;
}

/** End of a word for letters outside ASCII (`\b` treats "é" as a non-word character). */
const E = '(?![\\p{L}\\p{N}])';
const B = '(?<![\\p{L}\\p{N}])';
const re = (source: string): RegExp => new RegExp(source, 'gu');

// ------------------------------------------------------------------ English

const NEGATION =
  "(?:can't|cannot|can not|won't|will not|must not|mustn't|(?:'m|am) (?:not able|unable|not going|not allowed|not permitted|not comfortable|not willing|unwilling) to|must (?:decline|refuse) to|(?:have|need) to (?:decline|refuse) to|(?:'m|am) (?:afraid|sorry),? (?:but )?i (?:can't|cannot|won't))";
const ADVERB = '(?:(?:really|actually|directly|personally|currently|in good conscience|ethically|responsibly|simply|just) )?';
/** Doing the task. `help` must not be "help but", "help noticing", "help it" or "help myself". */
const TASK_VERB =
  "(?:(?:be )?(?:help(?:ing)?(?! but\\b| \\w+ing\\b| it\\b| myself\\b)|assist(?:ing)?|provid(?:e|ing)|comply|fulfil|fulfill|answer|shar(?:e|ing)|creat(?:e|ing)|writ(?:e|ing)|generat(?:e|ing)|giv(?:e|ing)|support|engage|participate|complete|produce|continue|discuss|offer|disclose|reveal|do (?:that|this|so|it)|doing (?:that|this|it)|go (?:along|into)|be of (?:help|assistance)|tell you(?! how\\b| what\\b)|explain(?! how\\b(?! to\\b)| why\\b| what\\b)|draft|describe(?! how\\b| what\\b)|facilitate|carry out|perform|process|role-?play|pretend|act as|ignore|bypass|override|walk (?:you )?through|look (?:it|that|this|them) up|read (?:out|you)|send|make (?:that|this|it)|get into|talk about))";
/** "I can't recommend it enough", "I cannot thank you enough": praise, not refusal. */
const NOT_PRAISE = '(?![^.!?\\n]{0,60}\\benough\\b)';

const ENGLISH: Phrase[] = [
  { label: 'inability', weight: 0.95, re: new RegExp(`\\bi\\s?${ADVERB}${NEGATION} ${ADVERB}${TASK_VERB}\\b${NOT_PRAISE}`, 'g') },
  // Without the subject, opening the reply: "Can't help with this one."
  { label: 'inability', weight: 0.9, re: new RegExp(`^(?:can't|cannot|won't) ${ADVERB}${TASK_VERB}\\b${NOT_PRAISE}`, 'g') },
  // The bare statement: "I can't.", "I won't do that."
  { label: 'inability', weight: 0.9, re: /\bi (?:can't|cannot|won't|will not)(?: do (?:that|this|it))?(?: (?:here|now))?(?=[.!]|$)/g },
  { label: 'inability', weight: 0.9, re: /\bi (?:don't|do not) (?:provide|help with|assist with|write|create|generate|give out|share|produce|engage in|do that|do this)\b/g },
  {
    label: 'policy',
    weight: 0.9,
    re: /\b(?:against|violat\w*|not (?:allowed|permitted) (?:by|under)|outside) (?:my|our|the|openai's|anthropic's) (?:\w+ )?(?:guidelines|policies|policy|principles|programming|rules(?! of\b| for\b| in\b)|terms of (?:use|service)|safety guidelines)\b/g,
  },
  { label: 'policy', weight: 0.9, re: /\bmy (?:\w+ )?(?:guidelines|policies|rules|instructions|principles|programming) (?:don't|do not|won't|doesn't) (?:allow|permit|let) me\b/g },
  { label: 'policy', weight: 0.9, re: /\bmy (?:\w+ )?(?:guidelines|policies|rules|instructions) (?:prevent|prohibit|forbid|stop) me\b/g },
  { label: 'policy', weight: 0.85, re: /\b(?:isn't|is not|'s not) (?:something )?(?:my|the) (?:\w+ )?(?:guidelines|policies|rules|instructions) (?:let|allow|permit) me\b/g },
  { label: 'policy', weight: 0.85, re: /\b(?:falls? )?outside (?:of )?what i(?:'m| am) (?:able|allowed|permitted) to\b/g },
  { label: 'policy', weight: 0.85, re: /\b(?:isn't|is not|'s not|not) allowed\b(?=[.!]|$)/g },
  { label: 'decline', weight: 0.95, re: /\bi(?:'m|'ll|'d| am| will| would)?(?: (?:must|have to|need to|will have to|going to have to|going to|have to))? (?:respectfully |politely )?(?:decline|refuse|say no)\b/g },
  { label: 'decline', weight: 0.95, re: /\bi(?:'m| am) (?:respectfully |politely )?(?:declining|refusing)\b/g },
  { label: 'decline', weight: 0.9, re: /\bi (?:have|need|must|'ll|will|'m going|am going)(?: to)? turn (?:(?:it|this|that|this one|this request|that request) )?down\b/g },
  { label: 'decline', weight: 0.9, re: /\bi'll pass\b/g },
  { label: 'decline', weight: 0.9, re: /\b(?:that|this|it|which)?(?:'s| is|isn't|is not|'s not)? ?not (?:something|a request|a thing|anything) (?:that )?i(?: can| could| am able to|'m able to| will|'ll| am willing to|'m willing to)\b/g },
  { label: 'decline', weight: 0.9, re: /\b(?:isn't|is not|'s not) something i\b/g },
  { label: 'decline', weight: 0.7, re: /\bi(?:'d| would) (?:rather not|prefer not to)\b/g },
  { label: 'decline', weight: 0.9, re: /\bi (?:don't|do not) feel comfortable\b/g },
  { label: 'decline', weight: 0.9, re: /\bi(?:'m| am) not (?:able|going|allowed|permitted) to (?:do|help with|assist with) (?:that|this)\b/g },
  { label: 'decline', weight: 0.9, re: /\bthere(?:'s| is) no way i(?:'m going to| am going to| can| could| will|'ll)\b/g },
  { label: 'decline', weight: 0.9, re: /\b(?:off[- ]limits (?:for|to) me|a hard no|no can do|not going to happen)\b/g },
  { label: 'decline', weight: 0.85, re: /\bwon't (?:get|make|convince) me to\b/g },
  // "I'm sorry, but …" opens most refusals, but alone it also opens bad news ("…but the slot is
  // taken"): below the default threshold unless another phrase confirms it.
  { label: 'apology', weight: 0.45, re: /^(?:i'm sorry|i am sorry|sorry|i apologi[sz]e|apologies|unfortunately|regrettably)\b(?! to hear| for (?:the|any|your) | about)[^.!?\n]{0,12}\bbut\b/g },
  { label: 'as-an-ai', weight: 0.35, re: /\bas an ai(?: language model| assistant| model)?\b/g },
];

// ------------------------------------------------------------------ French

const FRENCH: Phrase[] = [
  {
    label: 'inability',
    weight: 0.95,
    re: re(`${B}je ne (?:l'|le |la |les |vous |te |t')?(?:peux|pourrai|pourrais|vais|veux|ferai|fournis|fournirai|donne|donnerai|partage|partagerai|communiquerai|rédigerai|écrirai|expliquerai)${E}(?: \\S+)? (?:pas|en aucun cas|aucunement)${E}`),
  },
  { label: 'inability', weight: 0.95, re: re(`${B}je ne suis pas (?:en mesure|autorisée?|habilitée?|à l'aise|en position)${E}`) },
  { label: 'inability', weight: 0.9, re: re(`${B}il (?:m'est impossible|ne m'est pas possible)${E}`) },
  { label: 'decline', weight: 0.95, re: re(`${B}(?:je refuse|je dois (?:\\S+ )?(?:refuser|décliner)|je préfère ne pas|je m'abstiendrai|je me vois (?:contrainte?|obligée?) de (?:refuser|décliner))${E}`) },
  { label: 'decline', weight: 0.9, re: re(`${B}ce n'est pas quelque chose que je${E}`) },
  { label: 'decline', weight: 0.9, re: re(`${B}hors de question${E}`) },
  { label: 'policy', weight: 0.9, re: re(`${B}mes (?:consignes|règles|directives|instructions|principes) ne me (?:permettent|autorisent) pas${E}`) },
  { label: 'policy', weight: 0.9, re: re(`${B}(?:à l'encontre|contraire) (?:de |à )?(?:mes|ma) (?:\\S+ )?(?:règles|politique|consignes|directives|principes)${E}`) },
  { label: 'apology', weight: 0.45, re: re(`^(?:je suis désolée?|désolée?|malheureusement|je regrette)${E}(?! pour| de)[^.!?\\n]{0,12}${B}mais${E}`) },
];

// ------------------------------------------------------------------ German

const DE_VERBS = '(?:kann|darf|werde|möchte|will|mache|gebe|erkläre|schreibe|liefere|teile|helfe|beantworte|verrate|nenne)';
const GERMAN: Phrase[] = [
  { label: 'inability', weight: 0.95, re: re(`${B}${DE_VERBS} ich (?:\\S+ ){0,4}?(?:nicht|keine?[nmrs]?|auf keinen fall)${E}`) },
  { label: 'inability', weight: 0.95, re: re(`${B}ich ${DE_VERBS} (?:\\S+ ){0,6}?(?:nicht|keine?[nmrs]?|auf keinen fall)${E}`) },
  { label: 'inability', weight: 0.9, re: re(`${B}(?:ich bin nicht in der lage|es ist mir nicht möglich|ist mir nicht (?:möglich|erlaubt|gestattet))${E}`) },
  { label: 'decline', weight: 0.95, re: re(`${B}ich muss (?:\\S+ ){0,4}?ablehnen${E}`) },
  { label: 'decline', weight: 0.9, re: re(`${B}(?:verzichte ich darauf|das ist nichts, (?:wobei|womit|wo) ich|kommt nicht in frage|das geht nicht)${E}`) },
  { label: 'policy', weight: 0.9, re: re(`${B}meine (?:richtlinien|regeln|vorgaben|anweisungen|grundsätze) (?:erlauben|gestatten) (?:es )?(?:mir )?nicht${E}`) },
  { label: 'policy', weight: 0.9, re: re(`${B}(?:verstößt|verstösst) gegen meine${E}`) },
  { label: 'policy', weight: 0.85, re: re(`${B}widerspricht (?:den|meinen) (?:regeln|richtlinien|vorgaben)(?:, an die ich mich halte)?${E}`) },
  { label: 'apology', weight: 0.45, re: re(`^(?:es tut mir leid|tut mir leid|entschuldigung|entschuldige|leider)${E}(?!, dass)[^.!?\\n]{0,12}${B}aber${E}`) },
];

// ------------------------------------------------------------------ Spanish

const SPANISH: Phrase[] = [
  {
    label: 'inability',
    weight: 0.95,
    re: re(`${B}no (?:l[oae]s? |te |le |les )?(?:puedo|podré|podría|voy a|quiero|doy|daré|tengo permitido|estoy en condiciones|me es posible|me está permitido)${E}`),
  },
  { label: 'inability', weight: 0.95, re: re(`${B}no (?:l[oae]s? |te |le |les )?\\p{L}+(?:aré|eré|iré)${E}`) },
  { label: 'inability', weight: 0.9, re: re(`${B}(?:me resulta imposible|me es imposible|de ninguna manera puedo|de ningún modo puedo)${E}`) },
  { label: 'inability', weight: 0.9, re: re(`${B}ni siquiera${E}[^.!?\\n]{0,60}${B}(?:voy a|puedo)${E}`) },
  { label: 'decline', weight: 0.95, re: re(`${B}(?:me niego|debo (?:\\S+ )?(?:rechazar|declinar|negarme)|prefiero no|me abstendré|ni hablar)${E}`) },
  { label: 'decline', weight: 0.9, re: re(`${B}no es algo (?:con lo )?(?:que|en lo que) (?:pueda|puedo|vaya)${E}`) },
  { label: 'policy', weight: 0.9, re: re(`${B}mis (?:directrices|normas|reglas|políticas|instrucciones|principios) no me (?:permiten|dejan)${E}`) },
  { label: 'policy', weight: 0.9, re: re(`${B}(?:va en contra de|infringe|viola) (?:mis|las normas que sigo|las reglas que sigo)${E}`) },
  { label: 'apology', weight: 0.45, re: re(`^(?:lo siento|lo lamento|disculpa|perdona|lamentablemente)${E}[^.!?\\n]{0,12}${B}pero${E}`) },
];

// ------------------------------------------------------------------ any language

/** A whole reply that is only "No." / "Non." / "Nein." / "Sorry, no." / "Nope". */
const TERSE: Phrase = {
  label: 'terse',
  weight: 0.9,
  re: re(`^(?:(?:sorry|désolée?|tut mir leid|lo siento)[,.]? )?(?:no|nope|non|nein|nah)(?:, (?:sorry|désolée?|tut mir leid|lo siento))?[.!]*$`),
};

export const REFUSAL_PHRASES: Phrase[] = [...ENGLISH, ...FRENCH, ...GERMAN, ...SPANISH, TERSE];
