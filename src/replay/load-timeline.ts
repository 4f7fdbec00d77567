import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Timeline, timelineSchema, timeOnDate } from './timeline.js';

/** A timeline that cannot be played; the message names the file, the line and the field. */
export class TimelineError extends Error {
  override name = 'TimelineError';
}

/**
 * Parses and checks a timeline's YAML. Every problem is reported as `<file>:<line>:<column>` with
 * the field's path, so a hand-edited timeline is fixed where it is wrong.
 */
export function parseTimeline(text: string, file: string): Timeline {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const [yamlError] = doc.errors;
  if (yamlError) {
    throw new TimelineError(
      `${where(yamlError.pos[0])}: not valid YAML: ${firstLine(yamlError.message)}`,
    );
  }
  const parsed = timelineSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 5).map((issue) => {
      const node = nodeAt(doc.contents, issue.path);
      const field = issue.path.length > 0 ? pathText(issue.path) : 'the timeline';
      return `${where(node?.range?.[0])}: ${field}: ${describeIssue(issue)}`;
    });
    throw new TimelineError(lines.join('\n'));
  }
  const value = parsed.data;
  const fromMs = timeOnDate(value.date, value.from);
  const untilMs = timeOnDate(value.date, value.until);
  const fail = (path: PropertyKey[], message: string): never => {
    const node = nodeAt(doc.contents, path);
    throw new TimelineError(`${where(node?.range?.[0])}: ${pathText(path)}: ${message}`);
  };
  if (!(untilMs > fromMs)) fail(['until'], `must be after from (${value.from})`);
  const signals = value.signals.map((signal, index) => {
    const atMs = timeOnDate(value.date, signal.at);
    if (Number.isNaN(atMs)) fail(['signals', index, 'at'], `not a time: ${signal.at}`);
    if (atMs < fromMs || atMs > untilMs)
      fail(['signals', index, 'at'], `${signal.at} is outside ${value.from}–${value.until}`);
    if (signal.kind === 'report' && !value.services.includes(signal.service))
      fail(['signals', index, 'service'], `${signal.service} is not in the timeline's services`);
    return { ...signal, atMs };
  });
  return {
    name: value.name,
    services: value.services,
    fromMs,
    untilMs,
    // A stable sort: signals of one moment keep the file's order.
    signals: signals.sort((a, b) => a.atMs - b.atMs),
  };
}

function nodeAt(root: unknown, path: readonly PropertyKey[]): Node | undefined {
  let node = root as Node | undefined;
  let deepest = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true) as Node | undefined;
    else if (isSeq(node) && typeof key === 'number') node = node.get(key, true) as Node | undefined;
    else node = undefined;
    if (!node) break;
    deepest = node;
  }
  return deepest;
}

const pathText = (path: readonly PropertyKey[]): string =>
  path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');

function describeIssue(issue: z.core.$ZodIssue): string {
  if (
    issue.code === 'invalid_union' &&
    'note' in issue &&
    issue.note === 'No matching discriminator'
  )
    return 'kind must be one of host, source, report';
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.join(', ')}`;
  return issue.message;
}

const firstLine = (text: string): string => text.split('\n')[0] ?? text;
