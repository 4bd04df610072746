-- Customers, churn rate and spend per segment.
SELECT c.segment,
       count(DISTINCT c.customer_id)                     AS customers,
       round(avg(c.churned::int) * 100, 1)               AS churn_pct,
       round(sum(t.amount) / count(DISTINCT c.customer_id), 2) AS spend_per_customer
FROM customers c
JOIN accounts a ON a.customer_id = c.customer_id
JOIN transactions t ON t.account_id = a.account_id
GROUP BY c.segment
ORDER BY churn_pct DESC;
