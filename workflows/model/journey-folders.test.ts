import { describe, expect, it } from 'vitest';
import { childFolders, folderName, isFolderPath, normalizeFolder, parentFolder } from './journey-folders';

describe('journey folders', () => {
  it('normalizes what a marketer types into a path', () => {
    expect(normalizeFolder('  Campaigns / Spring/ ')).toBe('Campaigns/Spring');
    expect(normalizeFolder('//')).toBe('');
    expect(normalizeFolder('活动/春季')).toBe('活动/春季');
  });

  it('accepts paths of names and refuses empty names, edge spaces and control characters', () => {
    for (const ok of ['Campaigns', 'Campaigns/Spring', '活动/春季 2025', 'A b/C-d_e']) expect(isFolderPath(ok), ok).toBe(true);
    for (const bad of ['', '/A', 'A/', 'A//B', ' A', 'A /B', 'A\nB', 'x'.repeat(201)]) expect(isFolderPath(bad), JSON.stringify(bad)).toBe(false);
  });

  it('walks the tree: parent, name, children', () => {
    expect(parentFolder('A/B/C')).toBe('A/B');
    expect(parentFolder('A')).toBe('');
    expect(folderName('A/B/C')).toBe('C');
    const all = ['A', 'A/B', 'A/B/C', 'A2', 'Z/Y'];
    expect(childFolders(all, '')).toEqual(['A', 'A2', 'Z']);
    expect(childFolders(all, 'A')).toEqual(['A/B']);
    expect(childFolders(all, 'A/B/C')).toEqual([]);
  });
});
