-- Each line group's class (int_daily_lines' input): the lines of one invoice with the same credit type, product, name,
-- commit, segment and type form a group; its shape is what the line rules can test (docs/line-categories.md): its
-- line_item_type's key, its invoice's type, whether it has a product and a commit_id, the kind of balance that
-- commit_id names, and the sign of the group's total over its days. The first rule (meterbook_line_rules, in order)
-- whose conditions all hold gives the category; a shape no rule matches is 'other', with rule null.
-- A model of its own, not a CTE of int_daily_lines: the groups' aggregate and the lines' join to their class each run
-- in a statement of their own over int_line_days (held as Parquet), never beside each other under the memory budget
-- (together, over int_line_days as a view, they ran a 10,000-customer snapshot out of 1.5 GB; docs/scaling.md).
with rules as (
  select * from meterbook_line_rules
),
-- The invoice's type: the finalized invoice's label, else its draft's, else its breakdowns'.
invoice_types as (
  select invoice_id, arg_min(invoice_type, priority) as invoice_type
  from (
    select id as invoice_id, invoice_label as invoice_type, 1 as priority from stg_invoice where invoice_label is not null
    union all
    select id, label, 2 from stg_draft_invoice where label is not null
    union all
    select invoice_id, type, 3 from stg_breakdowns_invoices where type is not null
    union all
    select invoice_id, type, 4 from stg_breakdowns_draft_invoices where type is not null
  )
  group by invoice_id
),
balances as (
  select id as balance_id, case when bool_or(lower(type) = 'credit') then 'credit' else 'commit' end as balance_kind
  from stg_contracts_balances
  group by id
),
-- A line's sign is its group's: the lines of one invoice with the same credit type, product, name, commit, segment and
-- type, summed over their days. Shapes are classified per group (hundreds of thousands), not per line × day
-- (millions); the lines then take their group's class in one join (int_daily_lines), on the group's 64-bit hash.
line_groups as (
  select invoice_id, credit_type_id, product_id, line_name, commit_id, commit_segment_id, line_item_type,
    hash(invoice_id, credit_type_id, product_id, line_name, commit_id, commit_segment_id, line_item_type) as group_hash,
    case when sum(total_minor) < 0 then 'negative' else 'positive' end as sign
  from int_line_days
  group by all
),
shaped as (
  select
    g.*,
    line_type_key(g.line_item_type) as line_type_key,
    upper(t.invoice_type) as invoice_type,
    g.product_id is not null as has_product,
    g.commit_id is not null as has_commit,
    b.balance_kind
  from line_groups as g
  left join invoice_types as t using (invoice_id)
  left join balances as b on b.balance_id = g.commit_id
),
shapes as (
  select distinct line_type_key, invoice_type, has_product, has_commit, balance_kind, sign from shaped
),
classes as (
  select
    s.line_type_key, s.invoice_type, s.has_product, s.has_commit, s.balance_kind, s.sign,
    arg_min(r.rule, r.ordinal) as rule,
    coalesce(arg_min(r.category, r.ordinal), 'other') as category
  from shapes as s
  left join rules as r
    on (r.line_types is null or list_contains(list_transform(r.line_types, x -> line_type_key(x)), s.line_type_key))
    and (r.untyped is null or r.untyped = (s.line_type_key is null))
    and (r.invoice_types is null or list_contains(r.invoice_types, s.invoice_type))
    and (r.product is null or r.product = s.has_product)
    and (r.commit is null or r.commit = s.has_commit)
    and (r.balance is null or r.balance = s.balance_kind)
    and (r.sign is null or r.sign = s.sign)
  group by all
),
group_classes as (
  select g.group_hash, g.invoice_type, g.balance_kind, c.rule, c.category
  from shaped as g
  join classes as c
    on c.line_type_key is not distinct from g.line_type_key and c.invoice_type is not distinct from g.invoice_type
    and c.has_product = g.has_product and c.has_commit = g.has_commit
    and c.balance_kind is not distinct from g.balance_kind and c.sign = g.sign
)
select group_hash, invoice_type, balance_kind, rule, category from group_classes
