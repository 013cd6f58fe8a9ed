# reports/pageblocks.awk - one phase's pageblocks.csv cells for the
# Fragmentation section (reports/frag_section.sh): column k (pageblocks
# or free_high_blocks) of every migrate type of zone z in phase p with a
# value other than 0, as "Movable 914, Unmovable 96", "none" when every
# type of the zone has 0, nothing when the phase has no such row; picked,
# not computed.
# Usage: awk -F, -v p=PHASE -v z=ZONE -v k=COLUMN -f pageblocks.awk pageblocks.csv
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["phase"] == p && $c["zone"] == z && $c[k] != "" { seen = 1 }
$c["phase"] == p && $c["zone"] == z && $c[k] != "" && $c[k] != "0" {
	s = s (s == "" ? "" : ", ") $c["migratetype"] " " $c[k]
}
END { print seen && s == "" ? "none" : s }
