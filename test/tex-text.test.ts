import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerptTex, texToPlainText } from '../src/domain/tex-text.ts';
import { MAX_FORMULA_LENGTH, renderTexTokens, renderTextWithMath } from '../src/text/math.ts';

const render = (text: string) => renderTextWithMath(text).value;

test('LaTeX text-mode commands and Markdown emphasis render as HTML, the rest stays escaped', () => {
  assert.equal(
    render('\\textbf{x} improves recall by 58--75\\% over \\emph{all} baselines'),
    '<strong>x</strong> improves recall by 58–75% over <em>all</em> baselines',
  );
  assert.equal(render('pages 1---2, Fig.~3'), 'pages 1—2, Fig.\u00a03');
  assert.equal(
    render('\\textit{a} \\texttt{b<c>} \\textsc{Ours}'),
    '<em>a</em> <code>b&lt;c&gt;</code> <span class="smallcaps">Ours</span>',
  );
  assert.equal(render('as shown in~\\cite{smith2020, doe}. We'), 'as shown in. We');
  assert.equal(
    render('We present *CARVE* and **bold** claims'),
    'We present <em>CARVE</em> and <strong>bold</strong> claims',
  );
  assert.equal(render('the A* search and 2 * 3 stay'), 'the A* search and 2 * 3 stay');
  assert.equal(render('~10% faster, see https://x.org/~me'), '~10% faster, see https://x.org/~me');
});

test('styles nest, close at their brace, and stay balanced however the braces are broken', () => {
  assert.equal(render('\\textbf{a \\emph{b} c} d'), '<strong>a <em>b</em> c</strong> d');
  assert.equal(render('\\textbf{open {GPT} to the end'), '<strong>open {GPT} to the end</strong>');
  assert.equal(render('stray } brace'), 'stray } brace');
  assert.equal(
    render('\\textbf{<img src=x onerror=alert(1)>}'),
    '<strong>&lt;img src=x onerror=alert(1)&gt;</strong>',
  );
});

test('math inside text-mode commands is still typeset', () => {
  const out = render('\\textbf{cost $O(n)$} and *$x^2$*');
  assert.match(
    out,
    /^<strong>cost <span class="katex">[\s\S]*<\/span><\/strong> and <em><span class="katex">/,
  );
});

test('plain text (feeds, mails, titles) applies the same reading without markup', () => {
  assert.equal(
    texToPlainText('\\textbf{x} in 58--75\\% of *cases* $O(n)$~\\cite{a}.'),
    'x in 58–75% of cases O(n).',
  );
});

test('a hostile abstract renders in bounded output: unclosed delimiters, huge formulas', () => {
  const openers = '\\('.repeat(50_000);
  assert.equal(render(openers), openers);
  const dollars = '$a '.repeat(30_000);
  assert.equal(render(dollars).length, dollars.length);
  const long = `$${'\\frac{1}{2}'.repeat(Math.ceil(MAX_FORMULA_LENGTH / 11) + 1)}$`;
  assert.equal(render(long), long, 'a formula over the length bound is shown as its source');
  const stars = '*a '.repeat(20_000) + '{'.repeat(20_000) + '}'.repeat(5) + '\\cite{'.repeat(10_000);
  assert.ok(render(stars).length < stars.length * 2);
});

test('an excerpt (mails) cuts at a word and closes the styles it cut through', () => {
  const excerpt = (text: string, max: number) =>
    renderTexTokens(excerptTex(text, max), { math: 'source' }).value;
  assert.equal(excerpt('\\textbf{x} in 58--75\\%', 100), '<strong>x</strong> in 58–75%');
  assert.equal(excerpt('We \\emph{study long words here} and more', 16), 'We <em>study long</em>…');
  assert.equal(excerpt('Cost $O(n)$.\n\nNext', 100), 'Cost O(n). Next');
});
