/** Image types we keep and serve; SVG is left out, since it can carry scripts. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

export interface FetchedImage {
  contentType: string;
  data: Buffer;
}

export interface ImageFetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export class ImageFetchError extends Error {}

/**
 * Downloads one image: http(s) URLs only, within the time and size limits, and only when the server says it is a
 * raster image. Throws ImageFetchError (or a network error) otherwise.
 */
export async function fetchImage(url: string, limits: ImageFetchLimits): Promise<FetchedImage> {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ImageFetchError(`not an http(s) URL: ${url}`);
  }
  const response = await fetch(parsed, {
    signal: AbortSignal.timeout(limits.timeoutMs),
    headers: { accept: [...IMAGE_TYPES].join(', ') },
  });
  if (!response.ok || !response.body) throw new ImageFetchError(`${url}: HTTP ${response.status}`);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!IMAGE_TYPES.has(contentType)) {
    await response.body.cancel();
    throw new ImageFetchError(`${url}: not an image we keep (${contentType || 'no content type'})`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body.cancel();
    throw new ImageFetchError(`${url}: larger than ${limits.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limits.maxBytes) throw new ImageFetchError(`${url}: larger than ${limits.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return { contentType, data: Buffer.concat(chunks) };
}
