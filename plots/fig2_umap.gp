# plots/fig2_umap.gp - user VA->PA map: 4 KiB blocks, one block, THP.
#
#   gnuplot -c plots/fig2_umap.gp pfnmap.csv OUT
#
# memalloc -b 4K, -b 1G and -b thp side by side: each page's real virtual
# address against the PFN that pagemap reports for it, THP pages (the
# row's thp flag) in black diamonds; under each, a zoom of its first 512
# pages (2 MiB of VA: one THP when the block is backed by one).
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
SHOW = "malloc4k block thp"
XVA = 1
INSET = 1
TITLE = "user VA->PA map (/proc/self/pagemap)"
load system("dirname ".ARG0)."/maps.gp"
