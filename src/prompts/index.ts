export { listPrompts, listPromptVersions, loadPromptTemplate, clearPromptTemplateCache, type LoadOptions } from './loader.js';
export { parsePromptRef, compareVersions, type PromptRef } from './ref.js';
export { PromptRenderer } from './render.js';
export { TemplateError } from './templateError.js';
export { TEMPLATE_EXTENSIONS } from './parseTemplate.js';
