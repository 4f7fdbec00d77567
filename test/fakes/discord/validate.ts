/**
 * The subset of Discord's message validation that catches rendering bugs: content and embed
 * limits, an empty message, contradictory allowed_mentions and over-long nonces. A violation is
 * answered like Discord does: 400 with code 50035 "Invalid Form Body".
 */

import { validateComponents } from './components.js';

const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
};

function embedTextLength(embed: Record<string, unknown>, errors: string[], i: number): number {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const title = str(embed.title);
  const description = str(embed.description);
  const footer = str((embed.footer as { text?: unknown } | undefined)?.text);
  const author = str((embed.author as { name?: unknown } | undefined)?.name);
  if (title.length > EMBED_LIMITS.title) errors.push(`embeds[${i}].title > 256`);
  if (description.length > EMBED_LIMITS.description) errors.push(`embeds[${i}].description > 4096`);
  if (footer.length > 2048) errors.push(`embeds[${i}].footer.text > 2048`);
  if (author.length > 256) errors.push(`embeds[${i}].author.name > 256`);
  const fields = (embed.fields as { name?: unknown; value?: unknown }[] | undefined) ?? [];
  if (fields.length > EMBED_LIMITS.fields) errors.push(`embeds[${i}].fields > 25`);
  let total = title.length + description.length + footer.length + author.length;
  fields.forEach((f, j) => {
    const name = str(f.name);
    const value = str(f.value);
    if (name.length === 0 || name.length > EMBED_LIMITS.fieldName) {
      errors.push(`embeds[${i}].fields[${j}].name`);
    }
    if (value.length === 0 || value.length > EMBED_LIMITS.fieldValue) {
      errors.push(`embeds[${i}].fields[${j}].value`);
    }
    total += name.length + value.length;
  });
  return total;
}

/** Returns the list of problems; empty when Discord would accept the body. */
export function validateMessageBody(body: Record<string, unknown>, creating: boolean): string[] {
  const errors: string[] = [];
  const content = body.content;
  const embeds = body.embeds;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    errors.push('content: not a string');
  }
  if (typeof content === 'string' && content.length > 2000) errors.push('content > 2000');
  if (embeds !== undefined && !Array.isArray(embeds)) errors.push('embeds: not an array');
  const list = Array.isArray(embeds) ? (embeds as Record<string, unknown>[]) : [];
  if (list.length > 10) errors.push('embeds > 10');
  const total = list.reduce((sum, e, i) => sum + embedTextLength(e, errors, i), 0);
  if (total > 6000) errors.push('embeds: total text > 6000');
  if (creating && !(typeof content === 'string' && content.length > 0) && list.length === 0) {
    errors.push('message is empty (code 50006)');
  }
  const allowed = body.allowed_mentions as
    | { parse?: string[]; users?: string[]; roles?: string[] }
    | undefined;
  if (allowed) {
    if (allowed.parse?.includes('users') && (allowed.users?.length ?? 0) > 0) {
      errors.push('allowed_mentions: parse users and users are mutually exclusive');
    }
    if (allowed.parse?.includes('roles') && (allowed.roles?.length ?? 0) > 0) {
      errors.push('allowed_mentions: parse roles and roles are mutually exclusive');
    }
  }
  if (typeof body.nonce === 'string' && body.nonce.length > 25) errors.push('nonce > 25 chars');
  errors.push(...validateComponents(body.components));
  return errors;
}
