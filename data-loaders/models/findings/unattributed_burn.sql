-- Burn lines (line × day) that reached no segment: their balance is not in contracts_balances, or no segment of it
-- covers the line's day. Left out of burn and pacing.
with unattributed as (
  select * from int_unattributed_burn
),
final as (
  select
    u.source_table as table_name,
    'id=' || u.source_id || ', date=' || strftime(u.date, '%Y-%m-%d') as example_key,
    u.customer_id,
    'commit_id=' || u.balance_id || ', ' || minor_text(u.total_minor) || ' ' || coalesce(t.name, u.credit_type_id) as detail
  from unattributed as u
  left join mart_credit_types as t on t.credit_type_id = u.credit_type_id
)
select * from final
