import type { CommandContext, CommandDefinition, CommandOptions, Reply } from './command.js';
import { closestNames, orList } from './did-you-mean.js';
import { errorReply, quoteInput, SLASH, usageLine } from './format.js';

/** Built from the command table it describes, so help can never drift from the real commands. */
export function createHelp(commands: () => readonly CommandDefinition[]): CommandDefinition {
  return {
    name: 'help',
    description: 'List every subcommand, or explain one in detail.',
    options: [
      { name: 'command', description: 'A subcommand to explain', required: false, rest: true },
    ],
    manages: false,
    examples: ['help', 'help subscribe'],
    run: (_ctx: CommandContext, options: CommandOptions) =>
      Promise.resolve(runHelp(commands(), options.command?.trim().toLowerCase() ?? '')),
  };
}

function runHelp(commands: readonly CommandDefinition[], topic: string): Reply {
  if (topic === '') {
    return {
      visibility: 'ephemeral',
      title: `${SLASH} commands`,
      text: `Subscribe this channel to the services you depend on and get one thread per incident. ${SLASH} help <command> explains one.`,
      items: commands.map((def) => ({
        label: usageLine(def),
        detail: `${def.description} Example: ${def.examples.map((e) => `${SLASH} ${e}`).join(', ')}`,
      })),
    };
  }
  const def = commands.find((c) => c.name === topic.replace(/^\/?outage\s+/, ''));
  if (!def) {
    const guess = closestNames(
      topic,
      commands.map((c) => c.name),
    );
    const hint = guess.length > 0 ? ` Did you mean ${orList(guess)}?` : '';
    return errorReply(
      `There is no ${quoteInput(topic)} command.${hint} Commands: ${commands.map((c) => c.name).join(', ')}.`,
    );
  }
  const lines = [def.description, `Usage: ${usageLine(def)}`];
  for (const option of def.options) {
    lines.push(`${option.name}${option.required ? '' : ' (optional)'}: ${option.description}`);
  }
  if (def.manages) lines.push('Needs permission to manage this channel if the operator limits it.');
  lines.push('Examples:', ...def.examples.map((e) => `${SLASH} ${e}`));
  return { visibility: 'ephemeral', title: `${SLASH} ${def.name}`, text: lines.join('\n') };
}
