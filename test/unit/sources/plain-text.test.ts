import { describe, expect, it } from 'vitest';
import { decodeEntities, toPlainText } from '../../../src/sources/plain-text.js';

describe('toPlainText', () => {
  it.each([
    ['line one<br />line two<br>line three', 'line one\nline two\nline three'],
    ['<p>First.</p><p>Second.</p>', 'First.\n\nSecond.'],
    ['Affected:<ul><li>API</li><li>Web</li></ul>', 'Affected:\n- API\n- Web'],
    ['See <a href="https://x.example/">the post</a> &amp; retry', 'See the post & retry'],
    ['<strong>Resolved</strong> - fixed', 'Resolved - fixed'],
    ['a<script>alert(1)</script>b<style>p{}</style>c', 'abc'],
    ['before<!-- hidden -->after', 'beforeafter'],
    ['  padded\r\n  text  ', 'padded\ntext'],
    ['one<br><br><br><br>two', 'one\n\ntwo'],
    ['no markup at all', 'no markup at all'],
    ['5 < 6 and 7 > 3', '5 < 6 and 7 > 3'],
  ])('%j -> %j', (html, text) => {
    expect(toPlainText(html)).toBe(text);
  });

  it('decodes escaped markup into text, which adapters must still escape', () => {
    expect(toPlainText('&lt;!channel&gt; &lt;@U123&gt;')).toBe('<!channel> <@U123>');
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric references', () => {
    expect(decodeEntities('&quot;x&quot; &#39;y&#39; &#x2014; &nbsp;&hellip;')).toBe(
      `"x" 'y' —  …`,
    );
  });
  it('leaves unknown and dangerous references alone', () => {
    expect(decodeEntities('&bogus; &#0; &#xD800; &#1114112;')).toBe(
      '&bogus; &#0; &#xD800; &#1114112;',
    );
  });
});
