import { IMPACTS } from '../src/incidents/model.js';
import type { CommandDefinition, CommandOptions, Reply } from './command.js';
import { closestNames, orList } from './did-you-mean.js';
import {
  errorReply,
  exampleLine,
  missingOptionReply,
  quoteInput,
  SLASH,
  usageLine,
} from './format.js';
import { isMentionSpecial, joinText, type Lexeme, lex, specialText, specialUrl } from './lex.js';
import { COMMANDS } from './registry.js';
import { formatComponentList, formatMention, type MentionSyntax, parseMention } from './values.js';

export type ParsedText =
  | { ok: true; command: CommandDefinition; options: CommandOptions }
  | { ok: false; reply: Reply };

export interface TextCommandOptions {
  /** The mention markup of the platform the text came from. */
  mentions: MentionSyntax;
  commands?: readonly CommandDefinition[];
}

/**
 * `/outage <subcommand> <args>` typed as text (Slack) -> the command and its options, or a short
 * reply saying what is wrong (unknown subcommand with a "did you mean", missing option with usage
 * and an example). Empty text means help.
 */
export function parseCommandText(
  text: string,
  { mentions, commands = COMMANDS }: TextCommandOptions,
): ParsedText {
  const lexemes = lex(text);
  const first = lexemes[0];
  const help = commands.find((c) => c.name === 'help');
  if (!first && help) return { ok: true, command: help, options: {} };
  const name = first?.kind === 'word' ? first.text.toLowerCase() : joinText(lexemes.slice(0, 1));
  const command = commands.find((c) => c.name === name);
  if (!command) return { ok: false, reply: unknownCommandReply(name, commands) };
  const args = lexemes.slice(1);
  const parsed =
    command.name === 'subscribe'
      ? parseSubscribeArgs(command, args, mentions)
      : parsePositional(command, args);
  if (!parsed.ok) return parsed;
  const missing = command.options.find((o) => o.required && !parsed.options[o.name]);
  if (missing) return { ok: false, reply: missingOptionReply(command, missing) };
  return { ok: true, command, options: parsed.options };
}

type ArgsResult = { ok: true; options: CommandOptions } | { ok: false; reply: Reply };

function unknownCommandReply(name: string, commands: readonly CommandDefinition[]): Reply {
  const names = commands.map((c) => c.name);
  const guess = closestNames(name, names);
  const lines = [`I don't know the subcommand ${quoteInput(name)}.`];
  if (guess.length > 0) lines.push(`Did you mean ${orList(guess)}?`);
  lines.push(`Subcommands: ${names.join(', ')}. ${SLASH} help shows examples.`);
  return errorReply(lines.join('\n'));
}

/** Options in declared order; a `rest` option takes the remaining text. */
function parsePositional(def: CommandDefinition, args: Lexeme[]): ArgsResult {
  const options: CommandOptions = {};
  let used = 0;
  for (const spec of def.options) {
    if (used >= args.length) break;
    const take = spec.rest ? args.length - used : 1;
    options[spec.name] = joinText(args.slice(used, used + take)) || undefined;
    used += take;
  }
  if (used < args.length) {
    const extra = quoteInput(joinText(args.slice(used)));
    const what =
      def.options.length === 0 ? 'takes no arguments' : `takes ${def.options.length} argument(s)`;
    return usageError(def, `${SLASH} ${def.name} ${what} (got ${extra})`);
  }
  return { ok: true, options };
}

function usageError(def: CommandDefinition, message: string): ArgsResult {
  return {
    ok: false,
    reply: errorReply(`${message}.\nUsage: ${usageLine(def)}\nExample: ${exampleLine(def)}`),
  };
}

/**
 * `subscribe <service|URL> [impact] [components] [mention] [official]`: after the service the options may
 * come in any order because their shapes differ. An impact word or a mention ends a component
 * name; bare words next to each other form one name (`Git Operations`); commas separate names.
 */
function parseSubscribeArgs(
  def: CommandDefinition,
  args: Lexeme[],
  mentions: MentionSyntax,
): ArgsResult {
  const [first, ...rest] = args;
  if (!first || first.kind === 'comma') return { ok: true, options: {} };
  let service: string;
  if (first.kind === 'special') {
    const url = specialUrl(first.body);
    if (!url) return usageError(def, notAServiceReason(first.body));
    service = url;
  } else {
    service = first.text;
    if (!first.quoted && isImpact(service) && rest.length > 0) {
      return usageError(def, `Can't subscribe: put the service first, then ${quoteInput(service)}`);
    }
  }

  let impact: string | undefined;
  let mention: string | undefined;
  let signals: string | undefined;
  const components: string[] = [];
  let pending: string[] = [];
  const endName = () => {
    if (pending.length > 0) components.push(pending.join(' '));
    pending = [];
  };
  for (const lx of rest) {
    if (lx.kind === 'comma') {
      endName();
      continue;
    }
    const raw = lx.kind === 'special' ? `<${lx.body}>` : lx.text;
    const asMention =
      lx.kind === 'special'
        ? isMentionSpecial(lx.body)
        : !lx.quoted && (lx.text.startsWith('@') || mentions.parse(lx.text) !== undefined);
    if (lx.kind === 'word' && !lx.quoted && isSignals(lx.text)) {
      endName();
      signals = lx.text.toLowerCase();
    } else if (lx.kind === 'word' && !lx.quoted && isImpact(lx.text)) {
      endName();
      const value = lx.text.toLowerCase();
      if (impact && impact !== value) {
        return usageError(
          def,
          `Can't subscribe: two minimum impacts given (${impact} and ${value}); pick one`,
        );
      }
      impact = value;
    } else if (asMention) {
      endName();
      const parsed = parseMention(raw, mentions);
      if (!parsed.ok) return usageError(def, `Can't subscribe: ${parsed.reason}`);
      const value = formatMention(parsed.value, mentions);
      if (mention && mention !== value) {
        return usageError(def, "Can't subscribe: give at most one mention");
      }
      mention = value;
    } else if (lx.kind === 'special' || (!lx.quoted && /^https?:\/\//i.test(lx.text))) {
      const body = lx.kind === 'special' ? lx.body : lx.text;
      return usageError(def, `Can't subscribe: ${notAnOptionReason(body)}`);
    } else if (lx.quoted) {
      endName();
      if (lx.text.trim()) components.push(lx.text.trim());
    } else {
      pending.push(lx.text);
    }
  }
  endName();
  const options: CommandOptions = { service };
  if (impact) options.impact = impact;
  if (components.length > 0) options.components = formatComponentList(components);
  if (mention) options.mention = mention;
  if (signals) options.signals = signals;
  return { ok: true, options };
}

/** `official` limits a subscription to the provider's word (a component so named is quoted). */
const isSignals = (word: string): boolean => word.toLowerCase() === 'official';

const isImpact = (word: string): boolean =>
  (IMPACTS as readonly string[]).includes(word.toLowerCase());

function notAServiceReason(body: string): string {
  if (body.startsWith('#')) {
    return `Can't subscribe to a channel (${specialText(body)}): run the command in the channel that should get the threads, with a service`;
  }
  return `Can't subscribe: ${quoteInput(specialText(body))} is not a service`;
}

function notAnOptionReason(body: string): string {
  if (body.startsWith('#')) {
    return `threads go to the channel you run this in, so leave out ${specialText(body)}`;
  }
  if (specialUrl(body)) return 'give one service or status page URL per subscribe';
  return `${quoteInput(specialText(body))} is not an impact, component or mention`;
}
