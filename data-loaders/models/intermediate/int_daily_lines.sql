-- The single source of daily money and quantity: every invoice line × day (int_line_days) with the category the line
-- rules give it (docs/line-categories.md): its group's class (int_line_classes), found by the 64-bit hash of the
-- group's columns, one integer to join on instead of seven nullable strings. Groups are formed exactly; two of them
-- with one hash would classify their lines twice, which the check "every line-day classified exactly once" fails on.
select l.*, g.invoice_type, g.balance_kind, g.rule, g.category
from int_line_days as l
join int_line_classes as g
  on g.group_hash = hash(l.invoice_id, l.credit_type_id, l.product_id, l.line_name, l.commit_id, l.commit_segment_id, l.line_item_type)
