// An amount of money on screen: the API's decimal string, formatted exactly (money-format.ts).
import { Text, type TextProps } from '@mantine/core';
import { formatMoney } from './money-format.ts';

/** An amount in tabular figures, with the exact value on hover. */
export function Money({ amount, currency, ...props }: { amount: string; currency: string } & TextProps) {
  return (
    <Text component="span" inherit style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} title={`${amount} ${currency}`} {...props}>
      {formatMoney(amount, currency)}
    </Text>
  );
}
