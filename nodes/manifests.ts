/**
 * The built-in node manifests: plain data, safe to import from the editor, the API and workflow code. The list is
 * generated from the folders of nodes/builtin/ (`npm run nodes:index`).
 */
export { BUILTIN_MANIFESTS } from './manifests.generated';
