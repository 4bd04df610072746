// Dark mode: follows the OS until the person picks one; the pick is kept in localStorage
// (Mantine's colour-scheme manager), so it holds across reloads and tabs.
import { ActionIcon, SegmentedControl, Tooltip, localStorageColorSchemeManager, useComputedColorScheme, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '@tabler/icons-react';

export const colorSchemeManager = localStorageColorSchemeManager({ key: 'goldpath.color-scheme' });

/** The header's sun/moon button: switches to the other scheme from the one shown now. */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const shown = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = shown === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} mode`}>
      <ActionIcon variant="subtle" color="gray.0" size="lg" onClick={() => setColorScheme(next)} aria-label={`Switch to ${next} mode`} data-testid="color-scheme-toggle" data-scheme={shown}>
        {shown === 'dark' ? <IconSun size={20} /> : <IconMoon size={20} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** The settings page's choice: light, dark, or as the operating system says. */
export function ColorSchemeChoice() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      aria-label="Colour scheme"
      value={colorScheme}
      onChange={(v) => setColorScheme(v as MantineColorScheme)}
      data={[
        { value: 'auto', label: 'As the system' },
        { value: 'light', label: 'Light' },
        { value: 'dark', label: 'Dark' },
      ]}
    />
  );
}
