# plots/fig2_umap.gp - user VA->PA map: 4 KiB blocks, one block, THP.
#
#   gnuplot -c plots/fig2_umap.gp user-malloc4k.csv user-block.csv user-thp.csv OUT
#
# The same request three ways (memalloc -b 4K, -b 1G, -b thp): page index
# in the allocation against the PFN pagemap reports for it.
load system("dirname ".ARG0)."/style.gp"
FILES = ""
do for [i = 1:ARGC - 1] { FILES = FILES." ".ARGV[i] }
OUT = ARGV[ARGC]
TITLE = "user VA->PA map"
load system("dirname ".ARG0)."/maps.gp"
