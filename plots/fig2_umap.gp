# plots/fig2_umap.gp - user VA->PA map: 4 KiB blocks, one block, THP.
#
#   gnuplot -c plots/fig2_umap.gp pfnmap.csv OUT
#
# memalloc -b 4K, -b 1G and -b thp side by side: page index in the
# allocation against the PFN that pagemap reports for it.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
SHOW = "malloc4k block thp"
TITLE = "user VA->PA map (/proc/self/pagemap)"
load system("dirname ".ARG0)."/maps.gp"
