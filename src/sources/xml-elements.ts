import { SaxesParser } from 'saxes';

/** A small element tree, built only for the elements a reader asks for. */
export interface XmlElement {
  /** Local name, without namespace prefix. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text directly and deeply inside, concatenated. */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * Streams an XML document and yields, in document order, each element whose local name is in `wanted`, as a
 * tree (elements nested inside a wanted one are part of its tree). Memory stays bounded by the largest one.
 */
export async function* xmlElements(
  chunks: AsyncIterable<Uint8Array | string>,
  wanted: ReadonlySet<string>,
): AsyncGenerator<XmlElement> {
  const parser = new SaxesParser({ position: true });
  const ready: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let failure: Error | null = null;

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (stack.length === 0 && !wanted.has(name)) return;
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attributes[localName(key)] = String(value);
    const element: XmlElement = { name, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  const onText = (text: string) => {
    for (const element of stack) element.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element && stack.length === 0) ready.push(element);
  });
  parser.on('error', (error) => {
    failure ??= new XmlError(`malformed XML: ${error.message}`);
  });

  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
    yield* ready.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* ready.splice(0);
}

/** The first child with this local name, if any. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

/** Trimmed text of the first child with this name, or null when absent or empty. */
export function childText(element: XmlElement, name: string): string | null {
  const text = child(element, name)?.text.trim();
  return text ? text : null;
}
