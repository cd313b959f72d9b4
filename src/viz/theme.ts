// The colours every panel draws with: one colour-blind-safe palette (Okabe & Ito) exposed as CSS
// variables, light by default and dark under `prefers-color-scheme: dark` or an ancestor's
// `data-brook-theme="dark"`. Invariant: token names and exports stay stable; panels import them.

/** Semantic colour tokens. Status colours always come with a second cue (shape, dash, label). */
export type ThemeToken =
  | 'bg'
  | 'surface'
  | 'ink'
  | 'muted'
  | 'faint'
  | 'grid'
  | 'axis'
  | 'accent'
  | 'focus'
  | 'playhead'
  | 'onTime'
  | 'late'
  | 'dropped'
  | 'watermark'
  | 'paneEarly'
  | 'paneOnTime'
  | 'paneLate'
  | 'crash'
  | 'restore'
  | 'checkpoint'
  | 'band'
  | 'bandAlt'
  | 'matched'
  | 'missing'
  | 'unexpected'
  | 'duplicate'
  | 'lost';

export interface ThemeColor {
  readonly light: string;
  readonly dark: string;
}

/** Okabe & Ito's eight colours (safe for the common colour-vision deficiencies). */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Every token's light and dark value. Dark values are lightened so they hold contrast on a dark surface. */
export const THEME: Readonly<Record<ThemeToken, ThemeColor>> = {
  bg: { light: '#f6f9fb', dark: '#0d171d' },
  surface: { light: '#ffffff', dark: '#132129' },
  ink: { light: '#15232d', dark: '#e4edf1' },
  muted: { light: '#52646f', dark: '#9bb0bb' },
  faint: { light: '#8a9aa4', dark: '#5f7480' },
  grid: { light: '#e6edf1', dark: '#1d2e37' },
  axis: { light: '#9aabb5', dark: '#4a606c' },
  accent: { light: '#0b6e8a', dark: '#5cc3dd' },
  focus: { light: '#0072B2', dark: '#56B4E9' },
  playhead: { light: '#15232d', dark: '#f0f5f7' },
  onTime: { light: OKABE_ITO.blue, dark: OKABE_ITO.skyBlue },
  late: { light: OKABE_ITO.orange, dark: '#f2b43a' },
  dropped: { light: OKABE_ITO.vermillion, dark: '#ff7a2f' },
  watermark: { light: OKABE_ITO.bluishGreen, dark: '#2fc596' },
  paneEarly: { light: OKABE_ITO.skyBlue, dark: '#7cc8f0' },
  paneOnTime: { light: OKABE_ITO.bluishGreen, dark: '#2fc596' },
  paneLate: { light: OKABE_ITO.reddishPurple, dark: '#e39ac0' },
  crash: { light: OKABE_ITO.vermillion, dark: '#ff7a2f' },
  restore: { light: OKABE_ITO.blue, dark: OKABE_ITO.skyBlue },
  checkpoint: { light: OKABE_ITO.reddishPurple, dark: '#e39ac0' },
  band: { light: 'rgba(0, 114, 178, 0.07)', dark: 'rgba(86, 180, 233, 0.10)' },
  bandAlt: { light: 'rgba(0, 114, 178, 0.13)', dark: 'rgba(86, 180, 233, 0.18)' },
  matched: { light: OKABE_ITO.bluishGreen, dark: '#2fc596' },
  missing: { light: OKABE_ITO.vermillion, dark: '#ff7a2f' },
  unexpected: { light: OKABE_ITO.orange, dark: '#f2b43a' },
  duplicate: { light: OKABE_ITO.orange, dark: '#f2b43a' },
  lost: { light: OKABE_ITO.vermillion, dark: '#ff7a2f' },
};

/** Categorical colours for series (keys, subtasks, sinks), in a safe order. */
export const SERIES: readonly ThemeColor[] = [
  { light: OKABE_ITO.blue, dark: OKABE_ITO.skyBlue },
  { light: OKABE_ITO.orange, dark: '#f2b43a' },
  { light: OKABE_ITO.bluishGreen, dark: '#2fc596' },
  { light: OKABE_ITO.reddishPurple, dark: '#e39ac0' },
  { light: OKABE_ITO.vermillion, dark: '#ff7a2f' },
  { light: OKABE_ITO.skyBlue, dark: '#9bd3f3' },
  { light: '#8c7a00', dark: OKABE_ITO.yellow },
  { light: '#4d4d4d', dark: '#c8c8c8' },
];

/** Font stacks, as CSS variables falling back to the page's own. */
export const FONT_VARS = {
  sans: 'var(--brook-font, var(--font, ui-sans-serif, system-ui, sans-serif))',
  mono: 'var(--brook-mono, var(--mono, ui-monospace, Menlo, Consolas, monospace))',
} as const;

function kebab(token: string): string {
  return token.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The CSS custom property of a token: `cssVarName('onTime')` is `--brook-on-time`. */
export function cssVarName(token: ThemeToken): string {
  return `--brook-${kebab(token)}`;
}

/** A `var()` reference for SVG/CSS: `fill: cssVar('late')`. */
export function cssVar(token: ThemeToken): string {
  return `var(${cssVarName(token)}, ${THEME[token].light})`;
}

/** The `var()` reference of series colour `i` (wraps around). */
export function seriesVar(i: number): string {
  const n = ((i % SERIES.length) + SERIES.length) % SERIES.length;
  return `var(--brook-series-${n}, ${SERIES[n]!.light})`;
}

function declarations(mode: 'light' | 'dark'): string {
  const lines = (Object.keys(THEME) as ThemeToken[]).map((t) => `${cssVarName(t)}: ${THEME[t][mode]};`);
  SERIES.forEach((c, i) => lines.push(`--brook-series-${i}: ${c[mode]};`));
  return lines.join(' ');
}

/** The stylesheet that defines every variable (light, dark by media query, and forced by attribute). */
export function themeCss(): string {
  return [
    `:root { ${declarations('light')} }`,
    `@media (prefers-color-scheme: dark) { :root { ${declarations('dark')} } }`,
    `[data-brook-theme="light"] { ${declarations('light')} }`,
    `[data-brook-theme="dark"] { ${declarations('dark')} }`,
  ].join('\n');
}

const STYLE_ID = 'brook-theme';

/** Adds the theme stylesheet to the document once; every panel calls it when created. */
export function installTheme(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = themeCss();
  doc.head.append(style);
}

/** A token's computed colour at `el`, for canvas drawing (canvas cannot read `var()`). */
export function resolveColor(el: Element, token: ThemeToken): string {
  const value = getComputedStyle(el).getPropertyValue(cssVarName(token)).trim();
  return value || THEME[token].light;
}

/** Whether `el` currently shows the dark theme (for canvas redraws on a scheme change). */
export function isDark(el: Element): boolean {
  return resolveColor(el, 'surface') === THEME.surface.dark;
}
