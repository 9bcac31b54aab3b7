# lyrics: data files converted from npm packages (CMUdict, learned syllable rules, VADER and
# AFINN lexicons, profanity lists) into the share dir by scripts/lyrics-data.sh.
SHARE += build/share/lyrics/cmudict.txt
build/share/lyrics/cmudict.txt: scripts/lyrics-data.sh scripts/lyrics-data.mjs
	scripts/lyrics-data.sh
