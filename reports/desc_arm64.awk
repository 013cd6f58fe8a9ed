#!/usr/bin/awk -f
# reports/desc_arm64.awk - decode the arm64 descriptors of samples-CSV rows.
#
#   awk -f reports/desc_arm64.awk [-v rows=N] FILE.csv
#
# For each row (schema 1, at most `rows`, default 1) with raw entries it
# prints the walk level by level, as the Arm ARM (VMSAv8-64, 4 KiB granule,
# 48-bit VA and PA) names the fields: level 0 (pgd; the p4d is folded into
# it), 1 (pud), 2 (pmd), 3 (pte), down to the leaf.  A table descriptor
# (bits[1:0] 0b11 above level 3) gives the next table's address and its
# hierarchical controls NSTable, APTable, UXNTable, PXNTable; a block
# (0b01 at levels 1 and 2) or page (0b11 at level 3) gives its output
# address, AttrIndx (Linux: 0 NORMAL, 1 NORMAL_TAGGED, 2 NORMAL_NC,
# 3 DEVICE_nGnRnE, 4 DEVICE_nGnRE), SH, AP[2:1], AF, nG, DBM, Contiguous,
# PXN and UXN.  One line per level:
#   L3 pte 0x00e8000044369f43 page pa=0x44369000 AttrIndx=0(NORMAL) SH=3(inner) AP=01(EL1 rw, EL0 rw) AF=1 nG=1 DBM=1 Cont=0 PXN=1 UXN=1
BEGIN {
	FS = ","
	if (rows == "") rows = 1
	split("NORMAL NORMAL_TAGGED NORMAL_NC DEVICE_nGnRnE DEVICE_nGnRE", MT, " ")
	split("non 1 outer inner", SHN, " ")
	APN["00"] = "EL1 rw, EL0 none"; APN["01"] = "EL1 rw, EL0 rw"
	APN["10"] = "EL1 ro, EL0 none"; APN["11"] = "EL1 ro, EL0 ro"
}
# bit b (0..63) of a 0x-prefixed 16-digit hex string
function bit(h, b,   d) {
	d = index("0123456789abcdef", tolower(substr(h, 18 - int(b / 4), 1))) - 1
	return int(d / 2 ^ (b % 4)) % 2
}
function bits(h, hi, lo,   v, b) {
	v = 0
	for (b = hi; b >= lo; b--) v = v * 2 + bit(h, b)
	return v
}
function addr(h, lo,   v) {	# output address bits 47:lo, as hex
	v = bits(h, 47, lo)
	return sprintf("0x%x", v * 2 ^ lo)
}
function leaf(h, lo, kind,   ai, sh, s) {
	ai = bits(h, 4, 2); sh = bits(h, 9, 8)
	s = kind " pa=" addr(h, lo)
	s = s " AttrIndx=" ai "(" (ai + 1 in MT ? MT[ai + 1] : "?") ")"
	s = s " SH=" sh "(" SHN[sh + 1] ")"
	s = s " AP=" bit(h, 7) bit(h, 6) "(" APN[bit(h, 7) bit(h, 6)] ")"
	s = s " AF=" bit(h, 10) " nG=" bit(h, 11) " DBM=" bit(h, 51)
	return s " Cont=" bit(h, 52) " PXN=" bit(h, 53) " UXN=" bit(h, 54)
}
function table(h) {
	return "table next=" addr(h, 12) " NSTable=" bit(h, 63) " APTable=" bit(h, 62) bit(h, 61) \
		" UXNTable=" bit(h, 60) " PXNTable=" bit(h, 59)
}
# one descriptor at level l (0..3); returns 1 when the walk goes on
function desc(l, name, h,   t) {
	t = bit(h, 1) bit(h, 0)
	if (bit(h, 0) == 0) { print "L" l " " name " " h " invalid (fault)"; return 0 }
	if (l < 3 && t == "11") { print "L" l " " name " " h " " table(h); return 1 }
	if (l == 3 && t == "11") { print "L" l " " name " " h " " leaf(h, 12, "page"); return 0 }
	if (t == "01" && (l == 1 || l == 2)) {
		print "L" l " " name " " h " " leaf(h, l == 1 ? 30 : 21, "block"); return 0
	}
	print "L" l " " name " " h " reserved (fault)"
	return 0
}
FNR == 1 && /^source,/ { next }
$14 != "" && n < rows {
	n++
	print "va " $6 " pa " $7 " level " $11 " (" $2 ")"
	if (desc(0, "pgd", $14) && desc(1, "pud", $16) && desc(2, "pmd", $17))
		desc(3, "pte", $18)
}
