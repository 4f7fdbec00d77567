/** What a running bot says about itself over HTTP (its PORT): finished polls, readiness. */

/** Polls the bot has finished, whatever their result, from its own /metrics. */
export async function finishedPolls(port: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(/^outage_bot_polls_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** Resolves once the bot has finished `count` polls. */
export async function waitForPolls(port: string, count: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await finishedPolls(port)) < count) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${count} finished polls`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `/readyz`: its status code and body. */
export async function readiness(port: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: await res.text() };
}
