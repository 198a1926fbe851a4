import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripControlCharacters } from '../src/domain/control-characters.ts';
import { paperLinks } from '../src/domain/paper-links.ts';
import { admitPaperRecord, PaperRecordError } from '../src/domain/paper-record-rules.ts';
import { MAX_URL_LENGTH, safeUrl } from '../src/domain/safe-url.ts';
import { paperRecord } from './helpers/records.ts';

test('only absolute http(s) URLs pass, trimmed', () => {
  assert.equal(safeUrl('https://github.com/a/b'), 'https://github.com/a/b');
  assert.equal(safeUrl('  http://example.org/x?y=1#z \n'), 'http://example.org/x?y=1#z');
  assert.equal(safeUrl('HTTPS://Example.org'), 'HTTPS://Example.org');
  for (const bad of [
    'javascript:alert(document.domain)//',
    '  javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/x',
    '/relative/path',
    'github.com/a/b',
    'https://',
    'https:// spaced.example',
    'http://exa\nmple.org',
    `https://example.org/${'a'.repeat(MAX_URL_LENGTH)}`,
    '',
    null,
    undefined,
  ]) {
    assert.equal(safeUrl(bad), null, JSON.stringify(bad));
  }
});

test('imports drop failing links and report them; over-long text is refused', () => {
  const admitted = admitPaperRecord(
    paperRecord('2605.00001', {
      title: 'A \u0001title\u0000',
      githubRepo: 'javascript:alert(1)',
      projectPage: ' https://example.org/p ',
      organization: { name: 'lab', fullName: null, avatarUrl: 'data:image/svg+xml,<svg/>' },
    }),
  );
  assert.equal(admitted.record.title, 'A title');
  assert.equal(admitted.record.githubRepo, null);
  assert.equal(admitted.record.projectPage, 'https://example.org/p');
  assert.equal(admitted.record.organization?.avatarUrl, null);
  assert.deepEqual(admitted.droppedLinks, ['githubRepo', 'organization.avatarUrl']);
  assert.ok(!('pdfUrl' in admitted.record), 'a field the source left out stays unknown');
  assert.throws(
    () => admitPaperRecord(paperRecord('2605.00002', { abstract: 'x'.repeat(20_001) })),
    (error: Error) =>
      error instanceof PaperRecordError && /abstract is 20,001 characters long/.test(error.message),
  );
});

test('rendered links pass the same policy; the PDF falls back to arXiv', () => {
  const links = paperLinks({
    id: '2605.00001',
    absUrl: 'https://arxiv.org/abs/2605.00001',
    pdfUrl: 'javascript:alert(1)',
    githubRepo: ' javascript:alert(1)',
    projectPage: 'https://example.org',
  } as Parameters<typeof paperLinks>[0]);
  assert.deepEqual(links, {
    arxiv: 'https://arxiv.org/abs/2605.00001',
    pdf: 'https://arxiv.org/pdf/2605.00001',
    github: null,
    projectPage: 'https://example.org',
  });
});

test('control characters and XML-invalid code points are stripped, text and emoji kept', () => {
  assert.equal(
    stripControlCharacters('a\u0001b\u0008c\td\ne\rf\u007f\u0085g\ufffeh\ud800i😀'),
    'abc\td\ne\rfghi😀',
  );
});
