#!/bin/sh
# scripts/lighthouse.sh — Lighthouse (mobile) accessibility and best-practices
# scores for the dashboard, the orders and products lists and the order and
# product forms.
#
# A development check, not a test: it needs Node (npm) and Chromium, installs
# Lighthouse under LIGHTHOUSE_DIR (never in the repository), builds the tool,
# serves it on a throwaway SQLite database, signs in, audits each page with the
# session cookie, prints the scores and the failing audits, and exits 1 when a
# score is below 100.
#
#   make lighthouse
#   PAGES="/ /products" LIGHTHOUSE_PORT=4000 scripts/lighthouse.sh   (default: a free port from 3900)
set -eu

LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-/tmp/hyperdesk-lighthouse}
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-12}
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LIGHTHOUSE_PORT=${LIGHTHOUSE_PORT:-}
PAGES=${PAGES:-"/ /orders /products /orders/new /products/new"}
export CHROME_PATH

# Pick the first port from 3900 that nothing answers on, unless one is given.
if [ -z "$LIGHTHOUSE_PORT" ]; then
	LIGHTHOUSE_PORT=3900
	while curl -s -o /dev/null "http://127.0.0.1:$LIGHTHOUSE_PORT/"; do
		LIGHTHOUSE_PORT=$((LIGHTHOUSE_PORT + 1))
	done
fi
base="http://127.0.0.1:$LIGHTHOUSE_PORT"
email=lighthouse@example.com
password="lighthouse-$(date +%s)-check"
work=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT HUP INT TERM

lighthouse="$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse"
if [ ! -x "$lighthouse" ]; then
	echo "lighthouse: installing lighthouse@$LIGHTHOUSE_VERSION into $LIGHTHOUSE_DIR"
	mkdir -p "$LIGHTHOUSE_DIR"
	npm install --prefix "$LIGHTHOUSE_DIR" --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi

go build -o "$work/hyperdesk" ./cmd/hyperdesk
export DATABASE_URL="sqlite:$work/lighthouse.db" ADDR="127.0.0.1:$LIGHTHOUSE_PORT" LOG_LEVEL=warn
"$work/hyperdesk" migrate up >/dev/null
printf '%s\n' "$password" | "$work/hyperdesk" user add --email "$email" --role admin >/dev/null
"$work/hyperdesk" serve >"$work/serve.log" 2>&1 &
pid=$!
tries=0
until curl -fsS "$base/healthz" >/dev/null 2>&1; do
	tries=$((tries + 1))
	if [ "$tries" -gt 100 ]; then echo "lighthouse: the tool did not start:" >&2; cat "$work/serve.log" >&2; exit 1; fi
	sleep 0.1
done

# Sign in as a browser would: the form's CSRF token, then the session cookie.
jar="$work/cookies"
token=$(curl -fsS -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
	--data-urlencode "email=$email" --data-urlencode "password=$password" "$base/login"
session=$(awk '$6 == "hd_session" { print $7 }' "$jar")
if [ -z "$session" ]; then echo "lighthouse: signing in failed" >&2; exit 1; fi

status=0
for page in $PAGES; do
	report="$work/report.json"
	"$lighthouse" "$base$page" --quiet --form-factor=mobile \
		--only-categories=accessibility,best-practices \
		--extra-headers="{\"Cookie\":\"hd_session=$session\"}" \
		--chrome-flags="--headless=new --no-sandbox --disable-gpu" \
		--output=json --output-path="$report" || { status=1; continue; }
	node -e '
		const r = require(process.argv[1]);
		const c = r.categories;
		const line = Object.values(c).map(x => `${x.title} ${Math.round(x.score * 100)}`).join(", ");
		console.log(`${process.argv[2].padEnd(16)} ${line}`);
		let low = false;
		if (new URL(r.finalDisplayedUrl).pathname !== process.argv[2]) {
			console.log(`    - ended on ${r.finalDisplayedUrl}, not the page asked for (signed out?)`);
			low = true;
		}
		for (const cat of Object.values(c)) {
			if (cat.score < 1) low = true;
			for (const ref of cat.auditRefs) {
				const a = r.audits[ref.id];
				if (ref.weight > 0 && a.score !== null && a.score < 1) {
					console.log(`    - ${a.id}: ${a.title}`);
					for (const item of (a.details && a.details.items) || []) {
						const n = item.node || {};
						console.log(`        ${n.selector || item.description || item.url || ""} ${(n.explanation || "").split("\n")[0]}`);
					}
				}
			}
		}
		process.exit(low ? 1 : 0);
	' "$report" "$page" || status=1
done
exit $status
