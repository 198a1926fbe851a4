// C0 controls but tab, line feed and carriage return; DEL and C1 controls; U+FFFE/U+FFFF; and UTF-16 halves
// without their partner. None is text, and each but DEL/C1 makes an XML document (a feed) invalid.
const CONTROL =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The one text-cleaning rule for outside text: control and XML-invalid characters removed. */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}
