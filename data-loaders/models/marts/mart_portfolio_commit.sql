-- mart_portfolio_commit — grain: credit type of the segments active on as_of. Commit under management and its burn.
with active as (
  select * from mart_pacing
),
final as (
  select credit_type_id,
    sum(amount_minor)::decimal(38, 9) as amount_minor,
    sum(burned_to_date_minor)::decimal(38, 9) as burned_to_date_minor,
    count(*)::integer as active_segments,
    case when sum(amount_minor) <> 0 then 100 * sum(burned_to_date_minor)::double / sum(amount_minor)::double end as burned_pct
  from active
  group by credit_type_id
)
select * from final;
