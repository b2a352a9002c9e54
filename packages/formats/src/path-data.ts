import svgpath from 'svgpath';

/** Absolute path commands with curves as cubics only: what every writer consumes. */
export type Segment =
  | { op: 'M'; p: [number, number] }
  | { op: 'L'; p: [number, number] }
  | { op: 'C'; p: [number, number, number, number, number, number] }
  | { op: 'Z' };

/**
 * SVG path data → absolute M/L/C/Z (svgpath does the parsing, arcs → cubics and the shorthand
 * forms; quadratics are raised to cubics here, H/V become L).
 */
export function parsePathData(d: string): Segment[] {
  const out: Segment[] = [];
  svgpath(d)
    .abs()
    .unarc()
    .unshort()
    .iterate((s, _i, x, y) => {
      switch (s[0]) {
        case 'M':
          out.push({ op: 'M', p: [s[1], s[2]] });
          break;
        case 'L':
          out.push({ op: 'L', p: [s[1], s[2]] });
          break;
        case 'H':
          out.push({ op: 'L', p: [s[1], y] });
          break;
        case 'V':
          out.push({ op: 'L', p: [x, s[1]] });
          break;
        case 'C':
          out.push({ op: 'C', p: [s[1], s[2], s[3], s[4], s[5], s[6]] });
          break;
        case 'Q': {
          const [qx, qy, ex, ey] = [s[1], s[2], s[3], s[4]];
          out.push({
            op: 'C',
            p: [
              x + (2 / 3) * (qx - x),
              y + (2 / 3) * (qy - y),
              ex + (2 / 3) * (qx - ex),
              ey + (2 / 3) * (qy - ey),
              ex,
              ey,
            ],
          });
          break;
        }
        case 'Z':
        case 'z':
          out.push({ op: 'Z' });
          break;
        default:
          // unarc/unshort/abs leave no other command.
          throw new Error(`unexpected path command ${s[0]}`);
      }
    });
  return out;
}
