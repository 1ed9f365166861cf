// Package browsertest drives Debian's headless Chromium through chromedp for
// end-to-end tests of the JavaScript path. Without a browser the tests skip,
// saying why; REQUIRE_BROWSER=1 (set by CI) makes that a failure. When a test
// fails, a screenshot of each of its tabs is written to TEST_ARTIFACTS (or
// the temp dir), numbered and named after the test, and its path logged.
// One Chromium serves every test of a test binary; each tab gets its own
// browser context (cookies, storage).
//
//	tab := browsertest.New(t).Tab(t, browsertest.WithJavaScript)
//	tab.Do(chromedp.Navigate(base + "/products"))
//	tab.MarkPage()
//	… click, type …
//	if !tab.SamePage() { t.Error("a full page load happened") }
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Script settings for Tab.
const (
	WithJavaScript    = true
	WithoutJavaScript = false
)

// actionTimeout bounds each group of actions, so a missing element fails
// the test instead of hanging it.
const actionTimeout = 15 * time.Second

// Browser is one headless Chromium process, shared by every test of a test
// binary: each Tab is a fresh browser context in it, so tests stay isolated
// while the process starts once.
type Browser struct {
	ctx context.Context
}

// shared is the test binary's browser, started by the first New and ended
// by Stop.
var shared struct {
	sync.Mutex
	browser *Browser
	err     error
	stop    func()
}

// shots numbers failure screenshots in the order they were taken.
var shots atomic.Int64

// New returns the test binary's Chromium, starting it on first use. It
// skips tb when no browser is installed, unless REQUIRE_BROWSER=1. Call Stop
// from TestMain once the tests have run (dbtest.Main(m, browsertest.Stop));
// a binary that does not still has its Chromium killed when it exits, since
// chromedp starts it with a parent-death signal.
func New(tb testing.TB) *Browser {
	tb.Helper()
	path, err := findChromium()
	if err != nil {
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			tb.Fatalf("browser: %v", err)
		}
		tb.Skipf("browser: %v (install Debian's chromium; REQUIRE_BROWSER=1 makes this a failure)", err)
	}
	shared.Lock()
	defer shared.Unlock()
	if shared.browser == nil && shared.err == nil {
		shared.browser, shared.stop, shared.err = start(path)
	}
	if shared.err != nil {
		tb.Fatalf("browser: %v", shared.err)
	}
	return shared.browser
}

// Stop ends the browser New started, if any, and removes its profile.
func Stop() {
	shared.Lock()
	defer shared.Unlock()
	if shared.stop != nil {
		shared.stop()
	}
	shared.browser, shared.stop, shared.err = nil, nil, nil
}

// start runs the Chromium at path with a throwaway profile.
func start(path string) (*Browser, func(), error) {
	profile, err := os.MkdirTemp("", "hyperdesk-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() {
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	}
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return &Browser{ctx: ctx}, stop, nil
}

func findChromium() (string, error) {
	if path := os.Getenv("CHROMIUM_PATH"); path != "" {
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("no chromium on PATH")
}

// Tab is one browser tab with its own cookies.
type Tab struct {
	tb         testing.TB
	ctx        context.Context
	javascript bool
}

// Tab opens a new tab in a fresh browser context (no shared cookies), with
// or without JavaScript, closed when tb ends.
func (b *Browser) Tab(tb testing.TB, javascript bool) *Tab {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	// Open the tab on its own context: a tab first used under a deadline
	// would close when that deadline's context ends.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tb.Fatalf("browser: opening a tab: %v", err)
	}
	t := &Tab{tb: tb, ctx: ctx, javascript: javascript}
	if !javascript {
		t.Do(func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, target, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return chromedp.Void{}, err
		})
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			t.screenshot()
		}
		cancel()
	})
	return t
}

// JavaScript reports whether the tab runs scripts.
func (t *Tab) JavaScript() bool { return t.javascript }

// Do runs actions in order and fails the test at the first error.
func (t *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.tb.Fatalf("browser: %v", err)
	}
}

// String runs action and returns its value, failing the test on error.
func (t *Tab) String(action chromedp.Action[string]) string {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.tb.Fatalf("browser: %v", err)
	}
	return v
}

