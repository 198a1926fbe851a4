const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const SPECIAL = /[&<>"']/;

export function escapeHtml(value: string): string {
  // Most values (ids, paths, names) have nothing to escape: a test is far cheaper than a replace with a callback.
  return SPECIAL.test(value) ? value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char) : value;
}
