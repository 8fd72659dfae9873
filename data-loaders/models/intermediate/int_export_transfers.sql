-- Each export file with its transfer: the dt= partition date and the transfer timestamp of its name
-- (`<part>_<YYYYMMDDhhmmss>.parquet`, the layout sources/export/discover.ts reads). A table's latest transfer is
-- its files with the newest (date, timestamp); a flat layout has neither, and its files count as one transfer.
with files as (
  select id as file_id, table_name, path from meterbook_files
),
parsed as (
  select file_id, table_name, path,
    try_cast(nullif(regexp_extract(path, '(^|/)dt=(\d{4}-\d{2}-\d{2})(/|$)', 2), '') as date) as transfer_date,
    try_strptime(nullif(regexp_extract(path, '(^|/)\d+_(\d{14})\.(parquet|csv)$', 2), ''), '%Y%m%d%H%M%S') as transfer_at
  from files
),
final as (
  select *,
    dense_rank() over (partition by table_name order by transfer_date desc nulls last, transfer_at desc nulls last) = 1 as is_latest_transfer
  from parsed
)
select * from final
