import { deltaE2, packedToLab } from '../color.js';

/**
 * `palette`: each layer colour snaps to its nearest palette colour (CIE Lab distance); layers that
 * snap to the same colour become one. Rewrites `labels` in place and returns the new colours (one
 * per palette colour in use) and the new label of every old one.
 */
export function snapToPalette(
  labels: Int16Array,
  colours: number[],
  palette: number[],
): { colours: number[]; remap: Int16Array } {
  const labs = palette.map(packedToLab);
  const used = new Map<number, number>();
  const out: number[] = [];
  const remap = new Int16Array(colours.length);
  colours.forEach((c, k) => {
    const lab = packedToLab(c);
    let best = 0;
    for (let j = 1; j < labs.length; j++) if (deltaE2(lab, labs[j]) < deltaE2(lab, labs[best])) best = j;
    let label = used.get(best);
    if (label === undefined) {
      label = out.length;
      used.set(best, label);
      out.push(palette[best]);
    }
    remap[k] = label;
  });
  for (let p = 0; p < labels.length; p++) if (labels[p] >= 0) labels[p] = remap[labels[p]];
  return { colours: out, remap };
}

/** A canonical `palette` option (`0a66c2,ffffff`) as packed colours. */
export const parsePalette = (palette: string): number[] => palette.split(',').map((h) => parseInt(h, 16));
