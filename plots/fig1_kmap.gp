# plots/fig1_kmap.gp - kernel VA->PA map: kmalloc beside vmalloc.
#
#   gnuplot -c plots/fig1_kmap.gp pfnmap.csv OUT
#
# kmalloc memory comes from the direct map, so its pages should be one
# straight line of consecutive PFNs; vmalloc gathers single pages from
# anywhere.  The data decide: the panels plot what the module walked.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
SHOW = "kmalloc vmalloc"
TITLE = "kernel VA->PA map (software page walk)"
load system("dirname ".ARG0)."/maps.gp"
