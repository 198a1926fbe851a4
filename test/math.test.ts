import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenizeTex } from '../src/domain/tex-text.ts';
import {
  plainText,
  renderExcerptWithMath,
  renderParagraphs,
  renderTexTokens,
  renderTextWithMath,
} from '../src/text/math.ts';

const render = (text: string) => renderTextWithMath(text).value;

test('inline and display math render with KaTeX (HTML + MathML)', () => {
  const inline = render('Attention in $\\mathcal{O}(n \\log n)$ time');
  assert.match(inline, /^Attention in <span class="katex">/);
  assert.match(inline, /<math/);
  assert.match(inline, / time$/);
  assert.match(render('$$E = mc^2$$'), /katex-display/);
  assert.match(render('see \\(x^2\\) and \\[y\\]'), /katex[\s\S]*katex-display/);
});

test('prose dollars, escaped dollars and broken formulas stay text', () => {
  assert.equal(render('It costs $5 and $10 a month'), 'It costs $5 and $10 a month');
  assert.equal(render('a \\$ sign'), 'a $ sign');
  assert.equal(render('bad $\\frac{1}{$ math'), 'bad $\\frac{1}{$ math');
  assert.equal(render('$ spaced $'), '$ spaced $');
});

test('everything outside math is escaped, and math cannot inject markup', () => {
  assert.equal(
    render('<script>alert(1)</script> & "x"'),
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;',
  );
  const evil = render('$\\href{javascript:alert(1)}{x}$ <img src=x onerror=alert(1)>');
  assert.doesNotMatch(evil, /href="javascript/);
  assert.doesNotMatch(evil, /<img/);
});

test('paragraphs and plain text', () => {
  assert.equal(renderParagraphs('one\n\ntwo').value, '<p>one</p><p>two</p>');
  assert.equal(plainText('Fast $O(n)$ attention'), 'Fast O(n) attention');
});

test('text without markup renders as the tokenizer would, and text with markup still gets it', () => {
  const texts = [
    'A plain title: 3 < 4 & "quoted" it\'s',
    'Hyphen-ated, a single - dash, and 50% off',
    'An en--dash and an em---dash',
    'Braces {kept} and a tilde~here',
    '*emphasis* and **strong**',
    'a \\textbf{bold} word',
    'Cost $5',
    'line one\nline two',
  ];
  for (const math of ['katex', 'source'] as const)
    for (const text of texts)
      assert.equal(
        renderTextWithMath(text, { math }).value,
        renderTexTokens(tokenizeTex(text), { math }).value,
        `${math}: ${text}`,
      );
  assert.equal(render('An en--dash'), 'An en–dash');
  assert.equal(render('*emphasis*'), '<em>emphasis</em>');
});

test('a card\'s excerpt: the text up to a word near the limit with "…", its math typeset, markup past the end ignored', () => {
  const excerpt = (text: string, max = 40) => renderExcerptWithMath(text, max).value;
  assert.equal(excerpt('Short   abstract,\n\nkept whole.'), 'Short abstract, kept whole.');
  assert.equal(excerpt(`${'word '.repeat(20)}end`), `${'word '.repeat(7)}word…`);
  assert.equal(excerpt(`<b>&amp; ${'x'.repeat(60)}`), `&lt;b&gt;&amp;amp; ${'x'.repeat(31)}…`);
  const withMath = excerpt('In $\\mathcal{O}(n)$ time we rank the papers of a whole day, and more');
  assert.match(withMath, /^In <span class="katex">[\s\S]*<\/span> time we rank the[^<]*…$/);
  assert.equal(
    excerpt(`${'plain words '.repeat(10)} then $x^2$ math`),
    `${'plain words '.repeat(3).trim()}…`,
  );
  assert.equal(
    excerpt('An *open emphasis that runs past the end of the excerpt and on*'),
    renderTexTokens(
      [
        { type: 'text', text: 'An ' },
        { type: 'open', style: 'em' },
        { type: 'text', text: 'open emphasis that runs past the end' },
        { type: 'close', style: 'em' },
        { type: 'text', text: '…' },
      ],
      { math: 'katex' },
    ).value,
  );
});
