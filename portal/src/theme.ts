import { createTheme, type MantineColorsTuple } from '@mantine/core';

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
  cursorType: 'pointer',
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'lg', shadow: 'xs' } },
    Paper: { defaultProps: { radius: 'lg' } },
    // Mantine's close button is an icon alone: give it a name screen readers can say.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});
