# migrate_pages(MIGRATE_SYNC) of a page-cache folio three processes map:
# try_to_migrate() puts a migration entry in each PTE (an rmap walk over i_mmap),
# the folio moves to a new PFN in the page cache, remove_migration_ptes() maps the
# new folio where the entries were. Every process sees the new PFN: `same`.
# (`migrate OBJ[I]` names the folio by its page-cache index; the real-kernel oracle
# realises `migrate PROC LABEL[I]`, with move_pages(2) of that page to the other NUMA node.)
file f pages 4
process a
process b
process c
mmap a f at 0x7f0000000000 pages 4 shared rw as m
mmap b f at 0x7e0000000000 pages 4 shared r as m
mmap c f at 0x7d0000000000 pages 2 offset 2 private r as m
write a m[2]
read b m[2]
read c m[0]                      # f[2]
expect pte a m[2] same b m[2]

migrate b m[2]                   # the folio f[2], named through b's mapping
expect result 0
expect walk a:m, b:m, c:m        # remove_migration_ptes() over i_mmap
expect pte a m[2] present write dirty same f[2] !migration
expect pte b m[2] present !write same a m[2]
expect pte c m[0] same f[2]
expect folio f[2] dirty mapcount 3

migrate f[2]                     # again, by page-cache index
expect pte c m[0] same a m[2]
expect pte a m[2] same f[2] write dirty
