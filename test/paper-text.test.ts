import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanAbstract, cleanTitle } from '../src/domain/paper-text.ts';

test('a title becomes one line with single spaces, whatever whitespace it was wrapped with', () => {
  assert.equal(cleanTitle('Multimodal\n  Models'), 'Multimodal Models');
  assert.equal(cleanTitle('  Tabs\tand\u00a0no-break\u3000spaces  '), 'Tabs and no-break spaces');
  assert.equal(cleanTitle('one space each already'), 'one space each already');
  assert.equal(cleanTitle(' \t\n '), '');
});

test('an abstract keeps its paragraphs and unwraps the lines inside them', () => {
  assert.equal(
    cleanAbstract('  First line\n  wrapped here.\r\n\r\nSecond\tparagraph \u00a0ends.\n \n\n'),
    'First line wrapped here.\n\nSecond paragraph ends.',
  );
  assert.equal(cleanAbstract('a\rb'), 'a b');
  assert.equal(cleanAbstract('x \n\t\n y'), 'x\n\ny');
  assert.equal(cleanAbstract('\n\n \n'), '');
});
