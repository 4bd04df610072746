import { ActionIcon, Code, CopyButton, Group, Text, Tooltip, Box } from '@mantine/core';
import { outputLabel, outputNoun } from '../lib/output-labels.ts';
import { IconCheck, IconCopy, IconEye, IconEyeOff } from '@tabler/icons-react';
import { useState } from 'react';

export function CopyIcon({ value, label, light = false }: { value: string; label: string; light?: boolean }) {
  return (
    <CopyButton value={value} timeout={1600}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow>
          <ActionIcon variant={light ? 'white' : 'subtle'} color={copied ? 'teal' : light ? 'dark' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** Hides credentials in URLs (`user:secret@host`) until the person asks to see them. */
export function maskUrl(value: string): string {
  return value.replace(/(\/\/[^:/@\s]+:)([^@\s]+)@/g, '$1••••••••@').replace(/([?&]token=)[^&\s]+/g, '$1••••••••');
}

export function SecretToggle({ shown, onToggle, label }: { shown: boolean; onToggle: () => void; label: string }) {
  return (
    <Tooltip label={shown ? `Hide ${label}` : `Show ${label}`} withArrow>
      <ActionIcon variant="subtle" color="gray" onClick={onToggle} aria-label={shown ? `Hide ${label}` : `Show ${label}`} aria-pressed={shown}>
        {shown ? <IconEyeOff size={16} /> : <IconEye size={16} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** One output of a resource: label, value (masked when secret), show and copy buttons. */
export function OutputRow({ label, value, secret }: { label: string; value: string; secret: boolean }) {
  const [shown, setShown] = useState(false);
  const masked = secret && !shown;
  const text = masked ? (/^\w+:\/\//.test(value) ? maskUrl(value) : '••••••••••••') : value;
  return (
    <Group gap="xs" wrap="nowrap" align="center" data-output={label}>
      <Text size="xs" c="dimmed" w={112} style={{ flexShrink: 0 }}>
        {outputLabel(label)}
      </Text>
      <Box style={{ flex: 1, minWidth: 0 }}>
        <Code className="gp-secret" block={false} style={{ display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={masked ? undefined : value}>
          {text}
        </Code>
      </Box>
      {secret && <SecretToggle shown={shown} onToggle={() => setShown((s) => !s)} label={outputNoun(label)} />}
      <CopyIcon value={value} label={outputNoun(label)} />
    </Group>
  );
}