// Open loads url as a full page and waits until that document has loaded,
// so later queries cannot hit the page it replaced.
func (t *Tab) Open(url string) {
	t.tb.Helper()
	t.Do(chromedp.Navigate(url))
	deadline := time.Now().Add(actionTimeout)
	for t.Eval(`location.href === `+jsString(url)+` && document.readyState === "complete" ? "yes" : "no"`) != "yes" {
		if time.Now().After(deadline) {
			t.tb.Fatalf("browser: %s did not finish loading", url)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Click clicks the element matching selector once the page is idle: no
// htmx request in flight and, when htmx runs, the element initialised by it.
// Clicking earlier can hit an element that a swap is about to replace.
func (t *Tab) Click(selector string) {
	t.tb.Helper()
	ready := `(function () {
		var el = document.querySelector(` + jsString(selector) + `);
		if (!el || document.querySelector(".htmx-request")) { return "no"; }
		var owner = el.matches("a, [hx-get], [hx-post], [hx-delete]") ? el : el.closest("form");
		return !window.htmx || !owner || owner._htmx ? "yes" : "no";
	})()`
	deadline := time.Now().Add(actionTimeout)
	for t.Eval(ready) != "yes" {
		if time.Now().After(deadline) {
			t.tb.Fatalf("browser: %s never became clickable", selector)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Do(chromedp.Click(chromedp.CSS(selector)))
}

// Text returns the visible text of the first element matching selector.
func (t *Tab) Text(selector string) string {
	t.tb.Helper()
	return t.String(chromedp.Text(chromedp.CSS(selector)))
}

// Eval evaluates a JavaScript expression that yields a string.
func (t *Tab) Eval(expression string) string {
	t.tb.Helper()
	return t.String(chromedp.Evaluate[string](expression))
}

// WaitText waits until the element matching selector contains want.
func (t *Tab) WaitText(selector, want string) {
	t.tb.Helper()
	deadline := time.Now().Add(actionTimeout)
	for {
		got := t.Eval(`(document.querySelector(` + jsString(selector) + `) || {}).textContent || ""`)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.tb.Fatalf("browser: %s never contained %q; last text %q", selector, want, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitURL waits until the address bar contains each of parts, and returns it.
func (t *Tab) WaitURL(parts ...string) string {
	t.tb.Helper()
	deadline := time.Now().Add(actionTimeout)
	for {
		url := t.String(chromedp.Location())
		missing := ""
		for _, part := range parts {
			if !strings.Contains(url, part) {
				missing = part
			}
		}
		if missing == "" {
			return url
		}
		if time.Now().After(deadline) {
			t.tb.Fatalf("browser: the URL never contained %q; last %q", missing, url)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Wait waits until the JavaScript expression is true, and fails the test
// naming what the page showed when it never becomes so.
func (t *Tab) Wait(expression string) {
	t.tb.Helper()
	deadline := time.Now().Add(actionTimeout)
	for t.Eval(`(`+expression+`) ? "yes" : "no"`) != "yes" {
		if time.Now().After(deadline) {
			t.tb.Fatalf("browser: %s never became true; focus on %s", expression,
				t.Eval(`document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : "nothing"`))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Emulate makes the tab a screen width by height CSS pixels wide (as a phone,
// with touch) that prefers colorScheme ("light" or "dark").
func (t *Tab) Emulate(width, height int64, colorScheme string) {
	t.tb.Helper()
	t.Do(
		chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateTouch),
		func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: colorScheme}},
			})
			return chromedp.Void{}, err
		},
	)
}

// Network emulates the tab's connection: offline, or with each response
// held back by latency, so a test can watch loading states and failures.
// Network(false, 0) restores the normal connection.
func (t *Tab) Network(offline bool, latency time.Duration) {
	t.tb.Helper()
	t.Do(func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, target, network.Enable, network.EnableParams{}); err != nil {
			return chromedp.Void{}, err
		}
		_, err := cdp.Call(ctx, target, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{
				Offline:            offline,
				Latency:            float64(latency.Milliseconds()),
				DownloadThroughput: -1,
				UploadThroughput:   -1,
			}},
		})
		return chromedp.Void{}, err
	})
}

// Screenshot returns a PNG of the visible part of the page.
func (t *Tab) Screenshot() []byte {
	t.tb.Helper()
	ctx, cancel := context.WithTimeout(t.ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.tb.Fatalf("browser: %v", err)
	}
	return png
}

// MarkPage tags the current document; SamePage then tells whether it is
// still the same one, i.e. whether no full page load happened in between.
func (t *Tab) MarkPage() {
	t.tb.Helper()
	t.Eval(`window.__hyperdeskMark = "same"; "ok"`)
}

// SamePage reports whether the document tagged by MarkPage is still loaded.
func (t *Tab) SamePage() bool {
	t.tb.Helper()
	return t.Eval(`window.__hyperdeskMark || "reloaded"`) == "same"
}

// AcceptConfirms makes window.confirm answer yes, as a user clicking OK.
func (t *Tab) AcceptConfirms() {
	t.tb.Helper()
	t.Eval(`window.confirm = function () { return true; }; "ok"`)
}

func (t *Tab) screenshot() {
	ctx, cancel := context.WithTimeout(t.ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 makes a PNG; less, a JPEG
	if err != nil {
		t.tb.Logf("browser: no screenshot: %v", err)
		return
	}
	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "hyperdesk-test-artifacts")
	}
	name := fmt.Sprintf("%03d-%s.png", shots.Add(1), regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.tb.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err == nil {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, png, 0o644); err == nil {
			t.tb.Logf("browser: screenshot at %s", path)
		}
	}
}

func jsString(s string) string {
	return "'" + regexp.MustCompile(`['\\]`).ReplaceAllString(s, `\$0`) + "'"
}
