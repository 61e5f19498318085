/**
 * Keyboard layouts (QWERTY, AZERTY, QWERTZ and the numeric keypad) as key positions, so a walk
 * such as `qwertyuiop`, `1qaz2wsx`, `azertyuiop`, `qwertzuiop` or `789456123` is seen as a few
 * choices rather than one random character per key.
 */

/** One layout: rows of keys, each key as its unshifted and shifted character, and the rows' offsets. */
interface Layout {
  name: string;
  /** Each row as pairs: unshifted then shifted character for each key. */
  rows: readonly string[];
  /** Horizontal offset of each row in key widths (staggered rows). */
  offsets: readonly number[];
  /** True for a grid (keypad) where diagonals are neighbours too. */
  grid: boolean;
}

const LAYOUTS: readonly Layout[] = [
  {
    name: 'qwerty',
    rows: [
      '`~1!2@3#4$5%6^7&8*9(0)-_=+',
      'qQwWeErRtTyYuUiIoOpP[{]}\\|',
      'aAsSdDfFgGhHjJkKlL;:\'"',
      'zZxXcCvVbBnNmM,<.>/?',
    ],
    offsets: [0, 1.5, 1.75, 2.25],
    grid: false,
  },
  {
    name: 'azerty',
    rows: [
      '²²&1é2"3\'4(5-6è7_8ç9à0)°=+',
      'aAzZeErRtTyYuUiIoOpP^¨$£',
      'qQsSdDfFgGhHjJkKlLmMù%*µ',
      '<>wWxXcCvVbBnN,?;.:/!§',
    ],
    offsets: [0, 1.5, 1.75, 1.25],
    grid: false,
  },
  {
    name: 'qwertz',
    rows: [
      '^°1!2"3§4$5%6&7/8(9)0=ß?´`',
      'qQwWeErRtTzZuUiIoOpPüÜ+*',
      "aAsSdDfFgGhHjJkKlLöÖäÄ#'",
      '<>yYxXcCvVbBnNmM,;.:-_',
    ],
    offsets: [0, 1.5, 1.75, 1.25],
    grid: false,
  },
  {
    name: 'keypad',
    rows: ['//**--', '778899++', '445566', '112233', '00..'],
    offsets: [1, 0, 0, 0, 0],
    grid: true,
  },
];

/** Layout names, indexed like the walks' `layout` field. */
export const LAYOUT_NAMES: readonly string[] = LAYOUTS.map((l) => l.name);

/** Position of a character on one layout. */
interface KeyPos {
  row: number;
  x: number;
}

/** Per layout: row (or -1) and x of every char code below 256 (all layout characters are). */
interface PositionTable {
  row: Int8Array;
  x: Float32Array;
  /** 1 for the shifted character of a key. */
  shift: Uint8Array;
}

let positions: PositionTable[] | undefined;

function build(): PositionTable[] {
  return LAYOUTS.map((layout) => {
    const table = { row: new Int8Array(256).fill(-1), x: new Float32Array(256), shift: new Uint8Array(256) };
    layout.rows.forEach((row, r) => {
      for (let k = 0; k * 2 < row.length; k++) {
        [row[k * 2]!, row[k * 2 + 1]!].forEach((ch, shifted) => {
          const code = ch.charCodeAt(0);
          if (code < 256 && table.row[code] === -1) {
            table.row[code] = r;
            table.x[code] = k + layout.offsets[r]!;
            table.shift[code] = shifted;
          }
        });
      }
    });
    return table;
  });
}

/** Direction of a step between adjacent keys (0..7), or -1 when the keys are not neighbours. */
function direction(a: KeyPos, b: KeyPos, grid: boolean): number {
  const dr = b.row - a.row;
  const dx = b.x - a.x;
  if (dr === 0) {
    if (Math.abs(dx) === 1) return dx > 0 ? 0 : 1;
    return -1;
  }
  if (Math.abs(dr) !== 1) return -1;
  if (grid) {
    if (Math.abs(dx) > 1) return -1;
    return 2 + (dr > 0 ? 0 : 3) + (dx === 0 ? 0 : dx > 0 ? 1 : 2);
  }
  if (Math.abs(dx) > 0.75) return -1;
  return 2 + (dr > 0 ? 0 : 3) + (dx >= 0 ? 1 : 2);
}

/** A keyboard walk found in a string. */
export interface KeyboardWalk {
  start: number;
  length: number;
  /** Index into {@link LAYOUT_NAMES}. */
  layout: number;
  /** Changes of direction along the walk. */
  turns: number;
  /** Changes between shifted and unshifted keys along the walk. */
  shifts: number;
}

/** Shortest walk reported: shorter adjacent runs occur by chance in random keys. */
export const MIN_WALK = 4;

/**
 * Finds maximal keyboard walks of at least {@link MIN_WALK} keys on every layout.
 * Linear: one pass per layout.
 */
export function findKeyboardWalks(s: string): KeyboardWalk[] {
  positions ??= build();
  const out: KeyboardWalk[] = [];
  for (let l = 0; l < LAYOUTS.length; l++) {
    const table = positions[l]!;
    const grid = LAYOUTS[l]!.grid;
    const a: KeyPos = { row: 0, x: 0 };
    const b: KeyPos = { row: 0, x: 0 };
    let start = 0;
    let turns = 0;
    let shifts = 0;
    let lastDir = -1;
    let beforeLast = -1;
    for (let i = 1; i <= s.length; i++) {
      let dir = -1;
      if (i < s.length) {
        const ca = s.charCodeAt(i - 1);
        const cb = s.charCodeAt(i);
        if (ca < 256 && cb < 256 && table.row[ca]! >= 0 && table.row[cb]! >= 0) {
          a.row = table.row[ca]!;
          a.x = table.x[ca]!;
          b.row = table.row[cb]!;
          b.x = table.x[cb]!;
          dir = direction(a, b, grid);
        }
      }
      if (dir >= 0) {
        // A zigzag (1q2w3e) returns to the direction before last: not a new choice.
        if (lastDir >= 0 && dir !== lastDir && dir !== beforeLast) turns++;
        if (table.shift[s.charCodeAt(i)] !== table.shift[s.charCodeAt(i - 1)]) shifts++;
        beforeLast = lastDir;
        lastDir = dir;
        continue;
      }
      // Three keys in a straight line (`qaz`, `wsx`) count too; chance ones in random keys save a few bits.
      const len = i - start;
      if (len >= MIN_WALK || (len === MIN_WALK - 1 && turns === 0 && shifts === 0)) {
        out.push({ start, length: len, layout: l, turns, shifts });
      }
      start = i;
      turns = 0;
      shifts = 0;
      lastDir = -1;
      beforeLast = -1;
    }
  }
  return out;
}
