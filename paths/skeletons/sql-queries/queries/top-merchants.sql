-- The twenty merchants with the most spend, and how many customers use each.
SELECT t.merchant, round(sum(t.amount), 2) AS spend, count(DISTINCT a.customer_id) AS customers
FROM transactions t
JOIN accounts a ON a.account_id = t.account_id
GROUP BY t.merchant
ORDER BY spend DESC
LIMIT 20;
