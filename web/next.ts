/** Where to go after signing in: only a path on this site (never `//other.example` or a full URL). */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}
