-- Spend per month and channel.
SELECT date_trunc('month', t.ts)::date AS month, t.channel, round(sum(t.amount), 2) AS spend
FROM transactions t
GROUP BY 1, 2
ORDER BY 1, 2;
