# plots/build.mk - the report's figures, one gnuplot script each.
#
# FIGS lists the figures in report order; FIG_DATA_<fig> names the
# analyzer table it draws (in the report directory) and FIG_DEPS_<fig> any
# script it loads besides plots/style.gp.  reports/build.mk makes
# $(RDIR)/fig/<fig>.pdf and .png from them with
#     gnuplot -c plots/<fig>.gp $(RDIR)/<table> $(RDIR)/fig/<fig>
# so a figure is redrawn only when its script, the style or the analysis
# changes.  Missing gnuplot stops the build with a message.

GNUPLOT ?= gnuplot
FIGS := fig0_walk fig1_kmap fig2_umap fig3_contig fig4_runhist fig5_mismatch fig6_delta fig7_frag
FIG_DATA_fig0_walk := walks.csv
FIG_DATA_fig1_kmap := pfnmap.csv
FIG_DATA_fig2_umap := pfnmap.csv
FIG_DATA_fig3_contig := summary.csv
FIG_DATA_fig4_runhist := runhist.csv
FIG_DATA_fig5_mismatch := summary.csv
FIG_DATA_fig6_delta := deltabins.csv
FIG_DATA_fig7_frag := fragzone.csv
FIG_DEPS_fig1_kmap := plots/maps.gp
FIG_DEPS_fig2_umap := plots/maps.gp

.PHONY: gnuplot-check
gnuplot-check:
	$(Q)command -v $(GNUPLOT) >/dev/null || { echo "plots: $(GNUPLOT) not found; run make setup (package gnuplot-nox)" >&2; exit 1; }
