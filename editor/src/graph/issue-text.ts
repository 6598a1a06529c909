/**
 * A validation issue as a marketer reads it: node title › field title, then what is wrong, in the UI language
 * ("Create ticket › Assignee is required", "创建工单 › 处理人为必填项"), never the node id and JSON pointer.
 */
import type { NodeManifest } from '../../../nodes/contract';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';
import type { Lang } from '../i18n/dictionary';

type Schema = Record<string, any>;

function titleOf(schema: Schema | undefined, key: string, lang: Lang): string {
  return schema?.['x-i18n']?.[lang]?.title ?? schema?.title ?? key;
}

/** The titles of the fields along a config path (`/config/conditions/groups/0/rules/1/op`). */
export function fieldTitles(manifest: NodeManifest<any> | undefined, path: string, lang: Lang): string[] {
  if (!path.startsWith('/config/')) return [];
  const parts = path.slice('/config/'.length).split('/').filter(Boolean);
  let schema: Schema | undefined = manifest?.configSchema as Schema | undefined;
  const out: string[] = [];
  for (const part of parts) {
    if (/^\d+$/.test(part) && (schema?.type === 'array' || schema?.items)) {
      out.push(`#${Number(part) + 1}`);
      schema = schema?.items as Schema | undefined;
      continue;
    }
    const next = schema?.properties?.[part] as Schema | undefined;
    out.push(titleOf(next, part, lang));
    schema = next;
  }
  return out;
}

export function issueMessage(issue: Pick<ValidationIssue, 'message' | 'i18n'>, lang: Lang): string {
  return (issue.i18n && (issue.i18n[lang] || issue.i18n.en)) || issue.message;
}

/**
 * `withNode`: prefix the node's title (the problems list); the node's own badge and form leave it out.
 * `nodeTitle` is the label on the canvas when the marketer gave one.
 */
export function issueText(issue: ValidationIssue, manifest: NodeManifest<any> | undefined, lang: Lang, opts: { withNode: boolean; nodeTitle?: string } = { withNode: true }): string {
  const message = issueMessage(issue, lang);
  const fields = fieldTitles(manifest, issue.path, lang);
  const node = opts.withNode && issue.nodeId ? opts.nodeTitle || (manifest ? manifest.title[lang] || manifest.title.en : issue.nodeId) : '';
  const subject = [node, ...fields].filter(Boolean);
  if (!subject.length) return message;
  const gap = lang === 'zh-CN' ? '' : ' ';
  if (!fields.length) return `${subject.join(' › ')}${lang === 'zh-CN' ? '：' : ': '}${message}`;
  return `${subject.join(' › ')}${gap}${message}`;
}
