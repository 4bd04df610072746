import { createTheme, DEFAULT_THEME, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// Goldpath's accent: a warm gold on deep ink; everything else is Mantine's defaults.
const gold: MantineColorsTuple = ['#fff8e1', '#ffefcc', '#ffdd9b', '#fdca64', '#fcba38', '#fbb01c', '#f2a60a', '#d89100', '#c08000', '#a66d00'];
const ink: MantineColorsTuple = ['#eef0f8', '#dadff0', '#b3bce0', '#8998d0', '#6679c2', '#5066ba', '#435cb8', '#354ca2', '#2d4392', '#1b2140'];

export const theme = createTheme({
  primaryColor: 'ink',
  primaryShade: 6,
  colors: { gold, ink },
  fontFamily: "'Inter Variable', 'Inter', 'Liberation Sans', 'Helvetica Neue', Arial, sans-serif",
  fontFamilyMonospace: "'DejaVu Sans Mono', 'Liberation Mono', ui-monospace, monospace",
  headings: { fontFamily: "'Inter Variable', 'Inter', 'Liberation Sans', Arial, sans-serif", fontWeight: '650' },
  defaultRadius: 'md',
  // Filled badges and buttons pick black or white text by their colour's lightness (WCAG AA).
  autoContrast: true,
  cursorType: 'pointer',
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'lg', shadow: 'xs' } },
    // Initials in white on the accent (5.9:1); Mantine's light avatar is 3:1.
    Avatar: { defaultProps: { variant: 'filled', color: 'ink' } },
    Paper: { defaultProps: { radius: 'lg' } },
    // Mantine's close button is an icon alone: give it a name screen readers can say.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});

/**
 * WCAG AA wants 4.5:1 for text. Mantine's "dimmed" grey (#868e96) reads at 3.3:1 on white; this one
 * reads at 6:1 and still recedes. Light and outline badges write in their colour's 6th shade, 2–3:1
 * for green, orange or yellow; a darker mix of the 9th reads above 5:1 for every colour.
 * test/e2e/portal-accessibility.test.ts checks every page with axe-core.
 */
const colorNames = [...Object.keys(DEFAULT_THEME.colors), 'ink', 'gold'];
const darkText = (c: string) => `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`;
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--gp-bg': '#f6f7fb',
    '--mantine-color-dimmed': '#5c6370',
    ...Object.fromEntries(colorNames.flatMap((c) => [[`--mantine-color-${c}-light-color`, darkText(c)], [`--mantine-color-${c}-outline`, darkText(c)]])),
  },
  // Dark mode: the page a shade darker than its cards; dimmed text a light grey (7:1 on the cards).
  dark: {
    '--gp-bg': 'var(--mantine-color-dark-8)',
    '--mantine-color-anchor': 'var(--mantine-color-ink-2)',
    '--mantine-color-dimmed': '#a9b0bc',
  },
});
