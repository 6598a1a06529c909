/**
 * Folders of the journey list: a journey's optional `folder` is a path like "Campaigns/Spring". A folder exists
 * while a journey is in it (or below it), the way a prefix of object storage does: creating one is typing its
 * name when moving or creating a journey, renaming one is moving its journeys.
 */

/** One folder name: no slash or control character, no space at either end. */
const SEGMENT = '[^/\\s\\u0000-\\u001f](?:[^/\\u0000-\\u001f]*[^/\\s\\u0000-\\u001f])?';
export const FOLDER_PATTERN = `^${SEGMENT}(?:/${SEGMENT})*$`;
export const FOLDER_MAX_LENGTH = 200;

export const journeyFolderSchema = {
  type: 'string', minLength: 1, maxLength: FOLDER_MAX_LENGTH, pattern: FOLDER_PATTERN,
  description: 'A folder path, names separated by "/": "Campaigns/Spring"',
} as const;

const FOLDER_RE = new RegExp(FOLDER_PATTERN, 'u');

/** A folder as typed ("  Campaigns / Spring/ ") made a path ("Campaigns/Spring"); '' for the top level. */
export function normalizeFolder(typed: string): string {
  return typed.split('/').map((s) => s.trim()).filter(Boolean).join('/');
}

export function isFolderPath(path: string): boolean {
  return path.length <= FOLDER_MAX_LENGTH && FOLDER_RE.test(path);
}

/** The folder above a path ('' above a top-level folder). */
export function parentFolder(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** The last name of a path: "Spring" of "Campaigns/Spring". */
export function folderName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The folders right inside `parent` ('' = the top level), from every folder path in use. */
export function childFolders(all: readonly string[], parent: string): string[] {
  const out = new Set<string>();
  const prefix = parent ? `${parent}/` : '';
  for (const p of all) {
    if (!p.startsWith(prefix) || p === parent) continue;
    const rest = p.slice(prefix.length);
    out.add(prefix + rest.split('/')[0]);
  }
  return [...out].sort((a, b) => a.localeCompare(b));
}
