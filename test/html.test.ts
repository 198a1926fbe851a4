import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html, raw } from '../src/text/html.ts';

test('the html template escapes what it is given unless it is already safe markup', () => {
  const name = '<b>"Ada" & \'Alan\'</b>';
  assert.equal(
    html`<p title="${name}">${name}</p>`.value,
    '<p title="&lt;b&gt;&quot;Ada&quot; &amp; &#39;Alan&#39;&lt;/b&gt;">&lt;b&gt;&quot;Ada&quot; &amp; &#39;Alan&#39;&lt;/b&gt;</p>',
  );
  assert.equal(html`${raw('<i>kept</i>')} ${html`<b>${'<x>'}</b>`}`.value, '<i>kept</i> <b>&lt;x&gt;</b>');
  assert.equal(html`${null}${undefined}${false}|${0}|${true}|${12.5}`.value, '|0|true|12.5');
});

test('lists are rendered item by item, nested ones too, each item escaped or kept as its kind says', () => {
  const items = ['a&b', raw('<br>'), ['<c>', [html`<d>${'e"'}</d>`, null]], false];
  assert.equal(html`<ul>${items}</ul>`.value, '<ul>a&amp;b<br>&lt;c&gt;<d>e&quot;</d></ul>');
  assert.equal(html`${[]}`.value, '');
});
