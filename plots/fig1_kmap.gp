# plots/fig1_kmap.gp - kernel VA->PA map: kmalloc beside vmalloc.
#
#   gnuplot -c plots/fig1_kmap.gp kernel-kmalloc.csv kernel-vmalloc.csv OUT
#
# kmalloc memory comes from the direct map, so its pages are one straight
# line of consecutive PFNs; vmalloc gathers single pages from anywhere.
load system("dirname ".ARG0)."/style.gp"
FILES = ""
do for [i = 1:ARGC - 1] { FILES = FILES." ".ARGV[i] }
OUT = ARGV[ARGC]
TITLE = "kernel VA->PA map"
load system("dirname ".ARG0)."/maps.gp"
