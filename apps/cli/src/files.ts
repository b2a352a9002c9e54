import fs from 'node:fs/promises';
import path from 'node:path';

const IMAGE_EXT = /\.(png|jpe?g|webp)$/i;

/** Expands files and folders (recursively) into the image files to convert, in a stable order. */
export async function collectInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const st = await fs.stat(input).catch(() => undefined);
    if (!st) throw new Error(`no such file or folder: ${input}`);
    if (st.isDirectory()) {
      const entries = await fs.readdir(input, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && IMAGE_EXT.test(e.name))
        .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
      out.push(...files.sort());
    } else out.push(input);
  }
  return out;
}
