# tests/pmcheck.sh - an independent reader of /proc/PID/pagemap (sourced).
#
# It shares no code with collect/pagemap.c: dd reads the raw entries, od
# prints them, awk decodes them digit by digit, so a bug in the library
# cannot hide itself.  pm_compare checks a samples CSV written by a process
# against that process's pagemap, page for page.

# pm_dump PID FIRST_VPN COUNT: one 16-digit hex entry per line.
pm_dump() {
	dd if="/proc/$1/pagemap" bs=65536 iflag=skip_bytes,count_bytes \
		skip=$(($2 * 8)) count=$(($3 * 8)) status=none | od -An -v -tx8 -w8 | tr -d ' '
}

# pm_compare PID CSV: prints "rows=N present=N mismatch=N missing=N";
# mismatch counts rows whose pa differs from the PFN pagemap gives now.
pm_compare() {
	local pid=$1 csv=$2 lo hi
	read -r lo hi < <(awk -F, 'function hx(s,  i,v){v=0;s=tolower(substr(s,3));for(i=1;i<=length(s);i++)v=v*16+index("0123456789abcdef",substr(s,i,1))-1;return v}
		NR>1{v=hx($6)/4096; if(min==""||v<min)min=v; if(v>max)max=v} END{printf "%.0f %.0f\n",min,max}' "$csv")
	awk -F, -v lo="$lo" 'function hx(s,  i,v){v=0;s=tolower(s);sub(/^0x/,"",s);for(i=1;i<=length(s);i++)v=v*16+index("0123456789abcdef",substr(s,i,1))-1;return v}
		NR==FNR { e=$0; d=index("0123456789abcdef",substr(e,1,1))-1
			isp=(d>=8); d14=index("0123456789abcdef",substr(e,3,1))-1
			pfn=(d14%8)*4503599627370496 + hx(substr(e,4))
			pm[NR-1]= isp ? pfn : -1; next }
		FNR>1 { rows++; vpn=hx($6)/4096; want=pm[vpn-lo]
			if (want<0 || want=="") { missing++; next }
			npresent++; if ($7=="" || hx($7)/4096!=want) mismatch++ }
		END { printf "rows=%d present=%d mismatch=%d missing=%d\n", rows, npresent, mismatch, missing }' \
		<(pm_dump "$pid" "$lo" $((hi - lo + 1))) "$csv"
}
