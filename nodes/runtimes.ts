/**
 * The built-in node runtimes: imported by worker activities only (they may do I/O through ctx.services). The list
 * is generated from the folders of nodes/builtin/ (`npm run nodes:index`).
 */
export { BUILTIN_RUNTIMES } from './runtimes.generated';
