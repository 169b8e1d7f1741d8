// Byte sizes: a whole number of bytes, or a string like "512KiB", "1MiB", "2MB", "100B".

const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1_000,
  KiB: 1_024,
  MB: 1_000_000,
  MiB: 1_048_576,
  GB: 1_000_000_000,
  GiB: 1_073_741_824,
};

const SIZE = /^(\d+)\s?(B|KB|KiB|MB|MiB|GB|GiB)$/;

/** Bytes for a size string, or undefined when the text is not one. */
export function parseByteSize(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * (UNIT_BYTES[match[2] as string] as number);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
